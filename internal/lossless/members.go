// Package lossless keeps what a server sent in the generated models and
// writes it back: every generated object struct has a field of type
// Members holding the object's JSON as received, and a MarshalJSON that
// calls Marshal. The design, its alternatives and its measured cost are in
// docs/decoding.md ("Lossless models").
//
// The decoders fill the field: internal/jsondec stores the object's bytes
// (a sub-slice of the response body, no copy) while it decodes; after
// encoding/json or the tolerant pass, the root package attaches them with
// a reflective walk (Attach). Marshal writes, per declared field, the
// member as received while the typed value is still what decoding that
// member gives, the typed value once the caller changed it, and the
// members no field declares.
package lossless

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"github.com/apipin/intercom/internal/rawjson"
)

// Members is an object's JSON as the server sent it, or as a caller
// composed it with Set: every member, declared by the description or not,
// in the order received. The zero value holds nothing (a value the caller
// built). Its bytes are never modified: Set and Delete build new ones, so
// a Members may share memory with the response body it came from.
type Members struct {
	// The object's JSON, held as a string so that the structs holding a
	// Members stay comparable (==) as they were, and a view of the decoded
	// body, not a copy (see FromJSON). After it, behind a NUL (which JSON
	// text cannot hold), the names given to Set, each followed by a NUL:
	// for them, a zero typed field does not override the member. One
	// string keeps the field at 16 bytes in every object.
	s string
}

// text returns m's JSON and the NUL-separated names given to Set.
func (m Members) text() (js, set string) {
	if i := strings.IndexByte(m.s, 0); i >= 0 {
		return m.s[:i], m.s[i:]
	}
	return m.s, ""
}

// wasSet reports whether name was given to Set or SetRaw.
func (m Members) wasSet(name string) bool {
	_, set := m.text()
	return set != "" && strings.Contains(set, "\x00"+name+"\x00")
}

// FromJSON returns the Members of obj, the JSON of one object, not copied.
// The decoders call it; obj must never be modified afterwards.
func FromJSON(obj []byte) Members {
	if len(obj) == 0 {
		return Members{}
	}
	return Members{s: unsafe.String(&obj[0], len(obj))}
}

// bytes is a read-only view of m's JSON.
func (m Members) bytes() []byte {
	js, _ := m.text()
	if js == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(js), len(js))
}

// IsZero reports whether m holds nothing: the value was built by a caller,
// not decoded, and Set was not called.
func (m Members) IsZero() bool { return m.s == "" }

// Raw returns a copy of the object's JSON (nil when m holds nothing).
func (m Members) Raw() json.RawMessage {
	if js, _ := m.text(); js != "" {
		return []byte(js)
	}
	return nil
}

// Has reports whether the object had a member named name (exact match;
// null counts as present).
func (m Members) Has(name string) bool {
	_, ok := m.Get(name)
	return ok
}

// Get returns the JSON of the member named name as received (the last one,
// should the object repeat the name, as encoding/json decodes it).
func (m Members) Get(name string) (json.RawMessage, bool) {
	var out []byte
	found := false
	rawjson.EachMember(m.bytes(), func(key string, _, val []byte) {
		if key == name {
			out, found = val, true
		}
	})
	return bytes.Clone(out), found
}

// Names returns the members' names in the order received.
func (m Members) Names() []string {
	var names []string
	rawjson.EachMember(m.bytes(), func(key string, _, _ []byte) { names = append(names, key) })
	return names
}

// Set makes the object hold a member name with value's JSON (encoded with
// encoding/json), replacing a member of that name; a new member goes last.
// On a value a caller builds for a request, it is how to send an explicit
// false, 0 or "" for an optional field (the typed field alone omits zero
// values) or a field the description does not declare. For a declared
// field, the member is sent while the typed field is zero (nil); a typed
// field the caller sets to something else wins.
func (m *Members) Set(name string, value any) error {
	raw, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("lossless: member %q: %w", name, err)
	}
	return m.SetRaw(name, raw)
}

// SetRaw is Set with the member's JSON given; it must be valid JSON.
func (m *Members) SetRaw(name string, raw json.RawMessage) error {
	if !json.Valid(raw) {
		return fmt.Errorf("lossless: member %q: %w", name, errInvalid)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return err
	}
	out := make([]byte, 0, len(m.s)+len(name)+compact.Len()+4)
	out = append(out, '{')
	replaced := false
	rawjson.EachMember(m.bytes(), func(key string, rawKey, val []byte) {
		if key == name && replaced {
			return // a repeated name: one member is left
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, rawKey...)
		out = append(out, ':')
		if key == name {
			out = append(out, compact.Bytes()...)
			replaced = true
			return
		}
		out = append(out, val...)
	})
	if !replaced {
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = strconv.AppendQuote(out, name)
		out = append(out, ':')
		out = append(out, compact.Bytes()...)
	}
	_, set := m.text()
	if set == "" {
		set = "\x00"
	}
	if !strings.Contains(set, "\x00"+name+"\x00") {
		set += name + "\x00"
	}
	m.s = string(append(out, '}')) + set
	return nil
}

// Delete removes every member named name. A declared field then encodes
// from its typed value alone (omitted when zero).
func (m *Members) Delete(name string) {
	if !m.Has(name) {
		return
	}
	out := []byte{'{'}
	rawjson.EachMember(m.bytes(), func(key string, rawKey, val []byte) {
		if key == name {
			return
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, rawKey...)
		out = append(out, ':')
		out = append(out, val...)
	})
	_, set := m.text()
	m.s = string(append(out, '}')) + set
}

var errInvalid = errors.New("not valid JSON")
