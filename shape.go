package intercom

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/internal/union"
)

// What the tolerant pass and the shape checks need to know about a Go type,
// computed once per type by reflection and cached.

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	timeType            = reflect.TypeFor[time.Time]()
)

// typeCache memoizes a computation per type. Two goroutines may compute
// the same entry; they get equal results, so either may be kept.
type typeCache[V any] struct{ m sync.Map }

func (c *typeCache[V]) get(t reflect.Type, compute func(reflect.Type) V) V {
	if v, ok := c.m.Load(t); ok {
		return v.(V)
	}
	v := compute(t)
	c.m.Store(t, v)
	return v
}

// field is a struct field as encoding/json sees it.
type field struct {
	name  string // JSON name
	index []int
	typ   reflect.Type
	// optional: the tag has omitempty or omitzero, so the schema does not
	// require the member; null there reads as absent.
	optional bool
	// nonNull: the tag nullable:"false" says the description does not
	// allow null there (gen/specdoc/nullable.go); a null is reported.
	nonNull bool
	// items: the levels of the arrays and maps it holds whose elements the
	// description does not allow to be null (the tag nullableitems,
	// jsondec.ItemsNonNull); a null there is reported.
	items uint32
}

var fieldCache typeCache[[]field]

// structFields lists the fields encoding/json decodes into, following its
// rules: exported fields (and embedded structs, whose fields are promoted),
// the name from the json tag, "-" skipped; among promoted fields with the
// same name the shallowest wins, then a tagged one, else none.
func structFields(t reflect.Type) []field {
	return fieldCache.get(t, computeFields)
}

func computeFields(t reflect.Type) []field {
	type cand struct {
		field
		depth  int
		tagged bool
	}
	var cands []cand
	visited := map[reflect.Type]bool{}
	var walk func(t reflect.Type, index []int, depth int)
	walk = func(t reflect.Type, index []int, depth int) {
		if visited[t] {
			return
		}
		visited[t] = true
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			ft := sf.Type
			if sf.Anonymous {
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if !sf.IsExported() && ft.Kind() != reflect.Struct {
					continue
				}
				if name == "" && ft.Kind() == reflect.Struct {
					walk(ft, append(append([]int(nil), index...), i), depth+1)
					continue
				}
			} else if !sf.IsExported() {
				continue
			}
			tagged := name != ""
			if !tagged {
				name = sf.Name
			}
			optional := slices.ContainsFunc(strings.Split(opts, ","), func(o string) bool { return o == "omitempty" || o == "omitzero" })
			nonNull := sf.Tag.Get("nullable") == "false"
			items := jsondec.ItemsNonNull(sf.Tag)
			cands = append(cands, cand{field{name, append(append([]int(nil), index...), i), sf.Type, optional, nonNull, items}, depth, tagged})
		}
	}
	walk(t, nil, 0)

	var out []field
	for i, c := range cands {
		dominant, ambiguous := true, false
		for j, o := range cands {
			if i == j || o.name != c.name {
				continue
			}
			switch {
			case o.depth < c.depth, o.depth == c.depth && o.tagged && !c.tagged:
				dominant = false
			case o.depth == c.depth && o.tagged == c.tagged:
				ambiguous = true
			}
		}
		if dominant && !ambiguous {
			out = append(out, c.field)
		}
	}
	return out
}

// lookupField finds the field for an object key as encoding/json does: the
// exact name first, else the first one equal under case folding.
func lookupField(fields []field, key string) *field {
	for i := range fields {
		if fields[i].name == key {
			return &fields[i]
		}
	}
	for i := range fields {
		if strings.EqualFold(fields[i].name, key) {
			return &fields[i]
		}
	}
	return nil
}

// hasCustomDecoding reports whether encoding/json hands values of t to a
// method (UnmarshalJSON or UnmarshalText) instead of decoding them itself.
func hasCustomDecoding(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	custom := t.Implements(jsonUnmarshalerType) || p.Implements(jsonUnmarshalerType) ||
		t.Implements(textUnmarshalerType) || p.Implements(textUnmarshalerType)
	return custom && !decodesUnionFieldsOnly(t)
}

// decodesUnionFieldsOnly reports whether t is a generated struct whose
// UnmarshalJSON exists for its union fields (sealed interfaces, see
// internal/union) and decodes every other field as encoding/json does:
// the tolerant pass and the shape checks walk its fields like any struct's.
// oapi-codegen's structs with additional properties decode themselves.
// The same holds for a generated slice or map of a union (its
// UnmarshalJSON decodes each element through the union): they are walked
// element by element.
func decodesUnionFieldsOnly(t reflect.Type) bool {
	return unionFieldsCache.get(t, func(t reflect.Type) bool {
		switch t.Kind() {
		case reflect.Slice, reflect.Map:
			return t.Name() != "" && isSealedUnion(t.Elem()) && (t.Kind() == reflect.Slice || t.Key().Kind() == reflect.String)
		case reflect.Struct:
		default:
			return false
		}
		if _, ok := t.FieldByName("AdditionalProperties"); ok {
			return false
		}
		for i := range t.NumField() {
			ft := t.Field(i).Type
			if ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map {
				ft = ft.Elem()
			}
			if isSealedUnion(ft) {
				return true
			}
		}
		return false
	})
}

var unionFieldsCache typeCache[bool]

// isSealedUnion reports whether t is a union of a version package: an
// interface registered with internal/union. (Asking the registry, not
// reflect.Type.Method, which would make the linker keep every exported
// method of every type a program stores in an interface.)
func isSealedUnion(t reflect.Type) bool {
	return t.Kind() == reflect.Interface && union.Registered(t)
}

// kindSet is a set of JSON kinds.
type kindSet uint8

