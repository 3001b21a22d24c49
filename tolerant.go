package intercom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/internal/rawjson"
	"github.com/apipin/intercom/internal/union"
)

// Intercom's answers do not always match its published descriptions. When
// a response does not fit its Go type, the tolerant pass walks the JSON
// alongside the type and rewrites what does not fit (coercing, unwrapping,
// keeping text, dropping), then decodes the rewritten JSON with
// encoding/json. Every change is reported as a Deviation.

// Action is what tolerant decoding did about a deviation.
type Action string

const (
	// Coerced: a number written as a string, or the reverse, or a boolean
	// written as a string, converted without loss.
	Coerced Action = "coerced"
	// NullToZero: null where the type has no null; the field keeps its
	// zero value (encoding/json's own behaviour, reported for the record).
	NullToZero Action = "null to zero value"
	// KeptAsJSON: a value of another kind kept as its JSON text: in a
	// string field, or in a union none of whose variants takes it (its As
	// methods fail; MarshalJSON returns the text).
	KeptAsJSON Action = "kept as JSON text"
	// Wrapped: a bare array where a list object was expected, decoded as
	// that object's items.
	Wrapped Action = "wrapped bare array"
	// Unwrapped: a list object where a bare array was expected, decoded
	// from the object's one array.
	Unwrapped Action = "unwrapped list object"
	// Moved: a list object's items under another key than the expected one.
	Moved Action = "moved items"
	// Dropped: a value that cannot fit; the field keeps its zero value (an
	// array loses that element).
	Dropped Action = "dropped"
	// Unlisted: a string that the enum type of its field does not list,
	// kept as received (its Valid method reports false).
	Unlisted Action = "kept unlisted value"
)

// Deviation is one place where a response did not match its Go type.
type Deviation struct {
	Operation string // "getContact", or "GET /contacts/{id}" without an operationId
	Path      string // where in the body, e.g. $.data[3].avatar
	Expected  string // what the type takes, e.g. "string", "number or string"
	Found     string // the JSON kind found, e.g. "object"
	Action    Action

	pattern string // Path with indices and map keys generalised, for logging once
}

func (d Deviation) String() string {
	return fmt.Sprintf("%s: expected %s, found %s: %s", d.Path, d.Expected, d.Found, d.Action)
}

// DecodeError is the error, wrapped by the call's error, for a response
// that does not fit its Go type in strict mode (WithStrictDecoding), or
// that even tolerant decoding could not use.
type DecodeError struct {
	// Deviations are what the tolerant mode would coerce or drop.
	Deviations []Deviation
	// Err is encoding/json's error, when it rejected the body.
	Err error
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("response does not match its type")
	}
	for i, d := range e.Deviations {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Deviations)-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(d.String())
	}
	return b.String()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// seg is one step of a JSON path.
type seg struct {
	name  string // object member of a struct
	key   string // object member of a map (isKey)
	isKey bool
	index int // array element, when name == "" and !isKey
}

type path []seg

func (p *path) push(s seg) {
	if cap(*p) == 0 {
		*p = make(path, 0, 8) // one allocation for most paths, not one per level
	}
	*p = append(*p, s)
}
func (p *path) pop() { *p = (*p)[:len(*p)-1] }

// appendTo appends the path to b as $.a.b[2]["odd key"], or, with general
// set, as the pattern shared by every element and map entry: $.a.b[*].*.
func (p path) appendTo(b []byte, general bool) []byte {
	b = append(b, '$')
	for _, s := range p {
		switch {
		case s.isKey && general:
			b = append(b, ".*"...)
		case s.isKey:
			b = appendName(b, s.key)
		case s.name != "":
			b = appendName(b, s.name)
		case general:
			b = append(b, "[*]"...)
		default:
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
		}
	}
	return b
}

// general reports whether p holds an index or a map key, which its
// pattern generalises.
func (p path) general() bool {
	for _, s := range p {
		if s.isKey || s.name == "" {
			return true
		}
	}
	return false
}

