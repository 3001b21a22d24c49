package intercomtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Generic state. Beyond the hand-written contacts, companies and tags, every
// resource that a version can create through the API (notes, conversations,
// tickets, articles, help-centre collections, data attributes, ticket types,
// segments' peers…) is stored: the create answer is synthesized from its
// schema and overlaid with what the request sent, and later reads, updates,
// deletes, lists and searches see it. Routes are classified from their shape
// alone (see classify), so a new version's resources are stateful after
// regeneration. Resources the API cannot create (admins, teams, segments)
// stay synthesized.

type routeKind int

const (
	kindNone routeKind = iota
	kindCreate
	kindRead
	kindUpdate
	kindDelete
	kindList
	kindSearch
	kindAction
)

// resourceRoute is what classify found out about a route.
type resourceRoute struct {
	kind       routeKind
	collection string // the literal path after the last placeholder: "notes", "help_center/collections"
	idParam    string // the placeholder naming the object, for item routes and actions
	parent     string // for sub-collections (/contacts/{id}/notes): the owner placeholder
	owner      string // and the owner's collection ("contacts")
	verb       string // the action's last segment (reply, parts, close…)
}

func collectionKey(segs []string) string {
	last := -1
	for i, s := range segs {
		if isPlaceholder(s) {
			last = i
		}
	}
	return strings.Join(segs[last+1:], "/")
}

func isPlaceholder(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }

func placeholderName(s string) string { return s[1 : len(s)-1] }

// classify sorts the version's routes into creates, reads, updates,
// deletes, lists, searches and actions on stored objects, and keeps the
// classes only for collections the version can create objects in.
func (a *api) classify() {
	itemGet := map[string]*route{} // collection -> GET /…/{id}
	for _, r := range a.paths {
		segs := r.segments
		if r.op.Method == http.MethodGet && len(segs) > 1 && isPlaceholder(segs[len(segs)-1]) {
			itemGet[collectionKey(segs[:len(segs)-1])] = r
		}
	}
	creatable, readable := map[string]bool{}, map[string]bool{}
	for _, r := range a.paths {
		segs := r.segments
		n := len(segs)
		rr := resourceRoute{}
		switch {
		case n >= 2 && segs[n-1] == "search" && !isPlaceholder(segs[n-2]):
			rr = resourceRoute{kind: kindSearch, collection: collectionKey(segs[:n-1])}
		case isPlaceholder(segs[n-1]) && n >= 3 && isPlaceholder(segs[n-3]):
			// /tickets/{id}/tags/{tag_id}: a link between two objects, not
			// an object of its own; synthesized.
		case isPlaceholder(segs[n-1]) && n >= 2:
			rr = resourceRoute{collection: collectionKey(segs[:n-1]), idParam: placeholderName(segs[n-1])}
			switch r.op.Method {
			case http.MethodGet:
				rr.kind = kindRead
			case http.MethodPut, http.MethodPatch, http.MethodPost:
				rr.kind = kindUpdate
			case http.MethodDelete:
				rr.kind = kindDelete
			}
		case n >= 3 && isPlaceholder(segs[n-2]):
			owner := collectionKey(segs[:n-2])
			if g := itemGet[owner]; g != nil && g.op.Response == r.op.Response && r.op.Method != http.MethodGet {
				rr = resourceRoute{kind: kindAction, collection: owner, idParam: placeholderName(segs[n-2]), verb: segs[n-1]}
				break
			}
			rr = resourceRoute{collection: segs[n-1], parent: placeholderName(segs[n-2]), owner: owner}
			switch r.op.Method {
			case http.MethodPost:
				rr.kind = kindCreate
			case http.MethodGet:
				rr.kind = kindList
			}
		case !isPlaceholder(segs[n-1]):
			rr = resourceRoute{collection: collectionKey(segs)}
			switch r.op.Method {
			case http.MethodPost:
				rr.kind = kindCreate
			case http.MethodGet:
				rr.kind = kindList
			}
		}
		if rr.kind == kindCreate && a.schemas.property(r.op.Response, "id") == 0 {
			rr.kind = kindNone
		}
		if handWritten[rr.collection] {
			rr.kind = kindNone // the store's own contacts, companies and tags
		}
		if rr.kind != kindNone {
			r.resource = rr
		}
		if rr.kind == kindRead || rr.kind == kindList {
			readable[rr.collection] = true
		}
	}
	// A collection is stateful when the version can create objects in it
	// and read them back; a "create" without a read (POST /messages, a
	// reply, a conversion) is an action answered from its schema.
	for _, r := range a.paths {
		if r.resource.kind == kindCreate && readable[r.resource.collection] {
			creatable[r.resource.collection] = true
		}
	}
	// Objects the API reads by id but cannot create (admins, teams…) exist
	// already: each id reads as synthesized until an update or action (an
	// admin's away mode) stores it with the change.
	existing := map[string]bool{}
	for _, r := range a.paths {
		if r.resource.kind == kindRead && !creatable[r.resource.collection] && r.op.Status < 300 && r.op.Media != "" &&
			a.schemas.property(r.op.Response, "id") != 0 {
			existing[r.resource.collection] = true
		}
	}
	for _, r := range a.paths {
		rr := r.resource
		switch {
		case rr.kind == kindNone || creatable[rr.collection]:
		case existing[rr.collection] && rr.parent == "" && (rr.kind == kindRead || rr.kind == kindUpdate || rr.kind == kindAction):
		default:
			r.resource = resourceRoute{}
		}
	}
	a.stateful, a.existing = creatable, existing
}

