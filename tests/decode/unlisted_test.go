package decode

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/engine"
	"github.com/apipin/intercom/internal/gensupport"
	"github.com/apipin/intercom/internal/jsondec"
)

// No false reports of the deviations that the strict decode notes (a null
// the description does not allow, an enum value it does not list): every
// one reported on a spec example is checked against the spec itself, read
// at test time, by following the report's path through the response's
// schema (every branch of a oneOf, anyOf or allOf): the property must be
// typed and not nullable on every branch that has it, and no branch may
// list the value.
func TestExamplesReportNoFalseNullsOrEnums(t *testing.T) {
	var summary []string
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			nulls, enums := 0, 0
			for _, ex := range examples(t, v) {
				devs, err := gensupport.UnmarshalTolerant(ex.data, newValue(ex.typ))
				if err != nil {
					continue // reported by TestExamplesThatBreakTheirSchemaDecodeTolerantly
				}
				var doc any
				if err := json.Unmarshal(ex.data, &doc); err != nil {
					t.Fatal(err)
				}
				for _, d := range devs {
					switch d.Action {
					case facade.NullToZero:
						nulls++
					case facade.Unlisted:
						enums++
					default:
						continue
					}
					if problem := confirmDeviation(ex.schema, movedBack(d, devs)); problem != "" {
						t.Errorf("%s %s: %v: %s", ex.op, ex.name, d, problem)
					}
				}
			}
			summary = append(summary, fmt.Sprintf("%-8s %3d nulls and %3d enum values reported, each checked against the spec", v.name, nulls, enums))
		})
	}
	t.Log("\n  " + strings.Join(summary, "\n  "))
}

// The strict decode of a clean example notes nothing: the counters that
// keep the walk off the hot path agree with the reports.
func TestNotesAgreeWithReports(t *testing.T) {
	for _, v := range versions {
		for _, ex := range examples(t, v) {
			var notes jsondec.Notes
			if jsondec.UnmarshalNotes(ex.data, newValue(ex.typ), &notes) != nil {
				continue
			}
			devs, err := gensupport.UnmarshalTolerant(ex.data, newValue(ex.typ))
			if err != nil {
				continue
			}
			reported := slices.ContainsFunc(devs, func(d facade.Deviation) bool {
				return d.Action == facade.NullToZero || d.Action == facade.Unlisted
			})
			if notes.Any() != reported {
				t.Errorf("%s %s %s: notes %+v, reports %v", v.name, ex.op, ex.name, notes, devs)
			}
		}
	}
}

// movedBack rewrites d's path for the schema when it lies in a list that
// arrived under another key (a Moved deviation of devs): $.data[0].x for
// items the schema holds under "ticket_types" becomes $.ticket_types[0].x.
func movedBack(d facade.Deviation, devs []facade.Deviation) facade.Deviation {
	for _, m := range devs {
		if m.Action != facade.Moved || !strings.HasPrefix(d.Path, m.Path+"[") {
			continue
		}
		target, err := strconv.Unquote(strings.TrimPrefix(m.Expected, "array under "))
		if err != nil {
			continue
		}
		d.Path = "$." + target + strings.TrimPrefix(d.Path, m.Path)
	}
	return d
}

// confirmDeviation describes why d, reported on an example of schema s,
// is not a deviation by the spec, or returns "".
func confirmDeviation(s *openapi3.SchemaRef, d facade.Deviation) string {
	segs, err := parsePath(d.Path)
	if err != nil {
		return err.Error()
	}
	// The schemas the value at the path may have: every branch.
	cur := branches(s)
	for _, sg := range segs {
		var next []*openapi3.Schema
		for _, c := range cur {
			var sub *openapi3.SchemaRef
			switch {
			case sg.isIndex:
				sub = c.Items
			case c.Properties[sg.name] != nil:
				sub = c.Properties[sg.name]
			case c.AdditionalProperties.Schema != nil:
				sub = c.AdditionalProperties.Schema
			}
			if sub != nil {
				if sub.Value == nil || untyped(sub.Value) {
					return "the spec does not type " + d.Path
				}
				next = append(next, branches(sub)...)
			}
		}
		if len(next) == 0 {
			return "the spec has no schema at " + d.Path
		}
		cur = next
	}
	switch d.Action {
	case facade.NullToZero:
		for _, c := range cur {
			if c.Nullable {
				return "nullable in the spec"
			}
		}
	case facade.Unlisted:
		value, err := strconv.Unquote(strings.TrimPrefix(d.Found, "string "))
		if err != nil {
			return "found is not a quoted string"
		}
		listed := false
		for _, c := range cur {
			if len(c.Enum) == 0 {
				return "a branch of the spec has no enum there"
			}
			listed = listed || slices.Contains(c.Enum, any(value))
		}
		if listed {
			return "the spec lists " + strconv.Quote(value)
		}
	}
	return ""
}