// appendPaths appends the path to b, then its pattern when it differs
// (general), and returns where the path ends: both strings of a deviation
// made in one allocation.
func (p path) appendPaths(b []byte) (out []byte, pathEnd int) {
	b = p.appendTo(b, false)
	pathEnd = len(b)
	if p.general() {
		b = p.appendTo(b, true)
	}
	return b, pathEnd
}

// renderBoth returns the path and its pattern, sharing one string.
func (p path) renderBoth() (path, pattern string) {
	var buf [256]byte
	b, n := p.appendPaths(buf[:0])
	s := string(b)
	if n == len(s) {
		return s, s
	}
	return s[:n], s[n:]
}

func appendName(b []byte, name string) []byte {
	plain := name != ""
	for i := 0; i < len(name); i++ {
		if r := name[i]; !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			plain = false
			break
		}
	}
	if plain {
		b = append(b, '.')
		return append(b, name...)
	}
	b = append(b, '[')
	b = strconv.AppendQuote(b, name)
	return append(b, ']')
}

// repairer rewrites JSON to fit a type and records what it changed.
type repairer struct {
	out  []byte
	path path
	devs []Deviation
	// items is handed to the next call of value: the levels of the arrays
	// and maps of the field being walked whose null elements are reported
	// (field.items).
	items uint32
}

func (r *repairer) deviate(expected, found string, a Action) {
	path, pattern := r.path.renderBoth()
	r.devs = append(r.devs, Deviation{
		Path: path, Expected: expected, Found: found, Action: a,
		pattern: pattern,
	})
}

// errUnrepaired means that the tolerant pass rewrote the body and
// encoding/json still rejected it: a case the repairs do not cover.
var errUnrepaired = errors.New("tolerant decoding could not repair the response")

// decodeTolerant decodes the syntactically valid data into v (a pointer to
// a zero value), repairing what does not fit, and returns the deviations.
// items are the levels of the body's own elements that take no null
// (rootItems).
func decodeTolerant(data []byte, v any, items uint32) ([]Deviation, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, json.Unmarshal(data, v) // encoding/json's InvalidUnmarshalError
	}
	r := &repairer{out: make([]byte, 0, len(data)), items: items}
	if !r.value(rv.Type().Elem(), rawjson.Trim(data), true) {
		return r.devs, nil // nothing fits: the value stays zero
	}
	// r.out is ours alone, as fastUnmarshal requires.
	if err := fastUnmarshal(r.out, v); err != nil {
		return r.devs, fmt.Errorf("%w: %w", errUnrepaired, err)
	}
	return r.devs, nil
}

// fits reports whether raw decodes into a new t with encoding/json.
func fits(t reflect.Type, raw []byte) bool {
	return json.Unmarshal(raw, reflect.New(t).Interface()) == nil
}

// expectedName names what a Go type takes, for reports.
func expectedName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if u := unionOf(t); u != nil {
		return u.kinds.String()
	}
	if hasCustomDecoding(t) {
		return t.String()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "a value other than null" // the description types it; the Go type takes any JSON
		}
	}
	return t.String()
}

