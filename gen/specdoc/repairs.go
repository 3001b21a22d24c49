package specdoc

import (
	"encoding/json"
	"fmt"
	"strings"
)

// A Repair changes a published description so that it loads, generates and
// compiles. Apply reports whether it changed anything: a repair whose
// condition does not hold in a version leaves that version untouched.
type Repair struct {
	Name   string
	Reason string
	Apply  func(root map[string]any) (changed bool, err error)
}

// Repairs run in this order on every loaded document.
var Repairs = []Repair{
	{
		Name:   "defineCustomAttributesSchema",
		Reason: "2.7–2.11 reference #/components/schemas/custom_attributes, which is only defined from 2.12; define it as a free-form object so that the document resolves",
		Apply:  defineCustomAttributesSchema,
	},
	{
		Name:   "movePathPlaceholdersToPath",
		Reason: "from 2.14 the reporting-data download and export operations declare their {job_identifier} path placeholder as a query parameter",
		Apply:  movePathPlaceholdersToPath,
	},
	{
		Name:   "addMissingArrayItems",
		Reason: "from 2.9 some array schemas (inside anyOf) have no items, which OpenAPI 3.0 requires; an empty items schema accepts what they meant",
		Apply:  addMissingArrayItems,
	},
	{
		Name:   "nameInlineEnumsAfterTheirOwner",
		Reason: "an inline enum property gets the Go name <Owner><Property>, which collides with a component schema of that name (ticket.type vs ticket_type in 2.12–2.15, conversation_attribute_list.type in 2.16 and Preview); name such enums <Owner><Property>Value",
		Apply:  nameInlineEnumsAfterTheirOwner,
	},
	{
		Name:   "dropUUIDFormatFromShorterStrings",
		Reason: "create_conversation_request.from.id (every version) is a 24-character Intercom id declared with format uuid and a length of exactly 24: no UUID (36 characters) fits, so no request validates and the generated openapi_types.UUID field cannot hold an id; drop the format where a length bound rules a UUID out",
		Apply:  dropUUIDFormatFromShorterStrings,
	},
	{
		Name:   "mergeOneOfQueryObjects",
		Reason: "GET /events takes its filter as a form-exploded object query parameter that is a oneOf of one-property objects; oapi-codegen makes it a union that cannot be set and whose serialization panics; one object with every branch's properties, all optional, puts the same query on the wire (each property is its own query parameter), though the type no longer enforces that exactly one is set",
		Apply:  mergeOneOfQueryObjects,
	},
	{
		Name:   "removeVersionHeaderParameter",
		Reason: "every operation takes an optional Intercom-Version header; each generated package pins the header itself, so a per-call version would contradict the pin",
		Apply:  removeVersionHeaderParameter,
	},
}

const customAttributesRef = "#/components/schemas/custom_attributes"

func defineCustomAttributesSchema(root map[string]any) (bool, error) {
	schemas := asMap(asMap(root["components"])["schemas"])
	if schemas == nil {
		return false, nil
	}
	if _, ok := schemas["custom_attributes"]; ok {
		return false, nil
	}
	used := false
	walkMaps(root, nil, func(_ []string, m map[string]any) bool {
		if m["$ref"] == customAttributesRef {
			used = true
		}
		return !used
	})
	if !used {
		return false, nil
	}
	schemas["custom_attributes"] = map[string]any{
		"type":                 "object",
		"additionalProperties": map[string]any{},
	}
	return true, nil
}

func movePathPlaceholdersToPath(root map[string]any) (bool, error) {
	changed := false
	for path, item := range asMap(root["paths"]) {
		for m, op := range asMap(item) {
			if _, ok := httpMethods[m]; !ok {
				continue
			}
			for _, p := range asSlice(asMap(op)["parameters"]) {
				p := asMap(p)
				name, _ := p["name"].(string)
				if p["in"] == "query" && name != "" && strings.Contains(path, "{"+name+"}") {
					p["in"] = "path"
					p["required"] = true
					changed = true
				}
			}
		}
	}
	return changed, nil
}

func addMissingArrayItems(root map[string]any) (bool, error) {
	changed := false
	walkObjects(root, func(m map[string]any) {
		if m["type"] == "array" && m["items"] == nil {
			m["items"] = map[string]any{}
			changed = true
		}
	})
	return changed, nil
}

