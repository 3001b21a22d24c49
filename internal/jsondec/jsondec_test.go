package jsondec

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Types that exercise every path of the decoder, in the shapes the
// generated models use and a few they do not.

type union struct{ raw json.RawMessage }

func (u *union) UnmarshalJSON(b []byte) error { return u.raw.UnmarshalJSON(b) }

type upper string

func (u *upper) UnmarshalText(b []byte) error {
	if string(b) == "bad" {
		return errors.New("bad text")
	}
	*u = upper(strings.ToUpper(string(b)))
	return nil
}

type Base struct {
	ID   string `json:"id"`
	Type string `json:"type,omitempty"`
}

type Extra struct {
	Note  string `json:"note"`
	Shade int
}

type hidden struct{ Secret string }

type tagged string

type Inner struct {
	A int     `json:"a"`
	B *string `json:"b"`
}

type Everything struct {
	Base
	*Extra
	hidden
	Type2   string             `json:"type"` // hides Base.Type
	Bool    bool               `json:"bool"`
	I       int                `json:"i"`
	I8      int8               `json:"i8"`
	I16     int16              `json:"i16"`
	I32     int32              `json:"i32"`
	U       uint               `json:"u"`
	U8      uint8              `json:"u8"`
	U16     uint16             `json:"u16"`
	U32     uint32             `json:"u32"`
	F32     float32            `json:"f32"`
	F64     float64            `json:"f64"`
	S       string             `json:"s"`
	Tagged  tagged             `json:"tagged"`
	Num     json.Number        `json:"num"`
	Any     any                `json:"any"`
	Ptr     *Inner             `json:"ptr"`
	PtrPtr  **int              `json:"ptrptr"`
	Slice   []Inner            `json:"slice"`
	Ptrs    []*Inner           `json:"ptrs"`
	Strs    []string           `json:"strs"`
	Arr     [2]int             `json:"arr"`
	Map     map[string]any     `json:"map"`
	MapS    map[string]string  `json:"maps"`
	MapI    map[string]Inner   `json:"mapi"`
	MapT    map[tagged]int     `json:"mapt"`
	Raw     json.RawMessage    `json:"raw"`
	RawPtr  *json.RawMessage   `json:"rawptr"`
	Union   union              `json:"union"`
	Unions  []union            `json:"unions"`
	UnionP  *union             `json:"unionp"`
	Time    time.Time          `json:"time"`
	TimeP   *time.Time         `json:"timep"`
	Text    upper              `json:"text"`
	TextP   *upper             `json:"textp"`
	Quoted  int                `json:"quoted,string"`
	Bytes   []byte             `json:"bytes"`
	Anon    struct{ X, Y int } `json:"anon"`
	Skipped int                `json:"-"`
	//lint:ignore SA5008 a field named "-" is what this tests
	Dash    int `json:"-,"`
	NoTag   int
	Holder  holder   `json:"holder"` // registered interfaces: iface_test.go
	Holders []holder `json:"holders"`
	Dict    dict     `json:"dict"`
	List    list     `json:"list"`
}

var testTypes = []reflect.Type{
	reflect.TypeFor[Everything](),
	reflect.TypeFor[*Everything](),
	reflect.TypeFor[[]Everything](),
	reflect.TypeFor[map[string]any](),
	reflect.TypeFor[any](),
	reflect.TypeFor[[]any](),
	reflect.TypeFor[union](),
	reflect.TypeFor[itemsNoted](),
	reflect.TypeFor[string](),
	reflect.TypeFor[int](),
	reflect.TypeFor[holder](),
	reflect.TypeFor[[]holder](),
}

// compare decodes data into new values of typ with both decoders: when
// this package succeeds, encoding/json must succeed with an equal value.
// It reports whether this package succeeded.
func compare(t *testing.T, typ reflect.Type, data []byte) bool {
	t.Helper()
	got := reflect.New(typ)
	err := Unmarshal(data, got.Interface())
	if err != nil {
		return false
	}
	want := reflect.New(typ)
	if errStd := json.Unmarshal(data, want.Interface()); errStd != nil {
		t.Fatalf("into %v: jsondec succeeded, encoding/json failed: %v\ninput %q", typ, errStd, data)
	}
	if !reflect.DeepEqual(got.Interface(), want.Interface()) {
		t.Fatalf("into %v: values differ\njsondec       %#v\nencoding/json %#v\ninput %q", typ, got.Elem(), want.Elem(), data)
	}
	return true
}

