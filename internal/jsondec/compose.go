package jsondec

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"

	"github.com/apipin/intercom/internal/lossless"
)

// Objects, arrays and the empty interface.

// field is one key a struct decoder knows.
type field struct {
	name   string
	offset uintptr // from the last embedded pointer in hops, or the struct
	hops   *[]hop  // embedded pointers on the way to the field, if any (rare: a pointer keeps field at 64 bytes)
	dec    *typeDec
	// nonNull: a null here is counted in the decoder's notes.
	nonNull bool
	// kind: the field is a plain string, int64 or bool that the struct
	// decoder decodes inline (the most frequent members; no indirect call),
	// or 0.
	kind uint8
	typ  reflect.Type // the field's type, for the notes
}

// The kinds of field decoded inline (field.kind).
const (
	kindOther uint8 = iota
	kindString
	kindInt64
	kindBool
)

// inlineKind is the kind of field a struct decoder decodes inline for
// type t: exactly the types compile gives stringDec, intDec(8) or boolDec.
func inlineKind(t reflect.Type) uint8 {
	if t.Kind() == reflect.Pointer {
		return kindOther
	}
	if pt := reflect.PointerTo(t); pt.Implements(unmarshalerType) || pt.Implements(textUnmarshalerType) {
		return kindOther
	}
	switch t.Kind() {
	case reflect.String:
		if t != numberType && enumOf(t) == nil {
			return kindString
		}
	case reflect.Int, reflect.Int64:
		if t.Size() == 8 {
			return kindInt64
		}
	case reflect.Bool:
		return kindBool
	}
	return kindOther
}

// hop is an embedded pointer field: its offset, and what it points to,
// allocated when nil as encoding/json does. encoding/json cannot allocate
// an embedded pointer to an unexported type (it fails), but decodes
// through one that is set: the generated UnmarshalJSON methods of structs
// with union fields embed such a pointer to the value being decoded.
type hop struct {
	offset     uintptr
	elem       reflect.Type
	unexported bool
}

// ptr is where field f of the struct at p is, or nil when reaching it
// would need a pointer encoding/json cannot allocate.
func (f *field) ptr(p unsafe.Pointer) unsafe.Pointer {
	if f.hops == nil {
		return unsafe.Add(p, f.offset)
	}
	for _, h := range *f.hops {
		pp := (*unsafe.Pointer)(unsafe.Add(p, h.offset))
		if *pp == nil {
			if h.unexported {
				return nil
			}
			*pp = reflect.New(h.elem).UnsafePointer()
		}
		p = *pp
	}
	return unsafe.Add(p, f.offset)
}

// maxFields bounds the fields of a struct this package decodes: the keys
// seen are a bit set on the stack.
const maxFields = 256

type structDecoder struct {
	// members is the offset of a lossless.Members field, which gets the
	// object's bytes (a sub-slice of the input: no copy), or -1.
	members uintptr
	fields  []field
	table   []uint16 // open addressing on keyHash: field index + 1, 0 empty
	shift   uint32
	folded  map[string]bool // the fields' names, folded
}

func keyHash(k []byte, shift uint32) uint32 {
	n := len(k)
	if n == 0 {
		return 0
	}
	h := uint32(n) | uint32(k[0])<<8 | uint32(k[n-1])<<16 | uint32(k[n/2])<<24
	return (h * 0x9E3779B1) >> shift
}

func (s *structDecoder) lookup(key []byte) *field {
	mask := uint32(len(s.table) - 1)
	for h := keyHash(key, s.shift); ; h = (h + 1) & mask {
		i := s.table[h]
		if i == 0 {
			return nil
		}
		if f := &s.fields[i-1]; f.name == string(key) {
			return f
		}
	}
}

