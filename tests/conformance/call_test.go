package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/apipin/intercom/internal/union"
	"github.com/apipin/intercom/tests/conformance/internal/synth"
)

// variant names which optional inputs a call fills.
type variant string

const (
	required variant = "required" // required parameters and body fields only
	optional variant = "optional" // every parameter and body field as well
)

// request is one call of an operation: the arguments after the context,
// and what the request on the wire must then carry. Prism checks that the
// request is valid; these expectations check that it is the one the
// arguments asked for (a valid request can still have lost a field).
type request struct {
	variant    variant
	args       []reflect.Value
	path       string            // escaped path, placeholders filled
	pathParams map[string]string // placeholder -> raw value, for kin-openapi
	query      []string          // names the query string must carry
	headers    []string          // header parameters the request must carry
	body       any               // the JSON body (decoded), when the body is JSON
}

var (
	typeContext = reflect.TypeFor[context.Context]()
	typeReader  = reflect.TypeFor[io.Reader]()
	typeError   = reflect.TypeFor[error]()
	placeholder = regexp.MustCompile(`\{([^}]+)\}`)
)

// operation is one spec operation and the Client method that calls it.
type operation struct {
	version string // the Intercom-Version the package pins
	info    opInfo
	spec    *openapi3.Operation
	params  map[string]*openapi3.Parameter // "in name" -> parameter
	route   *routers.Route                 // for kin-openapi's request validation
	client  reflect.Value                  // the *Client
	method  reflect.Value
}

func (o operation) key() string { return o.info.Method + " " + o.info.Path }

// lookup pairs an operation of the version package with its spec
// operation and its method on client.
func lookup(version string, doc *openapi3.T, client reflect.Value, info opInfo) (operation, error) {
	item := doc.Paths.Value(info.Path)
	if item == nil {
		return operation{}, fmt.Errorf("path %s not in the spec", info.Path)
	}
	op := item.GetOperation(info.Method)
	if op == nil {
		return operation{}, fmt.Errorf("%s %s not in the spec", info.Method, info.Path)
	}
	m := client.MethodByName(info.GoMethod)
	if !m.IsValid() {
		return operation{}, fmt.Errorf("Client has no method %s", info.GoMethod)
	}
	params := map[string]*openapi3.Parameter{}
	// Operation parameters override path-item ones of the same name.
	for _, ps := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range ps {
			if p.Value != nil {
				params[p.Value.In+" "+p.Value.Name] = p.Value
			}
		}
	}
	route := &routers.Route{Spec: doc, Path: info.Path, PathItem: item, Method: info.Method, Operation: op}
	return operation{version: version, info: info, spec: op, params: params, route: route, client: client, method: m}, nil
}

// variants returns the variants worth calling: the optional one only when
// the operation has an optional parameter or body property.
func (o operation) variants() []variant {
	for _, p := range o.params {
		if !p.Required && p.In != openapi3.ParameterInCookie {
			return []variant{required, optional}
		}
	}
	if rb := o.spec.RequestBody; rb != nil && rb.Value != nil {
		for _, mt := range rb.Value.Content {
			if mt.Schema != nil && hasOptional(mt.Schema, map[*openapi3.Schema]bool{}) {
				return []variant{required, optional}
			}
		}
	}
	return []variant{required}
}

func hasOptional(sr *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) bool {
	sc := sr.Value
	if sc == nil || seen[sc] {
		return false
	}
	seen[sc] = true
	if len(sc.Properties) > len(sc.Required) || sc.Type.Is("array") && sc.MinItems == 0 {
		return true
	}
	for _, refs := range []openapi3.SchemaRefs{sc.AllOf, sc.OneOf, sc.AnyOf} {
		for _, r := range refs {
			if hasOptional(r, seen) {
				return true
			}
		}
	}
	return false
}

