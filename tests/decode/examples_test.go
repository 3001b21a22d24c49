package decode

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/internal/gensupport"
	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/tests/internal/members"
)

// example is one JSON example of a 2xx response, read from the spec at
// test time (never copied into the repository), with the Go type that the
// operation's method returns.
type example struct {
	op, name string // op is "METHOD path"
	data     []byte
	typ      reflect.Type
	schema   *openapi3.SchemaRef // the response's schema
}

// examples lists the application/json examples of every 2xx response of
// v's spec.
func examples(t testing.TB, v version) []example {
	t.Helper()
	doc := loadSpec(t, v.name)
	var out []example
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := method + " " + path
			for status, resp := range op.Responses.Map() {
				if !strings.HasPrefix(status, "2") || resp.Value == nil {
					continue
				}
				mt := resp.Value.Content.Get("application/json")
				if mt == nil {
					continue
				}
				values := map[string]any{}
				if mt.Example != nil {
					values["example"] = mt.Example
				}
				for name, ex := range mt.Examples {
					if ex.Value != nil && ex.Value.Value != nil {
						values[name] = ex.Value.Value
					}
				}
				for name, val := range values {
					data, err := json.Marshal(val)
					if err != nil {
						t.Fatalf("%s %s: %v", key, name, err)
					}
					typ := v.resultType(t, key)
					if typ == nil {
						continue // the method returns no body
					}
					out = append(out, example{key, status + " " + name, data, typ, mt.Schema})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].op+out[i].name < out[j].op+out[j].name
	})
	return out
}

// For every response example of every spec, the facade's fast decode and
// encoding/json agree on success, and on the value when both succeed.
func TestExamplesFastMatchesEncodingJSON(t *testing.T) {
	var summary []string
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			exs := examples(t, v)
			engineAlone := 0
			for _, ex := range exs {
				diff := compareDecoders(ex.typ, ex.data)
				if diff != "" {
					t.Errorf("%s %s into %v: %s", ex.op, ex.name, ex.typ, diff)
				}
				// How often the fallback to encoding/json was needed: the
				// engine on its own, without it.
				want := reflect.New(ex.typ)
				errStd := json.Unmarshal(ex.data, want.Interface())
				got := reflect.New(ex.typ)
				errEngine := jsondec.Unmarshal(ex.data, got.Interface())
				if (errStd == nil) == (errEngine == nil) && (errStd != nil || reflect.DeepEqual(members.Without(want.Interface()), members.Without(got.Interface()))) {
					engineAlone++
				}
			}
			if len(exs) == 0 {
				t.Fatal("no examples found")
			}
			summary = append(summary, fmt.Sprintf("%-8s %4d examples agree; the engine alone agreed on %d", v.name, len(exs), engineAlone))
		})
	}
	t.Log("\n  " + strings.Join(summary, "\n  "))
}

// loadSpec loads a version's spec, as published plus the generator's
// repairs, at test time, once per test binary: five tests read every
// version's, and loading one (YAML, repairs, kin-openapi's resolution) is
// most of their time. The tests only read the documents (helpers that
// narrow a schema work on copies).
func loadSpec(t testing.TB, version string) *openapi3.T {
	t.Helper()
	loaded.Lock()
	defer loaded.Unlock()
	if doc, ok := loaded.docs[version]; ok {
		return doc
	}
	d, err := specdoc.Load(version)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := d.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	loaded.docs[version] = doc
	return doc
}

var loaded = struct {
	sync.Mutex
	docs map[string]*openapi3.T
}{docs: map[string]*openapi3.T{}}

// compareDecoders decodes data into new values of typ with encoding/json
// and with gensupport.Unmarshal, and describes any disagreement.
func compareDecoders(typ reflect.Type, data []byte) string {
	want := reflect.New(typ).Interface()
	errStd := json.Unmarshal(data, want)
	got := reflect.New(typ).Interface()
	errFast := gensupport.Unmarshal(data, got)
	switch {
	case (errStd == nil) != (errFast == nil):
		return fmt.Sprintf("encoding/json error %v, fast error %v", errStd, errFast)
	case errStd == nil && !reflect.DeepEqual(members.Without(want), members.Without(got)):
		w, _ := json.Marshal(want)
		g, _ := json.Marshal(got)
		return fmt.Sprintf("values differ:\nencoding/json %s\nfast          %s", w, g)
	}
	return ""
}

// The examples that break their own schema (the allow-list of
// tests/examples_test.go, and lists under another key than the schema's,
// which encoding/json accepts by ignoring them) decode tolerantly, with a
// report that names where.
func TestExamplesThatBreakTheirSchemaDecodeTolerantly(t *testing.T) {
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			broken := 0
			for _, ex := range examples(t, v) {
				strictErr := json.Unmarshal(ex.data, reflect.New(ex.typ).Interface())
				devs, err := gensupport.UnmarshalTolerant(ex.data, reflect.New(ex.typ).Interface())
				if err != nil {
					t.Errorf("%s %s: %v", ex.op, ex.name, err)
					continue
				}
				if strictErr != nil && len(devs) == 0 {
					t.Errorf("%s %s: encoding/json fails (%v), tolerant decoding reports nothing", ex.op, ex.name, strictErr)
				}
				for _, d := range devs {
					if d.Path == "" || d.Action == "" {
						t.Errorf("%s %s: incomplete deviation %+v", ex.op, ex.name, d)
					}
				}
				if len(devs) > 0 {
					broken++
					t.Logf("%s %s: %v", ex.op, ex.name, devs)
				}
			}
			t.Logf("%s: %d examples deviate from their schema", v.name, broken)
		})
	}
}
