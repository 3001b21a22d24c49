package tests

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/allversions"
)

// shapeServer answers every list with 5 items, 2 a page, in one of the
// paging shapes Intercom uses (and a few it must not be silently stopped
// by), and records how each page was asked for.
type shapeServer struct {
	shape string
	mu    sync.Mutex
	asked []string // "starting_after=…", "page=…", "scroll_param=…", "body=…" or "first"
	// scrolled is how many items the open scroll has handed out.
	scrolled int
}

const shapeItems, shapePage = 5, 2

func (s *shapeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := r.URL.Query()
	start, asked := 0, "first"
	switch {
	case q.Get("starting_after") != "":
		asked = "starting_after=" + q.Get("starting_after")
		start = after(q.Get("starting_after"))
	case q.Get("page") != "":
		asked = "page=" + q.Get("page")
		n, _ := strconv.Atoi(q.Get("page"))
		start = (n - 1) * shapePage
	case q.Get("scroll_param") != "":
		asked = "scroll_param=" + q.Get("scroll_param")
	}
	if r.Method == http.MethodPost {
		var body struct {
			Pagination *struct {
				StartingAfter string `json:"starting_after"`
			} `json:"pagination"`
		}
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &body)
		if body.Pagination != nil && body.Pagination.StartingAfter != "" {
			asked = "body=" + body.Pagination.StartingAfter
			start = after(body.Pagination.StartingAfter)
		}
	}
	s.asked = append(s.asked, asked)
	if s.shape == "scroll" {
		start = s.scrolled
		s.scrolled = min(s.scrolled+shapePage, shapeItems)
	}
	end := min(start+shapePage, shapeItems)
	kind := "contact"
	if strings.Contains(r.URL.Path, "compan") {
		kind = "company"
	}
	var data []map[string]any
	for i := start; i < end; i++ {
		data = append(data, map[string]any{"type": kind, "id": fmt.Sprintf("id-%d", i+1)})
	}
	answer := map[string]any{"type": "list", "data": data}
	more := end < shapeItems
	page := start/shapePage + 1
	numbers := map[string]any{"type": "pages", "page": page, "per_page": shapePage, "total_pages": 3}
	cursor := fmt.Sprintf("after-%d", end)
	switch s.shape {
	case "cursor object", "search":
		if more {
			numbers["next"] = map[string]any{"per_page": shapePage, "starting_after": cursor}
		}
		answer["pages"] = numbers
	case "URL string":
		next := any(nil)
		if more {
			next = "https://api.intercom.io/contacts?per_page=2&starting_after=" + cursor
		}
		answer["pages"] = map[string]any{"type": "pages", "next": next}
	case "URL string with a page":
		next := any(nil)
		if more {
			next = fmt.Sprintf("https://api.intercom.io/companies?page=%d&per_page=2", page+1)
		}
		answer["pages"] = map[string]any{"type": "pages", "page": page, "next": next}
	case "page numbers", "search answered with page numbers":
		answer["pages"] = numbers
	case "URL string without a token":
		answer["pages"] = map[string]any{"type": "pages", "next": "https://api.intercom.io/contacts?per_page=2"}
	case "scroll":
		answer["pages"] = nil
		answer["scroll_param"] = "scroll-1"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answer)
}

func after(cursor string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(cursor, "after-"))
	return n
}

// Every iterator follows the paging signal the page carries, whatever its
// operation declares: a cursor object, a pages.next URL (its starting_after
// or its page), page numbers, a search body cursor and scroll; and fails,
// rather than stop early, on a page that says there is more in a shape it
// cannot follow. Loopback only, so it runs in make unit.
func TestIteratorsFollowEveryPagingShape(t *testing.T) {
	all := map[string]bool{}
	for i := 1; i <= shapeItems; i++ {
		all[fmt.Sprintf("id-%d", i)] = true
	}
	cases := []struct {
		shape, method, path, body string
		asked                     []string // how pages 2 and 3 (or the end of a scroll) were asked for
		unfollowable              bool
	}{
		{shape: "cursor object", method: "GET", path: "/contacts", asked: []string{"starting_after=after-2", "starting_after=after-4"}},
		{shape: "URL string", method: "GET", path: "/contacts", asked: []string{"starting_after=after-2", "starting_after=after-4"}},
		{shape: "URL string with a page", method: "GET", path: "/companies", asked: []string{"page=2", "page=3"}},
		{shape: "page numbers", method: "GET", path: "/contacts", asked: []string{"page=2", "page=3"}},
		{shape: "page numbers", method: "POST", path: "/companies/list", asked: []string{"page=2", "page=3"}},
		{shape: "search", method: "POST", path: "/contacts/search", body: `{"query":{"field":"email","operator":"~","value":"example"}}`,
			asked: []string{"body=after-2", "body=after-4"}},
		{shape: "scroll", method: "GET", path: "/companies/scroll", asked: []string{"scroll_param=scroll-1", "scroll_param=scroll-1", "scroll_param=scroll-1"}},
		{shape: "URL string without a token", method: "GET", path: "/contacts", unfollowable: true},
		{shape: "search answered with page numbers", method: "POST", path: "/contacts/search", body: `{"query":{"field":"email","operator":"~","value":"example"}}`, unfollowable: true},
	}
	versions := map[string]bool{"2.7": true, "2.14": true, "2.16": true, "Preview": true}
	tested := map[string]bool{}
	for _, p := range allversions.Packages {
		if !versions[p.Version] {
			continue
		}
		tested[p.Version] = true
		for _, c := range cases {
			t.Run(p.Version+"/"+c.shape+"/"+c.method+" "+c.path, func(t *testing.T) {
				name := iteratorFor(p, c.method, c.path)
				if name == "" {
					t.Fatalf("no iterator for %s %s", c.method, c.path)
				}
				srv := &shapeServer{shape: c.shape}
				hs := httptest.NewServer(srv)
				defer hs.Close()
				client, err := p.New(facade.WithToken("tok"), facade.WithBaseURL(hs.URL))
				if err != nil {
					t.Fatal(err)
				}
				w := walk(t, client, name, "x", c.body, "")
				if c.unfollowable {
					if len(w.errs) != 1 || !errors.Is(w.errs[0], facade.ErrUnfollowablePage) {
						t.Fatalf("errors %v, want one wrapping ErrUnfollowablePage", w.errs)
					}
					if !slices.Equal(w.ids, []string{"id-1", "id-2"}) {
						t.Errorf("yielded %v before the error, want the first page", w.ids)
					}
					t.Logf("%s: %v", name, w.errs[0])
					return
				}
				if len(w.errs) > 0 {
					t.Fatal(w.errs)
				}
				if problem := once(w.ids, all); problem != "" {
					t.Errorf("%s: %s (yielded %v)", name, problem, w.ids)
				}
				if want := append([]string{"first"}, c.asked...); !slices.Equal(srv.asked, want) {
					t.Errorf("%s asked %v, want %v", name, srv.asked, want)
				}
			})
		}
	}
	if len(tested) != len(versions) {
		t.Errorf("tested versions %v, want %v", tested, versions)
	}
}
