package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/spec"
)

// fixture loads testdata/widgets.yaml the way the tool loads a pinned
// description, after applying edit (if any) to its tree.
func fixture(t *testing.T, edit func(root map[string]any)) *openapi3.T {
	t.Helper()
	data, err := os.ReadFile("testdata/widgets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := specdoc.Parse(spec.Entry{Version: "fixture", Path: "testdata/widgets.yaml"}, data)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(d.Root)
	}
	doc, err := prepareSpec(d)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// obj walks keys down a tree of objects; it fails loudly on a wrong key so
// that a broken edit cannot pass for "no change".
func obj(root map[string]any, keys ...string) map[string]any {
	m := root
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			panic(fmt.Sprintf("no object at %q in %v", k, keys))
		}
		m = next
	}
	return m
}

func schemaProps(root map[string]any, schema string) map[string]any {
	return obj(root, "components", "schemas", schema, "properties")
}

func listParams(root map[string]any) []any {
	return obj(root, "paths", "/widgets", "get")["parameters"].([]any)
}

// want is one expected change: rule, level, kind and operation.
type want struct {
	rule  string
	level Level
	kind  string
	op    string // "GET /widgets"
}

func (w want) String() string { return fmt.Sprintf("%s %s %s %s", w.op, w.rule, w.level, w.kind) }

// The widget schema is returned by three operations, so a change to it is
// reported once per operation.
var widgetReaders = []string{"GET /widgets", "GET /widgets/{id}", "POST /widgets"}

func each(rule string, level Level, kind string, ops ...string) []want {
	var ws []want
	for _, op := range ops {
		ws = append(ws, want{rule, level, kind, op})
	}
	return ws
}

