package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/intercomtest"
)

// fakeResult is the tally of one version against intercomtest.
type fakeResult struct {
	version                      string
	operations, decoded          int
	negatives, negativesRejected int
	kinds                        map[string]int // bad requests by what was wrong
}

// Every operation of every version, called through its typed method (with
// the same synthesized arguments as the Prism suite) against intercomtest,
// gets a 2xx (or the declared redirect) that decodes strictly into the
// generated type and that kin-openapi finds valid for the operation's
// answer schema; and a bad request per operation (a required query or
// header parameter dropped, a required body field dropped, a body of the
// wrong type, a path number that is not one) is rejected with an error.list
// naming the problem (see badRequest). Needs no Prism.
func TestFakeServesEveryOperation(t *testing.T) {
	start := time.Now()
	results := make([]*fakeResult, len(packages))
	t.Run("version", func(t *testing.T) {
		for i, p := range packages {
			t.Run(p.Version, func(t *testing.T) {
				t.Parallel()
				results[i] = runFakeVersion(t, p)
			})
		}
	})
	tot := fakeResult{kinds: map[string]int{}}
	for _, r := range results {
		if r == nil {
			continue
		}
		t.Logf("%-7s %4d operations, %4d decoded strictly, %4d/%4d bad requests rejected",
			r.version, r.operations, r.decoded, r.negativesRejected, r.negatives)
		tot.operations += r.operations
		tot.decoded += r.decoded
		tot.negatives += r.negatives
		tot.negativesRejected += r.negativesRejected
		for k, n := range r.kinds {
			tot.kinds[k] += n
		}
		if r.negatives < r.operations {
			t.Errorf("%s: %d operations without a bad request to send", r.version, r.operations-r.negatives)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(tot.kinds)) {
		t.Logf("  bad requests: %4d %s", tot.kinds[k], k)
	}
	t.Logf("all     %4d operations, %4d decoded strictly, %4d/%4d bad requests rejected (%v)",
		tot.operations, tot.decoded, tot.negativesRejected, tot.negatives, time.Since(start).Round(time.Millisecond))
}

func runFakeVersion(t *testing.T, p versionPkg) *fakeResult {
	d, err := specdoc.Load(p.Version)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := d.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	srv := intercomtest.NewServer(t, intercomtest.WithImplicitObjects())
	host := strings.TrimPrefix(srv.URL(), "http://")
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = callWorkers
	t.Cleanup(transport.CloseIdleConnections)
	client, err := newClient(p, facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL()), facade.DisableRetries(),
		facade.WithStrictDecoding(), facade.WithHTTPClient(&http.Client{Transport: recorder{base: transport, host: host,
			server: func() (string, error) { return host, nil }}}))
	if err != nil {
		t.Fatal(err)
	}
	res := &fakeResult{version: p.Version, operations: len(p.Operations), kinds: map[string]int{}}
	var ops []operation
	for _, info := range p.Operations {
		o, err := lookup(p.Version, doc, client, info)
		if err != nil {
			t.Errorf("%s %s: %v", info.Method, info.Path, err)
			continue
		}
		ops = append(ops, o)
	}
	var mu sync.Mutex
	raw := &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	call := func(o operation) {
		ok := true
		var first *exchange
		for _, v := range o.variants() {
			ex, problem := callFake(t.Context(), o, v, srv, first)
			if problem != "" {
				ok = false
				t.Errorf("%s (%s) %s: %s", o.key(), o.info.GoMethod, v, problem)
			}
			if first == nil && ex != nil && ex.sent {
				first = ex
			}
		}
		applicable, rejected, kind := false, false, ""
		if first != nil {
			var why string
			applicable, rejected, kind, why = badRequest(t.Context(), raw, o, first)
			if applicable && !rejected {
				t.Errorf("%s: bad request not rejected: %s", o.key(), why)
			}
		}
		mu.Lock()
		if ok {
			res.decoded++
		}
		if applicable {
			res.kinds[kind]++
			res.negatives++
			if rejected {
				res.negativesRejected++
			}
		}
		mu.Unlock()
	}
	// The detach calls link their pair first (realistic); another call on
	// the same ids running meanwhile (one deleting the contact or the
	// company) could remove that link before the detach is sent. So they
	// go last, once every other call has returned.
	later := func(o operation) bool { return strings.HasPrefix(o.info.OperationID, "detach") }
	callAll(callWorkers, slices.DeleteFunc(slices.Clone(ops), later), call)
	callAll(callWorkers, slices.DeleteFunc(slices.Clone(ops), func(o operation) bool { return !later(o) }), call)
	return res
}

