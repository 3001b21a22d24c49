package jsondec

import (
	"reflect"
	"sync"
	"unsafe"
)

// What encoding/json accepts without a word, and a caller may want to
// report: a null in a field tagged nullable:"false" (the zero value stays,
// as in encoding/json) or in an element of a list or map the field's
// nullableitems tag covers (items.go), and a string outside the values of a registered
// enum type (kept as received). Counting costs a byte comparison per
// tagged field and a call per enum value. When the caller asks (Record),
// each one noted is also recorded (appended only then, so a clean input
// costs nothing more) with where in the input it is, so that the caller
// can name its path with a plain scan of the input instead of walking it
// again with the types.

// Notes counts what UnmarshalNotes met.
type Notes struct {
	Nulls int // nulls in fields tagged nullable:"false", and in the elements nullableitems covers
	Enums int // enum values their type does not list
	rec   *Record
}

// Record holds what UnmarshalNotes noted, one Note each, in the order met.
type Record struct {
	At []Note
}

// RecordIn makes the decodes adding to n also append each null and enum
// value they note to r.
func (n *Notes) RecordIn(r *Record) { n.rec = r }

// Note is one null or enum value that UnmarshalNotes noted.
type Note struct {
	at unsafe.Pointer // the value's first byte, inside the decoded input
	// Null is set for a null in a field tagged nullable:"false", or in an
	// element nullableitems covers, whose type is Type; otherwise Value is a string that the enum type Type does
	// not list (decoded; it may refer to the input).
	Null  bool
	Type  reflect.Type
	Value string
}

// Offset returns where n's value starts in body, and false when it is not
// inside body (a copy of it was decoded, not body itself).
func (n Note) Offset(body []byte) (int, bool) {
	if n.at == nil || len(body) == 0 {
		return 0, false
	}
	off := uintptr(n.at) - uintptr(unsafe.Pointer(unsafe.SliceData(body)))
	if off >= uintptr(len(body)) {
		return 0, false
	}
	return int(off), true
}

// Any reports whether anything was noted.
func (n Notes) Any() bool { return n.Nulls != 0 || n.Enums != 0 }

func (n *Notes) add(m Notes) {
	n.Nulls += m.Nulls
	n.Enums += m.Enums
}

// Mark is what a Notes held at one time (Notes.Mark).
type Mark struct {
	nulls, enums, at int
}

// Mark returns what n holds now, for Reset.
func (n *Notes) Mark() Mark {
	m := Mark{nulls: n.Nulls, enums: n.Enums}
	if n.rec != nil {
		m.at = len(n.rec.At)
	}
	return m
}

// NotedSince reports whether anything was noted since m.
func (n *Notes) NotedSince(m Mark) bool {
	return n.Nulls != m.nulls || n.Enums != m.enums
}

// Reset forgets what was noted since m: what a decode that is then
// discarded (a union variant that failed) noted.
func (n *Notes) Reset(m Mark) {
	n.Nulls, n.Enums = m.nulls, m.enums
	if n.rec != nil && len(n.rec.At) > m.at {
		clear(n.rec.At[m.at:])
		n.rec.At = n.rec.At[:m.at]
	}
}

// noteNull notes a null, at d.i, in a nullable:"false" field of type t, or
// in an element of type t that nullableitems covers.
func (d *decoder) noteNull(t reflect.Type) {
	d.notes.Nulls++
	if d.notes.rec != nil {
		d.notes.rec.At = append(d.notes.rec.At, Note{at: unsafe.Pointer(&d.data[d.i]), Null: true, Type: t})
	}
}

// noteEnum notes the value s, at data[at], that the enum type t does not
// list.
func (d *decoder) noteEnum(at int, t reflect.Type, s string) {
	d.notes.Enums++
	if d.notes.rec != nil {
		d.notes.rec.At = append(d.notes.rec.At, Note{at: unsafe.Pointer(&d.data[at]), Type: t, Value: s})
	}
}

// validator is the method of the generated enum types (a string type
// with a fixed list of values) that says whether a value is listed.
type validator interface{ Valid() bool }

var validatorType = reflect.TypeFor[validator]()

type enumEntry struct {
	typ reflect.Type
	// proto holds a *E (its method set has E's Valid); valid swaps in the
	// pointer to the value to check, which spares a type assertion per
	// decoded value.
	proto validator
}

// valid calls Valid on the E at p.
func (e *enumEntry) valid(p unsafe.Pointer) bool {
	v := e.proto
	(*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1] = p // the interface's data word: the *E
	return v.Valid()
}

var enums sync.Map // reflect.Type -> *enumEntry, nil for a string type that is none

// enumOf returns the enum entry of a string type t, or nil when t is not
// an enum of this module's generated packages: found by its Valid method,
// not registered, so that a program keeps only the enums it can decode
// (iface.go, Probing, says why).
func enumOf(t reflect.Type) *enumEntry {
	if e, ok := enums.Load(t); ok {
		return e.(*enumEntry)
	}
	var e *enumEntry
	if t.Kind() == reflect.String && t.Name() != "" && ours(t) && reflect.PointerTo(t).Implements(validatorType) {
		e = &enumEntry{typ: t, proto: reflect.New(t).Interface().(validator)}
	}
	got, _ := enums.LoadOrStore(t, e)
	return got.(*enumEntry)
}

// EnumValid reports whether t is an enum type and, if so, whether s is
// one of its values.
func EnumValid(t reflect.Type, s string) (enum, valid bool) {
	e := enumOf(t)
	if e == nil {
		return false, false
	}
	return true, e.valid(unsafe.Pointer(&s))
}

// enumDec decodes a string as stringDec does, and notes a value (not
// null) that the enum does not list.
func enumDec(e *enumEntry) decFn {
	return func(d *decoder, p unsafe.Pointer) error {
		if d.ws() == 'n' {
			return d.null()
		}
		at := d.i
		if err := stringDec(d, p); err != nil {
			return err
		}
		if !e.valid(p) {
			d.noteEnum(at, e.typ, *(*string)(p))
		}
		return nil
	}
}
