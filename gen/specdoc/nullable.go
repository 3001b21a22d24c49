package specdoc

import "strings"

// Null where the description does not allow it. In the value models a null
// member decodes to the zero value, as an absent one does, so the decoded
// value cannot tell the decode report that the server sent null where the
// description says object, array or scalar. The struct tag nullable:"false"
// carries that fact to the decoder: it is written on every property whose
// schema is typed (a type, a $ref, a composition) and does not say
// nullable: true, itself or through the component it refers to.

const extExtraTags = "x-oapi-codegen-extra-tags"

// maxItemLevels bounds the levels of nested arrays and maps that
// nullableitems describes (the decoder reads at most 32).
const maxItemLevels = 8

// MarkNonNullable tags every typed, non-nullable property of every schema
// with nullable:"false", and every property holding arrays or maps whose
// elements are typed and not nullable with nullableitems (oapi-codegen's
// x-oapi-codegen-extra-tags), and returns how many properties it tagged
// each way. It is a generator choice, not a repair: call it after
// StripProse (example values are no schemas), before OpenAPI.
func (d *Doc) MarkNonNullable() (fields, items int) {
	schemas := asMap(asMap(d.Root["components"])["schemas"])
	walkObjects(d.Root, func(m map[string]any) {
		props, ok := m["properties"].(map[string]any)
		if !ok {
			return
		}
		if t, ok := m["type"].(string); ok && t != "object" {
			return
		}
		for _, name := range sortedKeys(props) {
			p := asMap(props[name])
			if p == nil {
				continue
			}
			if levels := itemLevels(p, schemas); levels != "" {
				extraTags(p)["nullableitems"] = levels
				items++
			}
			if !typed(p) || nullable(p, schemas, 0) {
				continue
			}
			extraTags(p)["nullable"] = "false"
			fields++
		}
	})
	return fields, items
}

// extraTags is the x-oapi-codegen-extra-tags of property p, added when
// missing.
func extraTags(p map[string]any) map[string]any {
	tags := asMap(p[extExtraTags])
	if tags == nil {
		tags = map[string]any{}
		p[extExtraTags] = tags
	}
	return tags
}

// itemLevels is the nullableitems tag of a property of schema p: per level
// of the arrays and maps it holds, "false" for elements that are typed and
// not nullable, "true" for the others; "" when every level takes null.
func itemLevels(p map[string]any, schemas map[string]any) string {
	var words []string
	last := -1
	for s := elements(p, schemas); s != nil && len(words) < maxItemLevels; s = elements(s, schemas) {
		if typed(s) && !nullable(s, schemas, 0) {
			words = append(words, "false")
			last = len(words) - 1
		} else {
			words = append(words, "true")
		}
	}
	return strings.Join(words[:last+1], ",")
}

// elements is the schema of the elements of s, when s, through its $refs,
// is an array (its items) or a map (an object with no properties, typed by
// additionalProperties: oapi-codegen's map[string]T); nil otherwise.
func elements(s map[string]any, schemas map[string]any) map[string]any {
	for depth := 0; s != nil && depth < 32; depth++ {
		ref, ok := s["$ref"].(string)
		if !ok {
			break
		}
		name, ok := strings.CutPrefix(ref, schemaRefPrefix)
		if !ok {
			return nil
		}
		s = asMap(schemas[name])
	}
	if s == nil {
		return nil
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		if s[k] != nil {
			return nil // a composition: its Go type is no plain slice or map
		}
	}
	switch s["type"] {
	case "array":
		return asMap(s["items"])
	case "object", nil:
		if len(asMap(s["properties"])) == 0 {
			return asMap(s["additionalProperties"])
		}
	}
	return nil
}

// typed reports whether schema s constrains the kind of its value: an
// untyped schema ({}) takes anything, null included.
func typed(s map[string]any) bool {
	for _, k := range []string{"type", "$ref", "allOf", "oneOf", "anyOf", "properties", "items", "enum"} {
		if s[k] != nil {
			return true
		}
	}
	return false
}

// nullable reports whether s allows null: nullable: true on it, on the
// component it refers to, or on any member of its composition (a oneOf
// with a nullable member takes null).
func nullable(s map[string]any, schemas map[string]any, depth int) bool {
	if s == nil || depth > 32 {
		return true // unknown: never report null there
	}
	if s["nullable"] == true {
		return true
	}
	if ref, ok := s["$ref"].(string); ok {
		name, ok := strings.CutPrefix(ref, schemaRefPrefix)
		return !ok || nullable(asMap(schemas[name]), schemas, depth+1)
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		for _, sub := range asSlice(s[k]) {
			if nullable(asMap(sub), schemas, depth+1) {
				return true
			}
		}
	}
	// allOf: null must satisfy every member; one typed member refuses it
	// unless it is nullable itself.
	if all := asSlice(s["allOf"]); len(all) > 0 && s["type"] == nil {
		for _, sub := range all {
			if sm := asMap(sub); typed(sm) && !nullable(sm, schemas, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// BodyItems is what nullableitems says of a field, for the response bodies
// that are themselves arrays or maps (through $refs): no struct field holds
// them, so the operation carries the word list instead
// (engine.Operation.NullableItems). It maps "METHOD path status" (the
// method in capitals, as Operations spells it) to the word list of that
// 2xx response's application/json body, for each body with a level whose
// elements are typed and not nullable; the others are absent.
func (d *Doc) BodyItems() map[string]string {
	out := map[string]string{}
	schemas := asMap(asMap(d.Root["components"])["schemas"])
	responses := asMap(asMap(d.Root["components"])["responses"])
	paths := asMap(d.Root["paths"])
	for _, path := range sortedKeys(paths) {
		item := asMap(paths[path])
		for _, m := range sortedKeys(item) {
			method, ok := httpMethods[m]
			if !ok {
				continue
			}
			codes := asMap(asMap(item[m])["responses"])
			for _, code := range sortedKeys(codes) {
				if len(code) != 3 || code[0] != '2' {
					continue
				}
				r := asMap(codes[code])
				if ref, ok := r["$ref"].(string); ok {
					name, ok := strings.CutPrefix(ref, responseRefPrefix)
					if !ok {
						continue
					}
					r = asMap(responses[name])
				}
				body := asMap(asMap(asMap(r["content"])["application/json"])["schema"])
				if body == nil {
					continue
				}
				if levels := itemLevels(body, schemas); levels != "" {
					out[method+" "+path+" "+code] = levels
				}
			}
		}
	}
	return out
}

// responseRefPrefix starts a $ref to a component response.
const responseRefPrefix = "#/components/responses/"