func structDec(t reflect.Type, building map[reflect.Type]*typeDec) decFn {
	jf := structFields(t)
	if len(jf) > maxFields {
		return bail
	}
	// By name, not in the struct's order: decode tries the field after the
	// last one matched first, which pays when the fields are in the order
	// an object lists its members, and descriptions and responses list
	// them by name far more often than the generated structs do (their
	// small fields come last, gen/fieldorder.go).
	slices.SortStableFunc(jf, func(a, b jsonField) int { return strings.Compare(a.name, b.name) })
	s := &structDecoder{folded: map[string]bool{}, members: noMembers}
	if off, ok := membersOffset(t); ok {
		s.members = off
	}
	for _, f := range jf {
		fd := field{name: f.name, nonNull: f.nonNull, typ: f.typ}
		st := t
		for k, idx := range f.index {
			sf := st.Field(idx)
			fd.offset += sf.Offset
			if k == len(f.index)-1 {
				break
			}
			st = sf.Type
			if st.Kind() == reflect.Pointer {
				st = st.Elem()
				if fd.hops == nil {
					fd.hops = new([]hop)
				}
				*fd.hops = append(*fd.hops, hop{fd.offset, st, !sf.IsExported()})
				fd.offset = 0
			}
		}
		if f.quoted {
			fd.dec = &typeDec{fn: bail}
		} else {
			fd.dec = buildItems(f.typ, f.nonNullItems, building)
			fd.kind = inlineKind(f.typ)
		}
		s.fields = append(s.fields, fd)
		fk, ok := foldKey(nil, []byte(f.name))
		if !ok {
			return bail
		}
		s.folded[string(fk)] = true
	}
	size, bits := 4, uint32(2)
	for size < 4*len(s.fields) {
		size, bits = size*2, bits+1
	}
	s.table, s.shift = make([]uint16, size), 32-bits
	for i := range s.fields {
		h := keyHash([]byte(s.fields[i].name), s.shift)
		for s.table[h] != 0 {
			h = (h + 1) & uint32(size-1)
		}
		s.table[h] = uint16(i + 1)
	}
	return s.decode
}

func (s *structDecoder) decode(d *decoder, p unsafe.Pointer) error {
	switch d.ws() {
	case 'n':
		return d.null()
	case '{':
	default:
		return errType
	}
	if err := d.enter(); err != nil {
		return err
	}
	start := d.i
	d.i++
	c := d.ws()
	if c == '}' {
		d.i++
		d.leave()
		s.keep(d, p, start)
		return nil
	}
	var seen [maxFields / 64]uint64
	var fold [64]byte
	next := 0
	for {
		if c != '"' {
			return errSyntax
		}
		raw, flags, err := d.scanString()
		if err != nil {
			return err
		}
		key := raw
		if flags != 0 {
			key = text(raw, flags)
		}
		if d.ws() != ':' {
			return errSyntax
		}
		d.i++
		// Objects often list their keys in the order of the fields (both
		// sorted): try the field after the last one first.
		var f *field
		n := next
		if n < len(s.fields) && s.fields[n].name == string(key) {
			f = &s.fields[n]
		} else if f = s.lookup(key); f != nil {
			n = int((uintptr(unsafe.Pointer(f)) - uintptr(unsafe.Pointer(&s.fields[0]))) / unsafe.Sizeof(field{}))
		}
		if f != nil {
			next = n + 1
			if seen[n/64]&(1<<(n%64)) != 0 {
				return errType // a duplicate key: encoding/json decodes it over the first
			}
			seen[n/64] |= 1 << (n % 64)
			fp := f.ptr(p)
			if fp == nil {
				return errType
			}
			c = d.ws()
			if c == 'n' && f.nonNull {
				d.noteNull(f.typ)
			}
			// The frequent cases inline, as stringDec, intDec(8) and
			// boolDec do them; anything else (null, an error) through the
			// field's decoder.
			switch {
			case f.kind == kindString && c == '"':
				raw, flags, err := d.scanString()
				if err != nil {
					return err
				}
				if flags != 0 {
					raw = text(raw, flags)
				}
				*(*string)(fp) = str(raw)
			case f.kind == kindInt64 && (c == '-' || '0' <= c && c <= '9'):
				n, err := d.integer()
				if err != nil {
					return err
				}
				*(*int64)(fp) = n
			case f.kind == kindBool && (c == 't' || c == 'f'):
				if err := boolDec(d, fp); err != nil {
					return err
				}
			default:
				if err := f.dec.fn(d, fp); err != nil {
					return err
				}
			}
		} else {
			if fk, ok := foldKey(fold[:0], key); !ok || s.folded[string(fk)] {
				return errType // a case-insensitive match, or maybe one
			}
			if _, err := d.skip(); err != nil {
				return err
			}
		}
		switch d.ws() {
		case ',':
			d.i++
			c = d.ws()
		case '}':
			d.i++
			d.leave()
			s.keep(d, p, start)
			return nil
		default:
			return errSyntax
		}
	}
}

// noMembers marks a struct without a lossless.Members field.
const noMembers = ^uintptr(0)

var membersType = reflect.TypeFor[lossless.Members]()