// value appends to r.out JSON that encoding/json decodes into t, made from
// raw. It returns false, having appended nothing, when raw must be dropped.
// root is set for the body itself.
func (r *repairer) value(t reflect.Type, raw []byte, root bool) bool {
	items := r.items
	r.items = 0
	k := kindOf(raw)
	if k == kindNull {
		return r.null(t, raw)
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if u := unionOf(t); u != nil {
		if !u.kinds.has(k) {
			r.deviate(u.kinds.String(), k.String(), KeptAsJSON)
		}
		r.out = append(r.out, raw...)
		r.inVariant(t, raw)
		return true
	}
	if hasCustomDecoding(t) {
		return r.custom(t, raw, k)
	}
	switch t.Kind() {
	case reflect.String:
		if k == kindString {
			r.enum(t, raw)
		}
		return r.toString(raw, k)
	case reflect.Bool:
		return r.toBool(raw, k)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return r.toNumber(t, raw, k, func(s string) (string, bool) {
			n, err := strconv.ParseInt(s, 10, t.Bits())
			if err != nil {
				f, ok := integral(s)
				// integral keeps |f| < 2^53, so only narrower ints can overflow.
				bits := t.Bits()
				if n = int64(f); !ok || bits < 64 && (n < -1<<(bits-1) || n >= 1<<(bits-1)) {
					return "", false
				}
			}
			return strconv.FormatInt(n, 10), true
		})
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return r.toNumber(t, raw, k, func(s string) (string, bool) {
			n, err := strconv.ParseUint(s, 10, t.Bits())
			if err != nil {
				f, ok := integral(s)
				bits := t.Bits()
				if n = uint64(f); !ok || f < 0 || bits < 64 && n >= 1<<bits {
					return "", false
				}
			}
			return strconv.FormatUint(n, 10), true
		})
	case reflect.Float32, reflect.Float64:
		return r.toNumber(t, raw, k, func(s string) (string, bool) {
			if kindOf([]byte(s)) != kindNumber || !json.Valid([]byte(s)) {
				return "", false
			}
			if _, err := strconv.ParseFloat(s, t.Bits()); err != nil {
				return "", false
			}
			return s, true
		})
	case reflect.Struct:
		return r.toStruct(t, raw, k, root)
	case reflect.Map:
		return r.toMap(t, raw, k, items)
	case reflect.Slice:
		return r.toSlice(t, raw, k, items)
	case reflect.Interface:
		// A union of a version package keeps any valid JSON: a value none
		// of its variants takes becomes its UnknownVariant (a registered
		// one was reported above, by unionOf).
		if isSealedUnion(t) {
			r.out = append(r.out, raw...)
			return true
		}
		if t.NumMethod() == 0 {
			return r.anyJSON(raw, k)
		}
	case reflect.Array:
		if k == kindArray && fits(t, raw) {
			r.out = append(r.out, raw...)
			return true
		}
	}
	r.deviate(expectedName(t), k.String(), Dropped)
	return false
}

// null handles null for t: encoding/json leaves the zero value (or, for a
// type that decodes itself, lets it decide).
func (r *repairer) null(t reflect.Type, raw []byte) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		r.out = append(r.out, raw...)
		return true
	}
	if unionOf(t) == nil && hasCustomDecoding(t) && !fits(t, raw) {
		r.deviate(expectedName(t), kindNull.String(), Dropped)
		return false
	}
	if unionOf(t) == nil && !hasCustomDecoding(t) {
		r.deviate(expectedName(t), kindNull.String(), NullToZero)
	}
	r.out = append(r.out, raw...)
	return true
}

// custom handles a type with its own UnmarshalJSON or UnmarshalText.
func (r *repairer) custom(t reflect.Type, raw []byte, k jsonKind) bool {
	if fits(t, raw) {
		r.out = append(r.out, raw...)
		return true
	}
	// A number or boolean where a text type (a UUID, say) is expected may
	// still be its text.
	if k == kindNumber || k == kindBool {
		if q := strconv.AppendQuote(nil, string(raw)); fits(t, q) {
			r.deviate(expectedName(t), k.String(), Coerced)
			r.out = append(r.out, q...)
			return true
		}
	}
	r.deviate(expectedName(t), k.String(), Dropped)
	return false
}

func (r *repairer) toString(raw []byte, k jsonKind) bool {
	switch k {
	case kindString:
		r.out = append(r.out, raw...)
	case kindNumber, kindBool:
		r.deviate("string", k.String(), Coerced)
		r.out = strconv.AppendQuote(r.out, string(raw))
	default: // an object or array: its text is the only way to keep it
		var compact bytes.Buffer
		_ = json.Compact(&compact, raw) // raw is valid
		r.deviate("string", k.String(), KeptAsJSON)
		quoted, _ := json.Marshal(compact.String())
		r.out = append(r.out, quoted...)
	}
	return true
}