// build synthesizes the arguments of one call: path placeholders in the
// order they appear in the path (oapi-codegen's order), then the params
// struct, the JSON body (or content type and reader for other bodies).
func (o operation) build(v variant) (request, error) {
	mt := o.method.Type()
	if mt.NumIn() == 0 || mt.In(0) != typeContext {
		return request{}, fmt.Errorf("%s does not take a context first", o.info.GoMethod)
	}
	numIn := mt.NumIn()
	if mt.IsVariadic() {
		numIn-- // the call options: none
	}
	r := request{variant: v, args: make([]reflect.Value, numIn-1), pathParams: map[string]string{}}
	names := placeholder.FindAllStringSubmatch(o.info.Path, -1)
	if len(names)+1 > mt.NumIn() {
		return request{}, fmt.Errorf("%s takes %d arguments for %d path placeholders", o.info.GoMethod, mt.NumIn()-1, len(names))
	}
	r.path = o.info.Path
	for i, n := range names {
		p := o.params["path "+n[1]]
		if p == nil {
			return request{}, fmt.Errorf("placeholder {%s} has no path parameter", n[1])
		}
		val, err := pathValue(p, i)
		if err != nil {
			return request{}, err
		}
		arg, err := convert(val, mt.In(i+1))
		if err != nil {
			return request{}, fmt.Errorf("path parameter %s: %w", n[1], err)
		}
		r.args[i] = arg
		r.pathParams[n[1]] = fmt.Sprint(val)
		r.path = strings.Replace(r.path, n[0], url.PathEscape(fmt.Sprint(val)), 1)
	}
	for i := len(names) + 1; i < numIn; i++ {
		t := mt.In(i)
		var err error
		switch {
		case t.Kind() == reflect.String && i+1 < numIn && mt.In(i+1) == typeReader:
			err = o.otherBody(v, &r, i-1)
			i++
		case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && strings.HasSuffix(t.Elem().Name(), "Params"):
			r.args[i-1], err = o.paramsArg(v, t, &r)
		default:
			r.args[i-1], err = o.jsonBody(v, t, &r)
		}
		if err != nil {
			return request{}, err
		}
	}
	return r, nil
}

// pathValue is a distinct value per placeholder, so that swapped
// arguments show in the path: "v0-contact_id", or 101, 102… (within the
// schema's bounds), or the schema's own value when it is constrained.
func pathValue(p *openapi3.Parameter, i int) (any, error) {
	sc := p.Schema
	if sc == nil || sc.Value == nil {
		return fmt.Sprintf("v%d-%s", i, p.Name), nil
	}
	s := sc.Value
	switch {
	case len(s.Enum) > 0 || s.Format != "" && s.Type.Is("string"):
		return synth.Synth{Full: true}.Value(sc)
	case s.Type.Is("integer") || s.Type.Is("number"):
		v := synth.NumberValue(s)
		if s.Min == nil && s.Max == nil && s.MultipleOf == nil {
			v = float64(101 + i)
		}
		return v, nil
	default:
		return fmt.Sprintf("v%d-%s", i, p.Name), nil
	}
}

// convert turns a JSON value into a Go value of type t, as the JSON
// decoder would.
func convert(val any, t reflect.Type) (reflect.Value, error) {
	data, err := json.Marshal(val)
	if err != nil {
		return reflect.Value{}, err
	}
	if v, ok, err := union.DecodeAs(t, data); ok {
		// a union body: the variant the JSON belongs to
		if err != nil {
			return reflect.Value{}, err
		}
		arg := reflect.New(t).Elem()
		if v != nil {
			arg.Set(reflect.ValueOf(v))
		}
		return arg, nil
	}
	ptr := reflect.New(t)
	if err := json.Unmarshal(data, ptr.Interface()); err != nil {
		return reflect.Value{}, err
	}
	return ptr.Elem(), nil
}

