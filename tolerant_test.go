package intercom

import (
	"encoding/json"
	"errors"
	"net"
	"reflect"
	"strings"
	"testing"

	"github.com/apipin/intercom/internal/union"
)

// Local types shaped like oapi-codegen's output: optional pointers, a
// required field, a union, a list wrapper, a type that decodes itself.

// The generated packages declare their oapi-codegen unions' variants (the
// results of the As methods) to internal/union; so does this test.
func init() {
	union.DeclareRaw((*tUnion)(nil), (*string)(nil), (*int)(nil))
}

type tUnion struct{ union json.RawMessage }

func (t tUnion) AsTUnion0() (string, error) {
	var s string
	err := json.Unmarshal(t.union, &s)
	return s, err
}

func (t tUnion) AsTUnion1() (int, error) {
	var n int
	err := json.Unmarshal(t.union, &n)
	return n, err
}

func (t tUnion) MarshalJSON() ([]byte, error)  { return t.union.MarshalJSON() }
func (t *tUnion) UnmarshalJSON(b []byte) error { return t.union.UnmarshalJSON(b) }

type tPaging struct {
	StartingAfter *string `json:"starting_after,omitempty"`
}

type tItem struct {
	ID      *string            `json:"id,omitempty"`
	Count   *int               `json:"count,omitempty"`
	Small   *int8              `json:"small,omitempty"`
	Ratio   *float64           `json:"ratio,omitempty"`
	Open    *bool              `json:"open,omitempty"`
	Avatar  *string            `json:"avatar,omitempty"`
	Name    string             `json:"name"`                    // required
	Note    string             `json:"note,omitempty,omitzero"` // optional, a value (response models)
	Attrs   *map[string]tUnion `json:"attrs,omitempty"`
	Scores  *map[string]int    `json:"scores,omitempty"`
	ByNum   map[int]string     `json:"by_num,omitempty"`
	IP      *net.IP            `json:"ip,omitempty"` // decodes itself, from text
	Next    *tPaging           `json:"next,omitempty"`
	Tags    *[]string          `json:"tags,omitempty"`
	Any     any                `json:"any,omitempty"`
	Nested  *tList             `json:"nested,omitempty"`
	Picky   *tPicky            `json:"picky,omitempty"`
	Picky2  tPicky             `json:"picky2"`
	Ignored string             `json:"-"`
	tEmbedded
}

type tEmbedded struct {
	Region *string `json:"region,omitempty"`
}

// tPicky rejects everything but "ok", null included.
type tPicky struct{ v string }

func (p *tPicky) UnmarshalJSON(b []byte) error {
	if string(b) != `"ok"` {
		return errors.New("not ok")
	}
	p.v = "ok"
	return nil
}

type tList struct {
	Type  *string  `json:"type,omitempty"`
	Data  *[]tItem `json:"data,omitempty"`
	Total *int     `json:"total_count,omitempty"`
}

func dev(path, expected, found string, a Action) Deviation {
	return Deviation{Path: path, Expected: expected, Found: found, Action: a}
}