// nameInlineEnumsAfterTheirOwner gives an explicit Go type name to inline
// enum properties of component schemas whose default generated name
// (<Schema><Property> in Go casing) is already taken by a component schema.
func nameInlineEnumsAfterTheirOwner(root map[string]any) (bool, error) {
	schemas := asMap(asMap(root["components"])["schemas"])
	taken := map[string]bool{}
	for name := range schemas {
		taken[goName(name)] = true
	}
	changed := false
	for _, owner := range sortedKeys(schemas) {
		for _, prop := range sortedKeys(asMap(asMap(schemas[owner])["properties"])) {
			ps := asMap(asMap(asMap(schemas[owner])["properties"])[prop])
			if ps == nil || ps["enum"] == nil || ps["$ref"] != nil || ps["x-go-type-name"] != nil {
				continue
			}
			name := goName(owner) + goName(prop)
			if !taken[name] {
				continue
			}
			if taken[name+"Value"] {
				return false, fmt.Errorf("%s.%s: %sValue is taken too", owner, prop, name)
			}
			ps["x-go-type-name"] = name + "Value"
			taken[name+"Value"] = true
			changed = true
		}
	}
	return changed, nil
}

// goName approximates oapi-codegen's schema-name casing (snake_case to
// CamelCase) well enough to predict collisions.
func goName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '_' || r == '-' || r == '.' || r == ' ' {
			up = true
			continue
		}
		if up && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		up = false
		b.WriteRune(r)
	}
	return b.String()
}

func removeVersionHeaderParameter(root map[string]any) (bool, error) {
	changed := false
	drop := func(params []any) []any {
		out := params[:0]
		for _, p := range params {
			pm := asMap(p)
			if pm["in"] == "header" && strings.EqualFold(fmt.Sprint(pm["name"]), "Intercom-Version") {
				changed = true
				continue
			}
			out = append(out, p)
		}
		return out
	}
	for _, item := range asMap(root["paths"]) {
		item := asMap(item)
		if ps, ok := item["parameters"].([]any); ok {
			item["parameters"] = drop(ps)
		}
		for m, op := range item {
			if _, ok := httpMethods[m]; !ok {
				continue
			}
			op := asMap(op)
			if ps, ok := op["parameters"].([]any); ok {
				op["parameters"] = drop(ps)
				if len(op["parameters"].([]any)) == 0 {
					delete(op, "parameters")
				}
			}
		}
	}
	return changed, nil
}

// uuidLength is the length of a UUID's text form.
const uuidLength = 36

func dropUUIDFormatFromShorterStrings(root map[string]any) (bool, error) {
	changed := false
	walkObjects(root, func(m map[string]any) {
		if m["format"] != "uuid" {
			return
		}
		maxLen, hasMax := number(m["maxLength"])
		minLen, hasMin := number(m["minLength"])
		if hasMax && maxLen < uuidLength || hasMin && minLen > uuidLength {
			delete(m, "format")
			changed = true
		}
	})
	return changed, nil
}

// number reads a numeric keyword of the tree (json.Number after parsing).
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// mergeOneOfQueryObjects replaces the schema of a form-exploded object query
// parameter that is a oneOf of inline objects by one object holding every
// branch's properties, none required.
func mergeOneOfQueryObjects(root map[string]any) (bool, error) {
	changed := false
	var params []any
	for _, item := range asMap(root["paths"]) {
		item := asMap(item)
		params = append(params, asSlice(item["parameters"])...)
		for m, op := range item {
			if _, ok := httpMethods[m]; ok {
				params = append(params, asSlice(asMap(op)["parameters"])...)
			}
		}
	}
	for _, p := range asMap(asMap(root["components"])["parameters"]) {
		params = append(params, p)
	}
	for _, p := range params {
		p := asMap(p)
		schema := asMap(p["schema"])
		if p["in"] != "query" || schema == nil || p["style"] != nil && p["style"] != "form" || p["explode"] == false {
			continue
		}
		branches := asSlice(schema["oneOf"])
		props := map[string]any{}
		closed := true
		for _, b := range branches {
			b := asMap(b)
			if b == nil || b["$ref"] != nil || b["properties"] == nil {
				props = nil
				break
			}
			for name, ps := range asMap(b["properties"]) {
				props[name] = ps
			}
			closed = closed && b["additionalProperties"] == false
		}
		if len(branches) == 0 || props == nil {
			continue
		}
		delete(schema, "oneOf")
		schema["type"] = "object"
		schema["properties"] = props
		if closed {
			schema["additionalProperties"] = false
		}
		changed = true
	}
	return changed, nil
}
