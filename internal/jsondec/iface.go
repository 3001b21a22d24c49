package jsondec

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"unsafe"
)

// Interfaces with methods, and the types whose UnmarshalJSON only routes
// such interfaces.
//
// encoding/json cannot decode into an interface with methods; the
// generated version packages declare their unions as such interfaces
// (sealed, one type per variant) and give every struct, list and map
// holding one an UnmarshalJSON that decodes the union members through
// their union. Called from here, each such method would scan its bytes
// again, copy them (a method may not keep them) and decode them with a
// fresh decoder. Instead each holder type, asked once (Probing), registers
// itself, and the interface type of each union it holds with a function
// that decodes one value of it. This package then decodes a holder's fields
// in one pass, the union members through the registered function, handed
// the member's bytes inside the input, so that what they decode may refer
// to the input as every other string does.

// InterfaceFunc decodes raw, one valid JSON value (null included) that is
// part of the input being decoded, into the interface value at p, which
// is zero. What it stores may refer to raw, which is not modified while
// the value is in use. It adds what it notes to notes (UnmarshalNotes).
type InterfaceFunc func(raw []byte, p unsafe.Pointer, notes *Notes) error

var (
	interfaces sync.Map // reflect.Type -> InterfaceFunc
	holders    sync.Map // reflect.Type -> struct{}
	probed     sync.Map // reflect.Type -> struct{}: asked once (probeHolder)
)

// RegisterInterface makes values of the interface type t decodable with
// fn. Register before the first Unmarshal that reaches t (decoders are
// compiled once): a holder does it when probed (Probing).
func RegisterInterface(t reflect.Type, fn InterfaceFunc) {
	if t.Kind() != reflect.Interface {
		panic("jsondec: RegisterInterface of a " + t.Kind().String())
	}
	interfaces.Store(t, fn)
}

// RegisterHolder tells Unmarshal to decode values of t as their kind (a
// struct's fields, a slice's or a map's elements) and not through t's
// UnmarshalJSON, whose only work must be decoding the members of
// registered interface types (what the field decode does here with their
// InterfaceFunc): the result is the same, without copying the bytes.
// Register before the first Unmarshal that reaches t: a holder does it
// when probed (Probing).
func RegisterHolder(t reflect.Type) {
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Map:
	default:
		panic("jsondec: RegisterHolder of a " + t.Kind().String())
	}
	holders.Store(t, struct{}{})
}

// probe is the argument with which compile asks an UnmarshalJSON whether
// its type is a holder. It is the JSON null, so that a method unaware of
// the protocol does what encoding/json's null does to a fresh value;
// Probing recognises it by identity, so no input can be taken for it.
var probe = []byte("null")

// Probing reports whether b is the probe: the generated UnmarshalJSON of a
// holder then registers itself and the unions it holds (RegisterHolder,
// RegisterInterface) and returns.
//
// Why a probe and not a registration at init: whatever an init function
// registers, every program importing the package keeps, with all it
// refers to (every union's variants and their decoders, every holder):
// 1.2 MB of a one-call program's binary (docs/performance.md). Reached
// through the method, a program keeps only the holders and unions of the
// types it can decode.
func Probing(b []byte) bool {
	return len(b) == len(probe) && unsafe.SliceData(b) == unsafe.SliceData(probe)
}

// ours reports whether t is declared in this module: only its generated
// types are probed, or taken for enums by their Valid method.
func ours(t reflect.Type) bool {
	const module = "github.com/apipin/intercom"
	p := t.PkgPath()
	return p == module || strings.HasPrefix(p, module+"/")
}

// isHolder reports whether t (whose pointer implements json.Unmarshaler)
// is a holder, asking the type's UnmarshalJSON the first time (Probing).
func isHolder(t reflect.Type) bool {
	if _, ok := holders.Load(t); ok {
		return true
	}
	if _, done := probed.LoadOrStore(t, struct{}{}); !done && ours(t) {
		_ = reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(probe)
	}
	_, ok := holders.Load(t)
	return ok
}

// Prepare compiles the decoder of t (and of every type it holds) unless
// it was, which registers the holders and unions among them: code that
// asks the union registry about the types of a value it did not decode
// itself calls it first.
func Prepare(t reflect.Type) {
	decoderFor(t)
}

// interfaceDec is the decoder of a registered interface type, or bail.
func interfaceDec(t reflect.Type) decFn {
	f, ok := interfaces.Load(t)
	if !ok {
		return bail
	}
	fn := f.(InterfaceFunc)
	return func(d *decoder, p unsafe.Pointer) error {
		raw, err := d.skip()
		if err != nil {
			return err
		}
		return fn(raw, p, &d.notes)
	}
}

// Members calls each with the key (decoded, possibly referring to b) and
// the value's bytes of every member of the JSON object b, in order; b must
// be an object. It fails when b is not valid JSON or each fails.
func Members(b []byte, each func(key string, value []byte) error) error {
	d := decoder{data: b}
	if d.ws() != '{' {
		return errType
	}
	err := d.object(func(key []byte) error {
		v, err := d.skip()
		if err != nil {
			return err
		}
		return each(str(key), v)
	})
	if err == nil {
		if d.ws(); d.i != len(b) {
			err = errSyntax
		}
	}
	return err
}

// String decodes b, one JSON value, as encoding/json decodes it into a
// string variable: ok is true for a string (its value, which may refer to
// b) and for null (""), false for any other kind or invalid JSON.
func String(b []byte) (s string, ok bool) {
	d := decoder{data: b}
	if stringDec(&d, unsafe.Pointer(&s)) != nil {
		return "", false
	}
	if d.ws(); d.i != len(b) {
		return "", false
	}
	return s, true
}