// membersOffset finds a lossless.Members field in t, or in the structs it
// embeds by value (a result type that embeds its model), shallowest first.
func membersOffset(t reflect.Type) (uintptr, bool) {
	type at struct {
		t   reflect.Type
		off uintptr
	}
	level := []at{{t, 0}}
	for depth := 0; depth < 4 && len(level) > 0; depth++ {
		var next []at
		for _, l := range level {
			for i := range l.t.NumField() {
				sf := l.t.Field(i)
				switch {
				case sf.Type == membersType:
					return l.off + sf.Offset, true
				case sf.Anonymous && sf.Type.Kind() == reflect.Struct:
					next = append(next, at{sf.Type, l.off + sf.Offset})
				}
			}
		}
		level = next
	}
	return 0, false
}

// keep stores the object that ends at d.i, from start, in the struct's
// Members field.
func (s *structDecoder) keep(d *decoder, p unsafe.Pointer, start int) {
	if s.members != noMembers {
		*(*lossless.Members)(unsafe.Add(p, s.members)) = lossless.FromJSON(d.data[start:d.i:d.i])
	}
}

// valueAt returns a function that gives the addressable value of type t
// at a pointer, as reflect.NewAt(t, p).Elem() does but for the lookup
// NewAt makes of *t on every call: for a type without a name ([]T,
// map[K]V) that is a sync.Map load, about 180 instructions per list or map
// decoded. The pointer type is found once; each call puts p in the data
// word of an interface holding a nil *t (as enumEntry.valid does).
func valueAt(t reflect.Type) func(unsafe.Pointer) reflect.Value {
	proto := reflect.Zero(reflect.PointerTo(t)).Interface()
	return func(p unsafe.Pointer) reflect.Value {
		v := proto
		(*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1] = p // the interface's data word: the *t
		return reflect.ValueOf(v).Elem()
	}
}

// sliceHeader is the layout of a slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// emptyArray backs the non-nil empty slices that "[]" decodes to.
var emptyArray [1]uintptr

// sliceDec decodes a list into the slice at p (sized). A slice that
// already has an array (outside Unmarshal's contract of a zero value) is
// given a new one, so its old elements never show through. "[]" is a
// non-nil empty slice, as in encoding/json.
func sliceDec(t reflect.Type, ed *typeDec) decFn {
	size := t.Elem().Size()
	hint := &lengthHint{max: max(1, maxHintBytes/max(1, int64(size)))}
	at := valueAt(t)
	return func(d *decoder, p unsafe.Pointer) error {
		h := (*sliceHeader)(p)
		switch d.ws() {
		case 'n':
			*h = sliceHeader{}
			return d.null()
		case '[':
		default:
			return errType
		}
		*h = sliceHeader{}
		return sized(d, at(p), h, ed, size, hint)
	}
}

// sized decodes the elements straight into the nil slice out (header h),
// allocated at the length of the lists of its type decoded before: the
// parts of a conversation, the contacts of a page, the tags of a contact
// are as many as last time more often than not, and then the list costs
// one allocation and no copy. A list longer than the hint grows as append
// does; one far shorter than its array is copied to its length, so that
// a long list does not pin memory in every short one after it. On an
// error the slice is nil.
func sized(d *decoder, out reflect.Value, h *sliceHeader, ed *typeDec, size uintptr, hint *lengthHint) error {
	err := d.elems(func() error {
		if h.len == h.cap {
			// The first element allocates the hint ("[]" allocates
			// nothing); later ones grow as append does. Both zero the
			// new capacity.
			if n := hint.get(); h.cap == 0 && n > 0 {
				out.Grow(n)
			} else {
				out.Grow(max(8, h.cap))
			}
		}
		h.len++
		return ed.fn(d, unsafe.Add(h.data, uintptr(h.len-1)*size))
	})
	if err != nil {
		*h = sliceHeader{}
		return err
	}
	hint.set(h.len)
	switch {
	case h.len == 0:
		*h = sliceHeader{data: unsafe.Pointer(&emptyArray)}
	case h.cap > 2*h.len+8:
		exact := reflect.MakeSlice(out.Type(), h.len, h.len)
		reflect.Copy(exact, out)
		out.Set(exact)
	}
	return nil
}

// maxHintBytes bounds the array a length hint allocates before the first
// element is read.
const maxHintBytes = 1 << 20

