package intercomtest

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// roundTripVersions are the versions the stateful round trips run in.
var roundTripVersions = []string{"2.7", "2.14", "2.16", "Preview"}

// roundTripCollections are the generic resources that must keep state in
// every round-trip version that has them; conversations and tickets also
// take actions.
var roundTripCollections = []string{
	"notes", "conversations", "tickets", "articles", "help_center/collections",
	"data_attributes", "ticket_types", "news/news_items",
}

// Each stored resource goes create → get → update → list → search → delete
// → get (404) over HTTP, with bodies synthesized from the version's request
// schemas and a marker value that must come back.
func TestResourceRoundTrips(t *testing.T) {
	for _, v := range roundTripVersions {
		a := apiFor(v)
		for _, coll := range roundTripCollections {
			create := a.find(coll, kindCreate)
			if create == nil {
				if coll == "notes" || coll == "conversations" || coll == "articles" || coll == "tickets" && v != "2.7" {
					t.Errorf("%s: no create route for %s", v, coll)
				}
				continue
			}
			t.Run(v+"/"+coll, func(t *testing.T) { roundTrip(t, a, coll) })
		}
	}
}

// find returns a route of the collection doing kind; of sub-collection
// routes it prefers the one owned by contacts, whose owner the tests seed.
func (a *api) find(coll string, kind routeKind) *route {
	var found *route
	for _, r := range a.paths {
		if r.resource.kind == kind && r.resource.collection == coll {
			if r.resource.owner == "" || r.resource.owner == "contacts" {
				return r
			}
			if found == nil {
				found = r
			}
		}
	}
	return found
}

// fill puts values into a route's path: owners and ids.
func fill(r *route, values map[string]string) string {
	segs := slices.Clone(r.segments)
	for i, s := range segs {
		if isPlaceholder(s) {
			v := values[placeholderName(s)]
			if v == "" {
				v = values["*"]
			}
			segs[i] = url.PathEscape(v)
		}
	}
	return "/" + strings.Join(segs, "/")
}

// markerProperty is a string property of the create body that the read
// answer also has as a string: the value sent must come back.
func markerProperty(a *api, create, read *route) string {
	body := a.schemas.at(create.op.Body.Schema)
	if body == nil || read == nil {
		return ""
	}
	for _, name := range slices.Sorted(maps.Keys(body.Properties)) {
		p := a.schemas.at(body.Properties[name])
		rp := a.schemas.at(a.schemas.property(read.op.Response, name))
		if p != nil && rp != nil && p.Type == "string" && rp.Type == "string" && len(p.Enum) == 0 && p.Format == "" &&
			len(rp.Enum) == 0 && rp.Format == "" && name != "id" && name != "type" {
			return name
		}
	}
	return ""
}

