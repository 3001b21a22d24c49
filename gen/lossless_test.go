package main

import (
	"testing"

	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/spec"
)

func TestAddReceivedMembers(t *testing.T) {
	root := map[string]any{
		"components": map[string]any{"schemas": map[string]any{
			"plain":  map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{"type": "string"}}},
			"mapped": map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{}}, "additionalProperties": map[string]any{"type": "string"}},
			"closed": map[string]any{"type": "object", "properties": map[string]any{"a": map[string]any{}}, "additionalProperties": false},
			"empty":  map[string]any{"type": "object"},
			// A property named "properties": its value is a schema, not a
			// name map of the outer one.
			"tricky": map[string]any{"type": "object", "properties": map[string]any{
				"properties": map[string]any{"type": "object", "properties": map[string]any{"x": map[string]any{}}},
			}},
		}},
		"paths": map[string]any{"/g": map[string]any{"get": map[string]any{"responses": map[string]any{"200": map[string]any{
			"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{
				"type": "object", "properties": map[string]any{"inline": map[string]any{"type": "object", "properties": map[string]any{"b": map[string]any{}}}},
			}}},
		}}}}},
	}
	if n := addReceivedMembers(root); n != 6 {
		t.Errorf("marked %d schemas, want 6 (plain, closed, tricky, tricky.properties, the response and its inline object)", n)
	}
	schemas := root["components"].(map[string]any)["schemas"].(map[string]any)
	has := func(s any) bool {
		props, _ := s.(map[string]any)["properties"].(map[string]any)
		_, ok := props[receivedProperty]
		return ok
	}
	for name, want := range map[string]bool{"plain": true, "mapped": false, "closed": true, "empty": false, "tricky": true} {
		if has(schemas[name]) != want {
			t.Errorf("%s: marked %v, want %v", name, !want, want)
		}
	}
	if again := addReceivedMembers(root); again != 0 {
		t.Errorf("a second pass marked %d schemas", again)
	}
}

// No property of any pinned description is named like the synthetic
// property or its Go field.
func TestReceivedFieldNameIsFree(t *testing.T) {
	for _, v := range spec.Versions() {
		d, err := specdoc.Load(v)
		if err != nil {
			t.Fatal(err)
		}
		if c := receivedFieldClashes(d.Root); len(c) > 0 {
			t.Errorf("%s: %v", v, c)
		}
	}
	if c := receivedFieldClashes(map[string]any{"properties": map[string]any{"JSON": map[string]any{}}}); len(c) != 1 {
		t.Errorf("a property named JSON is not reported: %v", c)
	}
}
