package intercom

import (
	"encoding/json"
	"strings"
)

// Helpers that walk raw JSON for the tolerant pass and the shape checks.
// They assume syntactically valid input (callers check json.Valid first),
// so they only track nesting and strings; they never allocate except to
// unquote a key that has escapes.

// jsonKind is the kind of a JSON value, named as in the deviation reports.
type jsonKind uint8

const (
	kindInvalid jsonKind = iota
	kindNull
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

func (k jsonKind) String() string {
	return [...]string{"invalid", "null", "boolean", "number", "string", "array", "object"}[k]
}

// kindOf is the kind of the value that b starts with (after whitespace).
func kindOf(b []byte) jsonKind {
	i := skipSpace(b, 0)
	if i >= len(b) {
		return kindInvalid
	}
	switch c := b[i]; {
	case c == 'n':
		return kindNull
	case c == 't', c == 'f':
		return kindBool
	case c == '"':
		return kindString
	case c == '[':
		return kindArray
	case c == '{':
		return kindObject
	case c == '-', c >= '0' && c <= '9':
		return kindNumber
	}
	return kindInvalid
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the value that starts at b[i]
// (leading whitespace allowed).
func skipValue(b []byte, i int) int {
	i = skipSpace(b, i)
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	// A literal or a number: up to the next delimiter.
	for i < len(b) && !strings.ContainsRune(",}] \t\n\r", rune(b[i])) {
		i++
	}
	return i
}

// skipString returns the index just past the string that starts at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// trimValue returns b without surrounding whitespace.
func trimValue(b []byte) []byte {
	i := skipSpace(b, 0)
	j := len(b)
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\n' || b[j-1] == '\r') {
		j--
	}
	return b[i:j]
}

// eachMember calls f with every member of the object b, in order: the
// unquoted key, the key as written (quotes included) and the raw value.
func eachMember(b []byte, f func(key string, rawKey, val []byte)) {
	i := skipSpace(b, 0) + 1 // past '{'
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			return
		}
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		end := skipString(b, i)
		rawKey := b[i:end]
		i = skipSpace(b, end) + 1 // past ':'
		vEnd := skipValue(b, i)
		f(unquote(rawKey), rawKey, trimValue(b[i:vEnd]))
		i = vEnd
	}
}

// eachElement calls f with every element of the array b, in order.
func eachElement(b []byte, f func(val []byte)) {
	i := skipSpace(b, 0) + 1 // past '['
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == ']' {
			return
		}
		if b[i] == ',' {
			i++
		}
		end := skipValue(b, i)
		f(trimValue(b[i:end]))
		i = end
	}
}

// unquote decodes a JSON string literal the way encoding/json does
// (escapes decoded, invalid UTF-8 replaced by U+FFFD).
func unquote(raw []byte) string {
	if len(raw) < 2 {
		return ""
	}
	body := raw[1 : len(raw)-1]
	plain := true
	for _, c := range body {
		if c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return string(body)
	}
	var s string
	_ = json.Unmarshal(raw, &s) // raw is a valid string literal
	return s
}
