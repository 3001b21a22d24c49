package specdoc

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apipin/intercom/spec"
)

// tree parses a YAML fixture written for the test.
func tree(t *testing.T, y string) map[string]any {
	t.Helper()
	m, err := parseYAML([]byte(y))
	require.NoError(t, err)
	return m
}

func at(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		v = asMap(v)[k]
	}
	return v
}

func TestParseYAMLKeepsJSONShapes(t *testing.T) {
	m := tree(t, `
responses:
  200: {a: 1, b: 2.50, c: 0x10, d: true, e: null, f: 2023-03-04T09:46:14Z, g: "007"}
`)
	r := asMap(at(m, "responses", "200"))
	require.NotNil(t, r, "integer keys become strings")
	assert.Equal(t, json.Number("1"), r["a"])
	assert.Equal(t, json.Number("2.50"), r["b"], "number literal kept")
	assert.Equal(t, json.Number("16"), r["c"], "YAML-only number rewritten")
	assert.Equal(t, true, r["d"])
	assert.Nil(t, r["e"])
	assert.Equal(t, "2023-03-04T09:46:14Z", r["f"], "timestamps stay strings")
	assert.Equal(t, "007", r["g"])
}

func TestParseYAMLRejectsNonMappingRoot(t *testing.T) {
	_, err := parseYAML([]byte("- a\n- b\n"))
	assert.Error(t, err)
}

func TestDefineCustomAttributesSchema(t *testing.T) {
	const missing = `
components:
  schemas:
    thing:
      properties:
        custom_attributes: {$ref: '#/components/schemas/custom_attributes'}
`
	m := tree(t, missing)
	changed, err := defineCustomAttributesSchema(m)
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Equal(t, "object", at(m, "components", "schemas", "custom_attributes", "type"))

	for name, y := range map[string]string{
		"defined":    missing + "    custom_attributes: {type: object}\n",
		"unused":     "components:\n  schemas:\n    thing: {type: object}\n",
		"no schemas": "paths: {}\n",
	} {
		m := tree(t, y)
		before, _ := json.Marshal(m)
		changed, err := defineCustomAttributesSchema(m)
		require.NoError(t, err, name)
		assert.False(t, changed, name)
		after, _ := json.Marshal(m)
		assert.JSONEq(t, string(before), string(after), name)
	}
}

func TestMovePathPlaceholdersToPath(t *testing.T) {
	m := tree(t, `
paths:
  /download/{job}:
    get:
      parameters:
      - {name: job, in: query, schema: {type: string}}
      - {name: other, in: query, schema: {type: string}}
`)
	changed, err := movePathPlaceholdersToPath(m)
	require.NoError(t, err)
	assert.True(t, changed)
	params := asSlice(at(m, "paths", "/download/{job}", "get", "parameters"))
	assert.Equal(t, "path", asMap(params[0])["in"])
	assert.Equal(t, true, asMap(params[0])["required"])
	assert.Equal(t, "query", asMap(params[1])["in"], "a real query parameter stays")

	changed, err = movePathPlaceholdersToPath(m)
	require.NoError(t, err)
	assert.False(t, changed, "nothing left to repair")
}

func TestAddMissingArrayItems(t *testing.T) {
	m := tree(t, `
components:
  schemas:
    v:
      anyOf:
      - {type: array}
      - {type: array, items: {type: string}}
    items_named_property:
      properties:
        type: {type: string}
`)
	changed, err := addMissingArrayItems(m)
	require.NoError(t, err)
	assert.True(t, changed)
	variants := asSlice(at(m, "components", "schemas", "v", "anyOf"))
	assert.Equal(t, map[string]any{}, asMap(variants[0])["items"])
	assert.Equal(t, "string", at(asMap(variants[1]), "items", "type"))

	changed, _ = addMissingArrayItems(m)
	assert.False(t, changed)
}

func TestNameInlineEnumsAfterTheirOwner(t *testing.T) {
	m := tree(t, `
components:
  schemas:
    ticket:
      properties:
        type: {type: string, enum: [ticket]}
        state: {type: string, enum: [open]}
    ticket_type: {type: object}
`)
	changed, err := nameInlineEnumsAfterTheirOwner(m)
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Equal(t, "TicketTypeValue", at(m, "components", "schemas", "ticket", "properties", "type", "x-go-type-name"))
	assert.Nil(t, at(m, "components", "schemas", "ticket", "properties", "state", "x-go-type-name"), "no collision, no rename")

	changed, _ = nameInlineEnumsAfterTheirOwner(m)
	assert.False(t, changed, "already named")
}