// Every kind of change the issue names is found, classified, and tied to
// its operation; nothing else is reported alongside it.
func TestSpecChangesOneKindAtATime(t *testing.T) {
	cases := []struct {
		name string
		edit func(root map[string]any)
		// reverse compares the edited description to the fixture, for the
		// changes that are easier to write as an addition to the base.
		reverse bool
		want    []want
	}{{
		name: "operation added",
		edit: func(r map[string]any) {
			obj(r, "paths", "/widgets/{id}")["put"] = map[string]any{
				"operationId": "replaceWidget",
				"responses":   map[string]any{"200": map[string]any{"description": "ok"}},
			}
		},
		want: each("endpoint-added", NonBreaking, "operation", "PUT /widgets/{id}"),
	}, {
		name: "operation removed from a path that keeps others",
		edit: func(r map[string]any) { delete(obj(r, "paths", "/widgets/{id}"), "delete") },
		want: each("api-removed-without-deprecation", Breaking, "operation", "DELETE /widgets/{id}"),
	}, {
		name: "path removed with its operations",
		edit: func(r map[string]any) { delete(obj(r, "paths"), "/widgets/{id}") },
		want: each("api-path-removed-without-deprecation", Breaking, "operation", "DELETE /widgets/{id}", "GET /widgets/{id}"),
	}, {
		name: "optional parameter added",
		edit: func(r map[string]any) {
			g := obj(r, "paths", "/widgets", "get")
			g["parameters"] = append(listParams(r), map[string]any{
				"name": "order", "in": "query", "schema": map[string]any{"type": "string"}})
		},
		want: each("new-optional-request-parameter", NonBreaking, "parameter", "GET /widgets"),
	}, {
		name: "required parameter added",
		edit: func(r map[string]any) {
			g := obj(r, "paths", "/widgets", "get")
			g["parameters"] = append(listParams(r), map[string]any{
				"name": "order", "in": "query", "required": true, "schema": map[string]any{"type": "string"}})
		},
		want: each("new-required-request-parameter", Breaking, "parameter", "GET /widgets"),
	}, {
		name: "parameter removed",
		edit: func(r map[string]any) { obj(r, "paths", "/widgets", "get")["parameters"] = []any{} },
		want: each("request-parameter-removed", Warning, "parameter", "GET /widgets"),
	}, {
		name: "parameter made required",
		edit: func(r map[string]any) { listParams(r)[0].(map[string]any)["required"] = true },
		want: each("request-parameter-became-required", Breaking, "parameter", "GET /widgets"),
	}, {
		name: "parameter type changed",
		edit: func(r map[string]any) {
			listParams(r)[0].(map[string]any)["schema"] = map[string]any{"type": "boolean"}
		},
		want: each("request-parameter-type-changed", Breaking, "parameter", "GET /widgets"),
	}, {
		// Every integer a caller sends is still a valid string.
		name: "parameter type widened",
		edit: func(r map[string]any) {
			listParams(r)[0].(map[string]any)["schema"] = map[string]any{"type": "string"}
		},
		want: each("request-parameter-type-generalized", NonBreaking, "parameter", "GET /widgets"),
	}, {
		name: "optional request field added",
		edit: func(r map[string]any) { schemaProps(r, "widget_create")["shape"] = map[string]any{"type": "string"} },
		want: each("new-optional-request-property", NonBreaking, "request", "POST /widgets"),
	}, {
		name: "required request field added",
		edit: func(r map[string]any) {
			schemaProps(r, "widget_create")["shape"] = map[string]any{"type": "string"}
			s := obj(r, "components", "schemas", "widget_create")
			s["required"] = append(s["required"].([]any), "shape")
		},
		want: each("new-required-request-property", Breaking, "request", "POST /widgets"),
	}, {
		name: "request field removed",
		edit: func(r map[string]any) { delete(schemaProps(r, "widget_create"), "size") },
		want: each("request-property-removed", Warning, "request", "POST /widgets"),
	}, {
		name: "request field made required",
		edit: func(r map[string]any) {
			s := obj(r, "components", "schemas", "widget_create")
			s["required"] = append(s["required"].([]any), "size")
		},
		want: each("request-property-became-required", Breaking, "request", "POST /widgets"),
	}, {
		name: "request field type changed",
		edit: func(r map[string]any) { schemaProps(r, "widget_create")["size"] = map[string]any{"type": "string"} },
		want: each("request-property-type-changed", Breaking, "request", "POST /widgets"),
	}, {
		name: "response field added",
		edit: func(r map[string]any) { schemaProps(r, "widget")["shape"] = map[string]any{"type": "string"} },
		want: each("response-optional-property-added", NonBreaking, "response", widgetReaders...),
	}, {
		name: "response field removed",
		edit: func(r map[string]any) { delete(schemaProps(r, "widget"), "size") },
		want: each("response-optional-property-removed", NonBreaking, "response", widgetReaders...),
	}, {
		name: "required response field removed",
		edit: func(r map[string]any) {
			schemaProps(r, "widget")["shape"] = map[string]any{"type": "string"}
			obj(r, "components", "schemas", "widget")["required"] = []any{"shape"}
		},
		reverse: true,
		want:    each("response-required-property-removed", Breaking, "response", widgetReaders...),
	}, {
		name: "response field type changed",
		edit: func(r map[string]any) { schemaProps(r, "widget")["size"] = map[string]any{"type": "string"} },
		want: each("response-property-type-changed", Breaking, "response", widgetReaders...),
	}, {
		name: "request enum value added",
		edit: func(r map[string]any) {
			p := obj(schemaProps(r, "widget_create"), "color")
			p["enum"] = append(p["enum"].([]any), "blue")
		},
		want: each("request-property-enum-value-added", NonBreaking, "enum", "POST /widgets"),
	}, {
		name: "request enum value removed",
		edit: func(r map[string]any) { obj(schemaProps(r, "widget_create"), "color")["enum"] = []any{"red"} },
		want: each("request-property-enum-value-removed", Breaking, "enum", "POST /widgets"),
	}, {
		// A caller that switches over the values it knows meets one it
		// does not: oasdiff counts a widened response as breaking.
		name: "response enum value added",
		edit: func(r map[string]any) {
			p := obj(schemaProps(r, "widget"), "color")
			p["enum"] = append(p["enum"].([]any), "blue")
		},
		want: each("response-property-enum-value-added", Breaking, "enum", widgetReaders...),
	}, {
		name: "response enum value removed",
		edit: func(r map[string]any) { obj(schemaProps(r, "widget"), "color")["enum"] = []any{"red"} },
		want: each("response-property-enum-value-removed", NonBreaking, "enum", widgetReaders...),
	}, {
		name: "success status added",
		edit: func(r map[string]any) {
			obj(r, "paths", "/widgets/{id}", "delete", "responses")["204"] = map[string]any{"description": "gone"}
		},
		want: each("response-success-status-added", NonBreaking, "status", "DELETE /widgets/{id}"),
	}, {
		name: "success status removed",
		edit: func(r map[string]any) {
			resp := obj(r, "paths", "/widgets/{id}", "delete", "responses")
			resp["204"] = resp["200"]
			delete(resp, "200")
		},
		want: append(each("response-success-status-removed", Breaking, "status", "DELETE /widgets/{id}"),
			each("response-success-status-added", NonBreaking, "status", "DELETE /widgets/{id}")...),
	}, {
		name: "error status added",
		edit: func(r map[string]any) {
			obj(r, "paths", "/widgets", "get", "responses")["429"] = map[string]any{"description": "slow down"}
		},
		want: each("response-non-success-status-added", NonBreaking, "status", "GET /widgets"),
	}, {
		name: "error status removed",
		edit: func(r map[string]any) { delete(obj(r, "paths", "/widgets", "post", "responses"), "404") },
		want: each("response-non-success-status-removed", NonBreaking, "status", "POST /widgets"),
	}}
	base := fixture(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from, to := base, fixture(t, tc.edit)
			if tc.reverse {
				from, to = to, from
			}
			changes, err := specChanges(from, to, "base", "revision")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range changes {
				got = append(got, want{c.Rule, c.Level, c.Kind, c.Method + " " + c.Path}.String())
			}
			var wantS []string
			for _, w := range tc.want {
				wantS = append(wantS, w.String())
			}
			slices.Sort(got)
			slices.Sort(wantS)
			if !slices.Equal(got, wantS) {
				t.Errorf("changes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(wantS, "\n  "))
			}
		})
	}
}

