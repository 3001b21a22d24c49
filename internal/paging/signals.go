package paging

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"

	"github.com/apipin/intercom/internal/jsondec"
)

// Signals is what a page's body says about the pages after it.
type Signals struct {
	// Next is the page to fetch next; the zero Token means there is none.
	Next Token
	// Page is the page number the body says it is (pages.page), 0 when
	// it says none; PerPage is its page size (pages.per_page), 0 when it
	// says none.
	Page, PerPage int
	// ByCount is set when Next comes from pages.page and
	// pages.total_pages alone, no next member naming it.
	ByCount bool
}

// Read finds the paging members of a list answer in its body (the raw
// bytes the server sent, so that a member the typed model cannot hold, a
// pages.next URL string where an object is declared, still counts) and
// picks the next page, in this order:
//
//  1. a cursor: pages.next.starting_after, or the starting_after of a
//     pages.next URL;
//  2. scroll_param (a scroll ends with its first empty page, which All
//     checks);
//  3. a page number: the page of a pages.next object or URL, else
//     pages.page + 1 while it is below pages.total_pages.
//
// It returns an error wrapping ErrUnfollowable when a member says there is
// more in a shape none of these covers (a URL without either parameter,
// has_more without a cursor), or when a paging member has a type that
// cannot be read. A body that is not a JSON object carries no signals.
//
// Only the top level of the body is walked; the values of other members
// (the items) are skipped without being decoded, so reading costs a scan
// of the bytes (BenchmarkRead; docs/pagination.md has the numbers).
func Read(body []byte) (Signals, error) {
	m, err := findMembers(body)
	if err != nil {
		return Signals{}, err
	}
	pages, scroll, hasMore := m.Pages, m.ScrollParam, m.HasMore
	var s Signals
	var fromPages Token
	if !isNull(pages) {
		var pg struct {
			Page       json.RawMessage `json:"page"`
			PerPage    json.RawMessage `json:"per_page"`
			TotalPages json.RawMessage `json:"total_pages"`
			Next       json.RawMessage `json:"next"`
		}
		if kindOf(pages) != "an object" || json.Unmarshal(pages, &pg) != nil {
			return Signals{}, fmt.Errorf("%w: pages is %s, not an object", ErrUnfollowable, kindOf(pages))
		}
		if s.Page, err = pageNumber(pg.Page, "pages.page"); err != nil {
			return Signals{}, err
		}
		if s.PerPage, err = pageNumber(pg.PerPage, "pages.per_page"); err != nil {
			return Signals{}, err
		}
		total, err := pageNumber(pg.TotalPages, "pages.total_pages")
		if err != nil {
			return Signals{}, err
		}
		next, err := readNext(pg.Next)
		if err != nil {
			return Signals{}, err
		}
		switch {
		case next.Kind != First:
			fromPages = next
		case s.Page > 0 && s.Page < total:
			fromPages = Token{Kind: Page, Value: strconv.Itoa(s.Page + 1)}
			s.ByCount = true
		}
	}
	switch {
	case fromPages.Kind == Cursor:
		s.Next = fromPages
	case !isNull(scroll):
		s.ByCount = false
		var param string
		if err := json.Unmarshal(scroll, &param); err != nil {
			return Signals{}, fmt.Errorf("%w: scroll_param is %s, not a string", ErrUnfollowable, kindOf(scroll))
		}
		if param != "" {
			s.Next = Token{Kind: Scroll, Value: param}
		} else {
			s.Next = fromPages
		}
	default:
		s.Next = fromPages
	}
	if s.Next.Kind == First && !isNull(hasMore) {
		var more bool
		if err := json.Unmarshal(hasMore, &more); err != nil {
			return Signals{}, fmt.Errorf("%w: has_more is %s, not a boolean", ErrUnfollowable, kindOf(hasMore))
		}
		if more {
			return Signals{}, fmt.Errorf("%w: has_more is true, but the page carries no cursor, page number or scroll_param", ErrUnfollowable)
		}
	}
	return s, nil
}

