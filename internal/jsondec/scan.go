package jsondec

import (
	"encoding/binary"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// The scanner: a hand-written recursive descent over the input that accepts
// exactly the JSON grammar encoding/json's scanner accepts. Every value the
// decoder does not store is still scanned in full (skip), so a nil result
// also means the whole input is valid JSON, as encoding/json checks first.

// maxDepth bounds nesting; deeper input is left to encoding/json (whose own
// limit is 10,000).
const maxDepth = 1000

type decoder struct {
	data  []byte
	i     int
	depth int
	notes Notes
}

// ws skips whitespace and returns the next byte, or 0 at the end.
func (d *decoder) ws() byte {
	for d.i < len(d.data) {
		switch c := d.data[d.i]; c {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return c
		}
	}
	return 0
}

// enter and leave count nesting.
func (d *decoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return errTooDeep
	}
	return nil
}

func (d *decoder) leave() { d.depth-- }

// literal consumes the literal lit ("null", "true", "false") at d.i.
func (d *decoder) literal(lit string) error {
	if len(d.data)-d.i < len(lit) || string(d.data[d.i:d.i+len(lit)]) != lit {
		return errSyntax
	}
	d.i += len(lit)
	return nil
}

// String flags returned by scanString.
const (
	strEscape   = 1 << iota // contains a backslash escape
	strNonASCII             // contains a byte >= 0x80
)

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// scanString consumes the string whose opening quote is at d.i and returns
// its raw content (between the quotes) and flags. Escapes are validated
// but not decoded.
func (d *decoder) scanString() ([]byte, int, error) {
	start := d.i + 1
	j := start
	flags := 0
	data := d.data
	for {
		// Eight bytes at a time until one of '"', '\\', a control byte or a
		// non-ASCII byte.
		for j+8 <= len(data) {
			x := binary.LittleEndian.Uint64(data[j:])
			q := x ^ (lsb * '"')
			b := x ^ (lsb * '\\')
			m := ((q - lsb) &^ q) | ((b - lsb) &^ b) | ((x - lsb*0x20) &^ x) | x
			if m &= msb; m != 0 {
				j += bits.TrailingZeros64(m) / 8
				break
			}
			j += 8
		}
		if j >= len(data) {
			return nil, 0, errSyntax
		}
		switch c := data[j]; {
		case c == '"':
			d.i = j + 1
			return data[start:j], flags, nil
		case c == '\\':
			flags |= strEscape
			if j+1 >= len(data) {
				return nil, 0, errSyntax
			}
			switch data[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if j+6 > len(data) || hex4(data[j+2:j+6]) < 0 {
					return nil, 0, errSyntax
				}
				j += 6
			default:
				return nil, 0, errSyntax
			}
		case c < 0x20:
			return nil, 0, errSyntax
		case c >= 0x80:
			flags |= strNonASCII
			j++
		default:
			j++ // a false positive of the eight-byte test cannot happen on the first flagged byte, but stay safe
		}
	}
}

