package intercom

import (
	"encoding/json"
	"reflect"

	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/internal/lossless"
	"github.com/apipin/intercom/internal/rawjson"
	"github.com/apipin/intercom/internal/union"
)

// Members is an object's JSON as the server sent it: every generated
// object type has a field JSON of this type, so that nothing a response
// held is lost. Has tells whether a member was present (an explicit
// false, 0 or "" included, which the typed field cannot show), Get returns
// a member's JSON as received (a value of the wrong type, which the typed
// field could not take, included), and UndeclaredMembers lists the
// members the description does not declare. Encoding the value again
// (MarshalJSON) writes back what was received, with the caller's changes
// to typed fields.
//
// On a value built for a request, Set adds a member to what is sent: an
// explicit false, 0 or "" for an optional field, or a field the
// description lacks:
//
//	req := intercom.UpdateContactRequest{}
//	_ = req.JSON.Set("unsubscribed_from_emails", false)
type Members = lossless.Members

// UndeclaredMembers returns the members of a decoded object (v: a
// generated struct or a pointer to one) that its type does not declare,
// as received; nil when there are none.
func UndeclaredMembers(v any) map[string]json.RawMessage {
	return lossless.Undeclared(v)
}

func init() {
	lossless.DecodeMember = decodeMember
	lossless.Attach = attachMembers
	lossless.Prepare = jsondec.Prepare
}

// decodeMember decodes one member as the response holding it was decoded
// (see lossless.DecodeMember). raw is never modified, so it may be shared.
func decodeMember(raw []byte, v any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return
	}
	if x, ok := decodeUnionValue(rv.Type().Elem(), raw); ok {
		rv.Elem().Set(x)
		return
	}
	_, _ = decodeBody(raw, v, false, 0)
}

// decodeUnionValue decodes raw as a union, or a slice of one, as the
// generated UnmarshalJSON of the struct holding it does; ok is false for
// other types.
func decodeUnionValue(t reflect.Type, raw []byte) (reflect.Value, bool) {
	out := reflect.New(t).Elem()
	switch {
	case union.Registered(t):
		if x, _, err := union.DecodeAs(t, raw); err == nil && x != nil {
			out.Set(reflect.ValueOf(x))
		}
		return out, true
	case t.Kind() == reflect.Slice && t.Name() == "" && union.Registered(t.Elem()):
		if kindOf(raw) != kindArray {
			// A list object where the array is typed, say: the decode of
			// the response repaired it (Unwrapped), and so must this one.
			return out, false
		}
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil || items == nil {
			return out, true
		}
		out.Set(reflect.MakeSlice(t, len(items), len(items)))
		for i, item := range items {
			if x, _, err := union.DecodeAs(t.Elem(), item); err == nil && x != nil {
				out.Index(i).Set(reflect.ValueOf(x))
			}
		}
		return out, true
	}
	return out, false
}

// attachMembers gives every object in v (a pointer to a value decoded
// from data) its JSON from data, for the decodes that do not (encoding/json
// and the tolerant pass, which decodes a rewritten body: the members
// attached are the ones received, values of the wrong type included).
func attachMembers(v any, data []byte) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return
	}
	attach(rv.Elem(), rawjson.Trim(data))
}

var holdsCache typeCache[bool]

// holds reports whether a value of t can hold an object with Members.
func holds(t reflect.Type) bool {
	if v, ok := holdsCache.m.Load(t); ok {
		return v.(bool)
	}
	holdsCache.m.Store(t, false) // a recursive type: false while computing
	h := false
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		h = holds(t.Elem())
	case reflect.Interface:
		h = isSealedUnion(t) // a variant may be a struct
	case reflect.Struct:
		h = lossless.HasMembers(t)
		for _, f := range structFields(t) {
			h = h || holds(f.typ)
		}
	}
	holdsCache.m.Store(t, h)
	return h
}

// attach walks v alongside raw, its trimmed JSON, and stores each
// object's JSON in its Members field.
func attach(v reflect.Value, raw []byte) {
	t := v.Type()
	if !holds(t) || len(raw) == 0 {
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			attach(v.Elem(), raw)
		}
	case reflect.Interface:
		if v.IsNil() || !holds(v.Elem().Type()) || !v.CanSet() {
			return
		}
		c := reflect.New(v.Elem().Type()).Elem()
		c.Set(v.Elem())
		attach(c, raw)
		v.Set(c)
	case reflect.Struct:
		if kindOf(raw) != kindObject {
			return
		}
		if v.CanSet() {
			lossless.SetMembers(v, lossless.FromJSON(raw[:len(raw):len(raw)]))
		}
		fields := structFields(t)
		rawjson.EachMember(raw, func(key string, _, val []byte) {
			if f := lookupField(fields, key); f != nil {
				if fv, ok := fieldByIndex(v, f.index); ok {
					attach(fv, val)
				}
			}
		})
	case reflect.Slice, reflect.Array:
		if kindOf(raw) != kindArray {
			return
		}
		var elems [][]byte
		rawjson.EachElement(raw, func(val []byte) { elems = append(elems, val) })
		if len(elems) != v.Len() {
			// The tolerant pass dropped elements: keep the ones it kept.
			kept := elems[:0:0]
			for _, e := range elems {
				r := &repairer{}
				if r.value(t.Elem(), e, false) {
					kept = append(kept, e)
				}
			}
			if elems = kept; len(elems) != v.Len() {
				return
			}
		}
		for i, e := range elems {
			attach(v.Index(i), e)
		}
	case reflect.Map:
		if kindOf(raw) != kindObject || v.IsNil() || t.Key().Kind() != reflect.String {
			return
		}
		rawjson.EachMember(raw, func(key string, _, val []byte) {
			k := reflect.ValueOf(key).Convert(t.Key())
			e := v.MapIndex(k)
			if !e.IsValid() {
				return
			}
			c := reflect.New(t.Elem()).Elem()
			c.Set(e)
			attach(c, val)
			v.SetMapIndex(k, c)
		})
	}
}