// Inputs that this package decodes, and must decode as encoding/json does.
var accepted = []string{
	`{"id":"1","type":"t","note":"n","Shade":2,"Secret":"s"}`,
	`{"bool":true,"i":-12,"i8":-128,"i16":32767,"i32":-5,"u":7,"u8":255,"u16":0,"u32":4294967295}`,
	`{"f32":1.5e3,"f64":-0.25E-2,"s":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00","tagged":"x","num":-1.5e9}`,
	`{"any":{"a":[1,"x",true,null,{}],"b":[]},"ptr":{"a":1,"b":"s"},"ptrptr":3}`,
	`{"slice":[{"a":1},{"a":2,"b":null}],"ptrs":[null,{"a":3}],"strs":[],"arr":[1,2,3]}`,
	`{"arr":[1]}`, `{"slice":null,"map":null,"ptr":null,"any":null,"s":null,"i":null,"bool":null}`,
	`{"map":{"k":1,"k":2},"maps":{"a":"b"},"mapi":{"x":{"a":1}},"mapt":{"z":1}}`,
	`{"raw":{"a" : [1, 2]},"rawptr":null,"union":"x","unions":[1,{"b":2},null],"unionp":null}`,
	`{"raw":null,"union":null}`,
	`{"time":"2024-01-02T03:04:05Z","timep":"2024-01-02T03:04:05.5+02:00","text":"abc","textp":"q"}`,
	`{"text":null,"textp":null,"time":null}`,
	`{"anon":{"X":1,"Y":2},"NoTag":4,"-":5,"unknown":{"deep":[1,{"x":null}]},"":1}`,
	"{\"s\":\"caf\xc3\xa9\",\"strs\":[\"\xff\",\"\\ud800\",\"\\ud800\\u0041\",\"\\udc00\\ud800\"]}",
	" \t\r\n{ \"id\" : \"x\" , \"i\" : 0 } \n",
	`{"unknown":"\u00e9"}`,
	`{"i":-0,"f64":-0,"u":0}`,
}

// Inputs that this package leaves to encoding/json (it may decode some of
// them, or fail, as encoding/json does).
var declined = []string{
	`{"ID":"x"}`, `{"id":"a","id":"b"}`, `{"quoted":"1"}`, `{"i":1.0}`, `{"i":1e2}`,
	`{"i8":128}`, `{"u":-1}`, `{"u":-0}`, `{"i":9223372036854775808}`, `{"f32":1e39}`,
	`{"s":1}`, `{"num":"1"}`, `{"bytes":"AAEC"}`, `{"text":"bad"}`, `{"text":1}`,
	`{"id":"x"} x`, `{"id":"x"`, `{"id":"x",}`, `[1,]`, `{"a":01}`, `{"a":-}`, `{"a":1.}`,
	`{"a":1e}`, `{"a":tru}`, "{\"s\":\"a\x01\"}", `{"s":"\x"}`, `{"s":"\u12"}`,
	`{"ſecret":"x"}`, `{"\u0069d":"x","ID":"y"}`, "", " ", `nul`,
	strings.Repeat("[", 2000) + strings.Repeat("]", 2000),
}

func TestAcceptedMatchEncodingJSON(t *testing.T) {
	for _, in := range accepted {
		if !compare(t, reflect.TypeFor[Everything](), []byte(in)) {
			var e Everything
			t.Errorf("declined %q: %v", in, Unmarshal([]byte(in), &e))
		}
		compare(t, reflect.TypeFor[any](), []byte(in))
		compare(t, reflect.TypeFor[map[string]any](), []byte(in))
	}
}

func TestDeclinedAreLeftToEncodingJSON(t *testing.T) {
	for _, in := range declined {
		for _, typ := range testTypes {
			compare(t, typ, []byte(in))
		}
		if compare(t, reflect.TypeFor[Everything](), []byte(in)) {
			t.Errorf("decoded %q, which this package should leave to encoding/json", in)
		}
	}
}

func TestArgumentMustBeANonNilPointer(t *testing.T) {
	var p *Everything
	for _, v := range []any{nil, Everything{}, p} {
		if err := Unmarshal([]byte(`{}`), v); err == nil {
			t.Errorf("Unmarshal into %T: nil error", v)
		}
	}
}

// Strings without escapes refer to the input; escaped ones are copies.
func TestStringsReferToTheInput(t *testing.T) {
	data := []byte(`{"s":"plain","tagged":"\u0041"}`)
	var e Everything
	if err := Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	data[6] = 'P'
	if e.S != "Plain" || e.Tagged != "A" {
		t.Errorf("got %q, %q; want the changed input and the escape's copy", e.S, e.Tagged)
	}
}

// FuzzMatchesEncodingJSON: whenever this package decodes, encoding/json
// decodes too, to the same value. Run it with
// go test -run '^$' -fuzz FuzzMatchesEncodingJSON ./internal/jsondec
func FuzzMatchesEncodingJSON(f *testing.F) {
	for i, s := range slices.Concat(accepted, declined, acceptedShapes, declinedShapes) {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		compare(t, testTypes[int(which)%len(testTypes)], data)
	})
}

func Example() {
	var v struct {
		Name string `json:"name"`
		Tags []any  `json:"tags"`
	}
	err := Unmarshal([]byte(`{"name":"x","tags":[1,"a"]}`), &v)
	fmt.Println(v.Name, v.Tags, err)
	// Output: x [1 a] <nil>
}