func TestTolerantRepairs(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		want    string // the value, re-encoded
		devs    []Deviation
		into    func() any
		noErr   bool  // encoding/json accepts the input as it is
		wantErr error // UnmarshalTolerant fails with it, keeping the deviations
	}{{
		name: "number as string, and the reverse",
		in:   `{"id":42,"count":"7","ratio":"0.5","small":"12"}`,
		want: `{"id":"42","count":7,"small":12,"ratio":0.5,"name":"","picky2":{}}`,
		devs: []Deviation{dev("$.id", "string", "number", Coerced), dev("$.count", "integer", "string", Coerced),
			dev("$.ratio", "number", "string", Coerced), dev("$.small", "integer", "string", Coerced)},
	}, {
		name: "lossless and lossy numbers",
		in:   `{"count":2.0,"small":"300","ratio":"1e400","tags":[1.5]}`,
		want: `{"count":2,"name":"","tags":["1.5"],"picky2":{}}`,
		devs: []Deviation{dev("$.count", "integer", "number", Coerced), dev("$.small", "integer", "string", Dropped),
			dev("$.ratio", "number", "string", Dropped), dev("$.tags[0]", "string", "number", Coerced)},
	}, {
		name: "booleans",
		in:   `{"open":"true","id":false,"count":true}`,
		want: `{"id":"false","open":true,"name":"","picky2":{}}`,
		devs: []Deviation{dev("$.open", "boolean", "string", Coerced), dev("$.id", "string", "boolean", Coerced),
			dev("$.count", "integer", "boolean", Dropped)},
	}, {
		name: "object where a string is typed keeps its JSON text",
		in:   `{"avatar": {"image_url": "https://x/a.png", "type": "avatar"}}`,
		want: `{"avatar":"{\"image_url\":\"https://x/a.png\",\"type\":\"avatar\"}","name":"","picky2":{}}`,
		devs: []Deviation{dev("$.avatar", "string", "object", KeptAsJSON)},
	}, {
		name: "string where an object is typed is dropped",
		in:   `{"next":"https://x/?starting_after=abc","id":"1"}`,
		want: `{"id":"1","name":"","picky2":{}}`,
		devs: []Deviation{dev("$.next", "object", "string", Dropped)},
	}, {
		name: "null where the type has none",
		in:   `{"name":null,"open":true,"id":[]}`,
		want: `{"id":"[]","open":true,"name":"","picky2":{}}`,
		devs: []Deviation{dev("$.name", "string", "null", NullToZero), dev("$.id", "string", "array", KeptAsJSON)},
	}, {
		name: "null in an optional value field reads as absent",
		in:   `{"note":null,"open":true,"id":[]}`,
		want: `{"id":"[]","open":true,"name":"","picky2":{}}`,
		devs: []Deviation{dev("$.id", "string", "array", KeptAsJSON)},
	}, {
		name: "a union holding a kind none of its variants takes",
		in:   `{"attrs":{"vip":true,"plan":"pro","n":3},"count":"x"}`,
		want: `{"name":"","attrs":{"n":3,"plan":"pro","vip":true},"picky2":{}}`,
		devs: []Deviation{dev("$.attrs.vip", "number or string", "boolean", KeptAsJSON), dev("$.count", "integer", "string", Dropped)},
	}, {
		name: "map values and keys",
		in:   `{"scores":{"a":"1","b":"x"},"by_num":{"1":"one","x":"two"}}`,
		want: `{"name":"","scores":{"a":1},"by_num":{"1":"one"},"picky2":{}}`,
		devs: []Deviation{dev("$.scores.a", "integer", "string", Coerced), dev("$.scores.b", "integer", "string", Dropped),
			dev(`$.by_num.x`, "integer key", "string", Dropped)},
	}, {
		name: "types that decode themselves",
		in:   `{"ip":"10.0.0.1","picky":"no","picky2":null}`,
		want: `{"name":"","ip":"10.0.0.1","picky2":{}}`,
		devs: []Deviation{dev("$.picky", "intercom.tPicky", "string", Dropped), dev("$.picky2", "intercom.tPicky", "null", Dropped)},
	}, {
		name: "a text type written as a number",
		in:   `{"ip":7,"picky2":"ok"}`,
		want: `{"name":"","picky2":{}}`,
		devs: []Deviation{dev("$.ip", "net.IP", "number", Dropped)},
	}, {
		name: "arrays lose the elements that cannot fit",
		in:   `{"nested":{"type":"list","data":[{"id":"a"},"junk",{"id":"b","count":"x"}]}}`,
		want: `{"name":"","nested":{"type":"list","data":[{"id":"a","name":"","picky2":{}},{"id":"b","name":"","picky2":{}}]},"picky2":{}}`,
		devs: []Deviation{dev("$.nested.data[1]", "object", "string", Dropped), dev("$.nested.data[2].count", "integer", "string", Dropped)},
	}, {
		name: "bare array where a list is typed, nested",
		in:   `{"nested":[{"id":"a"}],"count":"1"}`,
		want: `{"count":1,"name":"","nested":{"data":[{"id":"a","name":"","picky2":{}}]},"picky2":{}}`,
		devs: []Deviation{dev("$.nested", "object", "array", Wrapped), dev("$.count", "integer", "string", Coerced)},
	}, {
		name: "list object where an array is typed",
		in:   `{"tags":{"type":"list","data":["a","b"]},"count":"1"}`,
		want: `{"count":1,"name":"","tags":["a","b"],"picky2":{}}`,
		devs: []Deviation{dev("$.tags", "array", "object", Unwrapped), dev("$.count", "integer", "string", Coerced)},
	}, {
		name: "a list under another key moves only at the root",
		in:   `{"nested":{"type":"list","items":[{"id":"a"}]},"count":"1"}`,
		want: `{"count":1,"name":"","nested":{"type":"list"},"picky2":{}}`,
		devs: []Deviation{dev("$.count", "integer", "string", Coerced)},
	}, {
		name: "keys match as encoding/json matches them; embedded fields are promoted",
		in:   `{"ID":"x","Count":"2","region":5,"Ignored":"y"}`,
		want: `{"id":"x","count":2,"name":"","picky2":{},"region":"5"}`,
		devs: []Deviation{dev("$.Count", "integer", "string", Coerced), dev("$.region", "string", "number", Coerced)},
	}, {
		name:  "odd keys are quoted in paths",
		in:    `{"attrs":{"Order number":false}}`,
		want:  `{"name":"","attrs":{"Order number":false},"picky2":{}}`,
		devs:  []Deviation{dev(`$.attrs["Order number"]`, "number or string", "boolean", KeptAsJSON)},
		noErr: true,
	}, {
		name:  "root list under another key",
		into:  func() any { return new(tList) },
		in:    `{"type":"list","conversations":[{"id":"1"}],"total_count":1}`,
		want:  `{"type":"list","data":[{"id":"1","name":"","picky2":{}}],"total_count":1}`,
		devs:  []Deviation{dev("$.conversations", `array under "data"`, "array", Moved)},
		noErr: true,
	}, {
		name: "root bare array",
		into: func() any { return new(tList) },
		in:   `[{"id":1}]`,
		want: `{"data":[{"id":"1","name":"","picky2":{}}]}`,
		devs: []Deviation{dev("$.data[0].id", "string", "number", Coerced), dev("$", "object", "array", Wrapped)},
	}, {
		name:    "nothing fits",
		in:      `"a string"`,
		want:    `{"name":"","picky2":{}}`,
		devs:    []Deviation{dev("$", "object", "string", Dropped)},
		wantErr: ErrWrongShape, // an empty value must not pass for an answer
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			into := c.into
			if into == nil {
				into = func() any { return new(tItem) }
			}
			if err := json.Unmarshal([]byte(c.in), into()); (err == nil) != c.noErr {
				t.Fatalf("encoding/json on the input: %v; the case expects it to fail: %v", err, !c.noErr)
			}
			v := into()
			devs, err := unmarshalTolerant([]byte(c.in), v)
			var decErr *DecodeError
			switch {
			case c.wantErr != nil && !errors.Is(err, c.wantErr):
				t.Fatalf("error %v, want %v", err, c.wantErr)
			case c.wantErr != nil && (!errors.As(err, &decErr) || len(decErr.Deviations) != len(c.devs)):
				t.Fatalf("error %v: want a *DecodeError keeping the %d deviations", err, len(c.devs))
			case c.wantErr == nil && err != nil:
				t.Fatal(err)
			}
			got, _ := json.Marshal(v)
			if string(got) != c.want {
				t.Errorf("value\n got %s\nwant %s", got, c.want)
			}
			for i := range devs {
				devs[i].pattern = ""
			}
			if !reflect.DeepEqual(devs, c.devs) {
				t.Errorf("deviations\n got %v\nwant %v", devs, c.devs)
			}
			// Strict mode returns the error instead, naming the same places.
			_, err = decodeBody([]byte(c.in), into(), true, 0)
			var derr *DecodeError
			if !errors.As(err, &derr) || len(derr.Deviations) != len(c.devs) {
				t.Errorf("strict: %v, want a *DecodeError with %d deviations", err, len(c.devs))
			}
		})
	}
}

