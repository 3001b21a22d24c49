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
	"strings"

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
	fetch := func(ctx context.Context, token string) (*page, error) {
		var extra url.Values
		var body []byte
		if token != "" {
			switch pg.Style {
			case ops.PagingCursor, ops.PagingCursorUndeclared, ops.PagingPage, ops.PagingPageUndeclared:
				// A GET list follows whichever signal the page carried.
				if cursor, ok := strings.CutPrefix(token, "cursor:"); ok {
					extra = url.Values{"starting_after": {cursor}}
				} else {
					extra = url.Values{"page": {strings.TrimPrefix(token, "page:")}}
				}
			case ops.PagingScroll:
				extra = url.Values{"scroll_param": {token}}
			case ops.PagingSearch:
				b, err := withSearchCursor(r.body, token)
				if err != nil {
					return nil, err
				}
				body = b
			}
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
		return &p, nil
	}
	items := func(p *page) []json.RawMessage {
		var list []json.RawMessage
		_ = json.Unmarshal((*p)[pg.Items], &list) // absent or null: no items
		return list
	}
	var line bytes.Buffer
	for item, err := range paginate(ctx, pg.Style == ops.PagingScroll, fetch, items, func(p *page) string { return nextToken(*p, pg.Style) }) {
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

// nextToken finds the following page's token, "" after the last page.
func nextToken(p page, style string) string {
	switch style {
	case ops.PagingScroll:
		var s string
		_ = json.Unmarshal(p["scroll_param"], &s)
		return s
	case ops.PagingCursor, ops.PagingCursorUndeclared, ops.PagingPage, ops.PagingPageUndeclared:
		// Intercom answers some lists described with a cursor (a company's
		// contacts) with page numbers only: follow the cursor when the page
		// has one, else the page numbers.
		var pages struct {
			Page       int             `json:"page"`
			TotalPages int             `json:"total_pages"`
			Next       json.RawMessage `json:"next"`
		}
		if json.Unmarshal(p["pages"], &pages) != nil {
			return ""
		}
		var next struct {
			StartingAfter string `json:"starting_after"`
		}
		_ = json.Unmarshal(pages.Next, &next) // pages.next is sometimes a URL string: no cursor
		return nextPageToken(next.StartingAfter, pages.Page, pages.TotalPages)
	default: // search (a cursor in the body)
		var pages struct {
			Next json.RawMessage `json:"next"`
		}
		if json.Unmarshal(p["pages"], &pages) != nil {
			return ""
		}
		var next struct {
			StartingAfter string `json:"starting_after"`
		}
		// pages.next is sometimes a URL string; then there is no cursor.
		if json.Unmarshal(pages.Next, &next) != nil {
			return ""
		}
		return next.StartingAfter
	}
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