// handWritten are the collections the store keeps with their own rules
// (store.go); their routes go to the handlers in routes.go.
var handWritten = map[string]bool{"contacts": true, "companies": true, "tags": true}

// object is a stored resource: its JSON tree as last written, in whatever
// version wrote it; reads shape it to the version asked for.
type object struct {
	seq    uint64
	id     string
	parent string
	tree   map[string]any
}

type collection struct {
	name    string
	objects map[string]*object
	order   []*object // creation order, the order lists and cursors use
}

func (st *store) collection(name string) *collection {
	if st.resources == nil {
		st.resources = map[string]*collection{}
	}
	c := st.resources[name]
	if c == nil {
		c = &collection{name: name, objects: map[string]*object{}}
		st.resources[name] = c
	}
	return c
}

// serveResource answers a stateful route; it holds the store lock.
func (s *Server) serveResource(a *api, rt *route, r *http.Request, params map[string]string, body any) (status int, answer any, e *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	rr := rt.resource
	c := st.collection(rr.collection)
	in, _ := body.(map[string]any)
	if rr.parent != "" {
		if e := st.ownerExists(a, rr.owner, params[rr.parent]); e != nil {
			return 0, nil, e
		}
	}
	switch rr.kind {
	case kindCreate:
		obj := st.newObject(c, a, rt, params[rr.parent], "")
		overlay(obj.tree, in)
		answer := obj.tree
		if read := a.readRoute(c.name, rt); read != rt && read.op.Response != rt.op.Response {
			// A different answer (a conversation's first message): its own
			// synthesized shape, with what the object and the request share.
			m, _ := deepCopy(a.synthTree(rt)).(map[string]any)
			if m == nil {
				m = map[string]any{}
			}
			overlay(m, in)
			for _, k := range []string{"id", "conversation_id", "created_at", "updated_at"} {
				if _, ok := m[k]; ok {
					m[k] = obj.tree["id"]
					if k != "id" && k != "conversation_id" {
						m[k] = obj.tree[k]
					}
				}
			}
			if _, ok := m["conversation_id"]; ok {
				m["conversation_id"] = obj.id
				m["id"] = typedID(a, rt, "id", strconv.FormatUint(st.nextSeq(), 10))
			}
			answer = m
		}
		return rt.op.Status, a.schemas.conform(rt.op.Response, answer, 0), nil
	case kindRead, kindUpdate, kindDelete, kindAction:
		id := params[rr.idParam]
		obj := c.objects[id]
		if obj == nil && a.existing[rr.collection] {
			read := a.readRoute(rr.collection, rt)
			if rr.kind == kindRead {
				template, _ := a.synthTree(read).(map[string]any)
				tree := maps.Clone(template)
				if tree == nil {
					return rt.op.Status, a.synthTree(rt), nil
				}
				tree["id"] = typedID(a, read, "id", id)
				if a.schemas.validate(rt.op.Response, tree, "", false) != nil {
					tree["id"] = template["id"] // an id the schema cannot hold
				}
				return rt.op.Status, tree, nil
			}
			obj = st.newObject(c, a, read, "", id)
		}
		if obj == nil {
			if !st.implicit {
				return 0, nil, errf(http.StatusNotFound, "not_found", "there is no %s with id %q", singular(rr.collection), id)
			}
			obj = st.newObject(c, a, a.readRoute(rr.collection, rt), "", id)
		}
		switch rr.kind {
		case kindUpdate:
			overlay(obj.tree, in)
			st.touch(obj.tree)
		case kindAction:
			st.act(a, obj, rr.verb, in)
		case kindDelete:
			delete(c.objects, id)
			c.order = slices.DeleteFunc(c.order, func(o *object) bool { return o == obj })
			tree := deepCopy(a.synthTree(rt))
			if m, ok := tree.(map[string]any); ok {
				if _, ok := m["id"]; ok {
					m["id"] = typedID(a, rt, "id", obj.id)
				}
				if _, ok := m["deleted"]; ok {
					m["deleted"] = true
				}
			}
			return rt.op.Status, a.schemas.conform(rt.op.Response, tree, 0), nil
		}
		return rt.op.Status, a.schemas.conform(rt.op.Response, obj.tree, 0), nil
	case kindList, kindSearch:
		objs := c.order
		if rr.parent != "" {
			owner := params[rr.parent]
			objs = slices.DeleteFunc(slices.Clone(objs), func(o *object) bool { return o.parent != owner })
		}
		if rr.kind == kindSearch && in != nil {
			match, e := compileTreeQuery(in["query"], "query", 0)
			if e != nil {
				return 0, nil, e
			}
			objs = slices.DeleteFunc(slices.Clone(objs), func(o *object) bool { return !match(o.tree) })
		}
		page, perPage, cursor, e := st.listParams(r, in, rr.kind == kindSearch)
		if e != nil {
			return 0, nil, e
		}
		return rt.op.Status, st.listAnswer(a, rt, objs, page, perPage, cursor), nil
	}
	return 0, nil, errf(http.StatusInternalServerError, "server_error", "intercomtest: unclassified route")
}

