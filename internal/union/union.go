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
//     the first that decodes wins, unless it notes something (a null the
//     description does not allow, an enum value it does not list) and a
//     later candidate with as many required members decodes without a
//     note: that one wins.
//  4. When no variant takes the value, it is kept whole as the package's
//     UnknownVariant, so nothing Intercom sends is lost and re-encoding it
//     gives the same JSON back.
package union

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unsafe"

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

// Variant is one member of a union.
//
// Required, Consts and Tags are lists, each in one string, its items
// separated by NULs (planning splits them): the variant tables are
// package-level variables, which the garbage collector scans in every
// cycle, and a slice of strings there held a pointer per item where a
// string holds one (docs/decoding.md, session 9).
type Variant struct {
	Kind     Kind
	Required string // members an object must have
	Consts   string // members whose only allowed value is given: member, value, member, value…
	Tags     string // discriminator values mapped to this variant
	// Type is a nil *V, V the variant's type (which implements the
	// union): a value is decoded into a new V (see rules.decodeVariant).
	// Static data, where a decode function per variant was an
	// instantiation of a generic As per variant (issue 21: the compile
	// time of a version package).
	Type any
}

// Const is a member whose only allowed value is given. (A slice of them,
// not a map: a map literal in a package-level table makes the compiler
// build the table at init, which keeps it, and all it refers to, in every
// program importing the package.)
type Const struct{ Member, Value string }

// Union describes a union U for Decode.
type Union[U any] struct {
	Discriminator string // the member naming the variant, "" when none
	Variants      []Variant
	// Unknown keeps a value no variant takes, as a U.
	Unknown func(json.RawMessage) any

	rules rules // what picking a variant reads, computed once (plan)
}

// rules is all of a union but its type U: picking and decoding a variant
// work on the variants' types and return the value as any (a U, an
// interface, converts to any and back without allocating), so that they
// are compiled once and not for every union of every version package
// (issue 21: the compile time of a version package, which instantiates
// Union for each of its unions). Union[U]'s own methods only convert.
type rules struct {
	plan          sync.Once
	discriminator string
	variants      []facts
	// order lists the variants as rule 3 tries them: more required
	// members first, then the description's order.
	order []int
	// members: whether picking a variant reads an object's members.
	members bool
	// unknown keeps b whole (Union.Unknown).
	unknown func(json.RawMessage) any
}

// facts is what pick and decodeVariant read of a variant.
type facts struct {
	kind     Kind
	required []string
	consts   []Const
	tags     []string
	typ      reflect.Type // V
	// zero is a zero V. indirect: an any holding a V holds a pointer to
	// it (V is not pointer-shaped), which reflect.Value.Interface of the
	// value zero is made from was (see box).
	zero     any
	indirect bool
}

func newFacts(v Variant) facts {
	typ := reflect.TypeOf(v.Type).Elem()
	zero := reflect.Zero(typ).Interface()
	return facts{v.Kind, list(v.Required), consts(v.Consts), list(v.Tags), typ, zero, (*emptyInterface)(unsafe.Pointer(&zero)).data != nil}
}

// list splits a list of a Variant (its items separated by NULs).
func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}

// consts reads a Variant's Consts: member, value, member, value…
func consts(s string) []Const {
	items := list(s)
	if len(items) == 0 {
		return nil
	}
	out := make([]Const, 0, len(items)/2)
	for i := 0; i+1 < len(items); i += 2 {
		out = append(out, Const{Member: items[i], Value: items[i+1]})
	}
	return out
}

// decodeVariant decodes b as variant i, into a new V. b is not modified
// while the value is in use (a body internal/jsondec is decoding, or
// Decode's copy): it is decoded in place, the value's strings may refer
// to it, and what the decode notes is added to in (which may be nil).
func (r *rules) decodeVariant(i int, b []byte, in *jsondec.Notes) (any, error) {
	f := &r.variants[i]
	v := reflect.New(f.typ)
	if err := unmarshalOwned(b, v.Interface(), in); err != nil {
		return nil, err
	}
	return box(f, v), nil
}

