package intercomtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	srv := NewServer(t)
	ct := srv.AddContact(Contact{Email: "f@faults.test"})

	// Per route, by operationId, counted.
	srv.InjectFault("ShowContact", Fault{Status: http.StatusServiceUnavailable, Times: 1})
	failure(t, do(t, srv, "GET", "/contacts/"+ct.ID, nil), http.StatusServiceUnavailable, "service_unavailable")
	ok[map[string]any](t, do(t, srv, "GET", "/contacts/"+ct.ID, nil))

	// By method and template; other routes are untouched.
	remove := srv.InjectFault("GET /contacts/{contact_id}", Fault{Status: http.StatusTooManyRequests, RetryAfter: 3 * time.Second})
	a := do(t, srv, "GET", "/contacts/"+ct.ID, nil, header("Intercom-Version", "2.16"))
	failure(t, a, http.StatusTooManyRequests, "rate_limit_exceeded")
	if a.header.Get("X-RateLimit-Remaining") != "0" || a.header.Get("X-RateLimit-Reset") == "" || a.header.Get("Retry-After") != "3" {
		t.Errorf("429 headers %v", a.header)
	}
	ok[map[string]any](t, do(t, srv, "GET", "/contacts", nil))
	remove()
	ok[map[string]any](t, do(t, srv, "GET", "/contacts/"+ct.ID, nil))

	// Malformed bodies.
	srv.InjectFault("GET /admins", Fault{Malformed: true, Times: 1})
	a = do(t, srv, "GET", "/admins", nil)
	if a.status != http.StatusOK || bytes.HasSuffix(bytes.TrimSpace(a.body), []byte("}")) {
		t.Errorf("malformed answer: %d %s", a.status, a.body)
	}

	// Delays.
	srv.InjectFault("*", Fault{Delay: 150 * time.Millisecond, Times: 1})
	start := time.Now()
	ok[map[string]any](t, do(t, srv, "GET", "/me", nil))
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("delayed answer came after %v", d)
	}

	// Connection resets: the client sees a transport error, not an answer.
	srv.InjectFault("*", Fault{Reset: true, Times: 1})
	req, _ := http.NewRequest("GET", srv.URL()+"/me", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	// A fresh connection: Go retries a GET whose reused connection breaks.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := fresh.Do(req)
	if err == nil {
		res.Body.Close()
		t.Fatalf("reset: got status %d", res.StatusCode)
	}
	ok[map[string]any](t, do(t, srv, "GET", "/me", nil))

	srv.InjectFault("*", Fault{Status: 500})
	failure(t, do(t, srv, "GET", "/me", nil), 500, "server_error")
	srv.ClearFaults()
	ok[map[string]any](t, do(t, srv, "GET", "/me", nil))
}

func TestStateSaveLoad(t *testing.T) {
	srv := NewServer(t)
	// Numeric: 2.16 types the contact id of the notes routes as an integer.
	ct := srv.AddContact(Contact{ID: "4242", Email: "s@state.test", Name: "Saved"})
	co := srv.AddCompany(Company{CompanyID: "acme", Name: "Acme"})
	srv.AttachCompany(ct.ID, co.ID)
	tag := srv.AddTag("vip")
	srv.TagContact(ct.ID, tag.ID)
	ver := header("Intercom-Version", "2.16")
	note := ok[map[string]any](t, do(t, srv, "POST", "/contacts/"+ct.ID+"/notes", map[string]any{"body": "kept", "contact_id": ct.ID}, ver))

	var buf bytes.Buffer
	if err := srv.SaveState(&buf); err != nil {
		t.Fatal(err)
	}
	saved := buf.String()

	other := NewServer(t)
	if err := other.LoadState(strings.NewReader(saved)); err != nil {
		t.Fatal(err)
	}
	got, found := other.Contact(ct.ID)
	if !found || got.Name != "Saved" {
		t.Fatalf("contact after load: %+v %v", got, found)
	}
	if cs := other.CompaniesOf(ct.ID); len(cs) != 1 || cs[0] != co.ID {
		t.Errorf("links after load: %v", cs)
	}
	n := ok[map[string]any](t, do(t, other, "GET", "/notes/"+textOf(note["id"]), nil, ver))
	if n["body"] != "kept" {
		t.Errorf("note after load: %v", n)
	}
	// A new object does not reuse a saved id.
	c2 := ok[map[string]any](t, do(t, other, "POST", "/contacts", map[string]any{"email": "new@state.test"}, ver))
	if c2["id"] == ct.ID {
		t.Error("id reused after load")
	}
	var again bytes.Buffer
	if err := other.SaveState(&again); err != nil {
		t.Fatal(err)
	}

	// A bad file changes nothing.
	if err := other.LoadState(strings.NewReader(`{"format":"intercomtest-state/1","contacts":[{"id":"x","role":"boss"}]}`)); err == nil {
		t.Error("a contact with an invalid role loaded")
	}
	if _, found := other.Contact(ct.ID); !found {
		t.Error("a failed load changed the state")
	}
	if err := other.LoadState(io.MultiReader(strings.NewReader(`{"format":"other"}`))); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("unknown format: %v", err)
	}
}