// listParams reads which page a list or search asks for: page, per_page
// and starting_after from the query, or for a search pagination.per_page
// and pagination.starting_after from the body (in).
func (st *store) listParams(r *http.Request, in map[string]any, search bool) (page, perPage int, cursor string, e *apiError) {
	page, perPage = 1, st.pageSize
	if search {
		if p, ok := in["pagination"].(map[string]any); ok {
			if n, ok := number(p["per_page"]); ok {
				perPage = int(n)
				if perPage < 1 || perPage > maxPerPage {
					return 0, 0, "", errf(http.StatusBadRequest, "parameter_invalid",
						"pagination.per_page must be from 1 to %d", maxPerPage).on("pagination.per_page")
				}
			}
			cursor, _ = p["starting_after"].(string)
		}
		return page, perPage, cursor, nil
	}
	q := r.URL.Query()
	if perPage, e = intParam(q, "per_page", st.pageSize, 1, maxPerPage); e != nil {
		return 0, 0, "", e
	}
	if page, e = intParam(q, "page", 1, 1, 1<<30); e != nil {
		return 0, 0, "", e
	}
	return page, perPage, q.Get("starting_after"), nil
}

// ownerExists checks the object a sub-collection belongs to (the contact
// of /contacts/{id}/notes): 404 when it is stored nowhere.
func (st *store) ownerExists(a *api, owner, id string) *apiError {
	switch {
	case owner == "contacts":
		_, e := st.contactFor(id)
		return e
	case owner == "companies":
		_, e := st.companyFor(id)
		return e
	case a.stateful[owner] && !st.implicit:
		if st.collection(owner).objects[id] == nil {
			return errf(http.StatusNotFound, "not_found", "there is no %s with id %q", singular(owner), id)
		}
	}
	return nil
}