func (r *repairer) toBool(raw []byte, k jsonKind) bool {
	switch {
	case k == kindBool:
		r.out = append(r.out, raw...)
		return true
	case k == kindString:
		if s := rawjson.Unquote(raw); s == "true" || s == "false" {
			r.deviate("boolean", k.String(), Coerced)
			r.out = append(r.out, s...)
			return true
		}
	}
	r.deviate("boolean", k.String(), Dropped)
	return false
}

// toNumber keeps a number that conv accepts, and coerces a string whose
// text conv accepts. conv returns the JSON number to write.
func (r *repairer) toNumber(t reflect.Type, raw []byte, k jsonKind, conv func(string) (string, bool)) bool {
	var text string
	switch k {
	case kindNumber:
		text = string(raw)
	case kindString:
		text = rawjson.Unquote(raw)
	default:
		r.deviate(expectedName(t), k.String(), Dropped)
		return false
	}
	n, ok := conv(text)
	if !ok {
		r.deviate(expectedName(t), k.String(), Dropped)
		return false
	}
	if k == kindString || n != text {
		r.deviate(expectedName(t), k.String(), Coerced)
	}
	r.out = append(r.out, n...)
	return true
}

// integral parses s as a JSON number with no fractional part (1.0, 2e3),
// which converts to an integer without loss.
func integral(s string) (float64, bool) {
	if kindOf([]byte(s)) != kindNumber || !json.Valid([]byte(s)) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<53 {
		return 0, false // beyond 2^53 the float is not the number written
	}
	return f, true
}

func (r *repairer) toStruct(t reflect.Type, raw []byte, k jsonKind, root bool) bool {
	switch k {
	case kindObject:
		r.object(t, raw, root)
		return true
	case kindArray:
		if l := listShapeOf(t); l != nil {
			mark := len(r.out)
			r.out = append(r.out, '{')
			r.out = strconv.AppendQuote(r.out, l.field.name)
			r.out = append(r.out, ':')
			r.path.push(seg{name: l.field.name})
			r.items = l.field.items
			ok := r.value(l.field.typ, raw, false)
			r.path.pop()
			if ok {
				r.deviate(expectedName(t), k.String(), Wrapped)
				r.out = append(r.out, '}')
				return true
			}
			r.out = r.out[:mark]
		}
	}
	r.deviate(expectedName(t), k.String(), Dropped)
	return false
}

// object rewrites an object for a struct: known members are repaired,
// unknown ones left out (encoding/json ignores them anyway). At the root,
// a list wrapper whose items arrived under another key gets them back.
func (r *repairer) object(t reflect.Type, raw []byte, root bool) {
	fields := structFields(t)
	var list *listShape
	if root {
		list = listShapeOf(t)
	}
	listSeen := false
	var strays [][2][]byte // unknown members holding an array: key, value
	r.out = append(r.out, '{')
	first := true
	rawjson.EachMember(raw, func(key string, rawKey, val []byte) {
		f := lookupField(fields, key)
		if f == nil {
			if list != nil && kindOf(val) == kindArray {
				strays = append(strays, [2][]byte{rawKey, val})
			}
			return
		}
		if list != nil && f.name == list.field.name {
			listSeen = true
		}
		mark := len(r.out)
		if !first {
			r.out = append(r.out, ',')
		}
		r.out = append(r.out, rawKey...)
		r.out = append(r.out, ':')
		r.path.push(seg{name: key})
		if f.nonNull && kindOf(val) == kindNull {
			// The description does not allow null here: the field keeps
			// its zero value (or nil), as encoding/json leaves it.
			r.deviate(expectedName(f.typ), kindNull.String(), NullToZero)
			r.out = append(r.out, val...)
			first = false
		} else if f.optional && kindOf(val) == kindNull {
			// Absent, in effect: a value field keeps its zero value, as
			// encoding/json does, and there is nothing to report.
			r.out = append(r.out, val...)
			first = false
		} else if r.items = f.items; r.value(f.typ, val, false) {
			first = false
		} else {
			r.out = r.out[:mark]
		}
		r.path.pop()
	})
	if list != nil && !listSeen && len(strays) == 1 {
		r.moveList(list, strays[0][0], strays[0][1], first)
	}
	r.out = append(r.out, '}')
}

