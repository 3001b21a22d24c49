package lossless

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/apipin/intercom/internal/rawjson"
)

// DecodeMember decodes one member's JSON into v (a pointer to a zero
// value) the way a response is decoded, so that Marshal can tell whether
// the caller changed a field. The root package sets it to its own
// decoding (the fast decode, the tolerant pass on deviations, Members
// attached); encoding/json stands in until then.
var DecodeMember = func(raw []byte, v any) { _ = json.Unmarshal(raw, v) }

// Attach gives every object in v (a pointer to a value decoded from data
// by encoding/json) its JSON from data, which v may keep. The root package
// sets it; until then it does nothing.
var Attach = func(v any, data []byte) {}

// Prepare readies the decoding of t's members (DecodeMember) before
// Marshal first encodes a t: the root package sets it to compile t's
// decoder, which registers the unions t holds (internal/jsondec's probe),
// for a value that was not decoded (built by the caller, its members Set).
var Prepare = func(t reflect.Type) {}

// membersType is the type of the field that marks a lossless struct.
var membersType = reflect.TypeFor[Members]()

// Marshal encodes v, a struct with a Members field or a pointer to one
// (the generated MarshalJSON methods pass their value receiver; nothing
// here needs it addressable). A struct with nothing received
// or Set encodes as encoding/json encodes it (omitempty, omitzero).
// Otherwise each member received is written back, in the order received:
// a declared field's member as received while the typed value is what
// decoding that member gives (so explicit zeros, number spellings, values
// of the wrong type and numbers beyond float64 come back as sent), the
// typed value once the caller changed it (even to a zero value: the member
// was there), except that a member given to Members.Set is written while
// its typed field is zero; a member no field declares, as received. Declared fields
// with no member are written after them, unless omitted as zero.
func Marshal(v any) ([]byte, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return []byte("null"), nil
		}
		rv = rv.Elem()
	}
	e := &encoder{}
	if err := e.value(rv); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// plan is what Marshal needs of a struct type, computed once.
type plan struct {
	fields  []encField
	members []int // index of the Members field, nil when the struct has none
}

type encField struct {
	name      string
	key       []byte // the quoted name and a colon
	index     []int
	typ       reflect.Type
	omitEmpty bool
	omitZero  bool
	nested    bool // a struct (or pointer to one) with Members: written by its own plan
}

var plans sync.Map // reflect.Type -> *plan

func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	Prepare(t)
	p := &plan{}
	walkFields(t, nil, p, map[reflect.Type]bool{})
	slices.SortStableFunc(p.fields, func(a, b encField) int { return slices.Compare(a.index, b.index) })
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan)
}