// hex4 decodes four hexadecimal digits, or returns -1.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// text turns the raw content of a string into its value as encoding/json
// gives it: the input itself when it has no escape and is valid UTF-8 (no
// copy), else a decoded copy in which each invalid byte and each unpaired
// surrogate is U+FFFD.
func text(raw []byte, flags int) []byte {
	if flags == 0 || flags == strNonASCII && utf8.Valid(raw) {
		return raw
	}
	out := make([]byte, 0, len(raw)+8)
	for r := 0; r < len(raw); {
		c := raw[r]
		switch {
		case c == '\\':
			e := raw[r+1]
			r += 2
			switch e {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				rr := hex4(raw[r:])
				r += 4
				if utf16.IsSurrogate(rr) {
					rr1 := rune(-1)
					if r+6 <= len(raw) && raw[r] == '\\' && raw[r+1] == 'u' {
						rr1 = hex4(raw[r+2:])
					}
					if dec := utf16.DecodeRune(rr, rr1); dec != unicode.ReplacementChar {
						r += 6
						out = utf8.AppendRune(out, dec)
						break
					}
					rr = unicode.ReplacementChar
				}
				out = utf8.AppendRune(out, rr)
			default: // '"', '\\', '/'
				out = append(out, e)
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			r++
		default:
			rr, size := utf8.DecodeRune(raw[r:])
			out = utf8.AppendRune(out, rr)
			r += size
		}
	}
	return out
}

// str is b as a string without a copy: b is the input (which the caller
// does not modify) or a buffer nothing else holds.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// scanNumber consumes a number at d.i and returns its text and whether it
// is an integer (no fraction, no exponent).
func (d *decoder) scanNumber() ([]byte, bool, error) {
	data := d.data
	start := d.i
	j := start
	if j < len(data) && data[j] == '-' {
		j++
	}
	switch {
	case j >= len(data):
		return nil, false, errSyntax
	case data[j] == '0':
		j++
	case '1' <= data[j] && data[j] <= '9':
		for j++; j < len(data) && '0' <= data[j] && data[j] <= '9'; j++ {
		}
	default:
		return nil, false, errSyntax
	}
	integer := true
	if j < len(data) && data[j] == '.' {
		integer = false
		j++
		k := j
		for ; j < len(data) && '0' <= data[j] && data[j] <= '9'; j++ {
		}
		if j == k {
			return nil, false, errSyntax
		}
	}
	if j < len(data) && (data[j] == 'e' || data[j] == 'E') {
		integer = false
		j++
		if j < len(data) && (data[j] == '+' || data[j] == '-') {
			j++
		}
		k := j
		for ; j < len(data) && '0' <= data[j] && data[j] <= '9'; j++ {
		}
		if j == k {
			return nil, false, errSyntax
		}
	}
	d.i = j
	return data[start:j], integer, nil
}

// skip consumes one value (after whitespace), validating it, and returns
// its bytes.
func (d *decoder) skip() ([]byte, error) {
	c := d.ws()
	start := d.i
	var err error
	switch c {
	case '"':
		_, _, err = d.scanString()
	case '{':
		err = d.skipObject()
	case '[':
		err = d.skipArray()
	case 't':
		err = d.literal("true")
	case 'f':
		err = d.literal("false")
	case 'n':
		err = d.literal("null")
	default:
		_, _, err = d.scanNumber()
	}
	if err != nil {
		return nil, err
	}
	return d.data[start:d.i], nil
}

func (d *decoder) skipObject() error {
	return d.object(func([]byte) error {
		_, err := d.skip()
		return err
	})
}

func (d *decoder) skipArray() error {
	return d.elems(func() error {
		_, err := d.skip()
		return err
	})
}

// object runs each for every member of the object whose '{' is at d.i,
// with the member's key (decoded) and d.i at its value.
func (d *decoder) object(each func(key []byte) error) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.i++ // '{'
	c := d.ws()
	if c == '}' {
		d.i++
		d.leave()
		return nil
	}
	for {
		if c != '"' {
			return errSyntax
		}
		raw, flags, err := d.scanString()
		if err != nil {
			return err
		}
		if d.ws() != ':' {
			return errSyntax
		}
		d.i++
		if err := each(text(raw, flags)); err != nil {
			return err
		}
		switch d.ws() {
		case ',':
			d.i++
			c = d.ws()
		case '}':
			d.i++
			d.leave()
			return nil
		default:
			return errSyntax
		}
	}
}

// elems runs each for every element of the array whose '[' is at d.i,
// with d.i at the element.
func (d *decoder) elems(each func() error) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.i++ // '['
	if d.ws() == ']' {
		d.i++
		d.leave()
		return nil
	}
	for {
		if err := each(); err != nil {
			return err
		}
		switch d.ws() {
		case ',':
			d.i++
		case ']':
			d.i++
			d.leave()
			return nil
		default:
			return errSyntax
		}
	}
}