// moveList writes the stray array under the list field's name.
func (r *repairer) moveList(list *listShape, rawKey, val []byte, first bool) {
	mark := len(r.out)
	if !first {
		r.out = append(r.out, ',')
	}
	r.out = strconv.AppendQuote(r.out, list.field.name)
	r.out = append(r.out, ':')
	r.path.push(seg{name: rawjson.Unquote(rawKey)})
	r.items = list.field.items
	if r.value(list.field.typ, val, false) {
		r.deviate(fmt.Sprintf("array under %q", list.field.name), "array", Moved)
	} else {
		r.out = r.out[:mark]
	}
	r.path.pop()
}

func (r *repairer) toMap(t reflect.Type, raw []byte, k jsonKind, levels uint32) bool {
	if k != kindObject {
		r.deviate("object", k.String(), Dropped)
		return false
	}
	// Keys that encoding/json cannot turn into t's key type are dropped.
	keyOK := func(string) bool { return true }
	if kt := t.Key(); kt.Kind() != reflect.String || hasCustomDecoding(kt) {
		keyOK = func(key string) bool {
			m := reflect.New(reflect.MapOf(kt, reflect.TypeFor[int]())).Interface()
			obj, _ := json.Marshal(map[string]int{key: 0})
			return json.Unmarshal(obj, m) == nil
		}
	}
	r.out = append(r.out, '{')
	first := true
	rawjson.EachMember(raw, func(key string, rawKey, val []byte) {
		r.path.push(seg{key: key, isKey: true})
		defer r.path.pop()
		if !keyOK(key) {
			r.deviate(expectedName(t.Key())+" key", "string", Dropped)
			return
		}
		mark := len(r.out)
		if !first {
			r.out = append(r.out, ',')
		}
		r.out = append(r.out, rawKey...)
		r.out = append(r.out, ':')
		if r.element(t.Elem(), val, levels) {
			first = false
		} else {
			r.out = r.out[:mark]
		}
	})
	r.out = append(r.out, '}')
	return true
}

func (r *repairer) toSlice(t reflect.Type, raw []byte, k jsonKind, levels uint32) bool {
	if t.Elem().Kind() == reflect.Uint8 && !hasCustomDecoding(t.Elem()) {
		// []byte is base64 text to encoding/json.
		if fits(t, raw) {
			r.out = append(r.out, raw...)
			return true
		}
		r.deviate("base64 string", k.String(), Dropped)
		return false
	}
	switch k {
	case kindArray:
		r.out = append(r.out, '[')
		first, i := true, 0
		rawjson.EachElement(raw, func(val []byte) {
			r.path.push(seg{index: i})
			i++
			mark := len(r.out)
			if !first {
				r.out = append(r.out, ',')
			}
			if r.element(t.Elem(), val, levels) {
				first = false
			} else {
				r.out = r.out[:mark]
			}
			r.path.pop()
		})
		r.out = append(r.out, ']')
		return true
	case kindObject:
		// A list object where a bare array is expected: its one array
		// holds the items.
		var items, itemsKey []byte
		arrays := 0
		rawjson.EachMember(raw, func(key string, rawKey, val []byte) {
			if kindOf(val) == kindArray {
				arrays++
				items, itemsKey = val, rawKey
			}
		})
		if arrays == 1 {
			mark := len(r.out)
			r.path.push(seg{name: rawjson.Unquote(itemsKey)})
			r.items = levels
			ok := r.value(t, items, false)
			r.path.pop()
			if ok {
				r.deviate("array", k.String(), Unwrapped)
				return true
			}
			r.out = r.out[:mark]
		}
	}
	r.deviate("array", k.String(), Dropped)
	return false
}