// A request map whose value type widens (string to any value) is a change
// of the request body that no oasdiff rule reports; the report still ties
// it to its operation, so the Go field it changes is explained.
func TestSpecChangesReportUnruledRequestChanges(t *testing.T) {
	base := fixture(t, func(r map[string]any) {
		schemaProps(r, "widget_create")["labels"] = map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}
	})
	revision := fixture(t, func(r map[string]any) {
		schemaProps(r, "widget_create")["labels"] = map[string]any{"type": "object", "additionalProperties": true}
	})
	changes, err := specChanges(base, revision, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, want{c.Rule, c.Level, c.Kind, c.Method + " " + c.Path}.String())
	}
	wantS := []string{want{ruleRequestUnruled, NonBreaking, "request", "POST /widgets"}.String()}
	if !slices.Equal(got, wantS) {
		t.Errorf("changes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(wantS, "\n  "))
	}
}

// A description compared with itself has no change: no false positives.
func TestSpecChangesNoneForIdenticalDescriptions(t *testing.T) {
	changes, err := specChanges(fixture(t, nil), fixture(t, nil), "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 0 {
		t.Fatalf("identical descriptions: %d changes, first %+v", len(changes), changes[0])
	}
}

// No description, summary or title reaches a report, while names that are
// spelled like those keywords (a property called "title") still do.
func TestReportsCarryNoProse(t *testing.T) {
	revision := fixture(t, func(r map[string]any) {
		delete(schemaProps(r, "widget"), "title")
		listParams(r)[0].(map[string]any)["required"] = true
		// oasdiff names a oneOf branch by its title, when it has one.
		body := obj(r, "paths", "/gadgets", "post", "requestBody", "content", "application/json", "schema")
		branch := body["oneOf"].([]any)[0].(map[string]any)
		obj(branch, "properties", "size")["type"] = "boolean"
	})
	changes, err := specChanges(fixture(t, nil), revision, "base", "revision")
	if err != nil {
		t.Fatal(err)
	}
	r := newReport("base", "revision", changes, nil, false)
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), "oneOf[subschema #1]/size") {
		t.Errorf("the changed oneOf branch is not reported by its position:\n%s", js)
	}
	for _, out := range [][]byte{r.Markdown(), js} {
		if strings.Contains(string(out), "SENTINEL") {
			t.Errorf("report quotes the fixture's prose:\n%s", out)
		}
		if !strings.Contains(string(out), "`title`") {
			t.Errorf("report lost the removed property named title:\n%s", out)
		}
	}
}

func TestKindOf(t *testing.T) {
	for rule, kind := range map[string]string{
		"endpoint-added":                       "operation",
		"api-path-removed-without-deprecation": "operation",
		"request-parameter-enum-value-removed": "enum",
		"response-success-status-removed":      "status",
		"request-parameter-became-required":    "parameter",
		"new-required-request-property":        "request",
		"response-property-type-changed":       "response",
		"api-tag-added":                        "other",
	} {
		if got := kindOf(rule); got != kind {
			t.Errorf("kindOf(%q) = %q, want %q", rule, got, kind)
		}
	}
}