// branches expands s into the schemas a value of it may match: s itself
// and, recursively, its allOf, oneOf and anyOf members. A nullable
// composition makes its members nullable for the check.
func branches(s *openapi3.SchemaRef) []*openapi3.Schema {
	if s == nil || s.Value == nil {
		return nil
	}
	out := []*openapi3.Schema{s.Value}
	for _, group := range []openapi3.SchemaRefs{s.Value.AllOf, s.Value.OneOf, s.Value.AnyOf} {
		for _, m := range group {
			for _, b := range branches(m) {
				if s.Value.Nullable && !b.Nullable {
					c := *b
					c.Nullable = true
					b = &c
				}
				out = append(out, b)
			}
		}
	}
	return out
}

func untyped(s *openapi3.Schema) bool {
	return s.Type == nil && len(s.AllOf) == 0 && len(s.OneOf) == 0 && len(s.AnyOf) == 0 &&
		len(s.Properties) == 0 && s.Items == nil && len(s.Enum) == 0
}

type pathSeg struct {
	name    string
	isIndex bool
}

// parsePath splits a Deviation's path ($.a.b[2]["odd key"]).
func parsePath(p string) ([]pathSeg, error) {
	rest, ok := strings.CutPrefix(p, "$")
	if !ok {
		return nil, fmt.Errorf("path %q", p)
	}
	var out []pathSeg
	for rest != "" {
		switch {
		case rest[0] == '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			out = append(out, pathSeg{name: rest[1 : 1+end]})
			rest = rest[1+end:]
		case strings.HasPrefix(rest, `["`):
			q, err := strconv.QuotedPrefix(rest[1:])
			if err != nil {
				return nil, fmt.Errorf("path %q: %v", p, err)
			}
			name, _ := strconv.Unquote(q)
			out = append(out, pathSeg{name: name})
			rest = rest[1+len(q)+1:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("path %q", p)
			}
			out = append(out, pathSeg{isIndex: true})
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("path %q", p)
		}
	}
	return out, nil
}

func newValue(t reflect.Type) any { return reflect.New(t).Interface() }

// The check above can fail: it refuses reports that the spec contradicts.
func TestConfirmDeviationRefusesFalseReports(t *testing.T) {
	obj := &openapi3.Schema{Type: &openapi3.Types{"object"}}
	nullableObj := &openapi3.Schema{Type: &openapi3.Types{"object"}, Nullable: true}
	enum := &openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: []any{"x"}}
	root := openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{
		"a": openapi3.NewSchemaRef("", nullableObj),
		"b": openapi3.NewSchemaRef("", obj),
		"e": openapi3.NewSchemaRef("", enum),
		"l": openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: openapi3.NewSchemaRef("", &openapi3.Schema{
			OneOf: openapi3.SchemaRefs{openapi3.NewSchemaRef("", &openapi3.Schema{Properties: openapi3.Schemas{"b": openapi3.NewSchemaRef("", obj)}})},
		})}),
		"n":  openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"array"}, Items: openapi3.NewSchemaRef("", nullableObj)}),
		"m":  openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"object"}, AdditionalProperties: openapi3.AdditionalProperties{Schema: openapi3.NewSchemaRef("", obj)}}),
		"mn": openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"object"}, AdditionalProperties: openapi3.AdditionalProperties{Schema: openapi3.NewSchemaRef("", nullableObj)}}),
	}})
	for _, c := range []struct {
		d     facade.Deviation
		false bool
	}{
		{facade.Deviation{Path: "$.a", Found: "null", Action: facade.NullToZero}, true},
		{facade.Deviation{Path: "$.b", Found: "null", Action: facade.NullToZero}, false},
		{facade.Deviation{Path: "$.l[3].b", Found: "null", Action: facade.NullToZero}, false},
		{facade.Deviation{Path: "$.missing", Found: "null", Action: facade.NullToZero}, true},
		{facade.Deviation{Path: "$.l[0]", Found: "null", Action: facade.NullToZero}, false},
		{facade.Deviation{Path: "$.n[2]", Found: "null", Action: facade.NullToZero}, true},
		{facade.Deviation{Path: "$.m.k", Found: "null", Action: facade.NullToZero}, false},
		{facade.Deviation{Path: "$.mn.k", Found: "null", Action: facade.NullToZero}, true},
		{facade.Deviation{Path: "$.e", Found: `string "x"`, Action: facade.Unlisted}, true},
		{facade.Deviation{Path: "$.e", Found: `string "y"`, Action: facade.Unlisted}, false},
	} {
		if problem := confirmDeviation(root, c.d); (problem != "") != c.false {
			t.Errorf("%v: problem %q, want a problem: %v", c.d, problem, c.false)
		}
	}
}