// paramsArg fills the params struct from the query and header parameters
// (all of them in the optional variant), through their JSON names, which
// oapi-codegen makes the parameter names. Parameter values are always full
// (an array gets an item), since an empty list is not a value to send.
func (o operation) paramsArg(v variant, t reflect.Type, r *request) (reflect.Value, error) {
	vals := map[string]any{}
	for _, key := range slices.Sorted(maps.Keys(o.params)) {
		p := o.params[key]
		if p.In != openapi3.ParameterInQuery && p.In != openapi3.ParameterInHeader || !p.Required && v == required {
			continue
		}
		val, err := synth.Synth{Full: true}.Value(p.Schema)
		if err != nil {
			return reflect.Value{}, fmt.Errorf("%s parameter %s: %w", p.In, p.Name, err)
		}
		vals[p.Name] = val
		if p.In == openapi3.ParameterInHeader {
			r.headers = append(r.headers, p.Name)
			continue
		}
		// A form-exploded object puts each property in the query.
		if m, ok := val.(map[string]any); ok && (p.Explode == nil || *p.Explode) {
			r.query = append(r.query, slices.Sorted(maps.Keys(m))...)
		} else {
			r.query = append(r.query, p.Name)
		}
	}
	if len(vals) == 0 {
		return reflect.Zero(t), nil
	}
	fields := jsonNames(t.Elem())
	for name := range vals {
		if !fields[name] {
			return reflect.Value{}, fmt.Errorf("parameter %s has no field in %v", name, t.Elem())
		}
	}
	arg, err := convert(vals, t.Elem())
	if err != nil {
		return reflect.Value{}, fmt.Errorf("%v cannot hold %v: %w", t.Elem(), vals, err)
	}
	ptr := reflect.New(t.Elem())
	ptr.Elem().Set(arg)
	return ptr, nil
}

