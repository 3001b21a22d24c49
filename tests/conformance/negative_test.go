package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/gensupport"
	"github.com/apipin/intercom/internal/union"
	"github.com/apipin/intercom/tests/conformance/internal/synth"
)

// bodyField is one required top-level property of an operation's JSON body.
type bodyField struct {
	op       operation
	name     string
	schema   *openapi3.Schema // the body's
	bodyType reflect.Type     // the method's body argument
	base     map[string]any   // a valid body with required properties only
}

// with returns the base body minus the field (drop), or with the field
// set to v.
func (f bodyField) with(v any, drop bool) []byte {
	b := maps.Clone(f.base)
	if drop {
		delete(b, f.name)
	} else {
		b[f.name] = v
	}
	data, err := json.Marshal(b)
	if err != nil {
		panic(err) // plain JSON values
	}
	return data
}

// bodyFields lists the required properties of every JSON body that is a
// plain object, in method order.
func bodyFields(ops []operation) []bodyField {
	var out []bodyField
	for _, o := range slices.SortedFunc(slices.Values(ops), func(a, b operation) int {
		return strings.Compare(a.info.GoMethod, b.info.GoMethod)
	}) {
		sr := o.bodySchema("application/json")
		if sr == nil || sr.Value == nil || !sr.Value.Type.Is("object") || len(sr.Value.OneOf)+len(sr.Value.AnyOf) > 0 {
			continue
		}
		b := o.bodyArg()
		if b < 0 {
			continue
		}
		bodyType := o.method.Type().In(b + 1)
		base, err := synth.Synth{}.Value(sr)
		if err != nil {
			continue // the conformance calls report it
		}
		for _, name := range slices.Sorted(slices.Values(sr.Value.Required)) {
			if p := sr.Value.Properties[name]; p == nil || p.Value == nil || p.Value.ReadOnly {
				continue
			}
			out = append(out, bodyField{o, name, sr.Value, bodyType, base.(map[string]any)})
		}
	}
	return out
}

// wrongType is a JSON value of another type than the schema asks for.
func wrongType(sc *openapi3.Schema) any {
	switch {
	case sc.Type.Is("string"):
		return 12345.0
	case sc.Type.Is("integer"), sc.Type.Is("number"):
		return "not a number"
	case sc.Type.Is("boolean"):
		return "yes"
	default: // objects and arrays
		return "not an object or array"
	}
}

// goKeeps decodes data into the body type, as a caller holding JSON
// would, and encodes it again, as the client will send it; err is the
// decoder's when the type refuses data.
func (f bodyField) goKeeps(data []byte) (sent any, arg reflect.Value, err error) {
	ptr := reflect.New(f.bodyType)
	if err := json.Unmarshal(data, ptr.Interface()); err != nil {
		return nil, reflect.Value{}, err
	}
	out, err := json.Marshal(ptr.Interface())
	if err != nil {
		return nil, reflect.Value{}, err
	}
	return normalize(json.RawMessage(out)), ptr.Elem(), nil
}

// invalid reports whether the spec refuses sent as the body.
func (f bodyField) invalid(sent any) bool {
	return f.schema.VisitJSON(sent, openapi3.VisitAsRequest()) != nil
}

// runNegative checks, against the version's Prism, that invalid bodies
// are caught and surface as typed errors:
//
//   - a missing required field, sent as raw JSON through the facade
//     (gensupport.Do over the raw client): Prism's 4xx is an *intercom.Error;
//   - a missing required field through the typed method, where the Go type
//     keeps the absence (a pointer, slice or map; a zero value the schema
//     refuses): an *intercom.Error;
//   - a wrong type, where the Go type refuses it: an error from the JSON
//     decoder before anything is sent;
//   - a wrong type the Go type cannot refuse (an any-typed field): Prism
//     rejects it, an *intercom.Error. Versions without such a field skip it.
//
// Prism does not validate some bodies (see kinProblems), so the checks that
// need its 4xx take the first candidates it does validate, up to a few.
// It returns how many checks ran and passed.
func runNegative(t *testing.T, ops []operation) (ran, passed int) {
	fields := bodyFields(ops)
	if len(fields) == 0 {
		t.Error("negative: no operation has a JSON body with a required field")
		return 0, 0
	}
	check := func(name string, ok bool, format string, args ...any) {
		ran++
		if ok {
			passed++
			return
		}
		t.Errorf("negative, %s: %s", name, fmt.Sprintf(format, args...))
	}
	var missingRaw, missingTyped, wrongTyped []sendCase
	wrongRefused := false
	for _, f := range fields {
		missingRaw = append(missingRaw, sendCase{f, f.with(nil, true), reflect.Value{}})
		if sent, arg, err := f.goKeeps(f.with(nil, true)); err == nil && f.invalid(sent) {
			missingTyped = append(missingTyped, sendCase{f, nil, arg})
		}
		sent, arg, err := f.goKeeps(f.with(wrongType(f.schema.Properties[f.name].Value), false))
		var typeErr *json.UnmarshalTypeError
		switch {
		case err != nil && !wrongRefused:
			wrongRefused = true
			check("wrong type, refused by the Go type", errors.As(err, &typeErr), "%s with a wrong %s: %v", f.op.key(), f.name, err)
		case err == nil && f.invalid(sent):
			wrongTyped = append(wrongTyped, sendCase{f, nil, arg})
		}
	}
	if !wrongRefused {
		check("wrong type, refused by the Go type", false, "no required body field of this version has a Go type that refuses another JSON type")
	}
	for _, c := range []struct {
		name  string
		cases []sendCase
		need  bool
	}{
		{"missing field, raw JSON", missingRaw, true},
		{"missing field, typed method", missingTyped, true},
		{"wrong type, any-typed field", wrongTyped, false},
	} {
		if len(c.cases) == 0 && !c.need {
			continue
		}
		ok, unvalidated, report := firstRejected(t, c.cases)
		if unvalidated && !c.need {
			// Neither the Go type nor Prism can catch these: only the
			// kin-openapi check of the conformance calls would.
			t.Logf("negative, %s: not checkable here: %s", c.name, report)
			continue
		}
		check(c.name, ok, "%s", report)
	}
	return ran, passed
}

