package specdoc

import "strings"

// Model shape. oapi-codegen makes every optional field a pointer, so that
// "not set" and "zero" differ. That distinction matters in what a caller
// sends (a partial update must not send false for a field it did not set)
// and carries nothing we found in what Intercom answers, where each pointer
// costs the caller a nil check and the decoder an allocation per present
// field (docs/decoding.md: 7,602 → 990 allocations for a 150-contact page).
//
// So the fields of schemas that only ever arrive in responses are values:
// absent and null decode to the zero value, and `omitzero` keeps a
// re-encoded response as sparse as the original. Every schema a request can
// carry (a body, a parameter, anything they reference, directly or nested)
// keeps oapi-codegen's pointers.

// Extensions oapi-codegen reads on a property (also next to a $ref).
const (
	extSkipOptionalPointer = "x-go-type-skip-optional-pointer"
	extOmitZero            = "x-omitzero"
)

const schemaRefPrefix = "#/components/schemas/"

// ValueModels reports what PreferValuesInResponses changed.
type ValueModels struct {
	Schemas    int // component schemas whose fields became values
	Properties int // properties marked, components and inline response schemas
	Kept       int // component schemas that keep pointers (a request reaches them)
}

// PreferValuesInResponses marks every property of each response-only schema
// (component schemas no request reaches, and schemas written inline in
// responses) so that oapi-codegen generates it as a value, with omitzero when
// the property is optional or nullable. It is a generator choice, not a
// repair: call it after Load, before OpenAPI.
func (d *Doc) PreferValuesInResponses() ValueModels {
	var vm ValueModels
	schemas := asMap(asMap(d.Root["components"])["schemas"])
	requested := requestReachable(d.Root)
	for _, name := range sortedKeys(schemas) {
		if requested[name] {
			vm.Kept++
			continue
		}
		vm.Schemas++
		vm.Properties += preferValues(asMap(schemas[name]))
	}
	forEachResponse(d.Root, func(resp map[string]any) {
		for _, media := range asMap(resp["content"]) {
			vm.Properties += preferValues(asMap(asMap(media)["schema"]))
		}
	})
	return vm
}

// preferValues marks the properties of schema s and of the schemas written
// inline within it. A $ref is not followed: the referenced component is
// shaped, or not, on its own account.
func preferValues(s map[string]any) int {
	if s == nil || s["$ref"] != nil {
		return 0
	}
	n := 0
	required := map[string]bool{}
	for _, r := range asSlice(s["required"]) {
		if name, ok := r.(string); ok {
			required[name] = true
		}
	}
	props := asMap(s["properties"])
	for _, name := range sortedKeys(props) {
		p := asMap(props[name])
		if p == nil {
			continue
		}
		// A required nullable field is a pointer too: values there as well.
		p[extSkipOptionalPointer] = true
		// omitzero marks the fields whose zero value stands for "absent
		// or null": the optional ones and the nullable ones. The tolerant
		// decoder reads null there as nothing to report.
		if !required[name] || p["nullable"] == true {
			p[extOmitZero] = true
		}
		n++
		n += preferValues(p)
	}
	n += preferValues(asMap(s["items"]))
	n += preferValues(asMap(s["additionalProperties"]))
	n += preferValues(asMap(s["not"]))
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		for _, sub := range asSlice(s[k]) {
			n += preferValues(asMap(sub))
		}
	}
	return n
}

// requestReachable names the component schemas a request can carry: those
// referenced, directly or through other components, by any operation's
// parameters or request body.
func requestReachable(root map[string]any) map[string]bool {
	components := asMap(root["components"])
	reached := map[string]bool{}
	seenRefs := map[string]bool{}
	var visit func(v any)
	visit = func(v any) {
		walkMaps(v, nil, func(_ []string, m map[string]any) bool {
			ref, _ := m["$ref"].(string)
			if ref == "" || seenRefs[ref] {
				return true
			}
			seenRefs[ref] = true
			if name, ok := strings.CutPrefix(ref, schemaRefPrefix); ok {
				reached[name] = true
			}
			// #/components/<kind>/<name>: schemas, parameters, requestBodies.
			parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
			if strings.HasPrefix(ref, "#/components/") && len(parts) == 2 {
				visit(asMap(components[parts[0]])[parts[1]])
			}
			return true
		})
	}
	for _, item := range asMap(root["paths"]) {
		item := asMap(item)
		visit(item["parameters"])
		for m, op := range item {
			if _, ok := httpMethods[m]; !ok {
				continue
			}
			visit(asMap(op)["parameters"])
			visit(asMap(op)["requestBody"])
		}
	}
	return reached
}

// forEachResponse calls fn for every response object written inline in an
// operation and for every component response.
func forEachResponse(root map[string]any, fn func(resp map[string]any)) {
	for _, path := range sortedKeys(asMap(root["paths"])) {
		item := asMap(asMap(root["paths"])[path])
		for _, m := range sortedKeys(item) {
			if _, ok := httpMethods[m]; !ok {
				continue
			}
			responses := asMap(asMap(item[m])["responses"])
			for _, code := range sortedKeys(responses) {
				if r := asMap(responses[code]); r != nil && r["$ref"] == nil {
					fn(r)
				}
			}
		}
	}
	components := asMap(asMap(root["components"])["responses"])
	for _, name := range sortedKeys(components) {
		if r := asMap(components[name]); r != nil && r["$ref"] == nil {
			fn(r)
		}
	}
}