// callAll runs call for every operation, workers at a time, and returns
// when all have returned.
func callAll(workers int, ops []operation, call func(operation)) {
	next := make(chan operation)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for o := range next {
				call(o)
			}
		})
	}
	for _, o := range ops {
		next <- o
	}
	close(next)
	wg.Wait()
}

// callFake makes one call and returns what is wrong with it, "" if nothing.
func callFake(ctx context.Context, o operation, v variant, srv *intercomtest.Server, prev *exchange) (*exchange, string) {
	r, err := o.build(v)
	if err != nil {
		return nil, fmt.Sprintf("cannot build the call: %v", err)
	}
	if err := realistic(ctx, o, &r, srv, prev); err != nil {
		return nil, fmt.Sprintf("cannot make the call realistic: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	ex := &exchange{}
	err = o.invoke(context.WithValue(ctx, exchangeKey{}, ex), r)
	if !ex.sent {
		return ex, fmt.Sprintf("nothing sent: %v", err)
	}
	if probs := o.wireProblems(r, ex); len(probs) > 0 {
		return ex, "the request sent is not the one asked for: " + strings.Join(probs, "; ")
	}
	if probs := o.kinProblems(ctx, r, ex); len(probs) > 0 {
		return ex, "the synthesized request is invalid: " + strings.Join(probs, "; ")
	}
	switch {
	case ex.status >= 300 && ex.status <= 399:
		if err != nil {
			return ex, fmt.Sprintf("redirect %d not followed: %v", ex.status, err)
		}
		return ex, ""
	case ex.status < 200 || ex.status > 299:
		return ex, fmt.Sprintf("status %d: %s", ex.status, string(ex.respBody))
	case err != nil:
		return ex, fmt.Sprintf("the answer does not decode strictly: %v", err)
	}
	if !declaresSuccess(o) {
		return ex, "" // an empty 200: nothing to validate
	}
	if probs := answerProblems(ctx, o, r, ex); probs != "" {
		return ex, "the answer breaks its schema: " + probs
	}
	return ex, ""
}

// answerProblems validates the answer with kin-openapi against the
// operation's declared answer.
func answerProblems(ctx context.Context, o operation, r request, ex *exchange) string {
	req, err := http.NewRequestWithContext(ctx, ex.method, ex.url.String(), bytes.NewReader(ex.reqBody))
	if err != nil {
		return err.Error()
	}
	req.Header = ex.reqHeader.Clone()
	opts := &openapi3filter.Options{
		MultiError:              true,
		IncludeResponseStatus:   true,
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.EnableFormatValidation()},
	}
	opts.WithCustomSchemaErrorFunc(func(e *openapi3.SchemaError) string {
		return "/" + strings.Join(e.JSONPointer(), "/") + ": " + e.Reason
	})
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: r.pathParams, Route: o.route, Options: opts},
		Status:                 ex.status,
		Header:                 ex.respHeader,
		Body:                   io.NopCloser(bytes.NewReader(ex.respBody)),
		Options:                opts,
	})
	if err == nil {
		return ""
	}
	return oneLine(err.Error())
}

