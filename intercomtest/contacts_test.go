package intercomtest

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

func TestContactLifecycle(t *testing.T) {
	srv := NewServer(t)
	created := ok[contact](t, do(t, srv, "POST", "/contacts", map[string]any{
		"email": "marta.quill@orchard.test", "external_id": "orch-77", "name": "Marta Quill",
	}))
	if created.Type != "contact" || created.ID == "" || created.Role != "user" {
		t.Fatalf("created %+v", created)
	}

	// The same person again, by either key, is a conflict.
	failure(t, do(t, srv, "POST", "/contacts", map[string]any{"email": "MARTA.quill@orchard.test"}), http.StatusConflict, "conflict")
	failure(t, do(t, srv, "POST", "/contacts", map[string]any{"external_id": "orch-77", "role": "lead"}), http.StatusConflict, "conflict")
	failure(t, do(t, srv, "POST", "/contacts", map[string]any{"role": "visitor"}), http.StatusBadRequest, "parameter_invalid")

	// A partial update changes only what it names.
	updated := ok[contact](t, do(t, srv, "PUT", "/contacts/"+created.ID, map[string]any{"name": "Marta Q."}))
	if *updated.Name != "Marta Q." || updated.Email != "marta.quill@orchard.test" || *updated.ExternalID != "orch-77" {
		t.Fatalf("after update %+v", updated)
	}
	other := srv.AddContact(Contact{Email: "second@orchard.test"})
	failure(t, do(t, srv, "PUT", "/contacts/"+other.ID, map[string]any{"external_id": "orch-77"}), http.StatusConflict, "conflict")
	if c, _ := srv.Contact(other.ID); c.ExternalID != "" {
		t.Fatal("a refused update changed the stored contact")
	}

	got := ok[contact](t, do(t, srv, "GET", "/contacts/"+created.ID, nil))
	if got.ID != created.ID || *got.Name != "Marta Q." {
		t.Fatalf("get %+v", got)
	}
	del := ok[map[string]any](t, do(t, srv, "DELETE", "/contacts/"+created.ID, nil))
	if del["deleted"] != true || del["id"] != created.ID {
		t.Fatalf("delete answer %v", del)
	}
	failure(t, do(t, srv, "GET", "/contacts/"+created.ID, nil), http.StatusNotFound, "not_found")
	failure(t, do(t, srv, "PUT", "/contacts/"+created.ID, map[string]any{"name": "x"}), http.StatusNotFound, "not_found")
	failure(t, do(t, srv, "DELETE", "/contacts/"+created.ID, nil), http.StatusNotFound, "not_found")
}

func TestContactCursorPaginationVisitsEveryoneOnce(t *testing.T) {
	srv := NewServer(t)
	var want []string
	for i := range 320 {
		want = append(want, srv.AddContact(Contact{Email: fmt.Sprintf("p%03d@cursor.test", i)}).ID)
	}

	var got []string
	path := "/contacts?per_page=150"
	for pageNo := 1; ; pageNo++ {
		l := ok[list[contact]](t, do(t, srv, "GET", path, nil))
		if l.TotalCount != 320 || l.Pages.PerPage != 150 || l.Pages.TotalPages != 3 || l.Pages.Page != pageNo {
			t.Fatalf("page %d metadata %+v total %d", pageNo, l.Pages, l.TotalCount)
		}
		for _, c := range l.Data {
			got = append(got, c.ID)
		}
		if l.Pages.Next == nil {
			break
		}
		path = "/contacts?per_page=150&starting_after=" + url.QueryEscape(l.Pages.Next.StartingAfter)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("walked %d contacts, want the %d seeded ones in order", len(got), len(want))
	}

	failure(t, do(t, srv, "GET", "/contacts?per_page=151", nil), http.StatusBadRequest, "parameter_invalid")
	failure(t, do(t, srv, "GET", "/contacts?starting_after=not-ours", nil), http.StatusBadRequest, "parameter_invalid")
}

