package intercom

import (
	"bytes"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unsafe"

	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/internal/lossless"
	"github.com/apipin/intercom/internal/rawjson"
	"github.com/apipin/intercom/internal/union"
)

// Naming the paths of what the engine noted (nulls the description does
// not allow, enum values it does not list) without walking the body again
// with the types: the engine records where in the body each one is, a
// plain scan of the body to those offsets gives the keys and indexes on
// the way, and the types are followed along that path only, to tell a
// struct's field from a map's key (the path pattern differs) and to check
// that the note is where the walk would find it. Anything unexpected (a
// note outside the body, a path the types do not follow) falls back to the
// walk (noted), which gives the same report, more slowly.

// notedAt appends to devs (what checkShape reported) the deviations of
// what the engine noted (notes, recorded in at) in data, decoded in full
// into v, whose own elements take no null at the levels items (rootItems):
// scanned is false when it fell back to the walk (noted).
func notedAt(devs []Deviation, data []byte, v any, items uint32, notes jsondec.Notes, at []jsondec.Note) (out []Deviation, scanned bool) {
	// A list that arrived under another key was skipped by the engine and
	// is walked, moved, by the tolerant pass: the walk reports there too.
	if !slices.ContainsFunc(devs, func(d Deviation) bool { return d.Action == Moved }) {
		if out, ok := scanNoted(devs, data, v, notes, at); ok {
			return out, true
		}
	}
	return append(devs, noted(data, v, items)...), false
}

// target is a recorded note and where its value starts in the body.
type target struct {
	off  int
	note int
}

// scanNoted appends to devs the deviations of at, what the engine
// recorded of notes; ok is false when it cannot name their paths (devs is
// then returned as it was).
func scanNoted(devs []Deviation, data []byte, v any, notes jsondec.Notes, at []jsondec.Note) (out []Deviation, ok bool) {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || len(at) == 0 || len(at) != notes.Nulls+notes.Enums {
		return devs, false
	}
	s := pathScans.Get().(*pathScan)
	defer s.release()
	s.b, s.root, s.notes = data, t.Elem(), at
	s.targets, s.stack = s.targetsBuf[:0], s.stackBuf[:0]
	for i, n := range at {
		off, in := n.Offset(data)
		if !in {
			return devs, false
		}
		s.targets = append(s.targets, target{off, i})
	}
	slices.SortStableFunc(s.targets, func(a, b target) int { return a.off - b.off })
	s.devs = slices.Grow(devs, len(at))
	s.value(rawjson.SkipSpace(data, 0), reflect.ValueOf(v).Elem())
	if s.failed || len(s.targets) > 0 {
		return devs[:len(devs):len(devs)], false
	}
	return s.devs, true
}

// pathScans recycles the scans with their stacks, which would otherwise
// be allocated per report: what a scan holds reaches union decoding (an
// interface call), so escape analysis cannot keep them on the stack.
var pathScans = sync.Pool{New: func() any { return new(pathScan) }}

// release drops what s refers to (the body, the report) and recycles it.
func (s *pathScan) release() {
	*s = pathScan{}
	pathScans.Put(s)
}

// notedBothWays is engine.Root.NotedPaths: the scan checked against the
// walk it replaces, for a body whose own elements take no null at the
// levels items (rootItems).
func notedBothWays(data []byte, v any, items uint32) (scanned, walked []Deviation, ok, anything bool) {
	data = bytes.Clone(data)
	var rec jsondec.Record
	notes, err := engineUnmarshalNotes(data, v, items, &rec)
	if err != nil || !notes.Any() {
		return nil, nil, false, false
	}
	shape := checkShape(data, v, true)
	walked = noted(data, v, items)
	all, ok := notedAt(shape, data, v, items, notes, rec.At)
	if len(all) > len(shape) {
		scanned = all[len(shape):]
	}
	return scanned, walked, ok, true
}

// records recycles what the engine records, which the report then copies.
var records = sync.Pool{New: func() any { return new(jsondec.Record) }}

func putRecord(r *jsondec.Record) {
	if cap(r.At) > 1024 {
		return // an odd body's: let it go
	}
	clear(r.At) // drop the references to the body
	r.At = r.At[:0]
	records.Put(r)
}

// pathScan names the paths of targets, sorted by offset, in b: from the
// body's value down, each member or element is skipped in one pass unless
// the next target starts inside it, where the scan goes on within it with
// its key or index on the stack. A target that is not at the start of a
// value fails the scan (failed): the walk decides.
type pathScan struct {
	b       []byte
	root    reflect.Type // what the body decodes into
	notes   []jsondec.Note
	targets []target // the ones not reached yet
	stack   []frame
	devs    []Deviation
	failed  bool

	targetsBuf [8]target
	stackBuf   [16]frame
}