// readRoute is the GET route of a collection's item, whose answer schema
// an implicitly created object takes; the route itself when there is none.
func (a *api) readRoute(collection string, fallback *route) *route {
	for _, r := range a.paths {
		if r.resource.kind == kindRead && r.resource.collection == collection {
			return r
		}
	}
	return fallback
}

func singular(collection string) string {
	name := collection[strings.LastIndex(collection, "/")+1:]
	return strings.TrimSuffix(name, "s")
}

// newObject stores a new object made from the route's synthesized answer,
// with a fresh id (or the one given) and fresh timestamps.
func (st *store) newObject(c *collection, a *api, rt *route, parent, id string) *object {
	seq := st.nextSeq()
	if id == "" {
		id = strconv.FormatUint(seq, 10)
	}
	// The object takes the shape of its read answer (a conversation), which
	// can differ from the create answer (its first message).
	// Only the top level is copied: nested values are shared with the
	// synthesized template and never changed in place (appendPart copies
	// what it changes), which keeps a stored conversation small.
	template, _ := a.synthTree(a.readRoute(c.name, rt)).(map[string]any)
	tree := maps.Clone(template)
	if tree == nil {
		tree = map[string]any{}
	}
	tree["id"] = typedID(a, a.readRoute(c.name, rt), "id", id)
	now := float64(st.stamp().Unix())
	for _, k := range []string{"created_at", "updated_at"} {
		if _, ok := tree[k].(float64); ok {
			tree[k] = now
		}
	}
	obj := &object{seq: seq, id: id, parent: parent, tree: tree}
	c.objects[id] = obj
	c.order = append(c.order, obj)
	return obj
}

func (st *store) touch(tree map[string]any) {
	if _, ok := tree["updated_at"].(float64); ok {
		tree["updated_at"] = float64(st.stamp().Unix())
	}
}

// typedID is id as the answer schema types the property: a number where
// the schema says integer.
func typedID(a *api, rt *route, prop, id string) any {
	if sc := a.schemas.at(rt.op.Response); sc != nil {
		if p := a.schemas.at(a.schemas.property(rt.op.Response, prop)); p != nil && (p.Type == "integer" || p.Type == "number") {
			if n, err := strconv.ParseFloat(id, 64); err == nil {
				return n
			}
		}
	}
	return id
}

// overlay copies what a request sent onto a stored object. Values the
// answer schema cannot take are dropped again when the object is read.
func overlay(tree, in map[string]any) {
	for k, v := range in {
		if k == "id" || k == "type" {
			continue
		}
		tree[k] = plainJSON(v)
	}
}

// act applies an action (/conversations/{id}/parts, /reply, /close…) to a
// stored object: the state changes Intercom's conversation and ticket
// actions make, and a part recording it.
func (st *store) act(a *api, obj *object, verb string, in map[string]any) {
	t := obj.tree
	messageType, _ := in["message_type"].(string)
	if verb == "reply" && messageType == "" {
		messageType = "comment"
	}
	switch messageType {
	case "close":
		setIf(t, "state", "closed")
		setIf(t, "open", false)
	case "open":
		setIf(t, "state", "open")
		setIf(t, "open", true)
	case "snoozed":
		setIf(t, "state", "snoozed")
		if until, ok := in["snoozed_until"]; ok {
			setIf(t, "snoozed_until", until)
		}
	case "assignment":
		if id, ok := in["assignee_id"]; ok {
			setIf(t, "admin_assignee_id", id)
		}
	case "":
		overlay(t, in) // other actions (archive, attach…) carry fields to set
	}
	if messageType != "" {
		st.appendPart(t, messageType, in)
	}
	st.touch(t)
}

func setIf(t map[string]any, k string, v any) {
	if _, ok := t[k]; ok {
		t[k] = plainJSON(v)
	}
}

