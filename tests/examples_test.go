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
	"github.com/apipin/intercom/internal/gensupport"
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
	for _, o := range p.Operations {
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

// Every JSON example of a 2xx response in every spec decodes into the Go type
// the generated method returns. Upstream examples that break their own schema
// (a number where the schema says string, an object where it says string, …)
// must still decode through the facade's tolerant pass, with a report naming
// what it repaired; they are counted per version.
func TestResponseExamplesDecode(t *testing.T) {
	var summary []string
	for _, p := range packages {
		t.Run(p.Version, func(t *testing.T) {
			d := loadDoc(t, p.Version)
			var strict, tolerant, noType int
			for _, e := range responseExamples(t, d) {
				typ := resultType(p, e.Method, e.Path)
				if typ == nil {
					noType++ // the operation returns no JSON body type
					continue
				}
				dec := json.NewDecoder(bytes.NewReader(e.JSON))
				if err := dec.Decode(reflect.New(typ).Interface()); err == nil {
					strict++
					continue
				}
				devs, err := gensupport.UnmarshalTolerant(e.JSON, reflect.New(typ).Interface())
				switch {
				case err != nil:
					t.Errorf("%s into %v: even tolerant decoding fails: %v", e.key(), typ, err)
				case len(devs) == 0:
					t.Errorf("%s into %v: strict decoding fails but the tolerant pass reports nothing", e.key(), typ)
				default:
					tolerant++
				}
			}
			total := strict + tolerant
			summary = append(summary, fmt.Sprintf("%-8s %4d examples: %4d fit their schema, %2d (%.1f%%) decode only tolerantly",
				p.Version, total, strict, tolerant, 100*float64(tolerant)/float64(max(total, 1))))
			if noType > 0 {
				t.Errorf("%d examples belong to operations whose method returns no body type", noType)
			}
		})
	}
	fmt.Println("response examples:\n  " + strings.Join(summary, "\n  "))
}