// The decode report names the paths of the noted nulls and enum values by
// scanning the body to the offsets the engine recorded: on every spec
// example of every version where the engine notes something, the scan
// gives exactly the deviations of the tolerant pass's walk it replaces
// (path, pattern, expected, found), by itself (no fallback) except where a
// list arrived under another key (the walk moves it, and reports inside).
func TestNotedPathsScanAgreesWithWalk(t *testing.T) {
	hook := engine.Registered().NotedPaths
	compared, fellBack := 0, 0
	for _, v := range versions {
		for _, ex := range examples(t, v) {
			scanned, walked, ok, noted := hook(ex.data, newValue(ex.typ), "")
			if !noted {
				continue
			}
			compared++
			if !ok {
				fellBack++
			}
			if !reflect.DeepEqual(scanned, walked) {
				t.Errorf("%s %s %s:\nscan %v\nwalk %v", v.name, ex.op, ex.name, scanned, walked)
			}
		}
	}
	if compared == 0 {
		t.Fatal("no example with a noted null or enum value: nothing compared")
	}
	if fellBack > compared/4 {
		t.Errorf("the scan fell back to the walk on %d examples of %d", fellBack, compared)
	}
	t.Logf("%d examples compared, %d by the walk (a moved list)", compared, fellBack)
}

// The nulls and enum values that TestDeviationsDecodeTolerantly expects
// reported are deviations by the spec itself (the check above, on the
// operation's 2xx schema): the fixtures test reports, not false ones.
func TestDeviationCasesAreDeviationsBySpec(t *testing.T) {
	docs := map[string]*openapi3.T{}
	checked := 0
	for _, c := range deviationCases {
		if c.want.Action != facade.NullToZero && c.want.Action != facade.Unlisted || c.unwrapped {
			continue
		}
		for _, vn := range c.versions {
			v := versionNamed(t, vn)
			doc := docs[vn]
			if doc == nil {
				doc = loadSpec(t, vn)
				docs[vn] = doc
			}
			method, path, _ := strings.Cut(v.opKey(t, c.method), " ")
			op := doc.Paths.Find(path).GetOperation(method)
			var schema *openapi3.SchemaRef
			for status, resp := range op.Responses.Map() {
				if strings.HasPrefix(status, "2") && resp.Value != nil && resp.Value.Content.Get("application/json") != nil {
					schema = resp.Value.Content.Get("application/json").Schema
				}
			}
			if schema == nil {
				t.Fatalf("%s %s: no 2xx JSON schema", vn, c.method)
			}
			if problem := confirmDeviation(schema, c.want); problem != "" {
				t.Errorf("%s %s: %v: %s", vn, c.name, c.want, problem)
			}
			checked++
		}
	}
	t.Logf("%d expected reports confirmed by the spec", checked)
}

// The scan that names the noted paths agrees with the walk on the
// deviation cases too, whose nulls and enum values lie in list elements,
// map values and lists of lists, and names them by itself.
func TestNotedPathsScanAgreesWithWalkOnDeviationCases(t *testing.T) {
	hook := engine.Registered().NotedPaths
	compared := 0
	for _, c := range deviationCases {
		if c.want.Action != facade.NullToZero && c.want.Action != facade.Unlisted || c.unwrapped {
			continue
		}
		for _, vn := range c.versions {
			v := versionNamed(t, vn)
			typ := v.resultType(t, v.opKey(t, c.method))
			scanned, walked, ok, noted := hook([]byte(c.payload), newValue(typ), c.bodyItems)
			if !noted || !ok {
				t.Errorf("%s %s: noted %v, scanned %v", vn, c.name, noted, ok)
				continue
			}
			compared++
			if !reflect.DeepEqual(scanned, walked) {
				t.Errorf("%s %s:\nscan %v\nwalk %v", vn, c.name, scanned, walked)
			}
			if devs, _ := scanned.([]facade.Deviation); !hasDeviation(devs, c.want) {
				t.Errorf("%s %s: scan %v, want %v", vn, c.name, scanned, c.want)
			}
		}
	}
	t.Logf("%d cases compared", compared)
}