func roundTrip(t *testing.T, a *api, coll string) {
	srv := NewServer(t)
	ver := header("Intercom-Version", a.version)
	// Numeric: some versions type contact ids in paths as integers.
	owner := srv.AddContact(Contact{ID: "7001", Email: "owner@roundtrip.test"})
	create, read := a.find(coll, kindCreate), a.find(coll, kindRead)
	values := map[string]string{"*": owner.ID}

	body, _ := a.schemas.synth(create.op.Body.Schema, synthMode{}).(map[string]any)
	marker := markerProperty(a, create, read)
	if marker != "" {
		body[marker] = "round-trip marker " + a.version
	}
	created := ok[map[string]any](t, do(t, srv, create.op.Method, fill(create, values), plainJSON(body), ver))
	id := textOf(created["id"])
	if cid := textOf(created["conversation_id"]); cid != "" {
		id = cid // a conversation is created by its first message
	}
	if id == "" {
		t.Fatalf("create answered without an id: %v", created)
	}
	if marker != "" && created[marker] != body[marker] {
		t.Errorf("create: %s = %v, want %v", marker, created[marker], body[marker])
	}
	values["*"] = id

	if read != nil {
		got := ok[map[string]any](t, do(t, srv, "GET", fill(read, values), nil, ver))
		if textOf(got["id"]) != id {
			t.Errorf("get: id %v, want %s", got["id"], id)
		}
		if marker != "" && got[marker] != body[marker] {
			t.Errorf("get: %s = %v, want %v", marker, got[marker], body[marker])
		}
	}

	if upd := a.find(coll, kindUpdate); upd != nil && marker != "" && upd.op.Body != nil &&
		a.schemas.property(upd.op.Body.Schema, marker) != 0 {
		ub, _ := a.schemas.synth(upd.op.Body.Schema, synthMode{}).(map[string]any)
		if ub == nil {
			ub = map[string]any{}
		}
		ub[marker] = "updated marker"
		updated := ok[map[string]any](t, do(t, srv, upd.op.Method, fill(upd, values), plainJSON(ub), ver))
		if updated[marker] != "updated marker" {
			t.Errorf("update: %s = %v", marker, updated[marker])
		}
		if read != nil {
			if got := ok[map[string]any](t, do(t, srv, "GET", fill(read, values), nil, ver)); got[marker] != "updated marker" {
				t.Errorf("get after update: %s = %v", marker, got[marker])
			}
		}
		body[marker] = "updated marker"
	}

	// The 2.7 description types the items of GET /conversations as news
	// items or newsfeeds, which a conversation is neither: the answer keeps
	// the version's shape, so the stored conversation cannot be listed there.
	if list := a.find(coll, kindList); list != nil && !(a.version == "2.7" && coll == "conversations") {
		lv := map[string]string{"*": owner.ID}
		got := ok[map[string]any](t, do(t, srv, "GET", fill(list, lv), nil, ver))
		if !containsID(got, id) {
			t.Errorf("list %s does not hold %s: %v", fill(list, lv), id, short(got))
		}
	}

	if search := a.find(coll, kindSearch); search != nil && search.op.Method == http.MethodPost && marker != "" {
		q := map[string]any{"query": map[string]any{"field": marker, "operator": "=", "value": body[marker]}}
		got := ok[map[string]any](t, do(t, srv, "POST", fill(search, values), q, ver))
		if !containsID(got, id) {
			t.Errorf("search by %s does not find %s: %v", marker, id, short(got))
		}
		q = map[string]any{"query": map[string]any{"field": marker, "operator": "=", "value": "no such value"}}
		if got := ok[map[string]any](t, do(t, srv, "POST", fill(search, values), q, ver)); containsID(got, id) {
			t.Errorf("search for another value finds %s", id)
		}
	}

	if del := a.find(coll, kindDelete); del != nil {
		res := do(t, srv, "DELETE", fill(del, values), nil, ver)
		if res.status < 200 || res.status > 299 {
			t.Fatalf("delete: status %d: %s", res.status, res.body)
		}
		if read != nil {
			failure(t, do(t, srv, "GET", fill(read, values), nil, ver), http.StatusNotFound, "not_found")
		}
	}
}

// containsID reports whether a list answer holds an object with the id.
func containsID(v any, id string) bool {
	switch t := v.(type) {
	case map[string]any:
		for _, x := range t {
			if containsID(x, id) {
				return true
			}
		}
	case []any:
		for _, x := range t {
			if m, ok := x.(map[string]any); ok && textOf(m["id"]) == id {
				return true
			}
			if containsID(x, id) {
				return true
			}
		}
	}
	return false
}

