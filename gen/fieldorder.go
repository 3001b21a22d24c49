package main

import "github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"

// Field order. oapi-codegen writes a struct's fields in the order of its
// property names, so a bool between two strings costs 7 bytes of padding,
// and so does each float32 or int32 between 8-byte fields: 8 bytes in a
// conversation part's author, which took 50 parts from a 24,576-byte
// allocation to a 27,264-byte one (docs/decoding.md, "Session 11"). Every
// decoded model pays its padding in memory the collector then clears and
// scans, so the properties that become such small value fields are
// ordered after the rest, through oapi-codegen's x-order (the properties
// without one come first, by name): the 4-byte ones, then the 2-byte and
// the 1-byte ones, then the JSON field (gen/lossless.go). A struct then
// pads at most once, at its end, as the tightest order would.
// TestModelsHaveNoAvoidablePadding (tests/) checks every struct a client's
// methods reach.

const extOrder = "x-order"

// Positions given with x-order. oapi-codegen places a property without
// one at the number of properties, so these are beyond any count.
const (
	orderSmall    = 1 << 20        // + 8 - size: 4-byte fields, then 2, then 1
	orderReceived = orderSmall + 8 // the JSON field, last
)

// smallSizes are the Go types of generated fields whose size is less than
// the 8 bytes of an address.
var smallSizes = map[string]int{
	"bool": 1, "int8": 1, "uint8": 1,
	"int16": 2, "uint16": 2,
	"int32": 4, "uint32": 4, "float32": 4,
}

// orderSmallFieldsLast gives the properties of struct schema s whose Go
// fields are values of less than 8 bytes their x-order, largest first.
func orderSmallFieldsLast(s map[string]any) {
	props := asObj(s["properties"])
	required := map[string]bool{}
	list, _ := s["required"].([]any)
	for _, r := range list {
		if name, ok := r.(string); ok {
			required[name] = true
		}
	}
	for _, name := range sortedKeysOf(props) {
		p := asObj(props[name])
		if p == nil || p[extOrder] != nil || !isValueField(p, required[name]) {
			continue
		}
		if size, ok := smallSizes[goTypeOf(p)]; ok {
			p[extOrder] = orderSmall + 8 - size
		}
	}
}

// typeMapping is oapi-codegen's type mapping with ours over it.
var typeMapping = codegen.DefaultTypeMapping.Merge(*oapiConfig().OutputOptions.TypeMapping)

// goTypeOf is the Go type oapi-codegen gives a property of a simple type
// (its type mapping and ours); "" for others.
func goTypeOf(p map[string]any) string {
	typ, _ := p["type"].(string)
	format, _ := p["format"].(string)
	switch typ {
	case "boolean":
		return typeMapping.Boolean.Resolve(format).Type
	case "integer":
		return typeMapping.Integer.Resolve(format).Type
	case "number":
		return typeMapping.Number.Resolve(format).Type
	}
	return ""
}

// isValueField reports whether oapi-codegen generates property p as a
// value rather than a pointer (its Property.GoTypeDef): a typed property
// that skips the optional pointer, or a required one that is neither
// nullable, read-only nor write-only. A $ref names a type whose size is
// not known here; x-go-type replaces the type.
func isValueField(p map[string]any, required bool) bool {
	if p["$ref"] != nil || p["x-go-type"] != nil {
		return false
	}
	if p["x-go-type-skip-optional-pointer"] == true {
		return true
	}
	return required && p["nullable"] != true && p["readOnly"] != true && p["writeOnly"] != true
}