// A sub-collection's owner must exist: a note for an unknown contact is 404.
func TestSubCollectionOwner(t *testing.T) {
	srv := NewServer(t)
	ver := header("Intercom-Version", "2.14")
	failure(t, do(t, srv, "POST", "/contacts/123/notes", map[string]any{"body": "x"}, ver), http.StatusNotFound, "not_found")
	failure(t, do(t, srv, "GET", "/contacts/123/notes", nil, ver), http.StatusNotFound, "not_found")
	srv.AddContact(Contact{ID: "123", Email: "o@owner.test"})
	ok[map[string]any](t, do(t, srv, "POST", "/contacts/123/notes", map[string]any{"body": "x"}, ver))
}

// Contacts can be searched by time, and generic lists page with per_page
// and page within the API's bounds.
func TestSearchByTimeAndPaging(t *testing.T) {
	now := time.Unix(1_750_000_000, 0)
	srv := NewServer(t, WithClock(func() time.Time { return now }))
	old := srv.AddContact(Contact{Email: "old@time.test", CreatedAt: now.Add(-48 * time.Hour)})
	srv.AddContact(Contact{Email: "new@time.test"})
	search := func(op string) []map[string]any {
		q := map[string]any{"query": map[string]any{"field": "created_at", "operator": op, "value": now.Add(-time.Hour).Unix()}}
		return ok[struct {
			Data []map[string]any `json:"data"`
		}](t, do(t, srv, "POST", "/contacts/search", q)).Data
	}
	if got := search("<"); len(got) != 1 || got[0]["id"] != old.ID {
		t.Errorf("created_at < : %v", got)
	}
	if got := search(">"); len(got) != 1 || got[0]["email"] != "new@time.test" {
		t.Errorf("created_at > : %v", got)
	}

	ver := header("Intercom-Version", "2.16")
	for i := range 5 {
		ok[map[string]any](t, do(t, srv, "POST", "/help_center/collections", map[string]any{"name": fmt.Sprint("c", i)}, ver))
	}
	page := func(q string) map[string]any {
		return ok[map[string]any](t, do(t, srv, "GET", "/help_center/collections?"+q, nil, ver))
	}
	p2 := page("per_page=2&page=2")
	data, _ := p2["data"].([]any)
	pages, _ := p2["pages"].(map[string]any)
	if len(data) != 2 || p2["total_count"] != 5.0 || pages["total_pages"] != 3.0 || pages["page"] != 2.0 {
		t.Errorf("page 2 of 3: %d items, %v", len(data), short(p2))
	}
	failure(t, do(t, srv, "GET", "/help_center/collections?per_page=151", nil, ver), http.StatusBadRequest, "parameter_invalid")
}

// Objects the API cannot create (admins) read as synthesized with the id
// asked for, and keep what an action changes; a contact is found by its
// external_id.
func TestExistingObjectsAndLookups(t *testing.T) {
	srv := NewServer(t)
	ver := header("Intercom-Version", "2.16")
	a := ok[map[string]any](t, do(t, srv, "GET", "/admins/991", nil, ver))
	if a["id"] != "991" {
		t.Errorf("admin id %v", a["id"])
	}
	ok[map[string]any](t, do(t, srv, "PUT", "/admins/991/away", map[string]any{"away_mode_enabled": true, "away_mode_reassign": false}, ver))
	if got := ok[map[string]any](t, do(t, srv, "GET", "/admins/991", nil, ver)); got["away_mode_enabled"] != true {
		t.Errorf("away mode not kept: %v", got["away_mode_enabled"])
	}
	if got := ok[map[string]any](t, do(t, srv, "PUT", "/admins/991/away", map[string]any{"away_mode_enabled": false, "away_mode_reassign": false}, ver)); got["away_mode_enabled"] != false {
		t.Errorf("away mode off: %v", got["away_mode_enabled"])
	}

	ct := srv.AddContact(Contact{ExternalID: "ext-9", Email: "x@ext.test"})
	if got := ok[map[string]any](t, do(t, srv, "GET", "/contacts/find_by_external_id/ext-9", nil, ver)); got["id"] != ct.ID {
		t.Errorf("by external id: %v", got["id"])
	}
	failure(t, do(t, srv, "GET", "/contacts/find_by_external_id/nobody", nil, ver), http.StatusNotFound, "not_found")
}
