// Package paging walks Intercom's paged lists for the generated iterators
// (the …All methods of every version package). It is plumbing: the root
// package re-exports what a caller needs (ErrRepeatedCursor).
//
// Intercom pages in four ways: a cursor in the query (starting_after, from
// pages.next.starting_after), page numbers (page, from pages.page and
// pages.total_pages), a cursor in a search body (pagination.starting_after,
// from the same pages.next) and scroll (scroll_param, until a page comes
// back empty). Its answers do not always match what the descriptions
// declare: a list described with a cursor is answered with page numbers
// only, pages.next arrives as a URL string where an object is declared. So
// an iterator does not decide from the description how to find the next
// page: after every page, All reads the paging members of the body the
// server sent (Signals) and follows whichever one says there is more. It
// stops only when none does, and fails, rather than stop early, when a
// page says there is more in a shape it cannot follow.
package paging

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
)

// ErrRepeatedCursor is yielded when the API hands back a page token it
// already returned: following it would loop forever. The root package
// exports it as intercom.ErrRepeatedCursor.
var ErrRepeatedCursor = errors.New("intercom: pagination cursor repeated")

// ErrUnfollowable is wrapped by the error yielded when a page says there is
// more in a shape the iterator cannot follow (a pages.next URL naming
// neither starting_after nor page, has_more without a cursor, page numbers
// for a search that pages by body cursor…).
var ErrUnfollowable = errors.New("intercom: the page says there is more, in a shape the iterator cannot follow")

// maxPages bounds every pagination loop, as a safety net against a server
// that keeps inventing new cursors.
const maxPages = 100_000

// Kind is how a Token asks for the next page.
type Kind uint8

const (
	First  Kind = iota // the first page: nothing to set
	Cursor             // starting_after (query, or pagination.starting_after in a search body)
	Page               // page (query)
	Scroll             // scroll_param (query)
)

func (k Kind) String() string {
	return [...]string{"first page", "cursor", "page number", "scroll"}[k]
}

// queryKey is the query parameter each kind of token is sent in.
var queryKey = [...]string{Cursor: "starting_after", Page: "page", Scroll: "scroll_param"}

// Token names the page to fetch: the zero Token is the first page.
type Token struct {
	Kind  Kind
	Value string // the cursor, the page number in decimal, or the scroll param
	// PerPage is the page size the previous page reported (pages.per_page),
	// 0 when it reported none: a search whose body must carry a page size
	// keeps the one the server used.
	PerPage int
}

func (t Token) String() string {
	if t.Kind == First {
		return "first page"
	}
	return fmt.Sprintf("%s %q", t.Kind, t.Value)
}

// Query is the query parameter that asks for the page t names; ok is false
// for the first page, which needs none. The generated iterators turn it
// into a call option (intercom.CallQuery), which replaces a value the
// caller's params set.
func (t Token) Query() (key, value string, ok bool) {
	if t.Kind == First {
		return "", "", false
	}
	return queryKey[t.Kind], t.Value, true
}

// AppendQuery returns opts plus, after the first page, the call option
// that query (intercom.CallQuery) makes of t's query parameter. opts itself
// is never written to.
func AppendQuery[O any](opts []O, t Token, query func(key, value string) O) []O {
	key, value, ok := t.Query()
	if !ok {
		return opts
	}
	return append(slices.Clip(opts), query(key, value))
}

// BodyCursor is the pagination.starting_after a search sends for the page
// t names: "" for the first page. A search pages by cursor only, so any
// other kind of token is an error wrapping ErrUnfollowable.
func (t Token) BodyCursor() (string, error) {
	switch t.Kind {
	case First:
		return "", nil
	case Cursor:
		return t.Value, nil
	}
	return "", fmt.Errorf("%w: it asks for the next page by %s, but a search pages with pagination.starting_after only", ErrUnfollowable, t)
}

// Lister describes one paged listing to All.
type Lister[P any, Item any] struct {
	// Name names the listing in All's own errors ("ListContactsAll").
	Name string
	// Fetch gets the page next names (the zero Token for the first). It
	// must make its request with the context it is given: the typed
	// method's response path hands the body to Record through it.
	Fetch func(ctx context.Context, next Token) (*P, error)
	// Items returns the page's items.
	Items func(*P) []Item
}

