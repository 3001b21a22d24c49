package rawjson

import (
	"bytes"
	"encoding/json"
	"testing"
)

var inputs = []string{
	`{}`, `[]`, ` { "a" : 1 , "b":[true,null,"x\"]"],"c":{"d":{}}} `,
	`{"k\u00e9y":"v","\\":-1.5e3,"a":[[],[{}]]}`, `[1, "two" ,{"three":3}, [4] ,null]`,
	`"s"`, `12`, `{"dup":1,"dup":2}`,
}

// EachMember and EachElement see what encoding/json sees in valid JSON:
// the same keys (unquoted as it unquotes them) and the same values.
func FuzzAgreesWithEncodingJSON(f *testing.F) {
	for _, in := range inputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !json.Valid(b) {
			return
		}
		if end := SkipValue(b, 0); !bytes.Equal(Trim(b[:end]), Trim(b)) {
			t.Fatalf("%s: SkipValue stops at %d", b, end)
		}
		var obj []struct {
			key string
			val json.RawMessage
		}
		EachMember(b, func(key string, rawKey, val []byte) {
			if Unquote(rawKey) != key {
				t.Fatalf("%s: key %q, raw %s", b, key, rawKey)
			}
			obj = append(obj, struct {
				key string
				val json.RawMessage
			}{key, val})
		})
		var want map[string]json.RawMessage
		if json.Unmarshal(b, &want) == nil && want != nil {
			last := map[string]json.RawMessage{}
			for _, m := range obj {
				last[m.key] = m.val // the last of a repeated key wins, as in encoding/json
			}
			if len(last) != len(want) {
				t.Fatalf("%s: %d members, encoding/json %d", b, len(last), len(want))
			}
			for k, v := range want {
				if !bytes.Equal(last[k], v) {
					t.Fatalf("%s: member %q is %s, encoding/json %s", b, k, last[k], v)
				}
			}
		} else if len(obj) != 0 {
			t.Fatalf("%s: members of a non-object", b)
		}
		var elems [][]byte
		EachElement(b, func(val []byte) { elems = append(elems, val) })
		var wantElems []json.RawMessage
		if json.Unmarshal(b, &wantElems) == nil && wantElems != nil {
			if len(elems) != len(wantElems) {
				t.Fatalf("%s: %d elements, encoding/json %d", b, len(elems), len(wantElems))
			}
			for i := range elems {
				if !bytes.Equal(elems[i], wantElems[i]) {
					t.Fatalf("%s: element %d is %s, encoding/json %s", b, i, elems[i], wantElems[i])
				}
			}
		} else if len(elems) != 0 {
			t.Fatalf("%s: elements of a non-array", b)
		}
	})
}