func TestDropUUIDFormatFromShorterStrings(t *testing.T) {
	m := tree(t, `
components:
  schemas:
    request:
      properties:
        short: {type: string, format: uuid, minLength: 24, maxLength: 24}
        long: {type: string, format: uuid, minLength: 40}
        real: {type: string, format: uuid}
        bounded: {type: string, format: uuid, maxLength: 36}
`)
	changed, err := dropUUIDFormatFromShorterStrings(m)
	require.NoError(t, err)
	assert.True(t, changed)
	props := asMap(at(m, "components", "schemas", "request", "properties"))
	assert.NotContains(t, asMap(props["short"]), "format", "no UUID is 24 characters")
	assert.NotContains(t, asMap(props["long"]), "format", "no UUID is 40 characters")
	assert.Equal(t, "uuid", asMap(props["real"])["format"], "an unbounded UUID stays")
	assert.Equal(t, "uuid", asMap(props["bounded"])["format"], "a bound a UUID fits stays")

	changed, _ = dropUUIDFormatFromShorterStrings(m)
	assert.False(t, changed)
}

func TestMergeOneOfQueryObjects(t *testing.T) {
	m := tree(t, `
paths:
  /events:
    get:
      parameters:
      - name: filter
        in: query
        required: true
        explode: true
        style: form
        schema:
          type: object
          oneOf:
          - {properties: {a: {type: string}}, required: [a], additionalProperties: false}
          - {properties: {b: {type: integer}}, required: [b], additionalProperties: false}
      - name: pipes
        in: query
        style: pipeDelimited
        schema: {oneOf: [{properties: {c: {type: string}}}]}
      - name: refs
        in: query
        schema: {oneOf: [{$ref: '#/components/schemas/x'}]}
`)
	changed, err := mergeOneOfQueryObjects(m)
	require.NoError(t, err)
	assert.True(t, changed)
	params := asSlice(at(m, "paths", "/events", "get", "parameters"))
	assert.Equal(t, map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"properties":           map[string]any{"a": map[string]any{"type": "string"}, "b": map[string]any{"type": "integer"}},
	}, asMap(params[0])["schema"])
	assert.Contains(t, asMap(asMap(params[1])["schema"]), "oneOf", "not form-exploded: left alone")
	assert.Contains(t, asMap(asMap(params[2])["schema"]), "oneOf", "referenced branches: left alone")

	changed, _ = mergeOneOfQueryObjects(m)
	assert.False(t, changed)
}

func TestRemoveVersionHeaderParameter(t *testing.T) {
	m := tree(t, `
paths:
  /me:
    parameters:
    - {name: Intercom-Version, in: header}
    get:
      parameters:
      - {name: Intercom-Version, in: header}
    post:
      parameters:
      - {name: Intercom-Version, in: header}
      - {name: page, in: query}
`)
	changed, err := removeVersionHeaderParameter(m)
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Empty(t, at(m, "paths", "/me", "parameters"))
	assert.Nil(t, at(m, "paths", "/me", "get", "parameters"))
	assert.Len(t, asSlice(at(m, "paths", "/me", "post", "parameters")), 1)
	changed, _ = removeVersionHeaderParameter(m)
	assert.False(t, changed)
}

func TestStripProseKeepsNames(t *testing.T) {
	m := tree(t, `
info: {title: t, description: about}
paths:
  /x:
    get:
      summary: s
      description: d
      parameters:
      - {name: q, in: query, description: d, example: e}
      responses:
        '200':
          description: ok
          content:
            application/json:
              examples: {one: {value: 1}}
              schema:
                type: object
                description: d
                example: {a: 1}
                properties:
                  description: {type: string, description: d}
                  example: {type: string}
                  headers: {type: array, description: d, items: {type: string}}
          headers:
            description: {description: d, schema: {type: string}}
components:
  examples: {one: {value: 1}}
`)
	stripProse(m)
	b, _ := json.Marshal(m)
	assert.NotContains(t, string(b), `"d"`)
	assert.NotContains(t, string(b), `"summary"`)
	assert.NotContains(t, string(b), `"examples"`)
	props := asMap(at(m, "paths", "/x", "get", "responses", "200", "content", "application/json", "schema", "properties"))
	assert.Contains(t, props, "description", "a property named description is a name, not prose")
	assert.Contains(t, props, "example")
	assert.Equal(t, map[string]any{"type": "string"}, props["description"])
	assert.NotContains(t, asMap(props["headers"]), "description", "a property named headers is a schema")
	assert.Equal(t, map[string]any{"schema": map[string]any{"type": "string"}},
		at(m, "paths", "/x", "get", "responses", "200", "headers", "description"), "a header named description is kept, its prose is not")
}

func TestParseAppliesOnlyNeededRepairs(t *testing.T) {
	d, err := Parse(spec.Entry{Version: "test", Path: "fixture.yaml"}, []byte(`
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
      - {name: id, in: query, required: false, schema: {type: string}}
      responses:
        '200': {description: ok}
`))
	require.NoError(t, err)
	assert.Equal(t, []string{"movePathPlaceholdersToPath"}, d.Applied)
	_, err = d.OpenAPI()
	require.NoError(t, err)
	assert.Equal(t, []Operation{{Method: "GET", Path: "/things/{id}", OperationID: "getThing"}}, d.Operations())
}

func TestEveryRepairHasAReason(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Repairs {
		assert.NotEmpty(t, r.Reason, r.Name)
		assert.False(t, seen[r.Name], "duplicate %s", r.Name)
		seen[r.Name] = true
	}
}
