package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apipin/intercom/gen/specdoc"
)

// responseExample is one JSON example of a 2xx response in a spec.
type responseExample struct {
	Method, Path, Status, Name string
	JSON                       []byte
}

func (e responseExample) key() string {
	return e.Method + " " + e.Path + " " + e.Status + " " + e.Name
}

// responseExamples reads the 2xx application/json examples of every
// operation, straight from the spec loaded at test time.
func responseExamples(t testing.TB, d *specdoc.Doc) []responseExample {
	t.Helper()
	var out []responseExample
	paths, _ := d.Root["paths"].(map[string]any)
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			op, ok := op.(map[string]any)
			if !ok {
				continue
			}
			responses, _ := op["responses"].(map[string]any)
			for status, r := range responses {
				if !strings.HasPrefix(status, "2") {
					continue
				}
				content, _ := r.(map[string]any)["content"].(map[string]any)
				media, _ := content["application/json"].(map[string]any)
				add := func(name string, v any) {
					b, err := json.Marshal(v)
					if err != nil {
						t.Fatalf("%s %s: %v", method, path, err)
					}
					out = append(out, responseExample{strings.ToUpper(method), path, status, name, b})
				}
				if v, ok := media["example"]; ok {
					add("example", v)
				}
				examples, _ := media["examples"].(map[string]any)
				for name, ex := range examples {
					if v, ok := ex.(map[string]any)["value"]; ok {
						add(name, v)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out
}

// resultType is the T of the (*T, error) that the operation's method returns.
func resultType(p versionPkg, method, path string) reflect.Type {
	for _, o := range p.Ops {
		if o.Method == method && o.Path == path {
			m, ok := p.Client.MethodByName(o.GoMethod)
			if !ok || m.Type.NumOut() != 2 {
				return nil
			}
			return m.Type.Out(0).Elem()
		}
	}
	return nil
}

// exampleAllowList holds upstream examples that break their own schema,
// keyed by "METHOD path" (every example of that operation, in every version),
// with the reason found by reading the example against the schema. An entry
// that no longer matches a failing example fails the test, so the list only
// shrinks.
var exampleAllowList = map[string]string{
	"GET /admins/activity_logs":                                                                "metadata.after is an object in the schema, the example gives a scalar",
	"POST /admins/activity_logs/search":                                                        "metadata.after is an object in the schema, the example gives a scalar",
	"GET /conversations/{id}":                                                                  "conversation_parts[].id is a string in the schema, the example gives a number",
	"GET /conversations/{conversation_id}":                                                     "conversation_parts[].id is a string in the schema, the example gives a number",
	"GET /custom_object_instances/{custom_object_type_identifier}":                             "custom_attributes maps to strings in the schema, the example gives numbers",
	"POST /custom_object_instances/{custom_object_type_identifier}":                            "custom_attributes maps to strings in the schema, the example gives numbers",
	"GET /custom_object_instances/{custom_object_type_identifier}/{id}":                        "custom_attributes maps to strings in the schema, the example gives numbers",
	"GET /custom_object_instances/{custom_object_type_identifier}/{custom_object_instance_id}": "custom_attributes maps to strings in the schema, the example gives numbers",
	"GET /messages/status":                                                                     "ruleset_id is a string in the schema, the example gives a number",
	"POST /tickets/{ticket_id}/change_type":                                                    "ticket_state is an object in the schema, the example gives a string",
	"PUT /admins/{id}/away":                                                                    "away_status_reason_id is an integer in the schema, the example gives a string",
	"PUT /admins/{admin_id}/away":                                                              "away_status_reason_id is an integer in the schema, the example gives a string",
}

// Every JSON example of a 2xx response in every spec decodes into the Go type
// the generated method returns, or is allow-listed with a reason.
func TestResponseExamplesDecode(t *testing.T) {
	var summary []string
	used := map[string]bool{}
	for _, p := range packages {
		t.Run(p.Version, func(t *testing.T) {
			d, err := specdoc.Load(p.Version)
			if err != nil {
				t.Fatal(err)
			}
			var decoded, listed, noType int
			for _, e := range responseExamples(t, d) {
				typ := resultType(p, e.Method, e.Path)
				if typ == nil {
					noType++ // the operation returns no JSON body type
					continue
				}
				dec := json.NewDecoder(bytes.NewReader(e.JSON))
				err := dec.Decode(reflect.New(typ).Interface())
				_, isListed := exampleAllowList[e.Method+" "+e.Path]
				switch {
				case err == nil:
					decoded++
				case isListed:
					used[e.Method+" "+e.Path] = true
					listed++
				default:
					t.Errorf("%s into %v: %v", e.key(), typ, err)
				}
			}
			total := decoded + listed
			summary = append(summary, fmt.Sprintf("%-8s %4d examples: decoded %4d, allow-listed %2d (%.1f%%)",
				p.Version, total, decoded, listed, 100*float64(listed)/float64(max(total, 1))))
			if noType > 0 {
				t.Errorf("%d examples belong to operations whose method returns no body type", noType)
			}
		})
	}
	for op := range exampleAllowList {
		if !used[op] {
			t.Errorf("allow-list entry %q matches no failing example: remove it", op)
		}
	}
	fmt.Println("response examples:\n  " + strings.Join(summary, "\n  "))
}
