// Package synth builds JSON values that are valid for OpenAPI schemas
// (kin-openapi's), for the conformance suite's calls and the decoding
// fuzz test's seeds.
package synth

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Synth builds JSON values (map[string]any, []any, string, float64, bool)
// that are valid for an OpenAPI schema: enums take their first value, formats
// get a canonical value, numbers and lengths respect their bounds, and
// oneOf/anyOf take the first branch whose value the whole schema accepts.
type Synth struct {
	// full also fills optional properties (to fullDepth), gives arrays an
	// item and maps an entry; otherwise only what is required is filled.
	Full bool
	// response makes a value for an answer: readOnly properties are
	// filled and writeOnly ones left out, instead of the other way round.
	Response bool
	// unknown makes the value a newer server could send: every string
	// enum takes a value not in the enum, and every object with declared
	// properties gets one it does not declare. Such values are not valid
	// for the schema; oneOf/anyOf branches are chosen as for a valid one.
	Unknown bool
}

const (
	UnknownEnumValue = "zz_unknown_enum_value"
	UnknownField     = "zz_unknown_field"
)

const (
	// fullDepth bounds the optional part of a full value, so recursive
	// schemas (a conversation part holding conversation parts) end.
	fullDepth = 6
	// maxDepth bounds required nesting: deeper means a required cycle,
	// which no finite value satisfies.
	maxDepth = 40
)

// CanonicalFormats are values every validator accepts for the string
// formats the specs use.
var CanonicalFormats = map[string]string{
	"date-time": "2024-05-06T07:08:09Z",
	"date":      "2024-05-06",
	"email":     "someone@example.com",
	"uri":       "https://example.com/conformance",
	"url":       "https://example.com/conformance",
	"uuid":      "123e4567-e89b-42d3-a456-426614174000",
	"byte":      "Y29uZm9ybWFuY2U=",
	"binary":    "conformance",
	"ipv4":      "192.0.2.1",
	"hostname":  "example.com",
}

// Value returns a value for sr.
func (s Synth) Value(sr *openapi3.SchemaRef) (any, error) {
	return s.gen(sr, nil, 0)
}

// gen returns a value for sr; outer holds the properties of an enclosing
// object schema, which a oneOf branch may require without redefining
// (`oneOf: [{required: [email]}, {required: [external_id]}]`).
func (s Synth) gen(sr *openapi3.SchemaRef, outer openapi3.Schemas, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errors.New("required properties nest without end")
	}
	if sr == nil || sr.Value == nil {
		return "conformance", nil
	}
	sc := sr.Value
	for _, e := range sc.Enum {
		if e == nil {
			continue
		}
		if _, ok := e.(string); ok && s.Unknown {
			return UnknownEnumValue, nil
		}
		return e, nil
	}
	if len(sc.OneOf)+len(sc.AnyOf) > 0 {
		return s.choose(sc, outer, depth)
	}
	return s.plain(sc, outer, depth)
}

// plain is gen for a schema without oneOf/anyOf: its own type, merged with
// its allOf members.
func (s Synth) plain(sc *openapi3.Schema, outer openapi3.Schemas, depth int) (any, error) {
	var v any
	switch {
	case sc.Type.Is("object") || sc.Type == nil && (len(sc.Properties) > 0 || len(sc.Required) > 0 || outer != nil):
		m, err := s.object(sc, outer, depth)
		if err != nil {
			return nil, err
		}
		v = m
	case sc.Type.Is("array"):
		n := int(sc.MinItems)
		if n == 0 && s.Full && depth < fullDepth {
			n = 1
		}
		if sc.MaxItems != nil {
			n = min(n, int(*sc.MaxItems))
		}
		items := make([]any, 0, n)
		for range n {
			item, err := s.gen(sc.Items, nil, depth+1)
			if err != nil {
				return nil, err
			}
			items = append(items, item)
		}
		v = items
	case sc.Type.Is("string"):
		v = stringValue(sc)
	case sc.Type.Is("integer"), sc.Type.Is("number"):
		v = NumberValue(sc)
	case sc.Type.Is("boolean"):
		v = true
	case len(sc.AllOf) == 0:
		v = "conformance" // no type: any value is valid
	}
	for _, member := range sc.AllOf {
		mv, err := s.gen(member, objectContext(v, merged(outer, sc.Properties)), depth+1)
		if err != nil {
			return nil, err
		}
		v = mergeValues(v, mv)
	}
	return v, nil
}