// element handles raw, an element of a slice or a value of a map of
// element type t. levels are the slice's or map's (field.items): bit 0
// set, the description does not allow a null element, reported; else a
// null element is what encoding/json makes of it, reported only when that
// fails. The levels below go with a non-null element.
func (r *repairer) element(t reflect.Type, raw []byte, levels uint32) bool {
	if kindOf(raw) != kindNull {
		r.items = levels >> 1
		return r.value(t, raw, false)
	}
	if levels&1 != 0 {
		r.deviate(expectedName(t), kindNull.String(), NullToZero)
	} else if unionOf(t) == nil && hasCustomDecoding(t) && !fits(t, raw) {
		r.deviate(expectedName(t), kindNull.String(), Dropped)
		return false
	}
	r.out = append(r.out, raw...)
	return true
}

// enum reports a string that t, a registered enum type, does not list.
func (r *repairer) enum(t reflect.Type, raw []byte) {
	s := rawjson.Unquote(raw)
	if enum, valid := jsondec.EnumValid(t, s); enum && !valid {
		if len(s) > 64 {
			s = s[:64] + "…"
		}
		r.deviate("a value "+t.Name()+" lists", "string "+strconv.Quote(s), Unlisted)
	}
}

// inVariant reports the nulls and unlisted enum values inside raw, the
// JSON of the sealed union t, walked as the variant it decodes to: the
// other deviations there are the union's (reported by the caller) or
// cannot be (the variant decoded).
func (r *repairer) inVariant(t reflect.Type, raw []byte) {
	if t.Kind() != reflect.Interface {
		return // oapi-codegen's union struct: raw JSON, no variant
	}
	v, ok, err := union.DecodeAs(t, raw)
	if !ok || err != nil || v == nil {
		return
	}
	vt := reflect.TypeOf(v)
	if u := unionOf(t); u != nil && vt == u.unknown {
		return
	}
	sub := &repairer{path: r.path}
	sub.value(vt, raw, false)
	for _, d := range sub.devs {
		if d.Action == NullToZero || d.Action == Unlisted {
			r.devs = append(r.devs, d)
		}
	}
}

// anyJSON keeps raw for an empty interface, which takes any JSON but a
// number beyond float64 (1e400): such a number is dropped (and reported);
// the object holding it keeps it as received (its Members).
func (r *repairer) anyJSON(raw []byte, k jsonKind) bool {
	switch k {
	case kindNumber:
		if _, err := strconv.ParseFloat(string(raw), 64); err != nil {
			r.deviate("number within float64", k.String(), Dropped)
			return false
		}
		r.out = append(r.out, raw...)
	case kindObject:
		if fits(anyType, raw) {
			r.out = append(r.out, raw...)
			return true
		}
		r.out = append(r.out, '{')
		first := true
		rawjson.EachMember(raw, func(key string, rawKey, val []byte) {
			r.path.push(seg{key: key, isKey: true})
			defer r.path.pop()
			mark := len(r.out)
			if !first {
				r.out = append(r.out, ',')
			}
			r.out = append(r.out, rawKey...)
			r.out = append(r.out, ':')
			if r.anyJSON(val, kindOf(val)) {
				first = false
			} else {
				r.out = r.out[:mark]
			}
		})
		r.out = append(r.out, '}')
	case kindArray:
		if fits(anyType, raw) {
			r.out = append(r.out, raw...)
			return true
		}
		r.out = append(r.out, '[')
		first, i := true, 0
		rawjson.EachElement(raw, func(val []byte) {
			r.path.push(seg{index: i})
			defer r.path.pop()
			i++
			mark := len(r.out)
			if !first {
				r.out = append(r.out, ',')
			}
			if r.anyJSON(val, kindOf(val)) {
				first = false
			} else {
				r.out = r.out[:mark]
			}
		})
		r.out = append(r.out, ']')
	default:
		r.out = append(r.out, raw...)
	}
	return true
}

var anyType = reflect.TypeFor[any]()