// emptyInterface is the layout of an any, as in reflect and the runtime.
type emptyInterface struct {
	typ, data unsafe.Pointer
}

// box returns the V that v (a new *V nothing else refers to) points to as
// an any. When V is not pointer-shaped the any refers to v's object
// instead of a copy of it, as an any made by converting a V refers to the
// copy the conversion made: one allocation per decoded variant
// (reflect.Value.Interface of the value would copy it, a second). The
// generic As[U, V] this replaces made two for most V (the variable, which
// escaped, and the conversion's copy), one for a boolean or a small
// integer, which converting does not allocate.
func box(f *facts, v reflect.Value) any {
	if !f.indirect {
		return v.Elem().Interface() // the any holds the value itself
	}
	x := f.zero
	(*emptyInterface)(unsafe.Pointer(&x)).data = v.UnsafePointer()
	return x
}

// Decode picks the variant b belongs to (see the package comment). b is
// valid JSON (a decoder handed it over) and belongs to the caller: the
// value is decoded from copies. Decode fails only when b is not valid.
func (u *Union[U]) Decode(b []byte) (U, error) {
	// One copy, which the variants tried then decode in place; the notes
	// only serve to prefer a variant that takes b without one (rule 3).
	var notes jsondec.Notes
	return u.decode(bytes.Clone(b), &notes)
}

// member is one member of an object, its key decoded, both referring to
// the object's bytes.
type member struct {
	key   string
	value []byte
}

// find returns the value of the last member named key (the one
// encoding/json keeps), or nil.
func find(members []member, key string) []byte {
	for i := len(members) - 1; i >= 0; i-- {
		if members[i].key == key {
			return members[i].value
		}
	}
	return nil
}

// planned returns u's rules, computed on first use.
func (u *Union[U]) planned() *rules {
	u.rules.planOnce(u.Discriminator, u.Variants, u.Unknown)
	return &u.rules
}

// planOnce computes the rules of a union with these variants, once.
func (r *rules) planOnce(discriminator string, vs []Variant, unknown func(json.RawMessage) any) {
	r.plan.Do(func() {
		variants := make([]facts, len(vs))
		for i, v := range vs {
			variants[i] = newFacts(v)
		}
		r.init(discriminator, variants)
		r.unknown = unknown
	})
}

// init computes the rules of a union with these variants (planOnce).
func (r *rules) init(discriminator string, variants []facts) {
	r.discriminator = discriminator
	r.members = discriminator != ""
	r.variants = variants
	r.order = make([]int, len(variants))
	for i, v := range variants {
		r.order[i] = i
		if len(v.required) > 0 || len(v.consts) > 0 {
			r.members = true
		}
	}
	slices.SortStableFunc(r.order, func(a, b int) int {
		return len(variants[b].required) - len(variants[a].required)
	})
}

// decode is Decode of b, which nothing modifies (As), adding to in, which
// is not nil, what the variant decoded notes.
func (u *Union[U]) decode(b []byte, in *jsondec.Notes) (U, error) {
	x, err := u.planned().decode(b, in)
	if x == nil || err != nil {
		var zero U
		return zero, err
	}
	return x.(U), nil
}

// decode is Union.decode apart from U: nil for the nil union.
func (r *rules) decode(b []byte, in *jsondec.Notes) (any, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	var buf [16]int
	try, tagged, err := r.pick(b, buf[:0])
	if err != nil {
		return nil, err
	}
	// A variant that takes b with a note (a null the description does not
	// allow, an enum value it does not list) yields to a later one, as
	// specific (as many required members), that takes b without one:
	// {"operator":"AND","value":[...]} is a list of filters, not one
	// filter with an unlisted operator.
	fallback := -1 // the first variant that took b with a note
	rank := func(i int) int { return len(r.variants[i].required) }
	for k, i := range try {
		if fallback >= 0 && rank(i) < rank(fallback) {
			break
		}
		mark := in.Mark()
		x, err := r.decodeVariant(i, b, in)
		switch {
		case err != nil:
			in.Reset(mark)
			continue
		case k < tagged || !in.NotedSince(mark):
			return x, nil // the discriminator names it, or it took b without a word
		case fallback < 0 && (k+1 == len(try) || rank(try[k+1]) < rank(i)):
			return x, nil // no other as specific
		case fallback < 0:
			fallback = i
		}
		in.Reset(mark)
	}
	if fallback >= 0 {
		if x, err := r.decodeVariant(fallback, b, in); err == nil {
			return x, nil // decoded again, for its notes
		}
	}
	return r.unknown(json.RawMessage(slices.Clone(b))), nil
}