// frame is an object or array the scan is in.
type frame struct {
	start int    // where it starts in b
	key   []byte // the member's key, quoted, in an object
	index int    // the element's index, in an array (key nil)
}

// value reports the targets in the value that starts at b[i], decoded
// into rv (which may be invalid: not followed), and returns where it ends.
func (s *pathScan) value(i int, rv reflect.Value) int {
	if i >= len(s.b) || s.targets[0].off < i {
		s.failed = true // between values: the walk decides
		return len(s.b)
	}
	for len(s.targets) > 0 && s.targets[0].off == i {
		d, found := s.deviation(s.notes[s.targets[0].note])
		if !found {
			s.failed = true
			return len(s.b)
		}
		s.devs = append(s.devs, d)
		s.targets = s.targets[1:]
	}
	rv = concrete(rv)
	end := s.end(i, rv)
	if len(s.targets) == 0 || s.targets[0].off >= end {
		return end
	}
	switch s.b[i] {
	case '{':
		s.members(i, rv)
	case '[':
		s.elements(i, rv)
	default:
		s.failed = true // inside a string or a number
	}
	return end
}

// members scans the object at b[i], decoded into rv, until its last
// target.
func (s *pathScan) members(i int, rv reflect.Value) {
	var fields []field
	if rv.Kind() == reflect.Struct {
		fields = structFields(rv.Type())
	}
	s.stack = append(s.stack, frame{start: i})
	top := len(s.stack) - 1
	i = rawjson.SkipSpace(s.b, i+1)
	for len(s.targets) > 0 && !s.failed && i < len(s.b) && s.b[i] == '"' {
		k := i
		i = rawjson.SkipString(s.b, i)
		s.stack[top].key = s.b[k:i]
		var fv reflect.Value
		if fields != nil {
			if f := lookupField(fields, keyText(s.b[k:i])); f != nil {
				fv, _ = fieldByIndex(rv, f.index)
			}
		}
		i = rawjson.SkipSpace(s.b, rawjson.SkipSpace(s.b, i)+1) // past ':'
		i = rawjson.SkipSpace(s.b, s.value(i, fv))
		if i < len(s.b) && s.b[i] == ',' {
			i = rawjson.SkipSpace(s.b, i+1)
		}
	}
	s.stack = s.stack[:top]
}

// elements scans the array at b[i], decoded into rv, until its last
// target.
func (s *pathScan) elements(i int, rv reflect.Value) {
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		rv = reflect.Value{}
	}
	s.stack = append(s.stack, frame{start: i})
	top := len(s.stack) - 1
	i = rawjson.SkipSpace(s.b, i+1)
	for n := 0; len(s.targets) > 0 && !s.failed && i < len(s.b) && s.b[i] != ']'; n++ {
		s.stack[top].index = n
		var ev reflect.Value
		if rv.IsValid() && n < rv.Len() {
			ev = rv.Index(n)
		}
		i = rawjson.SkipSpace(s.b, s.value(i, ev))
		if i < len(s.b) && s.b[i] == ',' {
			i = rawjson.SkipSpace(s.b, i+1)
		}
	}
	s.stack = s.stack[:top]
}

// concrete is what rv holds through pointers and interfaces (a union's
// variant), or the invalid Value at a nil one.
func concrete(rv reflect.Value) reflect.Value {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return reflect.Value{}
		}
		rv = rv.Elem()
	}
	return rv
}

// end returns where the value at b[i], decoded into rv (concrete), ends.
// An object decoded into a model, and an array of them, end where the
// received JSON the engine kept in the model's Members (a view of b) ends:
// nothing to read. Anything else is skipped.
func (s *pathScan) end(i int, rv reflect.Value) int {
	switch {
	case !rv.IsValid():
	case s.b[i] == '{':
		if off, n, ok := s.received(rv); ok && off == i {
			return i + n
		}
	case s.b[i] == '[' && (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array) && rv.Len() > 0:
		// Its first element starts the array and its last one ends it.
		if first, _, ok := s.received(concrete(rv.Index(0))); !ok || first != rawjson.SkipSpace(s.b, i+1) {
			break
		}
		if off, n, ok := s.received(concrete(rv.Index(rv.Len() - 1))); ok && off > i {
			if j := rawjson.SkipSpace(s.b, off+n); j < len(s.b) && s.b[j] == ']' {
				return j + 1
			}
		}
	}
	return rawjson.SkipValue(s.b, i)
}

