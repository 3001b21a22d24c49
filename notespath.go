package intercom

import (
	"bytes"
	"reflect"
	"slices"
	"strconv"
	"sync"

	"github.com/apipin/intercom/internal/jsondec"
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

// notedAt is noted, for a body the engine decoded in full into v with
// notes, recorded in at; shape is what checkShape reported. scanned is
// false when it fell back to the walk.
func notedAt(data []byte, v any, notes jsondec.Notes, at []jsondec.Note, shape []Deviation) (devs []Deviation, scanned bool) {
	// A list that arrived under another key was skipped by the engine and
	// is walked, moved, by the tolerant pass: the walk reports there too.
	if !slices.ContainsFunc(shape, func(d Deviation) bool { return d.Action == Moved }) {
		if devs, ok := scanNoted(data, v, notes, at); ok {
			return devs, true
		}
	}
	return noted(data, v), false
}

// scanNoted names the paths of at, what the engine recorded of notes; ok
// is false when it cannot.
func scanNoted(data []byte, v any, notes jsondec.Notes, at []jsondec.Note) (devs []Deviation, ok bool) {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || len(at) != notes.Nulls+notes.Enums {
		return nil, false
	}
	type target struct {
		off  int
		note int
	}
	targets := make([]target, len(at))
	for i, n := range at {
		off, in := n.Offset(data)
		if !in {
			return nil, false
		}
		targets[i] = target{off, i}
	}
	slices.SortStableFunc(targets, func(a, b target) int { return a.off - b.off })
	devs = make([]Deviation, 0, len(targets))
	s := pathScan{b: data, stack: make([]frame, 0, 8)}
	ok = true
	s.at = func(off int) bool {
		for len(targets) > 0 && targets[0].off < off {
			ok = false // not at the start of a value: the walk decides
			return false
		}
		for len(targets) > 0 && targets[0].off == off {
			d, found := s.deviation(t.Elem(), at[targets[0].note])
			if !found {
				ok = false
				return false
			}
			devs = append(devs, d)
			targets = targets[1:]
		}
		return len(targets) > 0
	}
	s.value()
	if !ok || len(targets) > 0 {
		return nil, false
	}
	return devs, true
}

// notedBothWays is engine.Root.NotedPaths: the scan checked against the
// walk it replaces.
func notedBothWays(data []byte, v any) (scanned, walked []Deviation, ok, anything bool) {
	data = bytes.Clone(data)
	var rec jsondec.Record
	notes, err := engineUnmarshalNotes(data, v, &rec)
	if err != nil || !notes.Any() {
		return nil, nil, false, false
	}
	shape := checkShape(data, v, true)
	walked = noted(data, v)
	scanned, ok = notedAt(data, v, notes, rec.At, shape)
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

// pathScan reads valid JSON, keeping the keys and indexes on the way to
// the current value, and calls at with the offset of each value it meets
// until at returns false.
type pathScan struct {
	b     []byte
	i     int
	stack []frame
	at    func(off int) bool
	done  bool
}

// frame is an object or array the scan is in.
type frame struct {
	start int    // where it starts in b
	key   []byte // the member's key, quoted, in an object
	index int    // the element's index, in an array (key nil)
}

func (s *pathScan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// str skips the string whose quote is at s.i.
func (s *pathScan) str() {
	s.i++
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
		case '"':
			s.i++
			return
		default:
			s.i++
		}
	}
}

// value scans one value.
func (s *pathScan) value() {
	s.ws()
	if s.done || s.i >= len(s.b) {
		return
	}
	if !s.at(s.i) {
		s.done = true
		return
	}
	switch s.b[s.i] {
	case '{':
		s.stack = append(s.stack, frame{start: s.i})
		top := len(s.stack) - 1
		s.i++
		for !s.done {
			s.ws()
			if s.i >= len(s.b) || s.b[s.i] == '}' {
				s.i++
				break
			}
			if s.b[s.i] == ',' {
				s.i++
				s.ws()
			}
			k := s.i
			s.str()
			s.stack[top].key = s.b[k:s.i]
			s.ws()
			s.i++ // ':'
			s.value()
		}
		s.stack = s.stack[:top]
	case '[':
		s.stack = append(s.stack, frame{start: s.i, index: -1})
		top := len(s.stack) - 1
		s.i++
		for !s.done {
			s.ws()
			if s.i >= len(s.b) || s.b[s.i] == ']' {
				s.i++
				break
			}
			if s.b[s.i] == ',' {
				s.i++
			}
			s.stack[top].index++
			s.value()
		}
		s.stack = s.stack[:top]
	case '"':
		s.str()
	default: // number, true, false, null
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			s.i++
		}
	}
}

// deviation is the report of n, met at the scan's current value, whose
// path from the body, of type t, is the scan's stack. found is false when
// the types do not lead there as the walk would.
func (s *pathScan) deviation(t reflect.Type, n jsondec.Note) (d Deviation, found bool) {
	p := make(path, 0, len(s.stack))
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
			key := unquote(f.key)
			sf := lookupField(structFields(t), key)
			if sf == nil {
				return d, false
			}
			p = append(p, seg{name: key})
			t = sf.typ
		case f.key != nil && t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && !hasCustomDecoding(t.Key()):
			p = append(p, seg{key: unquote(f.key), isKey: true})
			t = t.Elem()
		case f.key == nil && t.Kind() == reflect.Slice && !(t.Elem().Kind() == reflect.Uint8 && !hasCustomDecoding(t.Elem())):
			p = append(p, seg{index: f.index})
			t = t.Elem()
		default:
			return d, false
		}
	}
	r := repairer{path: p}
	if n.Null {
		if t != n.Type {
			return d, false
		}
		r.deviate(expectedName(t), kindNull.String(), NullToZero)
		return r.devs[0], true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != n.Type || unionOf(t) != nil || hasCustomDecoding(t) {
		return d, false
	}
	v := n.Value
	if len(v) > 64 {
		v = v[:64] + "…"
	}
	r.deviate("a value "+t.Name()+" lists", "string "+strconv.Quote(v), Unlisted)
	return r.devs[0], true
}

// variantAt is the type of the variant that the sealed union t decodes
// the value at b[start:] to, as the walk finds it (inVariant).
func variantAt(t reflect.Type, b []byte, start int) (reflect.Type, bool) {
	end := pathScan{b: b, i: start, at: func(int) bool { return true }}
	end.value()
	if end.i > len(b) {
		return nil, false
	}
	raw := b[start:end.i]
	if unionOf(t) == nil {
		return nil, false
	}
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
