package jsondec

import (
	"reflect"
	"strings"
	"unsafe"
)

// Nulls inside arrays and maps. A null element of a slice, or a null value
// of a map, decodes to the element type's zero value (nil for a pointer,
// a map, a slice or an interface), as in encoding/json; where the
// description does not allow null there, the generator tags the field
// holding the slice or map with nullableitems (gen/specdoc/nullable.go):
// one word per level of nesting, "false" for a level whose elements are
// not nullable. Such a field gets a decoder of its own, whose elements at
// those levels are noted as a nullable:"false" field's null is; every
// other slice and map decodes as before, at no cost.

// ItemsTag is the struct tag that says which levels of the arrays and maps
// a field holds take no null.
const ItemsTag = "nullableitems"

// maxItemLevels bounds the levels ItemsNonNull reads.
const maxItemLevels = 32

// ItemsNonNull returns the levels of the arrays and maps of a field with
// this tag whose elements take no null, as a bit set: bit 0 for the
// field's own elements, bit 1 for their elements, and so on.
func ItemsNonNull(tag reflect.StructTag) uint32 {
	return ItemLevels(tag.Get(ItemsTag))
}

// ItemLevels is ItemsNonNull of the tag's value v: the same word list, as
// an operation's descriptor carries it for a body that is itself an array
// or a map (engine.Operation.NullableItems).
func ItemLevels(v string) uint32 {
	var levels uint32
	for i := 0; v != "" && i < maxItemLevels; i++ {
		var word string
		word, v, _ = strings.Cut(v, ",")
		if word == "false" {
			levels |= 1 << i
		}
	}
	return levels
}

// itemsKey names a decoder of type t noting the null elements at levels.
type itemsKey struct {
	t      reflect.Type
	levels uint32
}

// itemDecs holds the decoders buildItems compiled, under buildMu.
var itemDecs = map[itemsKey]*typeDec{}

// buildItems is build(t) for a field whose null elements at levels (a bit
// set, ItemsNonNull) are noted. A level that is not a plain slice or map
// of t (a type that decodes itself, []byte, a Go array) ends the levels
// there: it decodes as build does, noting nothing inside. Under buildMu.
func buildItems(t reflect.Type, levels uint32, building map[reflect.Type]*typeDec) *typeDec {
	if levels == 0 || !holdsItems(t) {
		return build(t, building)
	}
	key := itemsKey{t, levels}
	if td, ok := itemDecs[key]; ok {
		return td
	}
	td := &typeDec{}
	itemDecs[key] = td // before the elements: types can be recursive
	if t.Kind() == reflect.Pointer {
		td.fn = ptrDec(t.Elem(), buildItems(t.Elem(), levels, building))
		return td
	}
	elem := t.Elem()
	ed := buildItems(elem, levels>>1, building)
	if levels&1 != 0 {
		ed = &typeDec{fn: noteNullDec(elem, ed)}
	}
	if t.Kind() == reflect.Slice {
		td.fn = sliceDec(t, ed)
	} else {
		td.fn = mapValuesDec(t, ed, levels&1 != 0)
	}
	return td
}

// holdsItems reports whether compile decodes t as a slice or a map (of
// string keys), through unnamed pointers: what buildItems compiles itself.
func holdsItems(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		if t.Name() != "" {
			return false
		}
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return false // []byte: base64 text, left to compile
		}
	case reflect.Map:
		if kt := t.Key(); kt.Kind() != reflect.String || reflect.PointerTo(kt).Implements(textUnmarshalerType) {
			return false
		}
	default:
		return false
	}
	json, text := reflect.PointerTo(t).Implements(unmarshalerType), reflect.PointerTo(t).Implements(textUnmarshalerType)
	if json && isHolder(t) {
		json = false // decoded as its kind, as compile does
	}
	return !json && !text
}

// itemsDecoderFor is decoderFor(t) noting the null elements at levels,
// for a value no struct field holds (UnmarshalItemsNotes). It is cached
// beside the types' decoders, under its itemsKey.
func itemsDecoderFor(t reflect.Type, levels uint32) *typeDec {
	key := itemsKey{t, levels}
	if td, ok := cache.Load(key); ok {
		return td.(*typeDec)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	building := map[reflect.Type]*typeDec{}
	td := buildItems(t, levels, building) // itemDecs: the same one every time
	for bt, bd := range building {
		cache.Store(bt, bd)
	}
	cache.Store(key, td)
	return td
}

// noteNullDec decodes with ed, noting a null: an element of type t that
// the description does not allow to be null.
func noteNullDec(t reflect.Type, ed *typeDec) decFn {
	return func(d *decoder, p unsafe.Pointer) error {
		if d.ws() == 'n' {
			d.noteNull(t)
		}
		return ed.fn(d, p)
	}
}
