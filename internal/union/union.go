// Package union decodes the oneOf/anyOf types of the generated version
// packages. Each union there is a sealed interface with one named type per
// variant; what is shared (picking the variant a JSON value belongs to) lives
// here once, and the generated code only declares a table per union.
//
// The rule, in order (docs/surface.md, "Unions"):
//
//  1. null (or nothing) is the nil union.
//  2. When the union has a discriminator and the value is an object with
//     that member, the variant mapped to its value is decoded.
//  3. Otherwise the candidates are the variants of the value's JSON kind
//     whose required members are all present and whose single-valued enums
//     (e.g. "type": "source") match. Candidates with more required members
//     are tried first (the most specific), then in the description's order;
//     the first that decodes wins.
//  4. When no variant takes the value, it is kept whole as the package's
//     UnknownVariant, so nothing Intercom sends is lost and re-encoding it
//     gives the same JSON back.
package union

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sync"

	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/internal/lossless"
)

// Kind is the JSON kind a variant takes.
type Kind uint8

// The JSON kinds, as a variant declares them. Integer takes numbers with
// no fraction or exponent; Number takes every number.
const (
	Object Kind = iota + 1
	Array
	String
	Integer
	Number
	Bool
)

// Variant is one member of a union U.
type Variant[U any] struct {
	Kind     Kind
	Required []string          // members an object must have
	Consts   map[string]string // members whose only allowed value is given
	Tags     []string          // discriminator values mapped to this variant
	Decode   func([]byte) (U, error)
}

// Union describes a union U for Decode.
type Union[U any] struct {
	Discriminator string // the member naming the variant, "" when none
	Variants      []Variant[U]
	Unknown       func(json.RawMessage) U // keeps a value no variant takes
}

// As decodes b as V and returns it as the union U (V implements U).
func As[U, V any](b []byte) (U, error) {
	var v V
	if err := Unmarshal(b, &v); err != nil {
		var zero U
		return zero, err
	}
	return any(v).(U), nil
}

// Decode picks the variant b belongs to (see the package comment). b is
// valid JSON (a decoder handed it over); Decode fails only when it is not.
func (u *Union[U]) Decode(b []byte) (U, error) {
	var zero U
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return zero, nil
	}
	kind := kindOf(b)
	var members map[string]json.RawMessage
	if kind == Object {
		if err := Unmarshal(b, &members); err != nil {
			return zero, err
		}
		if u.Discriminator != "" {
			var tag string
			if raw, ok := members[u.Discriminator]; ok && json.Unmarshal(raw, &tag) == nil {
				for _, v := range u.Variants {
					if slices.Contains(v.Tags, tag) {
						if x, err := v.Decode(b); err == nil {
							return x, nil
						}
					}
				}
			}
		}
	}
	var candidates []*Variant[U]
	for i := range u.Variants {
		v := &u.Variants[i]
		if takes(v, kind, b, members) {
			candidates = append(candidates, v)
		}
	}
	slices.SortStableFunc(candidates, func(a, b *Variant[U]) int { return len(b.Required) - len(a.Required) })
	for _, v := range candidates {
		if x, err := v.Decode(b); err == nil {
			return x, nil
		}
	}
	return u.Unknown(json.RawMessage(slices.Clone(b))), nil
}

// Unmarshal decodes b into v with the root package's engine
// (internal/jsondec, which decodes as encoding/json does), and with
// encoding/json from a zero value when it gives up, so that errors are
// encoding/json's. The generated UnmarshalJSON methods of structs with
// union fields use it: they run inside the fast decode, which would
// otherwise fall back to encoding/json for every such struct. An
// UnmarshalJSON may not keep b, so jsondec decodes a copy, which the
// decoded strings then share: one allocation instead of one per string.
func Unmarshal(b []byte, v any) error {
	c := bytes.Clone(b)
	if err := jsondec.Unmarshal(c, v); err != nil {
		// v is the method's view of its receiver (an embedded pointer
		// to it beside the union fields): encoding/json decodes over
		// what jsondec left, as it would over a caller's value.
		if err := json.Unmarshal(b, v); err != nil {
			return err
		}
		lossless.Attach(v, c) // the objects' JSON, which jsondec would have kept
	}
	return nil
}

// DecodeSlice decodes each element of raw with u.
func DecodeSlice[U any](u *Union[U], raw []json.RawMessage) ([]U, error) {
	if raw == nil {
		return nil, nil
	}
	out := make([]U, len(raw))
	for i, r := range raw {
		var err error
		if out[i], err = u.Decode(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DecodeMap decodes each value of raw with u.
func DecodeMap[U any](u *Union[U], raw map[string]json.RawMessage) (map[string]U, error) {
	if raw == nil {
		return nil, nil
	}
	out := make(map[string]U, len(raw))
	for k, r := range raw {
		x, err := u.Decode(r)
		if err != nil {
			return nil, err
		}
		out[k] = x
	}
	return out, nil
}

func takes[U any](v *Variant[U], kind Kind, b []byte, members map[string]json.RawMessage) bool {
	switch {
	case v.Kind == kind:
	case v.Kind == Integer && kind == Number:
		if bytes.ContainsAny(b, ".eE") {
			return false
		}
	default:
		return false
	}
	if kind != Object {
		return true
	}
	for _, name := range v.Required {
		if _, ok := members[name]; !ok {
			return false
		}
	}
	for name, want := range v.Consts {
		raw, ok := members[name]
		if !ok {
			continue
		}
		var got string
		if json.Unmarshal(raw, &got) != nil || got != want {
			return false
		}
	}
	return true
}

// kindOf is the kind of valid, trimmed JSON b (Number for every number).
func kindOf(b []byte) Kind {
	switch b[0] {
	case '{':
		return Object
	case '[':
		return Array
	case '"':
		return String
	case 't', 'f':
		return Bool
	}
	return Number
}

// registry maps each union's interface type to what code holding only a
// reflect.Type needs: the facade's shape checks, test harnesses, the fake
// server decoding request bodies.
var registry sync.Map // reflect.Type -> entry

type entry struct {
	decode  func([]byte) (any, error)
	kinds   []Kind
	unknown reflect.Type
}

// Register makes u reachable through DecodeAs and Describe; the generated
// packages register every union they declare.
func Register[U any](u *Union[U]) {
	e := entry{decode: func(b []byte) (any, error) { return u.Decode(b) }}
	for _, v := range u.Variants {
		if !slices.Contains(e.kinds, v.Kind) {
			e.kinds = append(e.kinds, v.Kind)
		}
	}
	if x := any(u.Unknown(nil)); x != nil {
		e.unknown = reflect.TypeOf(x)
	}
	registry.Store(reflect.TypeFor[U](), e)
}

// DecodeAs decodes b as the registered union t; ok is false when t is not
// one.
func DecodeAs(t reflect.Type, b []byte) (v any, ok bool, err error) {
	e, found := registry.Load(t)
	if !found {
		return nil, false, nil
	}
	if !json.Valid(b) {
		return nil, true, &json.SyntaxError{}
	}
	v, err = e.(entry).decode(b)
	return v, true, err
}

// Registered reports whether t is a registered union.
func Registered(t reflect.Type) bool {
	_, ok := registry.Load(t)
	return ok
}

// Describe returns the JSON kinds the variants of union t take and the type
// of the value that keeps what none takes (a struct whose only field is the
// raw JSON); ok is false when t is not a registered union.
func Describe(t reflect.Type) (kinds []Kind, unknown reflect.Type, ok bool) {
	e, found := registry.Load(t)
	if !found {
		return nil, nil, false
	}
	return e.(entry).kinds, e.(entry).unknown, true
}