func (s kindSet) has(k jsonKind) bool { return s&(1<<k) != 0 }

// String names the kinds for a report, leaving out null, which every type
// takes. The names of every set are made once: a report does not allocate
// them.
func (s kindSet) String() string {
	return kindSetNames()[s>>kindBool&kindSetMask]
}

// kindSetMask keeps the kinds String names, shifted down to bit 0.
const kindSetMask = 1<<(kindObject-kindBool+1) - 1

var kindSetNames = sync.OnceValue(func() *[kindSetMask + 1]string {
	var out [kindSetMask + 1]string
	for set := range out {
		var names []string
		for k := kindBool; k <= kindObject; k++ {
			if set&(1<<(k-kindBool)) != 0 {
				names = append(names, k.String())
			}
		}
		out[set] = strings.Join(names, " or ")
	}
	return &out
})

// unionInfo describes a oneOf/anyOf type generated by oapi-codegen: a struct
// holding the raw JSON in an unexported json.RawMessage, with one
// As<Variant>() (Variant, error) method per variant, whose result types the
// generated code declares (union.DeclareRaw).
type unionInfo struct {
	index int     // the RawMessage field
	kinds kindSet // the JSON kinds some variant accepts
	// unknown is set for the sealed-interface unions of the version
	// packages (internal/union): the type that keeps a value no variant
	// takes, whose field 0 is the raw JSON.
	unknown reflect.Type
}

var unionCache typeCache[*unionInfo] // nil: not a union

// unionOf returns t's union description, or nil when t is not such a
// union or a variant accepts any kind (then nothing can be checked).
func unionOf(t reflect.Type) *unionInfo {
	switch t.Kind() {
	case reflect.Struct:
		return unionCache.get(t, computeUnion)
	case reflect.Interface:
		return unionCache.get(t, computeSealedUnion)
	}
	return nil
}

// computeSealedUnion describes a union of a version package: a sealed
// interface registered with internal/union.
func computeSealedUnion(t reflect.Type) *unionInfo {
	kinds, unknown, ok := union.Describe(t)
	if !ok || unknown == nil || unknown.Kind() != reflect.Struct || unknown.NumField() != 1 || unknown.Field(0).Type != rawMessageType {
		return nil
	}
	u := &unionInfo{index: -1, unknown: unknown, kinds: 1 << kindNull}
	for _, k := range kinds {
		switch k {
		case union.Object:
			u.kinds |= 1 << kindObject
		case union.Array:
			u.kinds |= 1 << kindArray
		case union.String:
			u.kinds |= 1 << kindString
		case union.Integer, union.Number:
			u.kinds |= 1 << kindNumber
		case union.Bool:
			u.kinds |= 1 << kindBool
		}
	}
	return u
}

func computeUnion(t reflect.Type) *unionInfo {
	var u *unionInfo
	if t.NumField() == 1 && t.Field(0).Type == rawMessageType && !t.Field(0).IsExported() &&
		reflect.PointerTo(t).Implements(jsonUnmarshalerType) {
		variants, ok := union.RawVariants(t) // declared by the generated code
		if !ok {
			return nil
		}
		u = &unionInfo{index: 0}
		for _, v := range variants {
			k := kindsFor(v)
			if k == 0 {
				u = nil // a variant that takes anything
				break
			}
			u.kinds |= k
		}
		if u != nil && u.kinds == 0 {
			u = nil // no variants found: nothing to check against
		}
	}
	return u
}

// kindsFor is the set of JSON kinds that decode into t, or 0 when t decodes
// itself (and so may take any kind).
func kindsFor(t reflect.Type) kindSet {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if u := unionOf(t); u != nil { // a union of unions
		return u.kinds
	}
	if t == timeType { // its UnmarshalJSON takes RFC 3339 text only
		return 1<<kindString | 1<<kindNull
	}
	if hasCustomDecoding(t) {
		if reflect.PointerTo(t).Implements(jsonUnmarshalerType) || t.Implements(jsonUnmarshalerType) {
			return 0
		}
		return 1<<kindString | 1<<kindNull
	}
	var k kindSet
	switch t.Kind() {
	case reflect.String:
		k = 1 << kindString
	case reflect.Bool:
		k = 1 << kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		k = 1 << kindNumber
	case reflect.Struct, reflect.Map:
		k = 1 << kindObject
	case reflect.Slice, reflect.Array:
		k = 1 << kindArray
	default:
		return 0
	}
	// encoding/json accepts null for every type (it leaves the zero value).
	return k | 1<<kindNull
}

// listShape describes a list wrapper: an object such as
// {"type":"list","data":[...],"pages":{...}} whose one array field holds the
// items.
type listShape struct {
	field field // the array field
}

var listCache typeCache[*listShape] // nil: not a wrapper

// maxWrapperFields bounds what counts as a wrapper: the items plus a few
// metadata fields (type, pages, total_count, has_more, url).
const maxWrapperFields = 6

// listShapeOf returns t's list shape when t is a struct, decoded field by
// field, with a "type" field, at most maxWrapperFields fields, and exactly
// one field holding an array.
func listShapeOf(t reflect.Type) *listShape {
	if t.Kind() != reflect.Struct {
		return nil
	}
	return listCache.get(t, computeList)
}

func computeList(t reflect.Type) *listShape {
	var l *listShape
	fields := structFields(t)
	if !hasCustomDecoding(t) && len(fields) <= maxWrapperFields && lookupField(fields, "type") != nil {
		arrays := 0
		for _, f := range fields {
			ft := f.typ
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8 {
				arrays++
				l = &listShape{field: f}
			}
		}
		if arrays != 1 {
			l = nil
		}
	}
	return l
}
