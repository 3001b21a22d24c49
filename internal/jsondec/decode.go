// Package jsondec decodes JSON into Go values as encoding/json does, faster,
// for the kinds of types the generated models use. It is the engine of the
// strict first step of response decoding (docs/decoding.md).
//
// The contract is one-sided: whenever Unmarshal returns nil, the value is
// the one encoding/json's Unmarshal gives from the same zero value, and
// encoding/json would have succeeded too. On anything it does not handle,
// or is not sure to handle as encoding/json does (a key that matches a
// field only case-insensitively, a duplicate key in an object decoded into
// a struct, the ",string" option, a number into a string, …), it returns
// an error and the caller decodes with encoding/json instead; its errors
// say nothing about what encoding/json would say.
//
// One addition to encoding/json's value: a struct with a lossless.Members
// field (the generated models' JSON field, which encoding/json skips as
// `json:"-"`) gets the object's bytes there, a sub-slice of the input, so
// that what the server sent stays reachable (internal/lossless).
//
// Speed comes from decoders compiled once per type (cached by
// reflect.Type), writes through unsafe field offsets, a scanner that reads
// eight bytes at a time inside strings, and strings that refer to the input
// instead of copies: the input must not be modified while the value is in
// use.
package jsondec

import (
	"encoding"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"sync"
	"unsafe"

	"github.com/apipin/intercom/internal/lossless"
)

var (
	errSyntax     = errors.New("jsondec: invalid JSON")
	errType       = errors.New("jsondec: value does not fit its Go type, or is left to encoding/json")
	errTooDeep    = errors.New("jsondec: nesting too deep")
	errNotPointer = errors.New("jsondec: not a non-nil pointer")
)

// Unmarshal decodes data into v, a non-nil pointer to a zero value. The
// strings in v may refer to data. See the package comment for what an
// error means.
func Unmarshal(data []byte, v any) error {
	return UnmarshalNotes(data, v, nil)
}

// UnmarshalNotes is Unmarshal that also adds to notes (when not nil) what
// the decode met that encoding/json accepts without a word (notes.go).
func UnmarshalNotes(data []byte, v any, notes *Notes) error {
	return UnmarshalItemsNotes(data, v, 0, notes)
}

// UnmarshalItemsNotes is UnmarshalNotes for a body whose own elements (an
// array's, a map's values) take no null at levels, a bit set as
// ItemsNonNull gives for a field: the nullableitems of a value that no
// struct field holds, such as a response body that is itself an array.
// They are noted as a tagged field's are; levels 0 is UnmarshalNotes.
func UnmarshalItemsNotes(data []byte, v any, levels uint32, notes *Notes) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errNotPointer
	}
	var td *typeDec
	if levels == 0 {
		td = decoderFor(rv.Type().Elem())
	} else {
		td = itemsDecoderFor(rv.Type().Elem(), levels)
	}
	d := decoders.Get().(*decoder)
	*d = decoder{data: data}
	if notes != nil {
		d.notes.rec = notes.rec // records go straight to the caller's
	}
	err := td.fn(d, rv.UnsafePointer())
	if err == nil {
		if d.ws(); d.i != len(data) {
			err = errSyntax
		}
	}
	if notes != nil {
		notes.add(d.notes)
	}
	*d = decoder{} // drop the reference to data
	decoders.Put(d)
	return err
}

// decoders recycles the decoder state, which escapes to the heap through
// the indirect calls of the compiled decoders.
var decoders = sync.Pool{New: func() any { return new(decoder) }}

// decFn decodes the value at d.i (whitespace first) into the Go value at p.
type decFn func(d *decoder, p unsafe.Pointer) error

// typeDec holds a type's decoder; the indirection lets recursive types
// refer to themselves while being compiled.
type typeDec struct {
	fn decFn
}

var (
	cache   sync.Map // reflect.Type, or the itemsKey of a body's own levels (itemsDecoderFor) -> *typeDec
	buildMu sync.Mutex
)

