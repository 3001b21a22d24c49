package intercomtest

import (
	"bytes"
	"encoding/json"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apipin/intercom/intercomtest/internal/apitables"
)

// Every operation of every version the project pins is served from
// internal/apitables: the request is matched to its operation in the
// version it names, checked against the operation's parameters and body
// schema, and then answered by a stateful handler when the fake keeps state
// for that route, or with a body synthesized from the answer schema.

// api is one version's operations, ready to route.
type api struct {
	version string
	schemas schemas
	routes  map[string][]*route // by method
	paths   []*route            // every route, for "known path, other method"
	// stateful are the collections whose objects are stored (classify).
	stateful map[string]bool
	// existing are the collections read by id that the API cannot create
	// (admins, teams): stored once changed (classify).
	existing map[string]bool
}

type route struct {
	op       *apitables.Operation
	segments []string // "{name}" for a placeholder
	literals int      // literal segments, to prefer /contacts/search over /contacts/{id}

	answerOnce sync.Once
	answer     []byte // the synthesized success body, made once
	treeOnce   sync.Once
	tree       any // answer decoded, for the stateful routes to copy

	resource resourceRoute // what the route does to stored objects, if anything

	// shapes caches shape's output by its input: a stored object read again
	// unchanged is shaped once.
	shapes     sync.Map // string(handler JSON) -> []byte
	shapeCount atomic.Int64
}

// maxShapes bounds a route's shape cache; it is emptied when full.
const maxShapes = 4096

var (
	apisMu sync.Mutex // serializes building; apis is read without it
	apis   sync.Map   // version -> *api (nil when the version has no tables)
)

// apiFor returns the routing table of a version (Unstable is Preview), nil
// when there is none.
func apiFor(version string) *api {
	if version == "Unstable" {
		version = "Preview"
	}
	if a, ok := apis.Load(version); ok {
		return a.(*api)
	}
	apisMu.Lock()
	defer apisMu.Unlock()
	if a, ok := apis.Load(version); ok {
		return a.(*api)
	}
	t := apitables.Get(version)
	if t == nil {
		apis.Store(version, (*api)(nil))
		return nil
	}
	a := &api{version: version, schemas: schemas{list: t.Schemas}, routes: map[string][]*route{}}
	for i := range t.Operations {
		op := &t.Operations[i]
		r := &route{op: op, segments: strings.Split(strings.TrimPrefix(op.Path, "/"), "/")}
		for _, s := range r.segments {
			if !strings.HasPrefix(s, "{") {
				r.literals++
			}
		}
		a.routes[op.Method] = append(a.routes[op.Method], r)
		a.paths = append(a.paths, r)
	}
	for _, rs := range a.routes {
		slices.SortStableFunc(rs, func(x, y *route) int { return y.literals - x.literals })
	}
	a.classify()
	apis.Store(version, a)
	return a
}

// newestVersion is the version a request without Intercom-Version gets:
// the newest numbered one, as a workspace on the current default would.
func newestVersion() string {
	vs := apitables.Versions()
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i] != "Preview" {
			return vs[i]
		}
	}
	return vs[len(vs)-1]
}

// match finds the operation for method and path, with the values of its
// placeholders; known reports whether the path exists with another method.
func (a *api) match(method, path string) (r *route, params map[string]string, known bool) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for _, c := range a.routes[method] {
		if p, ok := c.bind(segs); ok {
			return c, p, true
		}
	}
	for _, c := range a.paths {
		if _, ok := c.bind(segs); ok {
			return nil, nil, true
		}
	}
	return nil, nil, false
}

func (r *route) bind(segs []string) (map[string]string, bool) {
	if len(segs) != len(r.segments) {
		return nil, false
	}
	var params map[string]string
	for i, s := range r.segments {
		if strings.HasPrefix(s, "{") {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			v, err := url.PathUnescape(segs[i])
			if err != nil {
				return nil, false
			}
			params[s[1:len(s)-1]] = v
			continue
		}
		if s != segs[i] {
			return nil, false
		}
	}
	return params, true
}

// check validates the request against the operation: path placeholders of
// the right type, required query and header parameters present and typed,
// and the body present, of the declared media type, and valid for its
// schema. It returns the decoded JSON body, if any.
func (a *api) check(r *route, req *http.Request, pathParams map[string]string, body []byte) (any, *apiError) {
	q := req.URL.Query()
	for _, p := range r.op.Params {
		sc := a.schemas.at(p.Schema)
		var raw []string
		switch p.In {
		case "path":
			raw = []string{pathParams[p.Name]}
		case "query":
			if sc != nil && sc.Type == "object" && !p.NoExplode {
				if e := a.checkQueryObject(p, sc, q); e != nil {
					return nil, e
				}
				continue
			}
			raw = q[p.Name]
			if len(raw) == 0 {
				raw = q[p.Name+"[]"]
			}
		case "header":
			raw = req.Header.Values(p.Name)
		}
		if len(raw) == 0 {
			if p.Required {
				return nil, errf(http.StatusBadRequest, "parameter_not_found", "%s parameter %s is required", p.In, p.Name).on(p.Name)
			}
			continue
		}
		if sc != nil && sc.Type == "array" {
			if len(raw) == 1 {
				raw = strings.Split(raw[0], ",")
			}
			sc = a.schemas.at(sc.Items)
		}
		for _, v := range raw {
			if e := scalarOK(sc, v); e != "" {
				return nil, errf(http.StatusBadRequest, "parameter_invalid", "%s parameter %s %s", p.In, p.Name, e).on(p.Name)
			}
		}
	}
	b := r.op.Body
	if b == nil {
		return nil, nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if b.Required {
			return nil, errf(http.StatusBadRequest, "parameter_not_found", "the request needs a body")
		}
		return nil, nil
	}
	media, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if media != "" && !slices.Contains(b.Media, media) {
		return nil, errf(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"the body must be %s, not %s", strings.Join(b.Media, " or "), media)
	}
	if !strings.HasSuffix(b.Media[0], "json") || media != "" && !strings.HasSuffix(media, "json") {
		return nil, nil // a multipart upload: its parts are not checked
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, errf(http.StatusBadRequest, "bad_request", "the request body is not valid JSON")
	}
	if p := a.schemas.validate(b.Schema, v, "", true); p != nil {
		return nil, p.apiError()
	}
	return v, nil
}

