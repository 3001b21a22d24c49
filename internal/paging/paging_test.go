package paging

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// fake serves bodies by the token asked for and records the tokens.
type fake struct {
	bodies  map[Token]string
	asked   []Token
	perPage []int // the PerPage of each token asked for
	fail    map[Token]error
}

type fakePage struct{ Items []int }

func (f *fake) lister() Lister[fakePage, int] {
	return Lister[fakePage, int]{
		Fetch: func(ctx context.Context, next Token) (*fakePage, error) {
			f.perPage = append(f.perPage, next.PerPage)
			next.PerPage = 0
			f.asked = append(f.asked, next)
			if err := f.fail[next]; err != nil {
				return nil, err
			}
			body, ok := f.bodies[next]
			if !ok {
				return nil, fmt.Errorf("no page for %v", next)
			}
			Record(ctx, []byte(body))
			var p fakePage
			for _, s := range strings.Fields(strings.TrimSpace(between(body, `"items":[`, `]`))) {
				var n int
				fmt.Sscan(strings.Trim(s, ","), &n)
				p.Items = append(p.Items, n)
			}
			return &p, nil
		},
		Items: func(p *fakePage) []int { return p.Items },
	}
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(after, to)
	return strings.ReplaceAll(in, ",", " ")
}

func collect(seq func(func(int, error) bool)) ([]int, []error) {
	var items []int
	var errs []error
	for it, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, it)
	}
	return items, errs
}

func cursor(c string) Token { return Token{Kind: Cursor, Value: c} }
func page(n string) Token   { return Token{Kind: Page, Value: n} }
func scroll(s string) Token { return Token{Kind: Scroll, Value: s} }

func TestAllFollowsEachShape(t *testing.T) {
	cases := []struct {
		name   string
		bodies map[Token]string
		asked  []Token
	}{
		{"cursor object", map[Token]string{
			{}:           `{"items":[1,2],"pages":{"page":1,"total_pages":3,"next":{"page":2,"starting_after":"c1"}}}`,
			cursor("c1"): `{"items":[],"pages":{"page":2,"total_pages":3,"next":{"starting_after":"c2"}}}`, // an empty page in the middle does not end it
			cursor("c2"): `{"items":[3],"pages":{"page":3,"total_pages":3,"next":null}}`,
		}, []Token{{}, cursor("c1"), cursor("c2")}},
		{"URL string", map[Token]string{
			{}:             `{"items":[1],"pages":{"next":"https://api.intercom.io/contacts?per_page=1&starting_after=WzE%3D"}}`,
			cursor("WzE="): `{"items":[2],"pages":{"next":"https://api.intercom.io/companies?page=3&per_page=1"}}`,
			page("3"):      `{"items":[3],"pages":{"page":3,"next":""}}`,
		}, []Token{{}, cursor("WzE="), page("3")}},
		{"page numbers", map[Token]string{
			{}:        `{"items":[1],"pages":{"type":"pages","page":1,"per_page":1,"total_pages":3}}`,
			page("2"): `{"items":[2],"pages":{"type":"pages","page":"2","per_page":1,"total_pages":3}}`,
			page("3"): `{"items":[3],"pages":{"type":"pages","page":3,"per_page":1,"total_pages":3}}`,
		}, []Token{{}, page("2"), page("3")}},
		{"scroll", map[Token]string{
			{}:          `{"items":[1,2],"pages":null,"scroll_param":"s"}`,
			scroll("s"): `{"items":[],"scroll_param":"s"}`,
		}, []Token{{}, scroll("s")}},
		{"has_more false", map[Token]string{
			{}: `{"items":[1,2,3],"has_more":false}`,
		}, []Token{{}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fake{bodies: c.bodies}
			items, errs := collect(All(context.Background(), f.lister()))
			if errs != nil {
				t.Fatal(errs)
			}
			if c.name == "scroll" {
				if !slices.Equal(items, []int{1, 2}) {
					t.Errorf("items %v", items)
				}
			} else if !slices.Equal(items, []int{1, 2, 3}) {
				t.Errorf("items %v", items)
			}
			if !slices.Equal(f.asked, c.asked) {
				t.Errorf("asked %v, want %v", f.asked, c.asked)
			}
		})
	}
}

// A scroll hands back the same param on every page: that is no loop.
func TestAllScrollRepeatsItsParam(t *testing.T) {
	n := 0
	l := Lister[fakePage, int]{
		Fetch: func(ctx context.Context, next Token) (*fakePage, error) {
			if n > 0 && next != scroll("s") {
				t.Fatalf("page %d asked %v", n, next)
			}
			n++
			if n > 3 {
				Record(ctx, []byte(`{"scroll_param":"s","data":[]}`))
				return &fakePage{}, nil
			}
			Record(ctx, []byte(`{"scroll_param":"s","data":[0]}`))
			return &fakePage{Items: []int{n}}, nil
		},
		Items: func(p *fakePage) []int { return p.Items },
	}
	items, errs := collect(All(context.Background(), l))
	if !slices.Equal(items, []int{1, 2, 3}) || errs != nil {
		t.Errorf("items %v errs %v", items, errs)
	}
}