func decoderFor(t reflect.Type) *typeDec {
	if td, ok := cache.Load(t); ok {
		return td.(*typeDec)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	building := map[reflect.Type]*typeDec{}
	td := build(t, building)
	for bt, bd := range building {
		cache.Store(bt, bd)
	}
	return td
}

// build compiles t's decoder and those it needs, under buildMu.
func build(t reflect.Type, building map[reflect.Type]*typeDec) *typeDec {
	if td, ok := cache.Load(t); ok {
		return td.(*typeDec)
	}
	if td, ok := building[t]; ok {
		return td
	}
	td := &typeDec{}
	building[t] = td
	td.fn = compile(t, building)
	return td
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	numberType          = reflect.TypeFor[json.Number]()
	stringType          = reflect.TypeFor[string]()
	anyType             = reflect.TypeFor[any]()
)

func bail(*decoder, unsafe.Pointer) error { return errType }

// compile returns the decoder of a value of type t held in addressable
// memory (a field, an element, what the argument of Unmarshal points to),
// following encoding/json's order: a null into a pointer sets it to nil;
// else json.Unmarshaler, then encoding.TextUnmarshaler (strings only), on
// the value's address; then the kind.
func compile(t reflect.Type, building map[reflect.Type]*typeDec) decFn {
	if t.Kind() == reflect.Pointer {
		if t.Name() != "" {
			return bail // encoding/json ignores the methods of the element there
		}
		return ptrDec(t.Elem(), build(t.Elem(), building))
	}
	json, text := reflect.PointerTo(t).Implements(unmarshalerType), reflect.PointerTo(t).Implements(textUnmarshalerType)
	if json && isHolder(t) {
		json = false // its UnmarshalJSON only routes registered interfaces (iface.go)
	}
	switch {
	case (json || text) && t.Name() == "":
		return bail // methods promoted into an unnamed type: encoding/json's rules differ by position
	case json:
		return unmarshalerDec(t)
	case text:
		return textDec(t)
	}
	switch t.Kind() {
	case reflect.Bool:
		return boolDec
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intDec(t.Size())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintDec(t.Size())
	case reflect.Float32:
		return floatDec(32)
	case reflect.Float64:
		return floatDec(64)
	case reflect.String:
		if t == numberType {
			return numberDec
		}
		if e := enumOf(t); e != nil {
			return enumDec(e)
		}
		return stringDec
	case reflect.Interface:
		if t.NumMethod() != 0 {
			return interfaceDec(t) // bail unless registered (iface.go)
		}
		return anyDec
	case reflect.Struct:
		return structDec(t, building)
	case reflect.Slice:
		return sliceDec(t, build(t.Elem(), building))
	case reflect.Array:
		return arrayDec(t, build(t.Elem(), building))
	case reflect.Map:
		return mapDec(t, building)
	}
	return bail
}

// null consumes a null at d.i.
func (d *decoder) null() error { return d.literal("null") }

func ptrDec(elem reflect.Type, ed *typeDec) decFn {
	return func(d *decoder, p unsafe.Pointer) error {
		if d.ws() == 'n' {
			*(*unsafe.Pointer)(p) = nil
			return d.null()
		}
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			q = reflect.New(elem).UnsafePointer()
			*(*unsafe.Pointer)(p) = q
		}
		return ed.fn(d, q)
	}
}

// unmarshalerDec hands the value's exact bytes, null included, to the
// method, as encoding/json does.
func unmarshalerDec(t reflect.Type) decFn {
	var offset uintptr
	members := false
	if t.Kind() == reflect.Struct {
		offset, members = membersOffset(t)
	}
	return func(d *decoder, p unsafe.Pointer) error {
		raw, err := d.skip()
		if err != nil {
			return err
		}
		if err := reflect.NewAt(t, p).Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
			return err
		}
		if members && len(raw) > 0 && raw[0] == '{' {
			// A generated struct that decodes its union fields itself
			// keeps its object too (the method's view of it cannot).
			*(*lossless.Members)(unsafe.Add(p, offset)) = lossless.FromJSON(raw[:len(raw):len(raw)])
		}
		return nil
	}
}

// textDec hands a string's decoded text to the method; null leaves the
// value unchanged (nil for a map or slice kind); other kinds fail.
func textDec(t reflect.Type) decFn {
	return func(d *decoder, p unsafe.Pointer) error {
		switch d.ws() {
		case 'n':
			if k := t.Kind(); k == reflect.Map || k == reflect.Slice || k == reflect.Interface {
				reflect.NewAt(t, p).Elem().SetZero()
			}
			return d.null()
		case '"':
			raw, flags, err := d.scanString()
			if err != nil {
				return err
			}
			return reflect.NewAt(t, p).Interface().(encoding.TextUnmarshaler).UnmarshalText(text(raw, flags))
		}
		return errType
	}
}

