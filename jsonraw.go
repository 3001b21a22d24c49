package intercom

import "github.com/apipin/intercom/internal/rawjson"

// The kinds of JSON values, for the tolerant pass and the shape checks;
// internal/rawjson walks the bodies (valid JSON: callers check json.Valid
// first).

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
	i := rawjson.SkipSpace(b, 0)
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
