package intercom

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

type page struct {
	Items []int
	Next  string
}

// pages serves pages by token and records the tokens asked for.
type pages struct {
	byToken map[string]*page
	asked   []string
	fail    map[string]error
}

func (p *pages) pager(scroll bool) Pager[page, int] {
	return Pager[page, int]{
		Fetch: func(ctx context.Context, token string) (*page, error) {
			p.asked = append(p.asked, token)
			if err := p.fail[token]; err != nil {
				return nil, err
			}
			return p.byToken[token], nil
		},
		Items:  func(pg *page) []int { return pg.Items },
		Next:   func(pg *page) string { return pg.Next },
		Scroll: scroll,
	}
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

func TestPaginateCursor(t *testing.T) {
	p := &pages{byToken: map[string]*page{
		"":   {Items: []int{1, 2}, Next: "c1"},
		"c1": {Items: nil, Next: "c2"}, // an empty page in the middle does not end a cursor listing
		"c2": {Items: []int{3}},
	}}
	items, errs := collect(Paginate(context.Background(), p.pager(false)))
	if !slices.Equal(items, []int{1, 2, 3}) || errs != nil || !slices.Equal(p.asked, []string{"", "c1", "c2"}) {
		t.Errorf("items %v errs %v asked %v", items, errs, p.asked)
	}
}

func TestPaginatePageNumbers(t *testing.T) {
	const total = 3
	pager := Pager[struct{ Page, Total int }, int]{
		Fetch: func(_ context.Context, token string) (*struct{ Page, Total int }, error) {
			n := 1
			if token != "" {
				var err error
				if n, err = PageNumber(token); err != nil {
					return nil, err
				}
			}
			return &struct{ Page, Total int }{n, total}, nil
		},
		Items: func(p *struct{ Page, Total int }) []int { return []int{p.Page * 10} },
		Next:  func(p *struct{ Page, Total int }) string { return NextPageNumber(p.Page, p.Total) },
	}
	items, errs := collect(Paginate(context.Background(), pager))
	if !slices.Equal(items, []int{10, 20, 30}) || errs != nil {
		t.Errorf("items %v errs %v", items, errs)
	}
}

func TestPaginateEarlyBreak(t *testing.T) {
	p := &pages{byToken: map[string]*page{"": {Items: []int{1, 2}, Next: "c1"}, "c1": {Items: []int{3}}}}
	for it, err := range Paginate(context.Background(), p.pager(false)) {
		if err != nil || it != 1 {
			t.Fatal(it, err)
		}
		break
	}
	if len(p.asked) != 1 {
		t.Errorf("fetched %v after break", p.asked)
	}
}

func TestPaginateErrorMidway(t *testing.T) {
	boom := errors.New("boom")
	p := &pages{
		byToken: map[string]*page{"": {Items: []int{1}, Next: "c1"}, "c2": {Items: []int{9}}},
		fail:    map[string]error{"c1": boom},
	}
	items, errs := collect(Paginate(context.Background(), p.pager(false)))
	if !slices.Equal(items, []int{1}) || len(errs) != 1 || !errors.Is(errs[0], boom) {
		t.Errorf("items %v errs %v", items, errs)
	}
}

func TestPaginateRepeatedCursor(t *testing.T) {
	p := &pages{byToken: map[string]*page{
		"":   {Items: []int{1}, Next: "c1"},
		"c1": {Items: []int{2}, Next: "c2"},
		"c2": {Items: []int{3}, Next: "c1"},
	}}
	items, errs := collect(Paginate(context.Background(), p.pager(false)))
	if !slices.Equal(items, []int{1, 2, 3}) || len(errs) != 1 || !errors.Is(errs[0], ErrRepeatedCursor) || !strings.Contains(errs[0].Error(), `"c1"`) {
		t.Errorf("items %v errs %v", items, errs)
	}
}

func TestPaginateScroll(t *testing.T) {
	batches := [][]int{{1, 2}, {3}, {}}
	n := 0
	pager := Pager[page, int]{
		Fetch: func(_ context.Context, token string) (*page, error) {
			if (n == 0) != (token == "") {
				t.Errorf("fetch %d with token %q", n, token)
			}
			pg := &page{Items: batches[n], Next: "same-scroll"}
			n++
			return pg, nil
		},
		Items:  func(pg *page) []int { return pg.Items },
		Next:   func(pg *page) string { return pg.Next },
		Scroll: true,
	}
	items, errs := collect(Paginate(context.Background(), pager))
	if !slices.Equal(items, []int{1, 2, 3}) || errs != nil || n != 3 {
		t.Errorf("items %v errs %v fetches %d", items, errs, n)
	}
}

func TestPaginateContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := &pages{byToken: map[string]*page{"": {Items: []int{1}, Next: "c1"}, "c1": {Items: []int{2}}}}
	var errs []error
	for it, err := range Paginate(ctx, p.pager(false)) {
		if err != nil {
			errs = append(errs, err)
		} else if it == 1 {
			cancel()
		}
	}
	if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) || len(p.asked) != 1 {
		t.Errorf("errs %v asked %v", errs, p.asked)
	}
	// A nil page ends the listing.
	p = &pages{byToken: map[string]*page{}}
	if items, errs := collect(Paginate(context.Background(), p.pager(false))); items != nil || errs != nil {
		t.Errorf("nil page: %v %v", items, errs)
	}
}

func TestNextPageNumber(t *testing.T) {
	for _, c := range []struct {
		page, total int
		want        string
	}{{1, 3, "2"}, {2, 3, "3"}, {3, 3, ""}, {4, 3, ""}, {1, 0, ""}, {0, 1, "1"}} {
		if got := NextPageNumber(c.page, c.total); got != c.want {
			t.Errorf("NextPageNumber(%d, %d) = %q", c.page, c.total, got)
		}
	}
}