// walkFields lists t's fields as encoding/json names them. The generated
// models have no conflicting promoted names, so the first of a name wins.
func walkFields(t reflect.Type, index []int, p *plan, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		sf := t.Field(i)
		idx := append(slices.Clip(index), i)
		if sf.Type == membersType {
			// The shallowest wins: a result type embedding a model
			// keeps its object in the model's field.
			if p.members == nil || len(idx) < len(p.members) {
				p.members = idx
			}
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if sf.Anonymous {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if name == "" && et.Kind() == reflect.Struct {
				walkFields(et, idx, p, seen)
				continue
			}
			if !sf.IsExported() {
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if slices.ContainsFunc(p.fields, func(f encField) bool { return f.name == name }) {
			continue
		}
		key, _ := json.Marshal(name)
		f := encField{name: name, key: append(key, ':'), index: idx, typ: ft}
		for o := range strings.SplitSeq(opts, ",") {
			f.omitEmpty = f.omitEmpty || o == "omitempty"
			f.omitZero = f.omitZero || o == "omitzero"
		}
		et := ft
		if et.Kind() == reflect.Pointer {
			et = et.Elem()
		}
		f.nested = et.Kind() == reflect.Struct && planFor(et).members != nil
		p.fields = append(p.fields, f)
	}
}

// HasMembers reports whether t is a struct with a Members field.
func HasMembers(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && planFor(t).members != nil
}

// MembersOf returns the Members of v, a struct value with a Members field.
func MembersOf(v reflect.Value) Members {
	p := planFor(v.Type())
	if p.members == nil {
		return Members{}
	}
	f, ok := fieldByIndex(v, p.members)
	if !ok {
		return Members{}
	}
	return f.Interface().(Members)
}

// ReceivedJSON returns the JSON that the Members of v, a struct value,
// hold as received, without a copy (a view of the decoded body), or ""
// when v has no Members field or it holds nothing. It does not allocate:
// the decode report reads it to skip decoded objects in the body.
func ReceivedJSON(v reflect.Value) string {
	if v.Kind() != reflect.Struct {
		return ""
	}
	p := planFor(v.Type())
	if p.members == nil {
		return ""
	}
	f, ok := fieldByIndex(v, p.members)
	if !ok {
		return ""
	}
	js := f.Field(0).String() // Members.s: read-only access to it is allowed
	if i := strings.IndexByte(js, 0); i >= 0 {
		js = js[:i]
	}
	return js
}

// SetMembers sets the Members of v, an addressable struct value with a
// Members field; it does nothing on another value.
func SetMembers(v reflect.Value, m Members) {
	p := planFor(v.Type())
	if p.members == nil {
		return
	}
	if f, ok := fieldByIndex(v, p.members); ok && f.CanSet() {
		f.Set(reflect.ValueOf(m))
	}
}

// fieldByIndex follows index through embedded pointers; ok is false at a
// nil one.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// Undeclared returns the members of v's received (or Set) JSON that no
// field of its type declares; v is a struct with a Members field or a
// pointer to one. Nil when there are none.
func Undeclared(v any) map[string]json.RawMessage {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil
	}
	p := planFor(rv.Type())
	var out map[string]json.RawMessage
	rawjson.EachMember(MembersOf(rv).bytes(), func(key string, _, val []byte) {
		if p.lookup(key) < 0 {
			if out == nil {
				out = map[string]json.RawMessage{}
			}
			out[key] = val
		}
	})
	return out
}

// lookup finds the field for a key as encoding/json does: the exact name,
// else one equal under case folding.
func (p *plan) lookup(key string) int {
	for i := range p.fields {
		if p.fields[i].name == key {
			return i
		}
	}
	for i := range p.fields {
		if strings.EqualFold(p.fields[i].name, key) {
			return i
		}
	}
	return -1
}

type encoder struct {
	buf []byte
}

// containsCache: whether values of a type can hold a struct with Members
// that has no MarshalJSON of its own (the anonymous nested ones).
var containsCache sync.Map // reflect.Type -> bool

func contains(t reflect.Type) bool {
	if c, ok := containsCache.Load(t); ok {
		return c.(bool)
	}
	containsCache.Store(t, false) // recursion guard
	var c bool
	switch t.Kind() {
	case reflect.Struct:
		c = planFor(t).members != nil
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		c = contains(t.Elem())
	}
	containsCache.Store(t, c)
	return c
}

func (e *encoder) value(v reflect.Value) error {
	t := v.Type()
	if !contains(t) {
		return e.std(v)
	}
	switch t.Kind() {
	case reflect.Struct:
		return e.object(v)
	case reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.value(v.Elem())
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		e.buf = append(e.buf, '[')
		for i := range v.Len() {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.value(v.Index(i)); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
		return nil
	case reflect.Map:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if t.Key().Kind() != reflect.String {
			return e.std(v)
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		e.buf = append(e.buf, '{')
		for i, k := range keys {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = strconv.AppendQuote(e.buf, k.String())
			e.buf = append(e.buf, ':')
			if err := e.value(v.MapIndex(k)); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
		return nil
	}
	return e.std(v)
}

// std writes v as encoding/json does (MarshalJSON methods included).
func (e *encoder) std(v reflect.Value) error {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return err
	}
	e.buf = append(e.buf, b...)
	return nil
}

// object writes a struct with Members (see Marshal).
func (e *encoder) object(v reflect.Value) error {
	p := planFor(v.Type())
	m := MembersOf(v)
	e.buf = append(e.buf, '{')
	start := len(e.buf)
	comma := func() {
		if len(e.buf) > start {
			e.buf = append(e.buf, ',')
		}
	}
	var done []bool
	if !m.IsZero() {
		done = make([]bool, len(p.fields))
		var err error
		rawjson.EachMember(m.bytes(), func(key string, rawKey, val []byte) {
			if err != nil {
				return
			}
			n := p.lookup(key)
			if n < 0 { // undeclared: as received
				comma()
				e.buf = append(e.buf, rawKey...)
				e.buf = append(e.buf, ':')
				e.buf = append(e.buf, val...)
				return
			}
			f := &p.fields[n]
			if done[n] {
				return // a repeated name: written once
			}
			done[n] = true
			fv, ok := fieldByIndex(v, f.index)
			if !ok {
				return
			}
			comma()
			e.buf = append(e.buf, rawKey...)
			e.buf = append(e.buf, ':')
			if f.nested && len(val) > 0 && val[0] == '{' && !(fv.Kind() == reflect.Pointer && fv.IsNil()) {
				err = e.value(fv) // the nested object keeps its own members
				return
			}
			if unchanged(fv, val) || m.wasSet(key) && fv.IsZero() {
				e.buf = append(e.buf, val...)
				return
			}
			err = e.value(fv)
		})
		if err != nil {
			return err
		}
	}
	var decoded reflect.Value // what decoding the object received gives
	for i := range p.fields {
		f := &p.fields[i]
		if done != nil && done[i] {
			continue
		}
		fv, ok := fieldByIndex(v, f.index)
		if !ok || f.omitZero && isZero(fv) || f.omitEmpty && isEmpty(fv) {
			continue
		}
		if done != nil {
			// Not received: written only when the caller set it, not when
			// decoding put it there (a required field's zero value, a
			// list found under another key).
			if !decoded.IsValid() {
				decoded = reflect.New(v.Type())
				DecodeMember(m.bytes(), decoded.Interface())
			}
			if dv, ok := fieldByIndex(decoded.Elem(), f.index); ok && reflect.DeepEqual(dv.Interface(), fv.Interface()) {
				continue
			}
		}
		comma()
		e.buf = append(e.buf, f.key...)
		if err := e.value(fv); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// unchanged reports whether fv is what decoding raw gives.
func unchanged(fv reflect.Value, raw []byte) bool {
	fresh := reflect.New(fv.Type())
	DecodeMember(raw, fresh.Interface())
	return reflect.DeepEqual(fresh.Elem().Interface(), fv.Interface())
}

type isZeroer interface{ IsZero() bool }

// isZero is omitzero's test: an IsZero method, else the zero value.
func isZero(v reflect.Value) bool {
	if z, ok := v.Interface().(isZeroer); ok {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return z.IsZero()
	}
	return v.IsZero()
}

// isEmpty is omitempty's test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
