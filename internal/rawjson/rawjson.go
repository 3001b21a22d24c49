// Package rawjson walks JSON that is known to be valid (a decoder accepted
// it, or json.Valid said so): it only tracks nesting and strings, never
// checks syntax, and allocates only to unquote a key with escapes or
// non-ASCII bytes. The root package's tolerant pass, shape checks and
// decode report, and the lossless members, all walk bodies this way.
// (internal/paging reads bodies nothing has checked, and has a scanner of
// its own that reports errors.)
package rawjson

import (
	"bytes"
	"encoding/json"
)

// SkipSpace returns the index of the first byte at or after i that is not
// JSON whitespace.
func SkipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// SkipValue returns the index just past the value that starts at b[i]
// (leading whitespace allowed).
func SkipValue(b []byte, i int) int {
	i = SkipSpace(b, i)
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return SkipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = SkipString(b, i)
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
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// SkipString returns the index just past the string that starts at b[i].
func SkipString(b []byte, i int) int {
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

// Trim returns b without surrounding whitespace.
func Trim(b []byte) []byte {
	i := SkipSpace(b, 0)
	j := len(b)
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\n' || b[j-1] == '\r') {
		j--
	}
	return b[i:j]
}

// EachMember calls f with every member of the object obj, in order: the
// unquoted key, the key as written (quotes included) and the value,
// trimmed. It does nothing when obj is not an object.
func EachMember(obj []byte, f func(key string, rawKey, val []byte)) {
	i := SkipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return
	}
	i++
	for {
		i = SkipSpace(obj, i)
		if i >= len(obj) || obj[i] == '}' {
			return
		}
		if obj[i] == ',' {
			i = SkipSpace(obj, i+1)
		}
		end := SkipString(obj, i)
		rawKey := obj[i:end]
		i = SkipSpace(obj, end)
		if i >= len(obj) || obj[i] != ':' {
			return
		}
		i = SkipSpace(obj, i+1)
		vEnd := SkipValue(obj, i)
		f(Unquote(rawKey), rawKey, obj[i:vEnd])
		i = vEnd
	}
}

// EachElement calls f with every element of the array arr, trimmed, in
// order. It does nothing when arr is not an array.
func EachElement(arr []byte, f func(val []byte)) {
	i := SkipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return
	}
	i++
	for {
		i = SkipSpace(arr, i)
		if i >= len(arr) || arr[i] == ']' {
			return
		}
		if arr[i] == ',' {
			i = SkipSpace(arr, i+1)
		}
		end := SkipValue(arr, i)
		f(arr[i:end])
		i = end
	}
}

// Unquote decodes a JSON string literal as encoding/json does (escapes
// decoded, invalid UTF-8 replaced by U+FFFD).
func Unquote(raw []byte) string {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
		plain := true
		for _, c := range raw {
			if c >= 0x80 {
				plain = false
				break
			}
		}
		if plain {
			return string(raw[1 : len(raw)-1])
		}
	}
	var s string
	_ = json.Unmarshal(raw, &s) // raw is a valid string literal
	return s
}
