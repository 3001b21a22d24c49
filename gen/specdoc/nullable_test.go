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
`)}
	n := d.MarkNonNullable()
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
	assert.Equal(t, 6, n)
}