// jsonNames lists the JSON names of a struct's fields.
func jsonNames(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// bodySchema is the schema of the request body for a media type.
func (o operation) bodySchema(media string) *openapi3.SchemaRef {
	rb := o.spec.RequestBody
	if rb == nil || rb.Value == nil || rb.Value.Content[media] == nil {
		return nil
	}
	return rb.Value.Content[media].Schema
}

// jsonBody synthesizes the JSON body and decodes it into the method's
// body type, as a caller holding JSON would.
func (o operation) jsonBody(v variant, t reflect.Type, r *request) (reflect.Value, error) {
	sr := o.bodySchema("application/json")
	if sr == nil {
		return reflect.Value{}, fmt.Errorf("argument of type %v, but no JSON request body in the spec", t)
	}
	val, err := synth.Synth{Full: v == optional}.Value(sr)
	if err != nil {
		return reflect.Value{}, fmt.Errorf("request body: %w", err)
	}
	r.body = normalize(val)
	arg, err := convert(val, t)
	if err != nil {
		return reflect.Value{}, fmt.Errorf("body type %v cannot hold a valid body: %w", t, err)
	}
	return arg, nil
}

// otherBody fills a (content type, io.Reader) argument pair: the only such
// body in the specs is a multipart form, whose binary properties are files.
func (o operation) otherBody(v variant, r *request, at int) error {
	rb := o.spec.RequestBody
	if rb == nil || rb.Value == nil {
		return fmt.Errorf("reader argument, but no request body in the spec")
	}
	sr := o.bodySchema("multipart/form-data")
	if sr == nil {
		return fmt.Errorf("reader argument for media types %v: only multipart/form-data is synthesized", slices.Sorted(maps.Keys(rb.Value.Content)))
	}
	val, err := synth.Synth{Full: v == optional}.Value(sr)
	if err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	fields, _ := val.(map[string]any)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	// A fixed boundary (a random one by default): the same arguments make
	// the same request in every run, which the replay record keys on.
	if err := w.SetBoundary("intercom-conformance-boundary"); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if p := sr.Value.Properties[name]; p != nil && p.Value != nil && p.Value.Format == "binary" {
			fw, err := w.CreateFormFile(name, name+".json")
			if err != nil {
				return err
			}
			_, err = io.WriteString(fw, "[]")
			if err != nil {
				return err
			}
			continue
		}
		if err := w.WriteField(name, fmt.Sprint(fields[name])); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	r.args[at] = reflect.ValueOf(w.FormDataContentType())
	r.args[at+1] = reflect.ValueOf(io.Reader(bytes.NewReader(buf.Bytes())))
	return nil
}

// normalize gives a JSON value the shape decoding its encoding gives, so
// that synthesized and sent bodies compare with reflect.DeepEqual.
func normalize(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // synthesized values are plain JSON values
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

// exchange is what one call put on the wire and got back (last attempt).
type exchange struct {
	sent       bool
	method     string
	url        *url.URL
	reqHeader  http.Header
	reqBody    []byte
	status     int
	respHeader http.Header
	respBody   []byte
	// elsewhere lists the requests that followed a redirect away from
	// Prism, and whether one of them carried the token.
	elsewhere   []string
	leakedToken bool
}

type exchangeKey struct{}

// recorder is the HTTP transport under the client's own chain: it records
// the exchange of calls whose context carries one, and sends every request
// for host (the address the client was given) to the server, Prism or the
// fake, or answers it from the replay record (replay_test.go). Requests for
// any other host (a redirect to where a
// recording is stored, say) never leave the machine: they get an empty
// 200, and are noted.
// prismResets counts the calls recorder sent again after Prism reset the
// connection.
var prismResets atomic.Int64

type recorder struct {
	base http.RoundTripper
	host string // the client's base URL's host:port
	// server is the server's host:port; for Prism, the first call starts
	// it if it is not running yet.
	server func() (string, error)
	replay *replayer // nil: no record is read or kept
}

func (rt recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	ex, _ := req.Context().Value(exchangeKey{}).(*exchange)
	if req.URL.Host != rt.host {
		if req.Body != nil {
			req.Body.Close()
		}
		if ex != nil {
			ex.elsewhere = append(ex.elsewhere, req.URL.Redacted())
			ex.leakedToken = ex.leakedToken || req.Header.Get("Authorization") != ""
		}
		return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{},
			Body: http.NoBody, Request: req, ProtoMajor: 1, ProtoMinor: 1}, nil
	}
	hash, body, keyed := requestHash(req)
	if ex == nil || ex.sent {
		return rt.send(req, hash, keyed)
	}
	*ex = exchange{sent: true, method: req.Method, url: req.URL, reqHeader: req.Header.Clone(), reqBody: body}
	resp, err := rt.send(req, hash, keyed)
	if err != nil {
		return resp, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	ex.status, ex.respHeader, ex.respBody = resp.StatusCode, resp.Header, data
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return resp, nil
}

// send answers req from the replay record, or sends it to the server (and
// records the answer).
func (rt recorder) send(req *http.Request, hash string, keyed bool) (*http.Response, error) {
	if rt.replay != nil && keyed {
		if resp, ok := rt.replay.answer(hash, req); ok {
			return resp, nil
		}
	}
	host, err := rt.server()
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.URL.Host = host
	resp, err := rt.base.RoundTrip(out)
	if errors.Is(err, syscall.ECONNRESET) && (req.Body == nil || req.GetBody != nil) {
		// Prism (Node) reset connections before any answer on a loaded
		// machine (load average above 10, runs of 2026-12-04, when idle
		// connections were still reused). One connection per call
		// (runVersion) removes the likeliest cause, not a proven one: a
		// reset call, which never reached Prism's answer, is sent once
		// more, and TestConformance logs how often, so that a run shows
		// whether it still happens.
		prismResets.Add(1)
		again := out.Clone(out.Context())
		if req.GetBody != nil {
			if again.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		resp, err = rt.base.RoundTrip(again)
	}
	if err != nil {
		return resp, err
	}
	// The caller sees the request it made, at the address it was given.
	resp.Request = req
	if !keyed {
		hash = ""
	}
	return rt.replay.record(hash, resp)
}

// invoke calls the method with ctx and the request's arguments and
// returns the error it reports (results are decoded or it is an error).
// A panic in the client is returned as an error, so that one broken
// operation does not hide the others.
func (o operation) invoke(ctx context.Context, r request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", errPanic, p)
		}
	}()
	args := append([]reflect.Value{reflect.ValueOf(ctx)}, r.args...)
	out := o.method.Call(args)
	last := out[len(out)-1]
	if last.Type() != typeError {
		return fmt.Errorf("%s does not return an error last", o.info.GoMethod)
	}
	if last.IsNil() {
		return nil
	}
	return last.Interface().(error)
}

// wireProblems lists how the request on the wire differs from what the
// arguments asked for, or from what every request of the package carries.
func (o operation) wireProblems(r request, ex *exchange) []string {
	var out []string
	if v := ex.reqHeader.Get("Intercom-Version"); v != o.version {
		out = append(out, fmt.Sprintf("Intercom-Version %q, the package pins %q", v, o.version))
	}
	if ex.url.EscapedPath() != r.path && ex.url.Path != r.path {
		out = append(out, fmt.Sprintf("path %s, want %s", ex.url.EscapedPath(), r.path))
	}
	q := ex.url.Query()
	for _, name := range r.query {
		if !q.Has(name) {
			out = append(out, fmt.Sprintf("query parameter %s missing (query %q)", name, ex.url.RawQuery))
		}
	}
	for _, h := range r.headers {
		if ex.reqHeader.Get(h) == "" {
			out = append(out, fmt.Sprintf("header %s missing", h))
		}
	}
	if r.body != nil {
		var sent any
		if err := json.Unmarshal(ex.reqBody, &sent); err != nil {
			out = append(out, fmt.Sprintf("body is not JSON: %v", err))
		} else if !reflect.DeepEqual(sent, r.body) {
			out = append(out, "body "+diffJSON("", r.body, sent))
		}
	}
	return out
}

// kinProblems validates the request on the wire with kin-openapi as well:
// Prism skips the body of some operations (stoplightio/prism#2574: a body
// whose schema other operations reference too is not validated), and a
// second validator catches what one misses.
func (o operation) kinProblems(ctx context.Context, r request, ex *exchange) []string {
	req, err := http.NewRequestWithContext(ctx, ex.method, ex.url.String(), bytes.NewReader(ex.reqBody))
	if err != nil {
		return []string{err.Error()}
	}
	req.Header = ex.reqHeader.Clone()
	opts := &openapi3filter.Options{
		MultiError:              true,
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.EnableFormatValidation()},
	}
	// Where and why only: the default message quotes the whole schema,
	// prose included.
	opts.WithCustomSchemaErrorFunc(func(e *openapi3.SchemaError) string {
		return "/" + strings.Join(e.JSONPointer(), "/") + ": " + e.Reason
	})
	err = openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request: req, PathParams: r.pathParams, Route: o.route, Options: opts,
	})
	if err == nil {
		return nil
	}
	var out []string
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			out = append(out, "kin-openapi: "+oneLine(e.Error()))
		}
		return out
	}
	return []string{"kin-openapi: " + oneLine(err.Error())}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// diffJSON names the first place where got differs from want.
func diffJSON(at string, want, got any) string {
	wm, wok := want.(map[string]any)
	gm, gok := got.(map[string]any)
	if wok && gok {
		for _, k := range slices.Sorted(maps.Keys(wm)) {
			if gv, ok := gm[k]; !ok {
				return fmt.Sprintf("%s.%s dropped", at, k)
			} else if !reflect.DeepEqual(wm[k], gv) {
				return diffJSON(at+"."+k, wm[k], gv)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(gm)) {
			if _, ok := wm[k]; !ok {
				return fmt.Sprintf("%s.%s added (%s)", at, k, short(gm[k]))
			}
		}
	}
	return fmt.Sprintf("%s is %s, want %s", at, short(got), short(want))
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 120 {
		return string(b[:120]) + "…"
	}
	return string(b)
}
