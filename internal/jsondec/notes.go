package jsondec

import (
	"reflect"
	"sync"
	"unsafe"
)

// What encoding/json accepts without a word, and a caller may want to
// report: a null in a field tagged nullable:"false" (the zero value stays,
// as in encoding/json), and a string outside the values of a registered
// enum type (kept as received). Counting costs a byte comparison per
// tagged field and a call per enum value; finding where they are is left to
// the caller, which walks the input again only when a count is not zero.

// Notes counts what UnmarshalNotes met.
type Notes struct {
	Nulls int // nulls in fields tagged nullable:"false"
	Enums int // enum values their type does not list
}

// Any reports whether anything was noted.
func (n Notes) Any() bool { return n.Nulls != 0 || n.Enums != 0 }

func (n *Notes) add(m Notes) {
	n.Nulls += m.Nulls
	n.Enums += m.Enums
}

// Enum is a string type with a fixed list of values: the generated enum
// types of the version packages.
type Enum interface {
	~string
	Valid() bool
}

type enumEntry struct {
	valid    func(p unsafe.Pointer) bool
	validStr func(s string) bool
}

var enums sync.Map // reflect.Type -> *enumEntry

// RegisterEnum makes decoding note the values of E that E.Valid refuses.
// Register before the first Unmarshal that reaches E: decoders are
// compiled once.
func RegisterEnum[E Enum]() {
	enums.Store(reflect.TypeFor[E](), &enumEntry{
		valid:    func(p unsafe.Pointer) bool { return (*(*E)(p)).Valid() },
		validStr: func(s string) bool { return E(s).Valid() },
	})
}

// EnumValid reports whether t is a registered enum type and, if so,
// whether s is one of its values.
func EnumValid(t reflect.Type, s string) (enum, valid bool) {
	e, ok := enums.Load(t)
	if !ok {
		return false, false
	}
	return true, e.(*enumEntry).validStr(s)
}

// enumDec decodes a string as stringDec does, and notes a value (not
// null) that the enum does not list.
func enumDec(e *enumEntry) decFn {
	return func(d *decoder, p unsafe.Pointer) error {
		if d.ws() == 'n' {
			return d.null()
		}
		if err := stringDec(d, p); err != nil {
			return err
		}
		if !e.valid(p) {
			d.notes.Enums++
		}
		return nil
	}
}
