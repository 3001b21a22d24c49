package intercomtest

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

type wirePages struct {
	Type       string    `json:"type"`
	Page       int       `json:"page"`
	PerPage    int       `json:"per_page"`
	TotalPages int       `json:"total_pages"`
	Next       *wireNext `json:"next,omitempty"` // only for cursor lists, absent on the last page
}

type wireNext struct {
	PerPage       int    `json:"per_page"`
	StartingAfter string `json:"starting_after"`
}

type wireList struct {
	Type       string     `json:"type"`
	Data       any        `json:"data"`
	TotalCount int        `json:"total_count"`
	Pages      *wirePages `json:"pages,omitempty"`
}

func totalPages(n, perPage int) int {
	if n == 0 {
		return 1 // an empty list is still one (empty) page
	}
	return (n + perPage - 1) / perPage
}

// pageParams reads page and per_page for page-number lists.
func (st *store) pageParams(q url.Values) (page, perPage int, e *apiError) {
	if page, e = intParam(q, "page", 1, 1, 1<<30); e != nil {
		return 0, 0, e
	}
	perPage, e = intParam(q, "per_page", st.pageSize, 1, maxPerPage)
	return page, perPage, e
}

// pageOf cuts one page out of items; a page past the end is empty, not an error.
func pageOf[T any](items []T, page, perPage int) ([]T, *wirePages) {
	start := min((page-1)*perPage, len(items))
	end := min(start+perPage, len(items))
	return items[start:end], &wirePages{
		Type: "pages", Page: page, PerPage: perPage, TotalPages: totalPages(len(items), perPage),
	}
}

// cursorPrefix marks our cursors. The cursor holds the creation sequence of
// the last contact shown, not its position, so deleting contacts while a
// client pages neither skips nor repeats anybody.
const cursorPrefix = "after:"

func encodeCursor(seq uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatUint(seq, 10)))
}

func decodeCursor(s string) (uint64, *apiError) {
	if s == "" {
		return 0, nil
	}
	bad := errf(http.StatusBadRequest, "parameter_invalid", "starting_after %q is not a cursor this server issued", s).on("starting_after")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, bad
	}
	num, ok := strings.CutPrefix(string(raw), cursorPrefix)
	if !ok {
		return 0, bad
	}
	seq, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, bad
	}
	return seq, nil
}

// cursorPage returns the contacts after the cursor, plus pages metadata
// whose next cursor is set only when more contacts follow.
func cursorPage(all []*contactRec, after uint64, perPage int) ([]*contactRec, *wirePages) {
	start := sort.Search(len(all), func(i int) bool { return all[i].seq > after })
	end := min(start+perPage, len(all))
	pg := &wirePages{Type: "pages", Page: start/perPage + 1, PerPage: perPage, TotalPages: totalPages(len(all), perPage)}
	if end < len(all) {
		pg.Next = &wireNext{PerPage: perPage, StartingAfter: encodeCursor(all[end-1].seq)}
	}
	return all[start:end], pg
}

func contactsData(recs []*contactRec) []wireContact {
	out := make([]wireContact, len(recs))
	for i, r := range recs {
		out[i] = r.wire()
	}
	return out
}

func companiesData(recs []*companyRec) []wireCompany {
	out := make([]wireCompany, len(recs))
	for i, r := range recs {
		out[i] = r.wire()
	}
	return out
}
