package intercomtest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
)

// SeedList stores n objects in the list that the operation method path
// (the path template as version's description spells it, for example
// "/contacts/{contact_id}/notes") answers, so that a test can page through
// any list of any version. owner is the value of the path's last
// placeholder for a list that belongs to an object (the contact of
// /contacts/{contact_id}/notes); it is ignored for a top-level list. It
// returns the objects' ids, in the order the list gives them.
//
// A list whose collection the fake stores (notes, articles, tickets…) gets
// the objects in that collection, readable by id as if created through the
// API. A list the fake otherwise answers from its schema (activity logs,
// calls…) answers from then on with the seeded objects, each synthesized
// from the list's item schema with its own id, paged like a stored
// collection: page and per_page, starting_after (in the query, or
// pagination in a search body), pages.page, pages.total_pages and a
// pages.next cursor while more remain.
//
// The fake's own contacts, companies and tags have their own seeding
// methods (AddContact, AddCompany, AttachCompany, AddTag); SeedList refuses
// the lists it serves from them.
func (s *Server) SeedList(version, method, path, owner string, n int) ([]string, error) {
	a := apiFor(version)
	if a == nil {
		return nil, fmt.Errorf("intercomtest: SeedList: no version %q", version)
	}
	var rt *route
	for _, r := range a.paths {
		if r.op.Method == method && r.op.Path == path {
			rt = r
		}
	}
	if rt == nil {
		return nil, fmt.Errorf("intercomtest: SeedList: version %s has no %s %s", version, method, path)
	}
	if n < 0 {
		return nil, fmt.Errorf("intercomtest: SeedList: %d objects", n)
	}
	concrete := strings.Builder{}
	for _, seg := range rt.segments {
		concrete.WriteString("/")
		if isPlaceholder(seg) {
			seg = "x"
		}
		concrete.WriteString(seg)
	}
	if _, pattern := s.mux.Handler(httptest.NewRequest(method, concrete.String(), nil)); (pattern != "" && patternFits(pattern, path)) || s.templates[method+" "+path] != nil {
		return nil, fmt.Errorf("intercomtest: SeedList: %s %s is served by the fake's own handlers; seed contacts, companies and tags with AddContact, AddCompany, AttachCompany or AddTag", method, path)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	var c *collection
	parent := ""
	answered := false // a list otherwise answered from its schema
	switch rr := rt.resource; {
	case (rr.kind == kindList || rr.kind == kindSearch) && a.stateful[rr.collection]:
		c = st.collection(rr.collection)
		if rr.parent != "" {
			parent = owner
		}
		rt = a.readRoute(c.name, rt)
	default:
		if len(listArrays(a, rt)) == 0 {
			return nil, fmt.Errorf("intercomtest: SeedList: %s %s answers no list", method, path)
		}
		answered = true
		if st.seeded == nil {
			st.seeded = map[*route]*collection{}
		}
		c = st.seeded[rt]
		if c == nil {
			c = &collection{name: version + " " + method + " " + path, objects: map[string]*object{}}
			st.seeded[rt] = c
		}
		if hasPlaceholder(rt.segments) {
			parent = owner
		}
	}
	ids := make([]string, 0, n)
	for range n {
		var obj *object
		if answered {
			obj = st.newItem(c, a, rt, parent)
		} else {
			obj = st.newObject(c, a, rt, parent, "")
		}
		ids = append(ids, obj.id)
	}
	return ids, nil
}

func hasPlaceholder(segs []string) bool { return slices.ContainsFunc(segs, isPlaceholder) }

// lastPlaceholder is the name of the route's last placeholder, "" when it
// has none.
func lastPlaceholder(segs []string) string {
	for i := len(segs) - 1; i >= 0; i-- {
		if isPlaceholder(segs[i]) {
			return placeholderName(segs[i])
		}
	}
	return ""
}

// listArrays are the answer's array properties a list's items go in: those
// whose items declare an id, else "data", else the only array.
func listArrays(a *api, rt *route) []string {
	sc := a.schemas.at(rt.op.Response)
	if sc == nil {
		return nil
	}
	var withID, all []string
	for name, p := range sc.Properties {
		ps := a.schemas.at(p)
		if ps == nil || ps.Type != "array" || name == "errors" {
			continue
		}
		all = append(all, name)
		if a.schemas.declaresID(ps.Items, 0) {
			withID = append(withID, name)
		}
	}
	slices.Sort(withID)
	switch {
	case len(withID) > 0:
		return withID
	case slices.Contains(all, "data"):
		return []string{"data"}
	case len(all) == 1:
		return all
	}
	return nil
}

// newItem stores a seeded list item: the list's item schema synthesized,
// with a fresh id where the item has one.
func (st *store) newItem(c *collection, a *api, rt *route, parent string) *object {
	seq := st.nextSeq()
	id := fmt.Sprint(seq)
	tree := map[string]any{}
	if names := listArrays(a, rt); len(names) > 0 {
		items := a.schemas.at(a.schemas.property(rt.op.Response, names[0])).Items
		if m, ok := a.schemas.synth(items, synthMode{full: true, response: true}).(map[string]any); ok {
			tree = m
		}
		if _, ok := tree["id"]; ok || a.schemas.property(items, "id") != 0 {
			tree["id"] = id
			if p := a.schemas.at(a.schemas.property(items, "id")); p != nil && (p.Type == "integer" || p.Type == "number") {
				tree["id"] = float64(seq)
			}
		}
	}
	obj := &object{seq: seq, id: id, parent: parent, tree: tree}
	c.objects[id] = obj
	c.order = append(c.order, obj)
	return obj
}

// serveSeeded answers a list SeedList filled, reporting whether it did.
func (s *Server) serveSeeded(w http.ResponseWriter, r *http.Request, a *api, rt *route, params map[string]string, body any) bool {
	s.mu.Lock()
	c := s.st.seeded[rt]
	if c == nil {
		s.mu.Unlock()
		return false
	}
	objs := c.order
	if name := lastPlaceholder(rt.segments); name != "" {
		objs = slices.DeleteFunc(slices.Clone(objs), func(o *object) bool { return o.parent != params[name] })
	}
	in, _ := body.(map[string]any)
	search := rt.op.Method == http.MethodPost && rt.segments[len(rt.segments)-1] == "search"
	page, perPage, cursor, e := s.st.listParams(r, in, search)
	var answer any
	if e == nil {
		answer = s.st.listAnswer(a, rt, objs, page, perPage, cursor)
	}
	s.mu.Unlock()
	if e != nil {
		writeError(w, e)
		return true
	}
	writeJSON(w, rt.op.Status, answer)
	return true
}
