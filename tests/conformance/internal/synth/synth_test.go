package synth

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureSchemas loads component schemas written for these tests.
func fixtureSchemas(t *testing.T, schemas string) openapi3.Schemas {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
		"paths": {}, "components": {"schemas": ` + schemas + `}}`))
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	return doc.Components.Schemas
}

func TestSynthFollowsConstraints(t *testing.T) {
	s := fixtureSchemas(t, `{
		"level": {"type": "string", "enum": ["low", "high"]},
		"count": {"type": "integer", "minimum": 5, "maximum": 9, "multipleOf": 3},
		"below": {"type": "number", "maximum": 0, "exclusiveMaximum": true},
		"code": {"type": "string", "minLength": 20, "maxLength": 22},
		"tiny": {"type": "string", "maxLength": 4},
		"when": {"type": "string", "format": "date-time"},
		"list": {"type": "array", "items": {"type": "boolean"}, "minItems": 2},
		"thing": {"type": "object", "required": ["id"], "properties": {
			"id": {"type": "string"}, "name": {"type": "string"},
			"made": {"type": "integer", "readOnly": true}, "secret": {"type": "string", "writeOnly": true}}}
	}`)
	value := func(s Synth, name string, schemas openapi3.Schemas) any {
		t.Helper()
		v, err := s.Value(schemas[name])
		require.NoError(t, err)
		return v
	}
	assert.Equal(t, "low", value(Synth{}, "level", s))
	assert.Equal(t, UnknownEnumValue, value(Synth{Unknown: true}, "level", s))
	assert.Equal(t, 6.0, value(Synth{}, "count", s), "at least the minimum, on multipleOf")
	assert.Equal(t, -1.0, value(Synth{}, "below", s), "below an exclusive maximum")
	assert.Len(t, value(Synth{}, "code", s), 20)
	assert.Len(t, value(Synth{}, "tiny", s), 4)
	assert.Equal(t, CanonicalFormats["date-time"], value(Synth{}, "when", s))
	assert.Equal(t, []any{true, true}, value(Synth{}, "list", s))

	assert.Equal(t, map[string]any{"id": "conformance"}, value(Synth{}, "thing", s), "required only")
	assert.Equal(t, map[string]any{"id": "conformance", "name": "conformance", "secret": "conformance"},
		value(Synth{Full: true}, "thing", s), "a request leaves readOnly out")
	assert.Equal(t, map[string]any{"id": "conformance", "name": "conformance", "made": 1.0},
		value(Synth{Full: true, Response: true}, "thing", s), "an answer leaves writeOnly out")
	assert.Equal(t, map[string]any{"id": "conformance", UnknownField: map[string]any{"nested": []any{1.0, "x", nil, true}}},
		value(Synth{Unknown: true}, "thing", s))
}

func TestSynthChoosesAValidBranch(t *testing.T) {
	s := fixtureSchemas(t, `{
		"single": {"type": "object", "properties": {"field": {"type": "string"}, "op": {"type": "string", "enum": ["="]}}},
		"multi": {"type": "object", "properties": {"op": {"type": "string", "enum": ["AND"]}, "value": {"type": "array", "items": {}}}},
		"query": {"oneOf": [{"$ref": "#/components/schemas/single"}, {"$ref": "#/components/schemas/multi"}]},
		"either": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
			"oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
		"extended": {"allOf": [{"$ref": "#/components/schemas/single"}, {}]},
		"optionsOrNot": {"type": "object", "properties": {"x": {"type": "boolean"}},
			"oneOf": [{"required": ["options"], "properties": {"options": {"type": "array", "items": {}}}}, {}]}
	}`)
	for _, name := range []string{"query", "either", "extended", "optionsOrNot"} {
		for _, sy := range []Synth{{}, {Full: true}} {
			v, err := sy.Value(s[name])
			require.NoError(t, err, "%s %+v", name, sy)
			assert.NoError(t, s[name].Value.VisitJSON(v), "%s %+v: %v", name, sy, v)
		}
	}
	v, _ := Synth{}.Value(s["query"])
	assert.Equal(t, map[string]any{"field": "conformance", "op": "="}, v,
		"{} matches both branches: the first is filled until only it matches")
	v, _ = Synth{}.Value(s["either"])
	assert.Equal(t, map[string]any{"a": "conformance"}, v, "a branch may require a property of its parent")
	v, _ = Synth{Full: true}.Value(s["either"])
	assert.Equal(t, map[string]any{"a": "conformance"}, v, "every property matches both branches: back to required ones")

	v, err := Synth{Unknown: true}.Value(s["query"])
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"field": "conformance", "op": UnknownEnumValue,
		UnknownField: map[string]any{"nested": []any{1.0, "x", nil, true}}}, v, "the branch a valid value takes, filled with unknowns")
}
