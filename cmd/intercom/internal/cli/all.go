package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
)

// page is one decoded page: its top-level members, undecoded.
type page map[string]json.RawMessage

// streamAll writes every item of every page to w as one compact JSON value
// a line (NDJSON), through the library's pagination loop. Only one page is
// held at a time, so memory stays flat however long the list is.
func streamAll(ctx context.Context, c *client, r *request, w io.Writer, prog *progress) error {
	pg := r.op.Paging
	out := bufio.NewWriterSize(w, 64<<10)
	fetch := func(ctx context.Context, next pageToken) (*page, error) {
		var extra url.Values
		var body []byte
		if pg.Style == ops.PagingSearch {
			cursor, err := next.BodyCursor()
			if err != nil {
				return nil, err
			}
			if cursor != "" {
				if body, err = withSearchCursor(r.body, cursor); err != nil {
					return nil, err
				}
			}
		} else if key, value, ok := next.Query(); ok {
			extra = url.Values{key: {value}}
		}
		// The page in hand is written out before the next is asked for.
		if err := out.Flush(); err != nil {
			return nil, err
		}
		data, err := r.send(ctx, c, extra, body)
		if err != nil {
			return nil, err
		}
		p := page{}
		if len(bytes.TrimSpace(data)) > 0 {
			if err := json.Unmarshal(data, &p); err != nil {
				return nil, fmt.Errorf("%s %s: the page is not a JSON object: %w", r.op.Group, r.op.Command, err)
			}
		}
		prog.page(total(p))
		recordPage(ctx, data)
		return &p, nil
	}
	items := func(p *page) []json.RawMessage {
		var list []json.RawMessage
		_ = json.Unmarshal((*p)[pg.Items], &list) // absent or null: no items
		return list
	}
	var line bytes.Buffer
	for item, err := range paginate(ctx, fetch, items) {
		if err != nil {
			out.Flush()
			return err
		}
		line.Reset()
		if err := json.Compact(&line, item); err != nil {
			out.Flush()
			return fmt.Errorf("an item is not valid JSON: %w", err)
		}
		line.WriteByte('\n')
		if _, err := out.Write(line.Bytes()); err != nil {
			return err
		}
		prog.item()
	}
	return out.Flush()
}

// total is the number of items (total_count) or, failing that, of pages
// (pages.total_pages) the list announces; unit says which; 0 when unknown.
func total(p page) (n int, unit string) {
	var count int
	if json.Unmarshal(p["total_count"], &count) == nil && count > 0 {
		return count, "items"
	}
	var pages struct {
		TotalPages int `json:"total_pages"`
	}
	if json.Unmarshal(p["pages"], &pages) == nil && pages.TotalPages > 0 {
		return pages.TotalPages, "pages"
	}
	return 0, ""
}

// withSearchCursor sets pagination.starting_after in a search body, keeping
// every other member as the caller wrote it.
func withSearchCursor(body []byte, token string) ([]byte, error) {
	doc := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &doc); err != nil {
			return nil, usagef("--body: a search body must be a JSON object: %v", err)
		}
	}
	pagination := map[string]json.RawMessage{}
	if raw, ok := doc["pagination"]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &pagination); err != nil {
			return nil, usagef("--body: pagination must be an object: %v", err)
		}
	}
	pagination["starting_after"] = json.RawMessage(strconv.Quote(token))
	b, err := json.Marshal(pagination)
	if err != nil {
		return nil, err
	}
	doc["pagination"] = b
	return json.Marshal(doc)
}