// appendPart adds a conversation part, copied from the synthesized one so
// that it keeps the version's shape.
func (st *store) appendPart(t map[string]any, partType string, in map[string]any) {
	for _, key := range []string{"conversation_parts", "ticket_parts"} {
		wrapper, ok := t[key].(map[string]any)
		if !ok {
			continue
		}
		// Copy on write: the wrapper and its list may be shared with the
		// synthesized template (newObject).
		wrapper = maps.Clone(wrapper)
		t[key] = wrapper
		list, _ := wrapper[key].([]any)
		list = slices.Clip(list)
		part := map[string]any{}
		if len(list) > 0 {
			if first, ok := list[0].(map[string]any); ok {
				part, _ = deepCopy(first).(map[string]any)
			}
		}
		part["id"] = strconv.FormatUint(st.nextSeq(), 10)
		part["part_type"] = partType
		if b, ok := in["body"].(string); ok {
			part["body"] = b
		}
		now := float64(st.stamp().Unix())
		for _, k := range []string{"created_at", "updated_at", "notified_at"} {
			if _, ok := part[k]; ok {
				part[k] = now
			}
		}
		wrapper[key] = append(list, part)
		if _, ok := wrapper["total_count"]; ok {
			wrapper["total_count"] = float64(len(list) + 1)
		}
	}
}

// listAnswer fills the list route's synthesized answer with a page of
// objects: the answer's array of objects with ids gets them, total_count
// and pages are set, and a next cursor is given only when more remain.
func (st *store) listAnswer(a *api, rt *route, objs []*object, page, perPage int, cursor string) any {
	tree, _ := deepCopy(a.synthTree(rt)).(map[string]any)
	if tree == nil {
		return a.synthTree(rt)
	}
	start := (page - 1) * perPage
	if strings.HasPrefix(cursor, "after:") {
		if n, err := strconv.Atoi(strings.TrimPrefix(cursor, "after:")); err == nil {
			start = n
			page = n/perPage + 1 // pages.page says where the cursor led
		}
	}
	start = min(max(start, 0), len(objs))
	end := min(start+perPage, len(objs))
	for _, name := range listArrays(a, rt) {
		ps := a.schemas.at(a.schemas.property(rt.op.Response, name))
		out := make([]any, 0, end-start)
		for _, o := range objs[start:end] {
			out = append(out, a.schemas.conform(ps.Items, o.tree, 0))
		}
		tree[name] = out
	}
	setIf(tree, "total_count", float64(len(objs)))
	if pages, ok := tree["pages"].(map[string]any); ok {
		pages["page"] = float64(page)
		pages["per_page"] = float64(perPage)
		pages["total_pages"] = float64(max(1, (len(objs)+perPage-1)/perPage))
		delete(pages, "next")
		pagesSchema := a.schemas.property(rt.op.Response, "pages")
		nextSchema := a.schemas.at(a.schemas.property(pagesSchema, "next"))
		switch {
		case nextSchema != nil && nextSchema.Type == "string":
			// Where a version declares pages.next a string, it is the
			// URL of the next page, as Intercom sends it; "" on the last.
			pages["next"] = ""
			if end < len(objs) {
				pages["next"] = fmt.Sprintf("https://api.intercom.io%s?page=%d&per_page=%d", rt.op.Path, page+1, perPage)
			}
		case end < len(objs):
			pages["next"] = map[string]any{"page": float64(page + 1), "per_page": float64(perPage), "starting_after": "after:" + strconv.Itoa(end)}
		}
	}
	setIf(tree, "has_more", end < len(objs))
	return a.schemas.conform(rt.op.Response, tree, 0)
}

// synthTree is the route's synthesized answer as a JSON tree (shared: copy
// before changing it).
func (a *api) synthTree(rt *route) any {
	rt.treeOnce.Do(func() {
		b := a.synthesized(rt)
		if len(b) == 0 {
			return
		}
		_ = json.Unmarshal(b, &rt.tree)
	})
	return rt.tree
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = deepCopy(x)
		}
		return s
	}
	return v
}

// plainJSON turns request values (json.Number) into what stored trees hold
// (float64), so that comparisons and encodings agree.
func plainJSON(v any) any {
	switch t := v.(type) {
	case json.Number:
		f, _ := t.Float64()
		return f
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = plainJSON(x)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = plainJSON(x)
		}
		return s
	}
	return v
}