func TestAllFailsRatherThanStopEarly(t *testing.T) {
	cases := []struct {
		name, body string
		want       error
	}{
		{"URL without a token", `{"items":[1],"pages":{"next":"https://api.intercom.io/contacts?per_page=1"}}`, ErrUnfollowable},
		{"string that is no URL", `{"items":[1],"pages":{"next":"WzEsMl0="}}`, ErrUnfollowable},
		{"next of another kind", `{"items":[1],"pages":{"next":42}}`, ErrUnfollowable},
		{"cursor of another kind", `{"items":[1],"pages":{"next":{"starting_after":7}}}`, ErrUnfollowable},
		{"next without cursor or page", `{"items":[1],"pages":{"next":{"after":"x"}}}`, ErrUnfollowable},
		{"has_more alone", `{"items":[1],"has_more":true}`, ErrUnfollowable},
		{"pages not an object", `{"items":[1],"pages":"2"}`, ErrUnfollowable},
		{"page not a number", `{"items":[1],"pages":{"page":"one","total_pages":3}}`, ErrUnfollowable},
		{"scroll_param not a string", `{"items":[1],"scroll_param":3}`, ErrUnfollowable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fake{bodies: map[Token]string{{}: c.body}}
			items, errs := collect(All(context.Background(), f.lister()))
			if len(errs) != 1 || !errors.Is(errs[0], c.want) {
				t.Fatalf("errs %v, want one wrapping %v", errs, c.want)
			}
			if !slices.Equal(items, []int{1}) {
				t.Errorf("items %v, want the page's items before the error", items)
			}
		})
	}
}

func TestAllRepeatedCursor(t *testing.T) {
	f := &fake{bodies: map[Token]string{
		{}:           `{"items":[1],"pages":{"next":{"starting_after":"c1"}}}`,
		cursor("c1"): `{"items":[2],"pages":{"next":{"starting_after":"c1"}}}`,
	}}
	items, errs := collect(All(context.Background(), f.lister()))
	if !slices.Equal(items, []int{1, 2}) || len(errs) != 1 || !errors.Is(errs[0], ErrRepeatedCursor) {
		t.Errorf("items %v errs %v", items, errs)
	}
}

// A server that ignores page answers page 1 again: an error, not the same
// items yielded once per page.
func TestAllPageIgnored(t *testing.T) {
	first := `{"items":[1],"pages":{"page":1,"total_pages":3}}`
	f := &fake{bodies: map[Token]string{{}: first, page("2"): first}}
	items, errs := collect(All(context.Background(), f.lister()))
	if !slices.Equal(items, []int{1}) || len(errs) != 1 || !errors.Is(errs[0], ErrUnfollowable) {
		t.Errorf("items %v errs %v", items, errs)
	}
}

func TestAllFetchError(t *testing.T) {
	boom := errors.New("boom")
	f := &fake{
		bodies: map[Token]string{{}: `{"items":[1],"pages":{"next":{"starting_after":"c1"}}}`},
		fail:   map[Token]error{cursor("c1"): boom},
	}
	items, errs := collect(All(context.Background(), f.lister()))
	if !slices.Equal(items, []int{1}) || len(errs) != 1 || !errors.Is(errs[0], boom) {
		t.Errorf("items %v errs %v", items, errs)
	}
}

func TestAllUnrecordedBody(t *testing.T) {
	l := Lister[fakePage, int]{
		Fetch: func(ctx context.Context, _ Token) (*fakePage, error) { return &fakePage{Items: []int{1}}, nil },
		Items: func(p *fakePage) []int { return p.Items },
	}
	_, errs := collect(All(context.Background(), l))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "did not reach") {
		t.Errorf("errs %v", errs)
	}
}

func TestAllStops(t *testing.T) {
	f := &fake{bodies: map[Token]string{
		{}:           `{"items":[1,2],"pages":{"next":{"starting_after":"c1"}}}`,
		cursor("c1"): `{"items":[3]}`,
	}}
	for range All(context.Background(), f.lister()) {
		break
	}
	if len(f.asked) != 1 {
		t.Errorf("breaking out fetched %v", f.asked)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, errs := collect(All(ctx, f.lister()))
	if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("errs %v", errs)
	}
}

func TestTokenRequests(t *testing.T) {
	type opt struct{ k, v string }
	query := func(k, v string) opt { return opt{k, v} }
	base := make([]opt, 1, 4)
	for tok, want := range map[Token]string{
		{}:          "",
		cursor("c"): "starting_after=c",
		page("2"):   "page=2",
		scroll("s"): "scroll_param=s",
	} {
		got := AppendQuery(base, tok, query)
		if want == "" {
			if len(got) != 1 {
				t.Errorf("%v: %v", tok, got)
			}
			continue
		}
		if len(got) != 2 || got[1].k+"="+got[1].v != want {
			t.Errorf("%v: %v, want %s", tok, got, want)
		}
		if base[:2][1] != (opt{}) {
			t.Errorf("AppendQuery wrote into the caller's slice")
		}
	}
	if c, err := cursor("c").BodyCursor(); c != "c" || err != nil {
		t.Errorf("BodyCursor: %q %v", c, err)
	}
	if c, err := (Token{}).BodyCursor(); c != "" || err != nil {
		t.Errorf("BodyCursor first: %q %v", c, err)
	}
	if _, err := page("2").BodyCursor(); !errors.Is(err, ErrUnfollowable) {
		t.Errorf("BodyCursor of a page number: %v", err)
	}
}