// received is where the object that rv was decoded from is in b, from the
// Members the engine kept: ok is false when rv has none, or they are not
// a view of b (a copy was decoded, or a caller set them).
func (s *pathScan) received(rv reflect.Value) (off, n int, ok bool) {
	js := lossless.ReceivedJSON(rv)
	if len(js) < 2 || js[len(js)-1] != '}' {
		return 0, 0, false
	}
	d := uintptr(unsafe.Pointer(unsafe.StringData(js))) - uintptr(unsafe.Pointer(unsafe.SliceData(s.b)))
	if d >= uintptr(len(s.b)) || uintptr(len(s.b))-d < uintptr(len(js)) {
		return 0, 0, false
	}
	return int(d), len(js), true
}

// deviation is the report of n, met at the value the scan is at, whose
// path from the body is the scan's stack. found is false when the types do
// not lead there as the walk would.
func (s *pathScan) deviation(n jsondec.Note) (d Deviation, found bool) {
	t := s.root
	var segs [16]seg
	p := path(segs[:0])
	for _, f := range s.stack {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() == reflect.Interface {
			vt, ok := variantAt(t, s.b, f.start)
			if !ok {
				return d, false
			}
			t = vt
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
		}
		if hasCustomDecoding(t) || unionOf(t) != nil {
			return d, false // the walk does not look inside
		}
		switch {
		case f.key != nil && t.Kind() == reflect.Struct:
			key := keyText(f.key)
			sf := lookupField(structFields(t), key)
			if sf == nil {
				return d, false
			}
			p = append(p, seg{name: key})
			t = sf.typ
		case f.key != nil && t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && !hasCustomDecoding(t.Key()):
			p = append(p, seg{key: keyText(f.key), isKey: true})
			t = t.Elem()
		case f.key == nil && t.Kind() == reflect.Slice && !(t.Elem().Kind() == reflect.Uint8 && !hasCustomDecoding(t.Elem())):
			p = append(p, seg{index: f.index})
			t = t.Elem()
		default:
			return d, false
		}
	}
	if n.Null {
		if t != n.Type {
			return d, false
		}
		return newDeviation(p, expectedName(t), kindNull.String(), NullToZero), true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != n.Type || unionOf(t) != nil || hasCustomDecoding(t) {
		return d, false
	}
	return unlistedDeviation(p, t.Name(), n.Value), true
}

// keyText is a member's key, quoted as in the body, as a string: a view of
// the body (no copy) when it has no escape and no byte beyond ASCII, which
// unquote would change; else unquote's copy. The body is not modified
// while the report is made, and the report copies what it keeps.
func keyText(quoted []byte) string {
	body := quoted[1 : len(quoted)-1]
	for _, c := range body {
		if c == '\\' || c >= 0x80 {
			return rawjson.Unquote(quoted)
		}
	}
	if len(body) == 0 {
		return ""
	}
	return unsafe.String(&body[0], len(body))
}

// newDeviation is the deviation at p that deviate records, its path and
// pattern made in one allocation.
func newDeviation(p path, expected, found string, a Action) Deviation {
	path, pattern := p.renderBoth()
	return Deviation{Path: path, Expected: expected, Found: found, Action: a, pattern: pattern}
}

// unlistedDeviation is the Unlisted deviation at p of the value v, which
// the enum type named typeName does not list: the one the tolerant pass
// reports (repairer.enum), its four strings made in one allocation.
func unlistedDeviation(p path, typeName, v string) Deviation {
	if len(v) > 64 {
		v = v[:64] + "…"
	}
	var buf [256]byte
	b, pathEnd := p.appendPaths(buf[:0])
	patternEnd := len(b)
	b = append(b, "a value "...)
	b = append(b, typeName...)
	b = append(b, " lists"...)
	expectedEnd := len(b)
	b = append(b, "string "...)
	b = strconv.AppendQuote(b, v)
	all := string(b)
	d := Deviation{
		Path:     all[:pathEnd],
		Expected: all[patternEnd:expectedEnd],
		Found:    all[expectedEnd:],
		Action:   Unlisted,
		pattern:  all[pathEnd:patternEnd],
	}
	if pathEnd == patternEnd {
		d.pattern = d.Path
	}
	return d
}

// variantAt is the type of the variant that the sealed union t decodes
// the value at b[start:] to, as the walk finds it (inVariant).
func variantAt(t reflect.Type, b []byte, start int) (reflect.Type, bool) {
	if unionOf(t) == nil {
		return nil, false
	}
	raw := b[start:rawjson.SkipValue(b, start)]
	v, ok, err := union.DecodeAs(t, raw)
	if !ok || err != nil || v == nil {
		return nil, false
	}
	vt := reflect.TypeOf(v)
	if vt == unionOf(t).unknown {
		return nil, false
	}
	return vt, true
}