// compileTreeQuery compiles Intercom's search query language for stored
// objects: a comparison {field, operator, value} on a dotted field path, or
// an AND/OR group of them.
func compileTreeQuery(q any, path string, depth int) (func(map[string]any) bool, *apiError) {
	invalid := func(format string, args ...any) *apiError {
		return errf(http.StatusBadRequest, "parameter_invalid", format, args...).on(path)
	}
	if depth > maxQueryDepth {
		return nil, invalid("the query nests more than %d levels", maxQueryDepth)
	}
	n, ok := q.(map[string]any)
	if !ok {
		return nil, invalid("%s must be an object with field, operator and value", path)
	}
	op, _ := n["operator"].(string)
	switch strings.ToUpper(op) {
	case "AND", "OR":
		parts, _ := n["value"].([]any)
		if len(parts) == 0 {
			return nil, invalid("an %s group needs a non-empty list of queries as its value", op)
		}
		subs := make([]func(map[string]any) bool, len(parts))
		for i, p := range parts {
			m, e := compileTreeQuery(p, fmt.Sprintf("%s.value[%d]", path, i), depth+1)
			if e != nil {
				return nil, e
			}
			subs[i] = m
		}
		all := strings.ToUpper(op) == "AND"
		return func(t map[string]any) bool {
			for _, m := range subs {
				if m(t) != all {
					return !all
				}
			}
			return all
		}, nil
	}
	field, _ := n["field"].(string)
	if field == "" {
		return nil, invalid("%s.field is required", path).on(path + ".field")
	}
	want := plainJSON(n["value"])
	get := func(t map[string]any) any {
		var cur any = t
		for _, part := range strings.Split(field, ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				return nil
			}
			cur = m[part]
		}
		return cur
	}
	test, ok := treeTests[op]
	if !ok {
		return nil, invalid("operator %q is not supported", op).on(path + ".operator")
	}
	return func(t map[string]any) bool { return test(get(t), want) }, nil
}

var treeTests = map[string]func(have, want any) bool{
	"=":   func(h, w any) bool { return textOf(h) == textOf(w) },
	"!=":  func(h, w any) bool { return textOf(h) != textOf(w) },
	"~":   func(h, w any) bool { return strings.Contains(textOf(h), textOf(w)) },
	"!~":  func(h, w any) bool { return !strings.Contains(textOf(h), textOf(w)) },
	"^":   func(h, w any) bool { return strings.HasPrefix(textOf(h), textOf(w)) },
	"$":   func(h, w any) bool { return strings.HasSuffix(textOf(h), textOf(w)) },
	"IN":  func(h, w any) bool { return inList(h, w) },
	"NIN": func(h, w any) bool { return !inList(h, w) },
	"<":   func(h, w any) bool { return compareNum(h, w, func(a, b float64) bool { return a < b }) },
	"<=":  func(h, w any) bool { return compareNum(h, w, func(a, b float64) bool { return a <= b }) },
	">":   func(h, w any) bool { return compareNum(h, w, func(a, b float64) bool { return a > b }) },
	">=":  func(h, w any) bool { return compareNum(h, w, func(a, b float64) bool { return a >= b }) },
}

func textOf(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(bytes.Trim(b, `"`))
}

func inList(h, w any) bool {
	list, _ := w.([]any)
	return slices.ContainsFunc(list, func(x any) bool { return textOf(x) == textOf(h) })
}

func compareNum(h, w any, cmp func(a, b float64) bool) bool {
	a, ok1 := number(h)
	b, ok2 := number(w)
	if !ok1 {
		if f, err := strconv.ParseFloat(textOf(h), 64); err == nil {
			a, ok1 = f, true
		}
	}
	if !ok2 {
		if f, err := strconv.ParseFloat(textOf(w), 64); err == nil {
			b, ok2 = f, true
		}
	}
	return ok1 && ok2 && cmp(a, b)
}

// declaresID reports whether objects of schema i have an id, directly or
// in every branch of a union or member of allOf.
func (s schemas) declaresID(i, depth int) bool {
	sc := s.at(i)
	if sc == nil || depth > 8 {
		return false
	}
	if s.property(i, "id") != 0 {
		return true
	}
	branches := append(slices.Clone(sc.OneOf), sc.AnyOf...)
	return len(branches) > 0 && !slices.ContainsFunc(branches, func(b int) bool { return !s.declaresID(b, depth+1) })
}