// badRequest breaks the operation's recorded valid request in one way the
// API refuses, sends it, and checks the refusal: a 4xx error.list whose
// code says what is wrong. In order of preference: a required query or
// header parameter left out, a required body property left out, a body of
// the wrong JSON kind, a path number that is not one, a path placeholder
// left empty (an unknown path), a method the path does not take.
// applicable is false only when the path takes every method tried.
func badRequest(ctx context.Context, c *http.Client, o operation, ex *exchange) (applicable, rejected bool, kind, why string) {
	u := *ex.url
	body := ex.reqBody
	method := ex.method
	header := ex.reqHeader.Clone()
	var codes []string
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range o.params {
			if !yield(k) {
				return
			}
		}
	})
	var bodySchema *openapi3.Schema
	if sr := o.bodySchema("application/json"); sr != nil && sr.Value != nil {
		bodySchema = sr.Value
	}
	var decoded map[string]any
	_ = json.Unmarshal(body, &decoded)
	switch {
	case slices.ContainsFunc(keys, func(k string) bool {
		p := o.params[k]
		return p.Required && p.In == openapi3.ParameterInQuery && !(p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Type.Is("object"))
	}):
		i := slices.IndexFunc(keys, func(k string) bool {
			p := o.params[k]
			return p.Required && p.In == openapi3.ParameterInQuery && !(p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Type.Is("object"))
		})
		q := u.Query()
		q.Del(o.params[keys[i]].Name)
		u.RawQuery = q.Encode()
		codes, kind = []string{"parameter_not_found"}, "required query parameter left out"
	case slices.ContainsFunc(keys, func(k string) bool { return o.params[k].Required && o.params[k].In == openapi3.ParameterInHeader }):
		i := slices.IndexFunc(keys, func(k string) bool { return o.params[k].Required && o.params[k].In == openapi3.ParameterInHeader })
		header.Del(o.params[keys[i]].Name)
		codes, kind = []string{"parameter_not_found"}, "required header left out"
	case bodySchema != nil && decoded != nil && len(bodySchema.Required) > 0 && len(bodySchema.OneOf)+len(bodySchema.AnyOf) == 0:
		delete(decoded, slices.Sorted(slices.Values(bodySchema.Required))[0])
		body, _ = json.Marshal(decoded)
		codes, kind = []string{"parameter_not_found"}, "required body property left out"
	case bodySchema != nil && len(body) > 0:
		body = []byte(`"not the body"`)
		if bodySchema.Type.Is("string") {
			body = []byte(`12345`)
		}
		codes, kind = []string{"bad_request", "parameter_invalid"}, "body of the wrong JSON kind"
	case slices.ContainsFunc(keys, func(k string) bool {
		p := o.params[k]
		return p.In == openapi3.ParameterInPath && p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Type.Is("integer")
	}):
		segs := strings.Split(u.Path, "/")
		for i, s := range segs {
			if strings.Trim(s, "0123456789") == "" && s != "" {
				segs[i] = "not-a-number"
				break
			}
		}
		u.Path, u.RawPath = strings.Join(segs, "/"), ""
		codes, kind = []string{"parameter_invalid"}, "path number that is not one"
	case strings.Contains(o.info.Path, "{"):
		// A path placeholder left empty: no operation has that path.
		segs := strings.Split(u.EscapedPath(), "/")
		tmpl := strings.Split(o.info.Path, "/")
		for i := len(tmpl) - 1; i >= 0; i-- {
			if strings.HasPrefix(tmpl[i], "{") && i < len(segs) {
				segs[i] = ""
				break
			}
		}
		u.Path, u.RawPath = "", ""
		parsed, err := url.Parse(strings.Join(segs, "/"))
		if err != nil {
			return true, false, kind, err.Error()
		}
		u.Path, u.RawPath = parsed.Path, parsed.RawPath
		codes, kind = []string{"not_found"}, "unknown path (a placeholder left empty)"
	default:
		// Nothing to leave out or get wrong: a method the path does not take.
		for _, m := range []string{http.MethodPatch, http.MethodPut, http.MethodDelete, http.MethodPost, http.MethodGet} {
			if o.route.PathItem.GetOperation(m) == nil {
				method = m
				break
			}
		}
		if method == ex.method {
			return false, false, "", ""
		}
		body = nil
		codes, kind = []string{"method_not_allowed"}, "method the path does not take"
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return true, false, kind, err.Error()
	}
	req.Header = header
	if body == nil {
		req.Header.Del("Content-Type")
	}
	resp, err := c.Do(req)
	if err != nil {
		return true, false, kind, err.Error()
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var el struct {
		Type   string `json:"type"`
		Errors []struct {
			Code string `json:"code"`
		} `json:"errors"`
	}
	if resp.StatusCode < 400 || resp.StatusCode > 499 || json.Unmarshal(data, &el) != nil || el.Type != "error.list" ||
		len(el.Errors) == 0 || !slices.Contains(codes, el.Errors[0].Code) {
		return true, false, kind, fmt.Sprintf("%s %s: status %d, want a %v error.list: %s", req.Method, redact(u), resp.StatusCode, codes, short(string(data)))
	}
	return true, true, kind, ""
}

func redact(u url.URL) string { return u.Redacted() }

