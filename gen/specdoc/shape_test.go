package specdoc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPreferValuesInResponses(t *testing.T) {
	d := &Doc{Root: tree(t, `
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/thing_id'}}
    put:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/update_thing'}
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/thing'}
    get:
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                properties:
                  count: {type: integer}
        '404': {$ref: '#/components/responses/not_found'}
components:
  responses:
    not_found:
      content:
        application/json:
          schema:
            properties:
              code: {type: string}
  schemas:
    thing_id: {type: string}
    update_thing:
      properties:
        name: {type: string}
        owner: {$ref: '#/components/schemas/person'}
    person:
      properties:
        email: {type: string}
    thing:
      required: [id, closed_at]
      properties:
        id: {type: string}
        closed_at: {type: integer, nullable: true}
        name: {type: string, nullable: true}
        owner: {$ref: '#/components/schemas/person'}
        tags:
          type: array
          items:
            properties:
              label: {type: string}
        meta:
          allOf:
            - {$ref: '#/components/schemas/person'}
            - properties:
                note: {type: string}
`)}
	vm := d.PreferValuesInResponses()

	thing := func(keys ...string) map[string]any {
		return asMap(at(d.Root, append([]string{"components", "schemas"}, keys...)...))
	}
	// Required: no pointer, and no omitzero (it had no omitempty either).
	assert.Equal(t, true, thing("thing", "properties", "id")[extSkipOptionalPointer])
	assert.Nil(t, thing("thing", "properties", "id")[extOmitZero])
	// Required but nullable: null stands for "none", as absence does.
	assert.Equal(t, true, thing("thing", "properties", "closed_at")[extSkipOptionalPointer])
	assert.Equal(t, true, thing("thing", "properties", "closed_at")[extOmitZero])
	for _, p := range []string{"name", "owner", "tags", "meta"} {
		assert.Equal(t, true, thing("thing", "properties", p)[extSkipOptionalPointer], p)
		assert.Equal(t, true, thing("thing", "properties", p)[extOmitZero], p)
	}
	// Inline schemas inside a response-only schema are shaped; the extension
	// sits next to a $ref without following it.
	assert.Equal(t, true, asMap(at(thing("thing", "properties", "tags"), "items", "properties", "label"))[extSkipOptionalPointer])
	note := asMap(asSlice(thing("thing", "properties", "meta")["allOf"])[1])
	assert.Equal(t, true, asMap(at(note, "properties", "note"))[extSkipOptionalPointer])
	assert.Equal(t, "#/components/schemas/person", thing("thing", "properties", "owner")["$ref"])

	// A request body reaches update_thing and, through it, person: both keep
	// pointers, even though a response uses person too.
	for _, s := range []string{"update_thing", "person"} {
		for name, p := range asMap(thing(s)["properties"]) {
			assert.Nil(t, asMap(p)[extSkipOptionalPointer], s+"."+name)
		}
	}

	// Inline response schemas, in operations and in components.
	get := asMap(at(d.Root, "paths", "/things/{id}", "get", "responses", "200", "content", "application/json", "schema"))
	assert.Equal(t, true, asMap(at(get, "properties", "count"))[extSkipOptionalPointer])
	nf := asMap(at(d.Root, "components", "responses", "not_found", "content", "application/json", "schema"))
	assert.Equal(t, true, asMap(at(nf, "properties", "code"))[extOmitZero])

	assert.Equal(t, ValueModels{Schemas: 1, Properties: 10, Kept: 3}, vm)
}