func boolDec(d *decoder, p unsafe.Pointer) error {
	switch d.ws() {
	case 'n':
		return d.null()
	case 't':
		*(*bool)(p) = true
		return d.literal("true")
	case 'f':
		*(*bool)(p) = false
		return d.literal("false")
	}
	return errType
}

func stringDec(d *decoder, p unsafe.Pointer) error {
	switch d.ws() {
	case 'n':
		return d.null()
	case '"':
		raw, flags, err := d.scanString()
		if err != nil {
			return err
		}
		*(*string)(p) = str(text(raw, flags))
		return nil
	}
	return errType
}

// numberDec is json.Number: a number's text; a quoted number is left to
// encoding/json.
func numberDec(d *decoder, p unsafe.Pointer) error {
	c := d.ws()
	if c == 'n' {
		return d.null()
	}
	if c != '-' && (c < '0' || c > '9') {
		return errType
	}
	raw, _, err := d.scanNumber()
	if err != nil {
		return err
	}
	*(*string)(p) = str(raw)
	return nil
}

// number scans the number at d.i for an integer or float field; ok is
// false for null, which leaves the field unchanged.
func (d *decoder) number() (raw []byte, integer, ok bool, err error) {
	c := d.ws()
	if c == 'n' {
		return nil, false, false, d.null()
	}
	if c != '-' && (c < '0' || c > '9') {
		return nil, false, false, errType
	}
	raw, integer, err = d.scanNumber()
	return raw, integer, err == nil, err
}

// integer scans and parses the number at d.i (its first byte is '-' or a
// digit) for an integer field: one with a fraction or an exponent is left
// to encoding/json.
func (d *decoder) integer() (int64, error) {
	raw, integer, err := d.scanNumber()
	if err != nil {
		return 0, err
	}
	if !integer {
		return 0, errType
	}
	return parseInt(raw)
}

func intDec(size uintptr) decFn {
	return func(d *decoder, p unsafe.Pointer) error {
		switch c := d.ws(); {
		case c == 'n':
			return d.null()
		case c != '-' && (c < '0' || c > '9'):
			return errType
		}
		n, err := d.integer()
		if err != nil {
			return err
		}
		switch size {
		case 8:
			*(*int64)(p) = n
		case 4:
			if n != int64(int32(n)) {
				return errType
			}
			*(*int32)(p) = int32(n)
		case 2:
			if n != int64(int16(n)) {
				return errType
			}
			*(*int16)(p) = int16(n)
		default:
			if n != int64(int8(n)) {
				return errType
			}
			*(*int8)(p) = int8(n)
		}
		return nil
	}
}

// parseInt parses an integer's text (JSON grammar already checked).
func parseInt(raw []byte) (int64, error) {
	if len(raw) > 18 {
		return strconv.ParseInt(str(raw), 10, 64)
	}
	neg := raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	var n int64
	for _, c := range raw {
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

func uintDec(size uintptr) decFn {
	return func(d *decoder, p unsafe.Pointer) error {
		raw, integer, ok, err := d.number()
		if !ok {
			return err
		}
		if !integer || raw[0] == '-' {
			return errType // strconv.ParseUint refuses "-0" too
		}
		n, err := strconv.ParseUint(str(raw), 10, 64)
		if err != nil {
			return err
		}
		switch size {
		case 8:
			*(*uint64)(p) = n
		case 4:
			if n > math.MaxUint32 {
				return errType
			}
			*(*uint32)(p) = uint32(n)
		case 2:
			if n > math.MaxUint16 {
				return errType
			}
			*(*uint16)(p) = uint16(n)
		default:
			if n > math.MaxUint8 {
				return errType
			}
			*(*uint8)(p) = uint8(n)
		}
		return nil
	}
}

func floatDec(bits int) decFn {
	return func(d *decoder, p unsafe.Pointer) error {
		raw, _, ok, err := d.number()
		if !ok {
			return err
		}
		f, err := strconv.ParseFloat(str(raw), bits)
		if err != nil {
			return err
		}
		if bits == 32 {
			*(*float32)(p) = float32(f)
		} else {
			*(*float64)(p) = f
		}
		return nil
	}
}
