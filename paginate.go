package intercom

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
)

// ErrRepeatedCursor is yielded by Paginate when the API hands back a page
// token it already returned: following it would loop forever.
var ErrRepeatedCursor = errors.New("intercom: pagination cursor repeated")

// maxPages bounds every pagination loop, as a safety net against a server
// that keeps inventing new cursors.
const maxPages = 100_000

// Pager describes one paginated listing to Paginate. The four pagination
// styles of the API (page numbers, a cursor in the query, a cursor in a
// search body, scroll) differ only in how Fetch sends the token and how
// Next finds the following one.
type Pager[P any, Item any] struct {
	// Fetch gets a page; token is "" for the first page, otherwise a
	// value returned by Next.
	Fetch func(ctx context.Context, token string) (*P, error)
	// Items returns the page's items.
	Items func(*P) []Item
	// Next returns the token of the following page, or "" after the last.
	Next func(*P) string
	// Scroll is set for the scroll style, where every page may carry the
	// same token and the end is a page without items.
	Scroll bool
}

// Paginate yields every item of every page. On an error it yields the zero
// Item with the error once and stops. It stops when the consumer breaks out
// of the loop, when ctx is done, when a non-scroll cursor repeats
// (ErrRepeatedCursor) and after a safety cap of 100,000 pages.
func Paginate[P any, Item any](ctx context.Context, p Pager[P, Item]) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		var zero Item
		fail := func(err error) { yield(zero, err) }
		seen := map[string]bool{}
		token := ""
		for range maxPages {
			if err := ctx.Err(); err != nil {
				fail(err)
				return
			}
			page, err := p.Fetch(ctx, token)
			if err != nil {
				fail(err)
				return
			}
			if page == nil {
				return
			}
			items := p.Items(page)
			if p.Scroll && len(items) == 0 {
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			next := p.Next(page)
			if next == "" {
				return
			}
			if !p.Scroll {
				if seen[next] {
					fail(fmt.Errorf("%w: %q", ErrRepeatedCursor, next))
					return
				}
				seen[next] = true
			}
			token = next
		}
		fail(fmt.Errorf("intercom: pagination stopped after %d pages (safety limit)", maxPages))
	}
}

// NextPageNumber is Pager.Next for the page-number style: the number of
// the following page, or "" on the last page.
func NextPageNumber(page, totalPages int) string {
	if page >= totalPages {
		return ""
	}
	return strconv.Itoa(page + 1)
}

// PageNumber parses a page-number token produced by NextPageNumber. The
// generated iterators of page-numbered lists use it to set the page
// parameter of the next request.
func PageNumber(token string) (int, error) {
	n, err := strconv.Atoi(token)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("intercom: invalid page token %q", token)
	}
	return n, nil
}

// NextPageToken is Pager.Next for GET lists whose answers may carry a
// cursor (pages.next.starting_after), page numbers (pages.page and
// pages.total_pages), or both: Intercom answers some lists described with
// a cursor (a company's contacts) with page numbers only, and an iterator
// that looked only for the cursor stopped after the first page. The token
// names the signal it came from; "" means there is no further page.
func NextPageToken(cursor string, page, totalPages int) string {
	if cursor != "" {
		return "cursor:" + cursor
	}
	if n := NextPageNumber(page, totalPages); n != "" {
		return "page:" + n
	}
	return ""
}

// PageTokenQuery is the query parameter that asks for the page a
// NextPageToken token names: starting_after for a cursor, page for a page
// number.
func PageTokenQuery(token string) (CallOption, error) {
	if cursor, ok := strings.CutPrefix(token, "cursor:"); ok && cursor != "" {
		return CallQuery("starting_after", cursor), nil
	}
	if n, ok := strings.CutPrefix(token, "page:"); ok {
		if _, err := PageNumber(n); err == nil {
			return CallQuery("page", n), nil
		}
	}
	return nil, fmt.Errorf("intercom: invalid page token %q", token)
}