func TestTolerantPathPatterns(t *testing.T) {
	devs, err := unmarshalTolerant([]byte(`{"nested":{"data":[{"id":1},{"id":2}]},"attrs":{"k 1":true}}`), new(tItem))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range devs {
		got = append(got, d.Path+" ~ "+d.pattern)
	}
	want := []string{"$.nested.data[0].id ~ $.nested.data[*].id", "$.nested.data[1].id ~ $.nested.data[*].id", `$.attrs["k 1"] ~ $.attrs.*`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestUnmarshalTolerantRejectsOnlyWhatIsNotJSON(t *testing.T) {
	for _, in := range []string{`{"id":`, `{"id":1}x`, ``, `nul`} {
		if _, err := unmarshalTolerant([]byte(in), new(tItem)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
	if _, err := unmarshalTolerant([]byte(`{}`), tItem{}); err == nil {
		t.Error("a non-pointer: no error")
	}
}

func TestDecodeErrorMessage(t *testing.T) {
	e := &DecodeError{Err: errors.New("json: boom")}
	for i := range 5 {
		e.Deviations = append(e.Deviations, dev("$.a["+string(rune('0'+i))+"]", "string", "number", Coerced))
	}
	msg := e.Error()
	if !strings.HasPrefix(msg, "json: boom; $.a[0]: expected string, found number: coerced") || !strings.HasSuffix(msg, "; and 2 more") {
		t.Errorf("message %q", msg)
	}
	if !errors.Is(e, e.Err) {
		t.Error("DecodeError does not unwrap to encoding/json's error")
	}
}