func declaresSuccess(o operation) bool {
	for code := 200; code < 300; code++ {
		if o.spec.Responses.Status(code) != nil {
			return true
		}
	}
	return false
}

// realistic adjusts the synthesized call of the few operations where a value
// the description allows breaks a rule of the API that intercomtest keeps
// (a contact's role is user or lead; creating a company needs its
// company_id; a search names an indexed field; a scroll starts without a
// scroll_param), or sets up the state the call needs (a link to remove). The
// call stays valid for the description: kin-openapi still checks it.
func realistic(ctx context.Context, o operation, r *request, srv *intercomtest.Server, prev *exchange) error {
	id := o.info.OperationID
	if id != "" {
		id = strings.ToLower(id[:1]) + id[1:] // some upstream ids start with a capital
	}
	switch id {
	case "createContact", "updateContact":
		// Emails and external ids are unique in a workspace.
		n := uniqueSeq.Add(1)
		return patchBody(o, r, func(b map[string]any) {
			if _, ok := b["role"]; ok {
				b["role"] = "user"
			}
			if _, ok := b["email"]; ok {
				b["email"] = fmt.Sprintf("person%d@example.com", n)
			}
			if _, ok := b["external_id"]; ok {
				b["external_id"] = fmt.Sprintf("person-%d", n)
			}
		})
	case "listContacts":
		// A cursor is one the server issued.
		return setParam(r, "starting_after", nil)
	case "createOrUpdateCompany":
		return patchBody(o, r, func(b map[string]any) { b["company_id"] = "realistic-company" })
	case "searchContacts":
		return patchBody(o, r, func(b map[string]any) {
			b["query"] = map[string]any{"field": "email", "operator": "=", "value": "someone@example.com"}
			if p, ok := b["pagination"].(map[string]any); ok {
				delete(p, "starting_after")
			}
		})
	case "scrollOverAllCompanies":
		// Go on with the scroll the previous call opened: one is open at a time.
		var page struct {
			ScrollParam string `json:"scroll_param"`
		}
		if prev == nil || json.Unmarshal(prev.respBody, &page) != nil || page.ScrollParam == "" {
			return setParam(r, "scroll_param", nil)
		}
		return setParam(r, "scroll_param", page.ScrollParam)
	case "detachContactFromACompany", "detachTagFromContact":
		// Link the pair first, through the API, so that there is a link to remove.
		kind, id := "companies", r.pathParams["company_id"]
		if o.info.OperationID == "detachTagFromContact" {
			kind, id = "tags", r.pathParams["tag_id"]
		}
		if id == "" {
			id = r.pathParams["id"]
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost,
			srv.URL()+"/contacts/"+url.PathEscape(r.pathParams["contact_id"])+"/"+kind, strings.NewReader(`{"id":`+strconvQuote(id)+`}`))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+srv.Token())
		req.Header.Set("Intercom-Version", o.version)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("linking %s %s: status %d", kind, id, resp.StatusCode)
		}
	}
	return nil
}

var uniqueSeq atomic.Int64

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// patchBody edits the JSON body of the call, keeping the argument and
// the expected wire body in step.
func patchBody(o operation, r *request, edit func(map[string]any)) error {
	body, ok := r.body.(map[string]any)
	if !ok {
		return nil
	}
	edit(body)
	b := o.bodyArg()
	if b < 0 {
		return nil
	}
	arg, err := convert(body, r.args[b].Type())
	if err != nil {
		return err
	}
	r.args[b] = arg
	r.body = normalize(body)
	return nil
}

// setParam sets a query parameter of the call, or removes it (nil).
func setParam(r *request, name string, value any) error {
	if !slices.Contains(r.query, name) {
		return nil
	}
	for i, a := range r.args {
		t := a.Type()
		if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct || !strings.HasSuffix(t.Elem().Name(), "Params") || a.IsNil() {
			continue
		}
		data, err := json.Marshal(a.Interface())
		if err != nil {
			return err
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return err
		}
		if value == nil {
			delete(m, name)
		} else {
			m[name] = value
		}
		v, err := convert(m, t.Elem())
		if err != nil {
			return err
		}
		ptr := reflect.New(t.Elem())
		ptr.Elem().Set(v)
		r.args[i] = ptr
	}
	if value == nil {
		r.query = slices.DeleteFunc(r.query, func(q string) bool { return q == name })
	}
	return nil
}