// pick returns, appended to try, the indexes of the variants to try for
// b (valid, trimmed JSON, not null), in turn: the first tagged are those
// the discriminator's value names, then those that take b in the order of
// rule 3. A variant may appear twice.
func (r *rules) pick(b []byte, try []int) (_ []int, tagged int, err error) {
	kind := kindOf(b)
	var buf [16]member
	members := buf[:0]
	if kind == Object && r.members {
		err := jsondec.Members(b, func(key string, value []byte) error {
			members = append(members, member{key, value})
			return nil
		})
		if err != nil {
			// Invalid JSON, or nesting deeper than jsondec goes:
			// encoding/json decides.
			var all map[string]json.RawMessage
			if err := json.Unmarshal(b, &all); err != nil {
				return nil, 0, err
			}
			members = members[:0]
			for k, v := range all {
				members = append(members, member{k, v})
			}
		}
		if r.discriminator != "" {
			if raw := find(members, r.discriminator); raw != nil {
				if tag, ok := jsondec.String(raw); ok {
					for i, v := range r.variants {
						if slices.Contains(v.tags, tag) {
							try = append(try, i)
						}
					}
				}
			}
		}
	}
	tagged = len(try)
	for _, i := range r.order {
		if takes(&r.variants[i], kind, b, members) {
			try = append(try, i)
		}
	}
	return try, tagged, nil
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
	return unmarshalOwned(bytes.Clone(b), v, nil)
}

