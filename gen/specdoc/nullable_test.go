package specdoc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMarkNonNullable(t *testing.T) {
	d := &Doc{Root: tree(t, `
paths:
  /things:
    get:
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                properties:
                  count: {type: integer}
                  maybe: {type: integer, nullable: true}
components:
  schemas:
    opt_thing: {type: object, nullable: true, properties: {id: {type: string}}}
    thing:
      type: object
      properties:
        name: {type: string}
        note: {type: string, nullable: true}
        ref: {$ref: '#/components/schemas/thing'}
        ref_nullable: {$ref: '#/components/schemas/opt_thing'}
        any: {}
        any_described: {title: free}
        either: {oneOf: [{type: string}, {$ref: '#/components/schemas/opt_thing'}]}
        wrapped: {allOf: [{$ref: '#/components/schemas/thing'}], nullable: true}
        wrapped_plain: {allOf: [{$ref: '#/components/schemas/thing'}]}
        tags: {type: array, items: {type: string}}
        maybe_tags: {type: array, nullable: true, items: {type: string}}
        holes: {type: array, items: {type: string, nullable: true}}
        loose: {type: array, items: {}}
        grid: {type: array, items: {type: array, items: {$ref: '#/components/schemas/thing'}}}
        ragged: {type: array, items: {type: array, nullable: true, items: {$ref: '#/components/schemas/opt_thing'}}}
        labels: {type: object, additionalProperties: {type: string}}
        mixed: {type: object, additionalProperties: {anyOf: [{type: string}, {type: integer}]}}
        sparse: {type: object, additionalProperties: {anyOf: [{type: string, nullable: true}, {type: integer}]}}
        open: {type: object, additionalProperties: true}
        both: {type: object, properties: {a: {type: string}}, additionalProperties: {type: string}}
        list_ref: {$ref: '#/components/schemas/thing_list'}
        either_list: {oneOf: [{type: array, items: {type: string}}, {type: string}]}
    thing_list: {type: array, items: {$ref: '#/components/schemas/thing'}}
`)}
	n, items := d.MarkNonNullable()
	marked := func(keys ...string) bool {
		return at(d.Root, append(keys, extExtraTags, "nullable")...) == "false"
	}
	thing := []string{"components", "schemas", "thing", "properties"}
	for prop, want := range map[string]bool{
		"name": true, "note": false, "ref": true, "ref_nullable": false, "any": false,
		"any_described": false, "either": false, "wrapped": false, "wrapped_plain": true, "tags": true,
	} {
		assert.Equal(t, want, marked(append(thing, prop)...), prop)
	}
	resp := []string{"paths", "/things", "get", "responses", "200", "content", "application/json", "schema", "properties"}
	assert.True(t, marked(append(resp, "count")...))
	assert.False(t, marked(append(resp, "maybe")...))
	assert.True(t, marked("components", "schemas", "opt_thing", "properties", "id"))
	assert.Equal(t, 18, n)

	itemTag := func(keys ...string) any {
		return at(d.Root, append(keys, extExtraTags, "nullableitems")...)
	}
	for prop, want := range map[string]any{
		"tags": "false", "maybe_tags": "false", "holes": nil, "loose": nil, "grid": "false,false",
		"ragged": nil, "labels": "false", "mixed": "false", "sparse": nil, "open": nil, "both": nil,
		"list_ref": "false", "either_list": nil, "name": nil, "ref": nil,
	} {
		assert.Equal(t, want, itemTag(append(thing, prop)...), prop)
	}
	assert.Equal(t, 6, items)
}

// A nullable level between non-nullable ones is spelled out; the levels
// after the last non-nullable one are not.
func TestItemLevels(t *testing.T) {
	d := &Doc{Root: tree(t, `
components:
  schemas:
    row: {type: array, nullable: true, items: {type: integer}}
    grid: {type: array, items: {type: array, items: {$ref: '#/components/schemas/row'}}}
`)}
	schemas := asMap(asMap(d.Root["components"])["schemas"])
	assert.Equal(t, "false,true,false", itemLevels(asMap(schemas["grid"]), schemas))
	assert.Equal(t, "false", itemLevels(asMap(schemas["row"]), schemas))
	assert.Equal(t, "", itemLevels(map[string]any{"type": "string"}, schemas))
}

// A body that is itself an array or a map gets the word list a field
// holding it would carry; other bodies, and bodies whose elements take
// null, get none.
func TestBodyItems(t *testing.T) {
	d := &Doc{Root: tree(t, `
paths:
  /a:
    get:
      responses:
        '200': {content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/part'}}}}}
        '404': {content: {application/json: {schema: {type: array, items: {type: string}}}}}
    post:
      responses:
        '201': {$ref: '#/components/responses/grid'}
  /b:
    get:
      responses:
        '200': {content: {application/json: {schema: {type: object, additionalProperties: {type: integer, nullable: true}}}}}
    put:
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/counts'}}}}
    delete:
      responses:
        '200': {content: {application/json: {schema: {$ref: '#/components/schemas/part'}}}}
    patch:
      responses:
        '200': {content: {application/json: {schema: {type: array, items: {}}}}}
        '202': {content: {text/plain: {schema: {type: array, items: {type: string}}}}}
components:
  responses:
    grid: {content: {application/json: {schema: {type: array, items: {type: array, nullable: true, items: {type: integer}}}}}}
  schemas:
    part: {type: object, properties: {id: {type: string}}}
    counts: {type: object, additionalProperties: {type: integer}}
`)}
	assert.Equal(t, map[string]string{
		"GET /a 200":  "false",
		"POST /a 201": "true,false",
		"PUT /b 200":  "false",
	}, d.BodyItems())
}