// readNext reads pages.next: an object with starting_after (or page), a URL
// string with either in its query, or null.
func readNext(raw json.RawMessage) (Token, error) {
	if isNull(raw) {
		return Token{}, nil
	}
	switch kindOf(raw) {
	case "a string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Token{}, err
		}
		if s == "" {
			return Token{}, nil
		}
		u, err := url.Parse(s)
		if err != nil || u.RawQuery == "" {
			return Token{}, fmt.Errorf("%w: pages.next is the string %q, not a URL with a query", ErrUnfollowable, s)
		}
		q := u.Query()
		if c := q.Get("starting_after"); c != "" {
			return Token{Kind: Cursor, Value: c}, nil
		}
		if p := q.Get("page"); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 {
				return Token{}, fmt.Errorf("%w: pages.next is the URL %q, whose page is not a page number", ErrUnfollowable, s)
			}
			return Token{Kind: Page, Value: strconv.Itoa(n)}, nil
		}
		return Token{}, fmt.Errorf("%w: pages.next is the URL %q, which names neither starting_after nor page", ErrUnfollowable, s)
	case "an object":
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return Token{}, err
		}
		if c := m["starting_after"]; !isNull(c) {
			var s string
			if err := json.Unmarshal(c, &s); err != nil {
				return Token{}, fmt.Errorf("%w: pages.next.starting_after is %s, not a string", ErrUnfollowable, kindOf(c))
			}
			if s != "" {
				return Token{Kind: Cursor, Value: s}, nil
			}
		}
		n, err := pageNumber(m["page"], "pages.next.page")
		if err != nil {
			return Token{}, err
		}
		if n > 0 {
			return Token{Kind: Page, Value: strconv.Itoa(n)}, nil
		}
		for k, v := range m {
			if k != "per_page" && k != "type" && !isNull(v) && !bytes.Equal(bytes.TrimSpace(v), []byte(`""`)) {
				return Token{}, fmt.Errorf("%w: pages.next has %s but no starting_after or page", ErrUnfollowable, k)
			}
		}
		return Token{}, nil
	}
	return Token{}, fmt.Errorf("%w: pages.next is %s, not an object or a URL", ErrUnfollowable, kindOf(raw))
}

// pageNumber reads a page number or count: a whole JSON number or a string
// holding one; 0 when absent or null.
func pageNumber(raw json.RawMessage, name string) (int, error) {
	if isNull(raw) {
		return 0, nil
	}
	v := raw
	if kindOf(raw) == "a string" {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		v = []byte(s)
	}
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64)
	if err != nil || f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, fmt.Errorf("%w: %s is %s, not a page number", ErrUnfollowable, name, bytes.TrimSpace(raw))
	}
	return int(f), nil
}

func isNull(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null"
}

// kindOf names the JSON kind of b, for error messages.
func kindOf(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "empty"
	}
	switch c := b[0]; {
	case c == 'n':
		return "null"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == '"':
		return "a string"
	case c == '[':
		return "an array"
	case c == '{':
		return "an object"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	}
	return "not JSON"
}

// members are the top-level members of a page that carry paging signals.
type members struct {
	Pages       json.RawMessage `json:"pages"`
	ScrollParam json.RawMessage `json:"scroll_param"`
	HasMore     json.RawMessage `json:"has_more"`
}

// findMembers picks the paging members out of body. The decoding engine of
// the typed methods (internal/jsondec) skips the other members faster
// than topLevel's byte loop (BenchmarkRead); when it gives up or panics,
// as it may on a body that is not an object, topLevel
// walks the body instead. The engine matches keys as encoding/json does
// (case-insensitively), topLevel exactly.
func findMembers(body []byte) (members, error) {
	var m members
	if engineMembers(body, &m) == nil {
		return m, nil
	}
	m = members{}
	err := topLevel(body, func(key, value []byte) {
		switch string(key) {
		case "pages":
			m.Pages = value
		case "scroll_param":
			m.ScrollParam = value
		case "has_more":
			m.HasMore = value
		}
	})
	return m, err
}

var errEnginePanic = errors.New("intercom: paging: decoding engine panicked")

func engineMembers(body []byte, m *members) (err error) {
	defer func() {
		if recover() != nil {
			err = errEnginePanic
		}
	}()
	return jsondec.Unmarshal(body, m)
}