func (s Synth) object(sc *openapi3.Schema, outer openapi3.Schemas, depth int) (map[string]any, error) {
	out := map[string]any{}
	props := merged(outer, sc.Properties)
	names := slices.Clone(sc.Required)
	if s.Full && depth < fullDepth {
		names = append(names, slices.Sorted(maps.Keys(sc.Properties))...)
	}
	for _, name := range names {
		if _, done := out[name]; done {
			continue
		}
		p := props[name]
		if p != nil && p.Value != nil && (p.Value.ReadOnly && !s.Response || p.Value.WriteOnly && s.Response) {
			continue // readOnly belongs to answers only, writeOnly to requests
		}
		v, err := s.gen(p, nil, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = v
	}
	ap := sc.AdditionalProperties
	isMap := ap.Schema != nil || ap.Has != nil && *ap.Has
	if isMap && len(sc.Properties) == 0 && (s.Full && depth < fullDepth || sc.MinProps > 0) {
		v, err := s.gen(ap.Schema, nil, depth+1)
		if err != nil {
			return nil, err
		}
		out["conformance_key"] = v
	}
	if s.Unknown && len(sc.Properties) > 0 {
		out[UnknownField] = map[string]any{"nested": []any{1.0, "x", nil, true}}
	}
	return out, nil
}

// choose tries, for every combination of a oneOf and an anyOf branch, the
// schema's own value merged with the branches' values, and returns the
// first that the whole schema accepts.
func (s Synth) choose(sc *openapi3.Schema, outer openapi3.Schemas, depth int) (any, error) {
	// Branches filled with every optional property can overlap (a value
	// then matches two oneOf branches), and branches that require nothing
	// match each other when empty: the schema's own properties and each
	// branch are tried in this value's mode first, then in the other.
	if s.Unknown {
		// Choose the branches a valid value takes, then fill them with
		// unknown values.
		known := s
		known.Unknown = false
		return known.chooseWith(sc, outer, depth, s)
	}
	return s.chooseWith(sc, outer, depth, s)
}

// chooseWith is choose, building the chosen combination again with fill
// once it is found valid.
func (s Synth) chooseWith(sc *openapi3.Schema, outer openapi3.Schemas, depth int, fill Synth) (any, error) {
	other := s
	other.Full = !s.Full
	var firstErr error
	for _, mode := range []Synth{s, other} {
		for _, one := range orNil(sc.OneOf) {
			for _, anyOf := range orNil(sc.AnyOf) {
				v, err := mode.combine(sc, outer, depth, one, anyOf)
				if err != nil {
					return nil, err
				}
				err = sc.VisitJSON(v, s.visitAs(), openapi3.EnableFormatValidation())
				if err == nil && fill == s {
					return v, nil
				}
				if err == nil {
					fill.Full = mode.Full
					return fill.combine(sc, outer, depth, one, anyOf)
				}
				if firstErr == nil {
					firstErr = err
				}
			}
		}
	}
	return nil, fmt.Errorf("no oneOf/anyOf branch gives a valid value: %w", firstErr)
}

// combine is the schema's own value merged with the values of a oneOf and
// an anyOf branch (either may be nil).
func (s Synth) combine(sc *openapi3.Schema, outer openapi3.Schemas, depth int, branches ...*openapi3.SchemaRef) (any, error) {
	v, err := s.plain(sc, outer, depth)
	if err != nil {
		return nil, err
	}
	props := objectContext(v, merged(outer, sc.Properties))
	for _, branch := range branches {
		if branch == nil {
			continue
		}
		bv, err := s.gen(branch, props, depth+1)
		if err != nil {
			return nil, err
		}
		v = mergeValues(v, bv)
	}
	return v, nil
}

// visitAs validates as the request or answer the value is for.
func (s Synth) visitAs() openapi3.SchemaValidationOption {
	if s.Response {
		return openapi3.VisitAsResponse()
	}
	return openapi3.VisitAsRequest()
}

// objectContext is the enclosing properties to hand to the members or
// branches of a schema whose value is v: non-nil when v is an object, so
// that a member without a type ({} or {required: [...]}) is an object too.
func objectContext(v any, props openapi3.Schemas) openapi3.Schemas {
	if _, ok := v.(map[string]any); ok && props == nil {
		return openapi3.Schemas{}
	}
	return props
}

func orNil(refs openapi3.SchemaRefs) []*openapi3.SchemaRef {
	if len(refs) == 0 {
		return []*openapi3.SchemaRef{nil}
	}
	return refs
}

// merged returns the properties of an object and its enclosing schema,
// the object's own winning.
func merged(outer, own openapi3.Schemas) openapi3.Schemas {
	if len(outer) == 0 {
		return own
	}
	m := maps.Clone(outer)
	maps.Copy(m, own)
	return m
}

// mergeValues combines the values of allOf members (or of a schema and its
// chosen branch): objects merge key by key, anything else is replaced.
func mergeValues(a, b any) any {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		if b == nil {
			return a
		}
		return b
	}
	out := maps.Clone(am)
	for k, v := range bm {
		out[k] = mergeValues(out[k], v)
	}
	return out
}

func stringValue(sc *openapi3.Schema) string {
	if v, ok := CanonicalFormats[sc.Format]; ok {
		return v
	}
	v := "conformance"
	if n := int(sc.MinLength); len(v) < n {
		v += strings.Repeat("x", n-len(v))
	}
	if sc.MaxLength != nil && len(v) > int(*sc.MaxLength) {
		v = v[:*sc.MaxLength]
	}
	return v
}

// NumberValue is 1, moved into [minimum, maximum] and onto multipleOf.
func NumberValue(sc *openapi3.Schema) float64 {
	v := 1.0
	if sc.Min != nil && v <= *sc.Min {
		v = *sc.Min
		if sc.ExclusiveMin.IsTrue() {
			v++
		}
	}
	if sc.Max != nil && v >= *sc.Max {
		v = *sc.Max
		if sc.ExclusiveMax.IsTrue() {
			v--
		}
	}
	if sc.MultipleOf != nil && *sc.MultipleOf > 0 {
		v = math.Ceil(v / *sc.MultipleOf) * *sc.MultipleOf
	}
	return v
}