// All yields every item of every page. On an error it yields the zero Item
// with the error once and stops. It stops when the consumer breaks out of
// the loop, when ctx is done, when no paging signal of a page says there is
// more, when a cursor or page number repeats (ErrRepeatedCursor), and after
// a safety cap of 100,000 pages. A scroll ends with its first empty page.
//
// All is instantiated for every listing of every version package, so its
// generic part only fetches a page and yields its items; walking the pages
// (walk) is compiled once. It is not inlined: inlined, its closures were
// compiled again into every iterator method, beside the instantiation
// (issue 21: the compile time of a version package).
//
//go:noinline
func All[P any, Item any](ctx context.Context, l Lister[P, Item]) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		var items []Item
		fetch := func(ctx context.Context, next Token) (int, error) {
			page, err := l.Fetch(ctx, next)
			items = nil
			if err == nil && page != nil {
				items = l.Items(page)
			}
			return len(items), err
		}
		each := func(i int) bool { return yield(items[i], nil) }
		if err := walk(ctx, l.Name, fetch, each); err != nil {
			var zero Item
			yield(zero, err)
		}
	}
}

// walk is All's loop over the pages: fetch gets the page next names and
// returns how many items it has, each(i) yields the i-th of them and
// reports whether the consumer wants more. walk returns the error All
// yields, or nil when the listing ended or the consumer stopped.
func walk(ctx context.Context, name string, fetch func(ctx context.Context, next Token) (int, error), each func(i int) bool) error {
	pages := 0
	// here is for walk's own errors, which say where they happened;
	// fetch's errors (a typed method's) name their operation.
	here := func(err error) error {
		if name != "" {
			err = fmt.Errorf("%w (%s, page %d)", err, name, pages)
		}
		return err
	}
	seen := map[Token]bool{}
	next := Token{}
	for range maxPages {
		if err := ctx.Err(); err != nil {
			return err
		}
		pages++ // the page being fetched
		rec := &recorder{}
		n, err := fetch(context.WithValue(ctx, recorderKey{}, rec), next)
		if errors.Is(err, ErrUnfollowable) { // a token fetch cannot send (Token.BodyCursor)
			return here(err)
		}
		if err != nil {
			return err
		}
		if !rec.done {
			return here(errors.New("intercom: paging: the page's response body did not reach the iterator"))
		}
		// A page whose signals cannot be read still yields its items;
		// the error comes after them.
		sig, sigErr := Read(rec.body)
		if sigErr == nil && next.Kind == Page && sig.Page != 0 && strconv.Itoa(sig.Page) != next.Value {
			// A server that ignores page would hand back the first page
			// again and again, each item yielded once per page.
			return here(fmt.Errorf("%w: asked for page %s, the answer is page %d", ErrUnfollowable, next.Value, sig.Page))
		}
		if sigErr == nil && sig.Next.Kind == Scroll && n == 0 {
			return nil
		}
		for i := range n {
			if !each(i) {
				return nil
			}
		}
		if sigErr == nil && next.Kind == Cursor && sig.ByCount {
			// A walk that followed cursors ends where the cursor does;
			// page numbers would lead back into pages already walked,
			// and every item on them would come twice.
			sigErr = fmt.Errorf("%w: the cursor ended on page %d, but pages.total_pages says there are more", ErrUnfollowable, sig.Page)
		}
		if sigErr != nil {
			return here(sigErr)
		}
		sig.Next.PerPage = sig.PerPage
		if sig.Next.Kind == First {
			return nil
		}
		if sig.Next.Kind != Scroll { // a scroll may hand back the same param on every page
			if seen[sig.Next] {
				return here(fmt.Errorf("%w: %s", ErrRepeatedCursor, sig.Next))
			}
			seen[sig.Next] = true
		}
		next = sig.Next
	}
	return here(fmt.Errorf("intercom: pagination stopped after %d pages (safety limit)", maxPages))
}

// recorder receives the body of the page being fetched.
type recorder struct {
	body []byte
	done bool
}

type recorderKey struct{}

// Record hands a 2xx response body to the iterator whose Fetch made the
// request with ctx, if any; the response path of the typed methods calls
// it for every decoded body. The iterator only reads body.
func Record(ctx context.Context, body []byte) {
	if r, _ := ctx.Value(recorderKey{}).(*recorder); r != nil {
		r.body, r.done = body, true
	}
}
