package jsondec

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sync/atomic"
	"testing"
	"unsafe"
)

// A registered interface and holder types, in the shapes internal/union
// and the generated packages give them: shape is a sealed interface with a
// variant per JSON kind (and one keeping what none takes); holder, list
// and dict have an UnmarshalJSON that decodes their shape members with
// encoding/json, which this package must bypass with the same result.

type shape interface{ isShape() }

type (
	shapeNum   float64
	shapeText  string
	shapeOther struct{ JSON json.RawMessage }
	shapeObj   struct {
		Kind  string   `json:"kind"`
		Inner *holder  `json:"inner"`
		Tags  []string `json:"tags"`
	}
)

func (shapeNum) isShape()   {}
func (shapeText) isShape()  {}
func (shapeOther) isShape() {}
func (shapeObj) isShape()   {}

// decodeShape picks shape's variant by the value's first byte. When owned,
// raw belongs to the input being decoded, and the variant is decoded by
// this package in place (encoding/json when it gives up); otherwise by
// encoding/json alone, the reference.
func decodeShape(raw []byte, owned bool) (shape, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	as := func(v any) error {
		if owned && Unmarshal(raw, v) == nil {
			return nil
		}
		return json.Unmarshal(raw, v)
	}
	switch raw[0] {
	case '"':
		var s shapeText
		return s, as(&s)
	case '{':
		var s shapeObj
		return s, as(&s)
	case '[', 't', 'f':
		return shapeOther{bytes.Clone(raw)}, nil
	}
	var s shapeNum
	return s, as(&s)
}

type holder struct {
	ID    string           `json:"id"`
	Shape shape            `json:"shape"`
	List  []shape          `json:"list"`
	Map   map[string]shape `json:"map"`
	Named list             `json:"named"`
	N     int              `json:"n"`
}

type (
	list []shape
	dict map[string]shape
)

// holderCalls counts the calls of the holders' UnmarshalJSON methods.
var holderCalls atomic.Int64

func (h *holder) UnmarshalJSON(b []byte) error {
	holderCalls.Add(1)
	type plain holder
	var v struct {
		*plain
		Shape json.RawMessage            `json:"shape"`
		List  []json.RawMessage          `json:"list"`
		Map   map[string]json.RawMessage `json:"map"`
	}
	v.plain = (*plain)(h)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	var err error
	if h.Shape, err = decodeShape(v.Shape, false); err != nil {
		return err
	}
	if h.List, err = shapeSlice(v.List); err != nil {
		return err
	}
	h.Map, err = shapeMap(v.Map)
	return err
}

func (l *list) UnmarshalJSON(b []byte) error {
	holderCalls.Add(1)
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	v, err := shapeSlice(raw)
	*l = v
	return err
}

func (m *dict) UnmarshalJSON(b []byte) error {
	holderCalls.Add(1)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	v, err := shapeMap(raw)
	*m = v
	return err
}

func shapeSlice(raw []json.RawMessage) ([]shape, error) {
	if raw == nil {
		return nil, nil
	}
	out := make([]shape, len(raw))
	for i, r := range raw {
		var err error
		if out[i], err = decodeShape(r, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func shapeMap(raw map[string]json.RawMessage) (map[string]shape, error) {
	if raw == nil {
		return nil, nil
	}
	out := make(map[string]shape, len(raw))
	for k, r := range raw {
		x, err := decodeShape(r, false)
		if err != nil {
			return nil, err
		}
		out[k] = x
	}
	return out, nil
}

func init() {
	RegisterInterface(reflect.TypeFor[shape](), func(raw []byte, p unsafe.Pointer, _ *Notes) error {
		x, err := decodeShape(raw, true)
		if err != nil {
			return err
		}
		*(*shape)(p) = x
		return nil
	})
	RegisterHolder(reflect.TypeFor[holder]())
	RegisterHolder(reflect.TypeFor[list]())
	RegisterHolder(reflect.TypeFor[dict]())
}

// Inputs with registered interfaces (they join accepted: every test and
// the fuzz target's seeds run them).
var acceptedShapes = []string{
	`{"holder":{"id":"h","shape":"text","list":[1,"a",null,[2],true,{"kind":"k"}],"map":{"a":2.5,"b":null},"named":["x",{}],"n":3}}`,
	`{"holder":{"shape":{"kind":"o","inner":{"shape":{"kind":"deeper","tags":["t"]},"n":1}}},"holders":[{"shape":7},{},null]}`,
	`{"holder":{"shape":null,"list":null,"map":null,"named":null},"dict":{"k":"v","n":null,"o":{"inner":null}}}`,
	`{"holder":{"list":[],"map":{},"named":[]},"dict":{},"list":["\u00e9\ud800",{"kind":"\"q\""}]}`,
	`{"holder":null,"holders":[],"dict":null,"list":null}`,
	` {"holder" : { "shape" : { "kind" : "spaced" } , "list" : [ 1 , 2 ] } } `,
	// variants this package gives up on, which the interface's function
	// then decodes with encoding/json
	`{"holder":{"shape":{"kind":"a","kind":"b"}}}`,
	`{"holder":{"list":[{"Kind":"x"}]}}`,
}

// Inputs that reach a registered interface and that this package leaves to
// encoding/json: a key that matches a holder's field only
// case-insensitively, a variant that fails, invalid JSON.
var declinedShapes = []string{
	`{"holder":{"SHAPE":"x"}}`,
	`{"holder":{"id":"a","id":"b"}}`,
	`{"holder":{"shape":1e400}}`,
	`{"holder":{"shape":"x"`,
}

func TestRegisteredInterfacesMatchEncodingJSON(t *testing.T) {
	for _, in := range acceptedShapes {
		if !compare(t, reflect.TypeFor[Everything](), []byte(in)) {
			var e Everything
			t.Errorf("declined %q: %v", in, Unmarshal([]byte(in), &e))
		}
	}
	for _, in := range declinedShapes {
		for _, typ := range testTypes {
			compare(t, typ, []byte(in))
		}
		if compare(t, reflect.TypeFor[Everything](), []byte(in)) {
			t.Errorf("decoded %q, which this package should leave to encoding/json", in)
		}
	}
}

// The holders' UnmarshalJSON is not called, and the variants' strings
// refer to the input.
func TestHoldersDecodeInPlace(t *testing.T) {
	data := []byte(`{"holder":{"shape":"plain","list":["a"],"named":["b"]},"dict":{"k":"c"}}`)
	before := holderCalls.Load()
	var e Everything
	if err := Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	if n := holderCalls.Load() - before; n != 0 {
		t.Errorf("%d UnmarshalJSON calls, want 0", n)
	}
	copy(data[bytes.Index(data, []byte("plain")):], "PLAIN")
	if e.Holder.Shape != shapeText("PLAIN") {
		t.Errorf("shape %#v: want it to refer to the input", e.Holder.Shape)
	}
	want := Everything{Holder: holder{Shape: shapeText("PLAIN"), List: []shape{shapeText("a")}, Named: list{shapeText("b")}}, Dict: dict{"k": shapeText("c")}}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got %#v\nwant %#v", e, want)
	}
}

// An interface that is not registered is still left to encoding/json.
func TestUnregisteredInterfaceIsDeclined(t *testing.T) {
	type other interface{ isOther() }
	var v struct {
		X other `json:"x"`
	}
	if err := Unmarshal([]byte(`{"x":null}`), &v); err == nil {
		t.Error("decoded into an unregistered interface with methods")
	}
}