// lengthHint is how many elements the next list of a type is expected to
// have: the longest of the recent lists, forgotten when a list is shorter
// than half of it, at most max.
type lengthHint struct {
	n   atomic.Int64
	max int64
}

func (l *lengthHint) get() int { return int(min(l.n.Load(), l.max)) }

func (l *lengthHint) set(n int) {
	if old := l.n.Load(); int64(n) > old || int64(n) < old/2 {
		l.n.Store(int64(n))
	}
}

// arrayDec fills a Go array from the front; elements beyond its length
// are validated and dropped, as encoding/json does. The value is zero
// before, so the elements the JSON lacks stay zero.
func arrayDec(t reflect.Type, ed *typeDec) decFn {
	size, n := t.Elem().Size(), t.Len()
	return func(d *decoder, p unsafe.Pointer) error {
		switch d.ws() {
		case 'n':
			return d.null()
		case '[':
		default:
			return errType
		}
		i := 0
		return d.elems(func() error {
			i++
			if i <= n {
				return ed.fn(d, unsafe.Add(p, uintptr(i-1)*size))
			}
			_, err := d.skip()
			return err
		})
	}
}

// mapDec decodes objects into maps whose key is a plain string kind; each
// value is decoded into a fresh zero value and stored (a repeated key:
// the last wins, as in encoding/json).
func mapDec(t reflect.Type, building map[reflect.Type]*typeDec) decFn {
	kt := t.Key()
	if kt.Kind() != reflect.String || reflect.PointerTo(kt).Implements(textUnmarshalerType) {
		return bail
	}
	return mapValuesDec(t, build(t.Elem(), building), false)
}

// mapValuesDec is mapDec with ed the values' decoder. noteNull notes the
// null values of a map[string]any, decoded without ed (for any other map,
// items.go hands an ed that notes them).
func mapValuesDec(t reflect.Type, ed *typeDec, noteNull bool) decFn {
	kt := t.Key()
	if kt == stringType && t.Elem() == anyType {
		return func(d *decoder, p unsafe.Pointer) error {
			switch d.ws() {
			case 'n':
				*(*map[string]any)(p) = nil
				return d.null()
			case '{':
			default:
				return errType
			}
			m := *(*map[string]any)(p)
			if m == nil {
				m = map[string]any{}
				*(*map[string]any)(p) = m
			}
			return d.anyObject(m, noteNull)
		}
	}
	at := valueAt(t)
	return func(d *decoder, p unsafe.Pointer) error {
		mv := at(p)
		switch d.ws() {
		case 'n':
			mv.SetZero()
			return d.null()
		case '{':
		default:
			return errType
		}
		if mv.IsNil() {
			mv.Set(reflect.MakeMap(t))
		}
		kv := reflect.New(kt).Elem()
		ev := reflect.New(t.Elem()).Elem()
		return d.object(func(key []byte) error {
			kv.SetString(str(key))
			ev.SetZero()
			if err := ed.fn(d, ev.Addr().UnsafePointer()); err != nil {
				return err
			}
			mv.SetMapIndex(kv, ev)
			return nil
		})
	}
}

func anyDec(d *decoder, p unsafe.Pointer) error {
	v, err := d.anyValue()
	if err != nil {
		return err
	}
	*(*any)(p) = v
	return nil
}

// anyValue decodes a value as encoding/json does into an empty interface:
// map[string]any, []any, float64, string, bool or nil.
func (d *decoder) anyValue() (any, error) {
	switch c := d.ws(); c {
	case 'n':
		return nil, d.null()
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case '"':
		raw, flags, err := d.scanString()
		if err != nil {
			return nil, err
		}
		return str(text(raw, flags)), nil
	case '{':
		m := map[string]any{}
		return m, d.anyObject(m, false)
	case '[':
		a := []any{}
		err := d.elems(func() error {
			v, err := d.anyValue()
			a = append(a, v)
			return err
		})
		return a, err
	default:
		raw, _, err := d.scanNumber()
		if err != nil {
			return nil, err
		}
		f, err := strconv.ParseFloat(str(raw), 64)
		if err != nil {
			return nil, err
		}
		return f, nil
	}
}

// anyObject decodes the members of the object at d.i into m; noteNull:
// a null value is noted (items.go).
func (d *decoder) anyObject(m map[string]any, noteNull bool) error {
	return d.object(func(key []byte) error {
		if noteNull && d.ws() == 'n' {
			d.noteNull(anyType)
		}
		v, err := d.anyValue()
		m[str(key)] = v
		return err
	})
}