func TestCursorSurvivesDeletion(t *testing.T) {
	srv := NewServer(t, WithPageSize(2))
	var ids []string
	for i := range 5 {
		ids = append(ids, srv.AddContact(Contact{ExternalID: fmt.Sprintf("del-%d", i)}).ID)
	}
	first := ok[list[contact]](t, do(t, srv, "GET", "/contacts", nil))
	// Delete the last contact shown: the cursor must still lead to the third.
	ok[map[string]any](t, do(t, srv, "DELETE", "/contacts/"+ids[1], nil))
	second := ok[list[contact]](t, do(t, srv, "GET", "/contacts?starting_after="+first.Pages.Next.StartingAfter, nil))
	if len(second.Data) != 2 || second.Data[0].ID != ids[2] {
		t.Fatalf("after deletion the next page starts with %+v", second.Data)
	}
}

func TestContactSearch(t *testing.T) {
	srv := NewServer(t)
	srv.AddContact(Contact{Email: "ada@search.test", Role: "user", ExternalID: "s-1"})
	srv.AddContact(Contact{Email: "bo@search.test", Role: "lead"})
	srv.AddContact(Contact{Email: "cy@elsewhere.test", Role: "user", ExternalID: "s-3"})

	search := func(query any) list[contact] {
		t.Helper()
		return ok[list[contact]](t, do(t, srv, "POST", "/contacts/search", map[string]any{"query": query}))
	}
	emails := func(l list[contact]) string {
		var out []string
		for _, c := range l.Data {
			out = append(out, c.Email)
		}
		return fmt.Sprint(out)
	}

	if got := emails(search(map[string]any{"field": "email", "operator": "=", "value": "ADA@search.test"})); got != "[ada@search.test]" {
		t.Errorf("email = : %s", got)
	}
	if got := emails(search(map[string]any{"field": "role", "operator": "!=", "value": "lead"})); got != "[ada@search.test cy@elsewhere.test]" {
		t.Errorf("role != : %s", got)
	}
	and := map[string]any{"operator": "AND", "value": []any{
		map[string]any{"field": "role", "operator": "=", "value": "user"},
		map[string]any{"operator": "OR", "value": []any{
			map[string]any{"field": "external_id", "operator": "=", "value": "s-3"},
			map[string]any{"field": "email", "operator": "$", "value": "@nowhere.test"},
		}},
	}}
	if got := emails(search(and)); got != "[cy@elsewhere.test]" {
		t.Errorf("nested AND/OR: %s", got)
	}
	if got := search(map[string]any{"field": "email", "operator": "=", "value": "nobody@search.test"}); got.TotalCount != 0 || len(got.Data) != 0 {
		t.Errorf("no match gave %+v", got)
	}

	// The cursor travels in the body.
	body := map[string]any{
		"query":      map[string]any{"field": "role", "operator": "=", "value": "user"},
		"pagination": map[string]any{"per_page": 1},
	}
	p1 := ok[list[contact]](t, do(t, srv, "POST", "/contacts/search", body))
	if len(p1.Data) != 1 || p1.TotalCount != 2 || p1.Pages.Next == nil {
		t.Fatalf("first search page %+v", p1)
	}
	body["pagination"] = map[string]any{"per_page": 1, "starting_after": p1.Pages.Next.StartingAfter}
	p2 := ok[list[contact]](t, do(t, srv, "POST", "/contacts/search", body))
	if len(p2.Data) != 1 || p2.Data[0].ID == p1.Data[0].ID || p2.Pages.Next != nil {
		t.Fatalf("second search page %+v", p2)
	}

	el := failure(t, do(t, srv, "POST", "/contacts/search", map[string]any{
		"query": map[string]any{"field": "last_seen_at", "operator": ">", "value": 1},
	}), http.StatusBadRequest, "parameter_invalid")
	if el.Errors[0].Field != "query.field" {
		t.Errorf("field %q", el.Errors[0].Field)
	}
	failure(t, do(t, srv, "POST", "/contacts/search", map[string]any{
		"query": map[string]any{"field": "email", "operator": "<>", "value": "x"},
	}), http.StatusBadRequest, "parameter_invalid")
	failure(t, do(t, srv, "POST", "/contacts/search", map[string]any{
		"query": map[string]any{"operator": "OR", "value": []any{}},
	}), http.StatusBadRequest, "parameter_invalid")
	failure(t, do(t, srv, "POST", "/contacts/search", map[string]any{}), http.StatusBadRequest, "parameter_not_found")
}