func short(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// Conversations keep their parts and state through reply, close, open and
// assignment, in every round-trip version.
func TestConversationActions(t *testing.T) {
	for _, v := range roundTripVersions {
		t.Run(v, func(t *testing.T) {
			a := apiFor(v)
			srv := NewServer(t)
			ver := header("Intercom-Version", v)
			create := a.find("conversations", kindCreate)
			body, _ := a.schemas.synth(create.op.Body.Schema, synthMode{}).(map[string]any)
			created := ok[map[string]any](t, do(t, srv, "POST", "/conversations", plainJSON(body), ver))
			id := textOf(created["conversation_id"])
			if id == "" {
				id = textOf(created["id"])
			}
			reply := a.find("conversations", kindAction)
			if reply == nil {
				t.Fatal("no conversation actions")
			}
			parts := func() []any {
				c := ok[map[string]any](t, do(t, srv, "GET", "/conversations/"+id, nil, ver))
				w, _ := c["conversation_parts"].(map[string]any)
				l, _ := w["conversation_parts"].([]any)
				return l
			}
			before := len(parts())
			ok[map[string]any](t, do(t, srv, "POST", "/conversations/"+id+"/reply",
				map[string]any{"message_type": "comment", "type": "admin", "admin_id": "1", "body": "a reply"}, ver))
			closed := ok[map[string]any](t, do(t, srv, "POST", "/conversations/"+id+"/parts",
				map[string]any{"message_type": "close", "type": "admin", "admin_id": "1"}, ver))
			if closed["state"] != "closed" {
				t.Errorf("after close, state %v", closed["state"])
			}
			got := parts()
			if len(got) != before+2 {
				t.Fatalf("%d parts after reply and close, want %d", len(got), before+2)
			}
			if p, _ := got[before].(map[string]any); p["body"] != "a reply" {
				t.Errorf("reply part %v", p)
			}
			opened := ok[map[string]any](t, do(t, srv, "POST", "/conversations/"+id+"/parts",
				map[string]any{"message_type": "open", "admin_id": "1"}, ver))
			if opened["state"] != "open" {
				t.Errorf("after open, state %v", opened["state"])
			}
		})
	}
}

// Contacts, companies and tags (the store's own resources) make the same
// round trip in every round-trip version, and their answers fit each
// version's answer schema.
func TestHandWrittenRoundTrips(t *testing.T) {
	for _, v := range roundTripVersions {
		t.Run(v, func(t *testing.T) {
			a := apiFor(v)
			srv := NewServer(t)
			ver := header("Intercom-Version", v)
			fits := func(method, path string, res answer) map[string]any {
				t.Helper()
				m := ok[map[string]any](t, res)
				rt, _, _ := a.match(method, strings.SplitN(path, "?", 2)[0])
				if rt == nil {
					t.Fatalf("no route %s %s", method, path)
				}
				if p := a.schemas.validate(rt.op.Response, plainJSON(m), "", false); p != nil {
					t.Errorf("%s %s: answer breaks %s's schema: %s", method, path, v, p.message)
				}
				return m
			}

			// Contacts.
			c := fits("POST", "/contacts", do(t, srv, "POST", "/contacts", map[string]any{"email": "rt@contacts.test", "name": "Before"}, ver))
			id := textOf(c["id"])
			if got := fits("GET", "/contacts/"+id, do(t, srv, "GET", "/contacts/"+id, nil, ver)); got["email"] != "rt@contacts.test" {
				t.Errorf("contact get: %v", got["email"])
			}
			if got := fits("PUT", "/contacts/"+id, do(t, srv, "PUT", "/contacts/"+id, map[string]any{"name": "After"}, ver)); got["name"] != "After" {
				t.Errorf("contact update: %v", got["name"])
			}
			failure(t, do(t, srv, "POST", "/contacts", map[string]any{"email": "RT@contacts.test"}, ver), http.StatusConflict, "conflict")
			if l := fits("GET", "/contacts", do(t, srv, "GET", "/contacts", nil, ver)); !containsID(l, id) {
				t.Errorf("contact list: %v", short(l))
			}
			q := map[string]any{"query": map[string]any{"field": "name", "operator": "=", "value": "After"}}
			if l := fits("POST", "/contacts/search", do(t, srv, "POST", "/contacts/search", q, ver)); !containsID(l, id) {
				t.Errorf("contact search: %v", short(l))
			}
			fits("DELETE", "/contacts/"+id, do(t, srv, "DELETE", "/contacts/"+id, nil, ver))
			failure(t, do(t, srv, "GET", "/contacts/"+id, nil, ver), http.StatusNotFound, "not_found")

			// Companies: create-or-update on company_id.
			co := fits("POST", "/companies", do(t, srv, "POST", "/companies", map[string]any{"company_id": "rt-1", "name": "Before"}, ver))
			cid := textOf(co["id"])
			again := fits("POST", "/companies", do(t, srv, "POST", "/companies", map[string]any{"company_id": "rt-1", "name": "Upserted"}, ver))
			if textOf(again["id"]) != cid || again["name"] != "Upserted" {
				t.Errorf("company upsert: %v %v", again["id"], again["name"])
			}
			if got := fits("GET", "/companies/"+cid, do(t, srv, "GET", "/companies/"+cid, nil, ver)); got["name"] != "Upserted" {
				t.Errorf("company get: %v", got["name"])
			}
			if got := fits("PUT", "/companies/"+cid, do(t, srv, "PUT", "/companies/"+cid, map[string]any{"name": "After"}, ver)); got["name"] != "After" {
				t.Errorf("company update: %v", got["name"])
			}
			if l := fits("GET", "/companies", do(t, srv, "GET", "/companies", nil, ver)); !containsID(l, cid) {
				t.Errorf("company list: %v", short(l))
			}
			fits("DELETE", "/companies/"+cid, do(t, srv, "DELETE", "/companies/"+cid, nil, ver))
			failure(t, do(t, srv, "GET", "/companies/"+cid, nil, ver), http.StatusNotFound, "company_not_found")

			// Tags.
			tag := fits("POST", "/tags", do(t, srv, "POST", "/tags", map[string]any{"name": "rt"}, ver))
			tid := textOf(tag["id"])
			if got := fits("GET", "/tags/"+tid, do(t, srv, "GET", "/tags/"+tid, nil, ver)); got["name"] != "rt" {
				t.Errorf("tag get: %v", got)
			}
			if l := fits("GET", "/tags", do(t, srv, "GET", "/tags", nil, ver)); !containsID(l, tid) {
				t.Errorf("tag list: %v", short(l))
			}
			if res := do(t, srv, "DELETE", "/tags/"+tid, nil, ver); res.status != http.StatusOK {
				t.Errorf("tag delete: %d %s", res.status, res.body)
			}
			failure(t, do(t, srv, "GET", "/tags/"+tid, nil, ver), http.StatusNotFound, "tag_not_found")
		})
	}
}

// Data events are recorded and summarized per contact; archiving a contact
// is remembered; in every round-trip version.
func TestEventsAndArchive(t *testing.T) {
	for _, v := range roundTripVersions {
		t.Run(v, func(t *testing.T) {
			srv := NewServer(t)
			ver := header("Intercom-Version", v)
			ct := srv.AddContact(Contact{Email: "ev@events.test", ExternalID: "u-1"})
			for _, ts := range []int64{1700000100, 1700000000, 1700000200} {
				res := do(t, srv, "POST", "/events", map[string]any{"event_name": "ordered", "user_id": "u-1", "created_at": ts}, ver)
				if res.status < 200 || res.status > 299 {
					t.Fatalf("create event: %d %s", res.status, res.body)
				}
			}
			do(t, srv, "POST", "/events", map[string]any{"event_name": "other", "user_id": "u-2", "created_at": 1}, ver)
			failure(t, do(t, srv, "POST", "/events", map[string]any{"user_id": "u-1"}, ver), http.StatusBadRequest, "parameter_not_found")
			got := ok[struct {
				Events []struct {
					Name        string `json:"name"`
					Count       int    `json:"count"`
					First, Last string
				} `json:"events"`
			}](t, do(t, srv, "GET", "/events?type=user&user_id=u-1", nil, ver))
			if len(got.Events) != 1 || got.Events[0].Name != "ordered" || got.Events[0].Count != 3 ||
				got.Events[0].First != "2023-11-14T22:13:20Z" || got.Events[0].Last != "2023-11-14T22:16:40Z" {
				t.Errorf("event summary %+v", got.Events)
			}

			a := ok[map[string]any](t, do(t, srv, "POST", "/contacts/"+ct.ID+"/archive", nil, ver))
			if a["archived"] != true || a["id"] != ct.ID {
				t.Errorf("archive: %v", a)
			}
			u := ok[map[string]any](t, do(t, srv, "POST", "/contacts/"+ct.ID+"/unarchive", nil, ver))
			if u["archived"] != false {
				t.Errorf("unarchive: %v", u)
			}
			failure(t, do(t, srv, "POST", "/contacts/nobody/archive", nil, ver), http.StatusNotFound, "not_found")
		})
	}
}