// checkQueryObject checks a form-exploded object parameter, whose
// properties are query parameters of their own.
func (a *api) checkQueryObject(p apitables.Param, sc *apitables.Schema, q url.Values) *apiError {
	present := false
	for _, name := range slices.Sorted(maps.Keys(sc.Properties)) {
		raw, ok := q[name]
		if !ok {
			continue
		}
		present = true
		for _, v := range raw {
			if e := scalarOK(a.schemas.at(sc.Properties[name]), v); e != "" {
				return errf(http.StatusBadRequest, "parameter_invalid", "query parameter %s %s", name, e).on(name)
			}
		}
	}
	if p.Required && !present {
		return errf(http.StatusBadRequest, "parameter_not_found", "query parameter %s is required (one of %s)",
			p.Name, strings.Join(slices.Sorted(maps.Keys(sc.Properties)), ", ")).on(p.Name)
	}
	for _, name := range sc.Required {
		if _, ok := q[name]; !ok && present {
			return errf(http.StatusBadRequest, "parameter_not_found", "query parameter %s is required", name).on(name)
		}
	}
	return nil
}

// scalarOK checks a parameter's text against its schema's type and enum;
// it returns what is wrong, or "".
func scalarOK(sc *apitables.Schema, v string) string {
	if sc == nil {
		return ""
	}
	switch sc.Type {
	case "integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return "must be a whole number, got " + strconv.Quote(v)
		}
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "must be a number, got " + strconv.Quote(v)
		}
	case "boolean":
		if v != "true" && v != "false" {
			return "must be true or false, got " + strconv.Quote(v)
		}
	}
	if len(sc.Enum) > 0 && !slices.ContainsFunc(sc.Enum, func(e any) bool {
		s, ok := e.(string)
		if !ok {
			f, _ := strconv.ParseFloat(v, 64)
			return sameJSON(e, f)
		}
		return s == v
	}) {
		return "must be one of the allowed values, got " + strconv.Quote(v)
	}
	return ""
}

// synthesized is the operation's success body, made from its answer
// schema once and then served as is.
func (a *api) synthesized(r *route) []byte {
	r.answerOnce.Do(func() {
		if r.op.Media == "" {
			return
		}
		v := a.schemas.synth(r.op.Response, synthMode{full: true, response: true})
		b, err := json.Marshal(v)
		if err != nil {
			panic("intercomtest: synthesized answer does not encode: " + err.Error()) // plain JSON values only
		}
		r.answer = b
	})
	return r.answer
}

// synthesizedFor is the synthesized answer of an item route (GET
// /admins/{admin_id}) with the object's id from the path, so that an answer
// is about the object asked for; other routes get the shared answer.
func (a *api) synthesizedFor(r *route, params map[string]string) []byte {
	b := a.synthesized(r)
	last := r.segments[len(r.segments)-1]
	if !isPlaceholder(last) || params[placeholderName(last)] == "" || a.schemas.property(r.op.Response, "id") == 0 {
		return b
	}
	tree, ok := deepCopy(a.synthTree(r)).(map[string]any)
	if !ok {
		return b
	}
	if _, has := tree["id"]; !has {
		return b
	}
	tree["id"] = typedID(a, r, "id", params[placeholderName(last)])
	if p := a.schemas.validate(r.op.Response, tree, "", false); p != nil {
		return b // the id does not fit the schema (an integer id given a word)
	}
	out, err := json.Marshal(tree)
	if err != nil {
		return b
	}
	return out
}

// shape renders a stateful handler's answer in the version's answer
// schema for the operation.
func (a *api) shape(r *route, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || r.op.Response == 0 {
		return b, err
	}
	if cached, ok := r.shapes.Load(string(b)); ok {
		return cached.([]byte), nil
	}
	out, err := a.shapeJSON(r, b)
	if err != nil {
		return nil, err
	}
	if r.shapeCount.Add(1) > maxShapes {
		r.shapes.Clear()
		r.shapeCount.Store(0)
	}
	r.shapes.Store(string(b), out)
	return out, nil
}

func (a *api) shapeJSON(r *route, b []byte) ([]byte, error) {
	var tree any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	return json.Marshal(a.schemas.conform(r.op.Response, tree, 0))
}