func TestReadSkipsItems(t *testing.T) {
	body := `{"type":"list","data":[{"id":"1","name":"a \"quoted\" } ] name","tags":{"data":[]}},{"id":"2\\\\"}],` +
		`"total_count":2, "pages" : {"next":{"starting_after":"x"}},"extra":[1,{"pages":{"next":{"starting_after":"inner"}}}]}`
	s, err := Read([]byte(body))
	if err != nil || s.Next != cursor("x") {
		t.Errorf("Read: %+v %v", s, err)
	}
	for _, bad := range []string{`{"a":`, `{"a":"x}`, `{"a" 1}`, `{"a":[1,2}`, `{"a":1 "b":2}`} {
		if _, err := Read([]byte(bad)); err == nil {
			t.Errorf("Read(%s): no error", bad)
		}
	}
	for _, none := range []string{``, `[]`, `{}`, `null`, `{"data":[]}`, `{"pages":null}`, `{"pages":{"next":null,"page":3,"total_pages":3}}`, `{"pages":{"next":{}}}`} {
		if s, err := Read([]byte(none)); err != nil || s.Next != (Token{}) {
			t.Errorf("Read(%s): %+v %v", none, s, err)
		}
	}
	// An escaped key is still the key.
	if s, err := Read([]byte(`{"p\u0061ges":{"next":{"starting_after":"y"}}}`)); err != nil || s.Next != cursor("y") {
		t.Errorf("escaped key: %+v %v", s, err)
	}
}

// After a cursor, a page that only counts pages (no next) is an error, not
// a jump back to page numbers that would yield items twice.
func TestAllCursorThenCount(t *testing.T) {
	f := &fake{bodies: map[Token]string{
		{}:           `{"items":[1],"pages":{"page":1,"total_pages":3,"next":{"starting_after":"c1"}}}`,
		cursor("c1"): `{"items":[2],"pages":{"page":1,"total_pages":3}}`,
	}}
	items, errs := collect(All(context.Background(), f.lister()))
	if !slices.Equal(items, []int{1, 2}) || len(errs) != 1 || !errors.Is(errs[0], ErrUnfollowable) {
		t.Errorf("items %v errs %v", items, errs)
	}
}

// The page size a page reports travels with the token of the next one.
func TestAllCarriesPerPage(t *testing.T) {
	f := &fake{bodies: map[Token]string{
		{}:           `{"items":[1],"pages":{"per_page":1,"next":{"starting_after":"c1"}}}`,
		cursor("c1"): `{"items":[2],"pages":{"per_page":1}}`,
	}}
	if _, errs := collect(All(context.Background(), f.lister())); errs != nil {
		t.Fatal(errs)
	}
	if !slices.Equal(f.perPage, []int{0, 1}) {
		t.Errorf("PerPage of the tokens: %v", f.perPage)
	}
}

// The engine and the byte loop find the same members.
func TestFindMembersEngineMatchesScan(t *testing.T) {
	bodies := []string{
		`{"type":"list","data":[{"id":"1","s":"a \\\" } ]"}],"pages":{"next":{"starting_after":"x"}},"scroll_param":"s","has_more":true}`,
		`{"pages":null}`, `{}`, `{"data":[],"pages":{"page":1,"total_pages":2}, "has_more" : false }`,
		`{"p\u0061ges":{"next":"https://x.test/?page=2"}}`,
	}
	for _, b := range bodies {
		var fast members
		if err := engineMembers([]byte(b), &fast); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		var slow members
		if err := topLevel([]byte(b), func(k, v []byte) {
			switch string(k) {
			case "pages":
				slow.Pages = v
			case "scroll_param":
				slow.ScrollParam = v
			case "has_more":
				slow.HasMore = v
			}
		}); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		norm := func(r []byte) string {
			if isNull(r) {
				return "null"
			}
			return strings.TrimSpace(string(r))
		}
		if norm(fast.Pages) != norm(slow.Pages) || norm(fast.ScrollParam) != norm(slow.ScrollParam) || norm(fast.HasMore) != norm(slow.HasMore) {
			t.Errorf("%s: engine %q %q %q, scan %q %q %q", b, fast.Pages, fast.ScrollParam, fast.HasMore, slow.Pages, slow.ScrollParam, slow.HasMore)
		}
	}
}

func TestAllNamesItselfInItsErrors(t *testing.T) {
	f := &fake{bodies: map[Token]string{{}: `{"items":[1],"has_more":true}`}}
	l := f.lister()
	l.Name = "ListThingsAll"
	_, errs := collect(All(context.Background(), l))
	if len(errs) != 1 || !errors.Is(errs[0], ErrUnfollowable) || !strings.HasSuffix(errs[0].Error(), "(ListThingsAll, page 1)") {
		t.Errorf("errs %v", errs)
	}
}