// sendCase is an invalid call: raw JSON for the raw client, or a body
// value for the typed method.
type sendCase struct {
	f    bodyField
	raw  []byte
	body reflect.Value
}

// maxTries bounds how many candidates are sent for one check.
const maxTries = 8

// firstRejected sends candidates until Prism rejects one, and reports
// whether that rejection surfaced as it should; unvalidated means that
// Prism accepted every candidate sent.
func firstRejected(t *testing.T, cases []sendCase) (ok, unvalidated bool, report string) {
	var notes []string
	for _, c := range cases[:min(len(cases), maxTries)] {
		var ex *exchange
		var err error
		if c.raw != nil {
			ex, err = c.f.sendRaw(t.Context(), c.raw)
		} else {
			ex, err = c.f.sendTyped(t.Context(), c.body)
		}
		what := fmt.Sprintf("%s (%s)", c.f.op.key(), c.f.name)
		if ex.status >= 200 && ex.status <= 299 {
			notes = append(notes, what+": Prism does not validate this body")
			continue
		}
		if !rejected(ex, err, c.f.name) {
			return false, false, fmt.Sprintf("%s: status %d, error %v (%T)", what, ex.status, err, err)
		}
		return true, false, ""
	}
	if len(cases) == 0 {
		return false, false, "no operation of this version allows the check"
	}
	return false, true, "Prism accepted every candidate: " + strings.Join(notes, "; ")
}

// rejected: the call failed with an *intercom.Error carrying Prism's 4xx,
// whose violations name the field, or the client refused it before
// sending, with an *intercom.ArgumentError naming the field (a required
// union left nil).
func rejected(ex *exchange, err error, field string) bool {
	var argErr *facade.ArgumentError
	if errors.As(err, &argErr) {
		return ex.status == 0 && strings.HasSuffix(argErr.Arg, "."+field)
	}
	var apiErr *facade.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode < 400 || apiErr.StatusCode > 499 || apiErr.StatusCode != ex.status {
		return false
	}
	req, _ := violations(ex)
	return slices.ContainsFunc(req, func(v string) bool { return strings.Contains(v, field) })
}

// sendTyped calls the typed method with the base call's other arguments
// and body as the body.
func (f bodyField) sendTyped(ctx context.Context, body reflect.Value) (*exchange, error) {
	r, err := f.op.build(required)
	if err != nil {
		return &exchange{}, err
	}
	r.args[f.op.bodyArg()] = body
	ex := &exchange{}
	ctx, cancel := waitCtx(ctx)
	defer cancel()
	return ex, f.op.invoke(context.WithValue(ctx, exchangeKey{}, ex), r)
}

// sendRaw sends data as the body through the raw client's <Method>WithBody
// and the facade's Do, as a caller with hand-made JSON would.
func (f bodyField) sendRaw(ctx context.Context, data []byte) (*exchange, error) {
	r, err := f.op.build(required)
	if err != nil {
		return &exchange{}, err
	}
	client := f.op.client
	core := coreOf(client)
	raw := client.MethodByName("Raw").Call(nil)[0].MethodByName(f.op.info.GoMethod + "WithBody")
	if !raw.IsValid() {
		return &exchange{}, fmt.Errorf("raw client has no %sWithBody", f.op.info.GoMethod)
	}
	ex := &exchange{}
	ctx, cancel := waitCtx(ctx)
	defer cancel()
	ctx = context.WithValue(ctx, exchangeKey{}, ex)
	op := &gensupport.Operation{ID: f.op.info.OperationID, Method: f.op.info.Method, Path: f.op.info.Path}
	_, err = gensupport.Do[json.RawMessage](ctx, core, op, nil, func(ctx context.Context) (*http.Response, error) {
		// The raw method takes the path arguments, the params when the
		// operation declares any, then the content type and the body.
		b := f.op.bodyArg()
		args := []reflect.Value{reflect.ValueOf(ctx)}
		args = append(args, r.args[:b]...)
		if raw.Type().NumIn() > b+4 { // ctx, path…, params, contentType, body, editors
			args = append(args, r.args[b+1])
		}
		args = append(args, reflect.ValueOf("application/json"), reflect.ValueOf(io.Reader(bytes.NewReader(data))))
		out := raw.Call(args)
		resp, _ := out[0].Interface().(*http.Response)
		err, _ := out[1].Interface().(error)
		return resp, err
	})
	return ex, err
}

// bodyArg is the index, among the arguments after ctx, of the method's JSON
// body: after the path parameters, before the params pointer and the call
// options. It is -1 when the method takes no JSON body.
func (o operation) bodyArg() int {
	mt := o.method.Type()
	for i := 1; i < mt.NumIn(); i++ {
		if mt.In(i).Kind() == reflect.Struct || union.Registered(mt.In(i)) {
			return i - 1
		}
	}
	return -1
}
