package intercomtest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestSeedList(t *testing.T) {
	s := NewServer(t, WithPageSize(2))
	// A list the fake answers from its schema, and a stored collection.
	for _, path := range []string{"/admins/activity_logs", "/help_center/collections"} {
		ids, err := s.SeedList("2.16", "GET", path, "", 3)
		if err != nil || len(ids) != 3 {
			t.Fatalf("%s: %v %v", path, ids, err)
		}
		req, _ := http.NewRequest("GET", s.URL()+path+"?created_at_after=1", nil)
		req.Header.Set("Authorization", "Bearer "+s.Token())
		req.Header.Set("Intercom-Version", "2.16")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Pages struct {
				TotalPages int `json:"total_pages"`
				Next       struct {
					StartingAfter string `json:"starting_after"`
				} `json:"next"`
			} `json:"pages"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || page.Pages.TotalPages != 2 || page.Pages.Next.StartingAfter == "" {
			t.Errorf("%s: status %d, %+v, %v", path, resp.StatusCode, page, err)
		}
	}
	for _, c := range []struct{ version, method, path, want string }{
		{"2.16", "GET", "/contacts", "AddContact"},
		{"2.16", "GET", "/companies/{company_id}/contacts", "AddContact"},
		{"2.16", "GET", "/nowhere", "has no"},
		{"1.0", "GET", "/contacts", "no version"},
		{"2.16", "GET", "/me", "own handlers"},
	} {
		if _, err := s.SeedList(c.version, c.method, c.path, "", 1); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("SeedList(%s %s %s): %v, want an error about %q", c.version, c.method, c.path, err, c.want)
		}
	}
}
