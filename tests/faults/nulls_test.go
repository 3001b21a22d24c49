package faults

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/tests/bench/fixtures"
)

// contactSchema is the 2xx JSON schema of the operation behind ShowContact,
// read from the pinned 2.16 description at test time, so that "nullable"
// means what the description says.
var contactSchema = sync.OnceValues(func() (*openapi3.Schema, error) {
	d, err := specdoc.Load(intercom.APIVersion)
	if err != nil {
		return nil, err
	}
	doc, err := d.OpenAPI()
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(intercom.Operations, func(o intercom.OperationInfo) bool { return o.GoMethod == "ShowContact" })
	if i < 0 {
		return nil, errNoShowContact
	}
	op := doc.Paths.Find(intercom.Operations[i].Path).GetOperation(intercom.Operations[i].Method)
	return op.Responses.Status(200).Value.Content.Get("application/json").Schema.Value, nil
})

var errNoShowContact = errors.New("v2.16 has no ShowContact operation")

// properties merges the properties of s and of its allOf members.
func properties(s *openapi3.Schema) map[string]*openapi3.Schema {
	out := map[string]*openapi3.Schema{}
	for _, sub := range s.AllOf {
		for k, v := range properties(sub.Value) {
			out[k] = v
		}
	}
	for k, v := range s.Properties {
		out[k] = v.Value
	}
	return out
}

func nullable(s *openapi3.Schema) bool {
	return s.Nullable || (s.Type != nil && s.Type.Includes("null"))
}

func schemaOf(tb testing.TB) *openapi3.Schema {
	s, err := contactSchema()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// nullableNulled is the contact fixture with null in every field the
// description marks nullable, at any depth the fixture reaches, and in
// those it does not carry at the top level. It returns the nulled paths.
func nullableNulled(tb testing.TB) (map[string]any, []string) {
	m := fixtures.ContactMap(0)
	var paths []string
	var walk func(m map[string]any, s *openapi3.Schema, prefix string, top bool)
	walk = func(m map[string]any, s *openapi3.Schema, prefix string, top bool) {
		for name, p := range properties(s) {
			v, present := m[name]
			switch {
			case nullable(p) && (present || top):
				m[name] = nil
				paths = append(paths, prefix+name)
			case !present:
			case p.Items != nil && p.Items.Value != nil:
				for _, e := range asSlice(v) {
					if em, ok := e.(map[string]any); ok {
						walk(em, p.Items.Value, prefix+name+"[].", false)
					}
				}
			default:
				if vm, ok := v.(map[string]any); ok {
					walk(vm, p, prefix+name+".", false)
				}
			}
		}
	}
	walk(m, schemaOf(tb), "", true)
	return m, dedupe(paths)
}

// nonNullableNulled is the contact fixture with null in every top-level
// field it carries that the description does not mark nullable (id, type,
// email, the timestamps…).
func nonNullableNulled(tb testing.TB) (map[string]any, []string) {
	m := fixtures.ContactMap(0)
	var paths []string
	for name, p := range properties(schemaOf(tb)) {
		if _, present := m[name]; present && !nullable(p) {
			m[name] = nil
			paths = append(paths, name)
		}
	}
	sort.Strings(paths)
	return m, paths
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func dedupe(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}

// nullsDecoded checks that the call succeeded, that its value is the
// served JSON with the nulls left out (every nulled field zero, every other
// one intact), and what the facade reported: nothing for a null the
// description allows, and, with reported set, each nulled field for nulls
// it does not allow (docs/decoding.md: a null is decoded as the zero value
// and reported, never fails the call).
//
// Response models hold values, so a field that arrived as false, 0, "" or
// {} and one that did not arrive are the same Go value; both sides are
// compared with such members left out.
func nullsDecoded(build func(testing.TB) (map[string]any, []string), reported bool) func(*testing.T, *env, *result) string {
	return func(t *testing.T, _ *env, r *result) string {
		m, paths := build(t)
		if len(paths) < 3 { // Errorf, not Fatalf: the scenario's row must still be written
			t.Errorf("only %d fields nulled (%v): the fixture or the spec changed", len(paths), paths)
		}
		c, _ := r.value.(*intercom.ShowContactResult)
		if c == nil {
			t.Errorf("no value: %v", r.err)
			return ""
		}
		if got, want := dropZeros(asJSONValue(t, c)), dropZeros(asJSONValue(t, m)); !reflect.DeepEqual(got, want) {
			t.Errorf("decoded\n%v\nwant\n%v", got, want)
		}
		var want []string
		if reported {
			for _, p := range paths {
				want = append(want, "$."+p)
			}
		}
		if got := dedupe(slices.Clone(r.report)); !slices.Equal(got, want) {
			t.Errorf("decoding report %v, want %v", got, want)
		}
		if reported {
			return plural(len(paths), "field") + " nulled, each zero, each reported"
		}
		return plural(len(paths), "field") + " nulled, each zero, nothing reported"
	}
}

// dropZeros removes the members of objects that are null, false, 0, "" or
// an object left empty by the same rule, recursively.
func dropZeros(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			e = dropZeros(e)
			if m, ok := e.(map[string]any); e == nil || e == false || e == 0.0 || e == "" || ok && len(m) == 0 {
				continue
			}
			out[k] = e
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = dropZeros(e)
		}
		return out
	}
	return v
}

// asJSONValue is v as encoding/json's generic value, so that a Go struct
// and a map compare by their JSON.
func asJSONValue(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