// unmarshalOwned is Unmarshal of bytes that nothing modifies, without the
// copy, adding to notes what jsondec notes.
func unmarshalOwned(b []byte, v any, notes *jsondec.Notes) error {
	if err := jsondec.UnmarshalNotes(b, v, notes); err != nil {
		// v is the method's view of its receiver (an embedded pointer
		// to it beside the union fields): encoding/json decodes over
		// what jsondec left, as it would over a caller's value.
		if err := json.Unmarshal(b, v); err != nil {
			return err
		}
		lossless.Attach(v, b) // the objects' JSON, which jsondec would have kept
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

func takes(v *facts, kind Kind, b []byte, members []member) bool {
	switch {
	case v.kind == kind:
	case v.kind == Integer && kind == Number:
		if bytes.ContainsAny(b, ".eE") {
			return false
		}
	default:
		return false
	}
	if kind != Object {
		return true
	}
	for _, name := range v.required {
		if find(members, name) == nil {
			return false
		}
	}
	for _, c := range v.consts {
		raw := find(members, c.Member)
		if raw == nil {
			continue
		}
		if got, ok := jsondec.String(raw); !ok || got != c.Value {
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
	decode   func([]byte) (any, error)
	kinds    []Kind
	unknown  reflect.Type
	variants []reflect.Type // set for oapi-codegen's unions (DeclareRaw)
}

// Register makes u reachable through DecodeAs and Describe, and makes
// internal/jsondec decode U's values itself (in place, without copies).
// The generated packages register a union when a type holding it is
// probed (Holds), not at init: a program then keeps only the unions of the
// types it can decode (jsondec.Probing says why).
func Register[U any](u *Union[U]) {
	t := reflect.TypeFor[U]()
	if _, done := registry.Load(t); done {
		return
	}
	u.planned().register(t, func(raw []byte, p unsafe.Pointer, notes *jsondec.Notes) error {
		x, err := u.decode(raw, notes)
		if err != nil {
			return err
		}
		*(*U)(p) = x
		return nil
	})
}

// register is Register apart from U: decode is what jsondec calls for a
// value of the union t.
func (r *rules) register(t reflect.Type, decode jsondec.InterfaceFunc) {
	jsondec.RegisterInterface(t, decode)
	e := entry{decode: func(b []byte) (any, error) {
		var notes jsondec.Notes
		return r.decode(bytes.Clone(b), &notes)
	}}
	for _, v := range r.variants {
		if !slices.Contains(e.kinds, v.kind) {
			e.kinds = append(e.kinds, v.kind)
		}
	}
	if x := r.unknown(nil); x != nil {
		e.unknown = reflect.TypeOf(x)
	}
	registry.Store(t, e)
}

// registrar is a *Union of any type, for Holds.
type registrar interface{ register() }

func (u *Union[U]) register() { Register(u) }

// Probing reports whether b is internal/jsondec's probe (jsondec.Probing):
// the generated UnmarshalJSON of a holder T then returns Holds[T](its
// unions...).
func Probing(b []byte) bool { return jsondec.Probing(b) }

// Holds registers the unions a holder T holds and T as a holder
// (RegisterHolder): the answer of T's UnmarshalJSON to the probe.
func Holds[T any](unions ...registrar) error {
	for _, u := range unions {
		u.register()
	}
	RegisterHolder[T]()
	return nil
}

// RegisterHolder declares that T's UnmarshalJSON (generated: a struct
// with union fields, or a named list or map of a union) does nothing but
// decode T's members as encoding/json does and its unions through their
// registered Union, which internal/jsondec then does itself in one pass
// without calling the method: the method stays for programs that decode
// with encoding/json. Every union T holds must be registered.
func RegisterHolder[T any]() {
	jsondec.RegisterHolder(reflect.TypeFor[T]())
}

// DecodeAs decodes b as the registered union t; ok is false when t is not
// one.
func DecodeAs(t reflect.Type, b []byte) (v any, ok bool, err error) {
	e, found := registry.Load(t)
	if !found || e.(entry).decode == nil { // not one, or one DeclareRaw declared
		return nil, false, nil
	}
	if !json.Valid(b) {
		return nil, true, &json.SyntaxError{}
	}
	v, err = e.(entry).decode(b)
	return v, true, err
}

// DeclareRaw records a union that oapi-codegen generated (a struct around
// the raw JSON with one As<Variant> method per variant), given as a nil
// pointer to it, and the types of its variants, as nil pointers: the
// facade's shape checks read them here, where finding them through
// reflect.Type.Method would make the linker keep every exported method of
// every type a program stores in an interface (docs/performance.md).
// RawVariants returns them.
func DeclareRaw(ptr any, variantPtrs ...any) {
	variants := make([]reflect.Type, len(variantPtrs))
	for i, p := range variantPtrs {
		variants[i] = reflect.TypeOf(p).Elem()
	}
	registry.Store(reflect.TypeOf(ptr).Elem(), entry{variants: variants})
}

// RawVariants returns the variant types DeclareRaw recorded for t; ok is
// false when t was not declared so.
func RawVariants(t reflect.Type) (variants []reflect.Type, ok bool) {
	e, found := registry.Load(t)
	if !found || e.(entry).variants == nil {
		return nil, false
	}
	return e.(entry).variants, true
}

// Registered reports whether t is a registered union (by Register; the
// unions DeclareRaw declares are not).
func Registered(t reflect.Type) bool {
	e, ok := registry.Load(t)
	return ok && e.(entry).decode != nil
}

// Describe returns the JSON kinds the variants of union t take and the type
// of the value that keeps what none takes (a struct whose only field is the
// raw JSON); ok is false when t is not a registered union.
func Describe(t reflect.Type) (kinds []Kind, unknown reflect.Type, ok bool) {
	e, found := registry.Load(t)
	if !found || e.(entry).decode == nil {
		return nil, nil, false
	}
	return e.(entry).kinds, e.(entry).unknown, true
}
