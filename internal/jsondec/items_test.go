package jsondec

import (
	"bytes"
	"reflect"
	"testing"
)

// Fields whose arrays and maps take no null element at the tagged levels.
type itemsNoted struct {
	Objs    []Inner             `json:"objs" nullableitems:"false"`
	Ptrs    []*Inner            `json:"ptrs" nullableitems:"false"`
	Opt     *[]string           `json:"opt" nullableitems:"false"`
	Grid    [][]string          `json:"grid" nullableitems:"true,false"`
	Rows    [][]string          `json:"rows" nullableitems:"false"`
	Labels  map[string]string   `json:"labels" nullableitems:"false"`
	Free    map[string]any      `json:"free" nullableitems:"false"`
	ByKey   map[string][]*Inner `json:"by_key" nullableitems:"false,false"`
	Colors  []color             `json:"colors" nullableitems:"false"`
	Shapes  list                `json:"shapes" nullableitems:"false"`
	Dict    dict                `json:"dict" nullableitems:"false"`
	Loose   []string            `json:"loose"`
	Holes   []*Inner            `json:"holes" nullableitems:"true"`
	Bytes   []byte              `json:"bytes" nullableitems:"false"`
	Both    []string            `json:"both" nullable:"false" nullableitems:"false"`
	Untyped []any               `json:"untyped" nullableitems:"false"`
}

func TestItemsNonNull(t *testing.T) {
	for tag, want := range map[reflect.StructTag]uint32{
		``:                                 0,
		`nullableitems:"false"`:            1,
		`nullableitems:"true"`:             0,
		`nullableitems:"true,false"`:       2,
		`nullableitems:"false,true,false"`: 5,
		`json:"x" nullable:"false"`:        0,
	} {
		if got := ItemsNonNull(tag); got != want {
			t.Errorf("%s: %b, want %b", tag, got, want)
		}
	}
	for words, want := range map[string]uint32{"": 0, "false": 1, "true": 0, "true,false": 2, "false,false": 3} {
		if got := ItemLevels(words); got != want {
			t.Errorf("%q: %b, want %b", words, got, want)
		}
	}
}

func TestNotesCountNullElements(t *testing.T) {
	for in, want := range map[string]Notes{
		`{"objs":[{"a":1}],"ptrs":[{}],"opt":["x"],"grid":[["a"],null],"labels":{"k":"v"},"free":{"k":[null]},"by_key":{"k":[{}]},"colors":["red"],"shapes":["s",1],"dict":{"k":"v"},"loose":[null],"holes":[null],"both":[]}`: {},
		`{"objs":[null,{"a":1},null]}`:                 {Nulls: 2},
		`{"ptrs":[null]}`:                              {Nulls: 1},
		`{"opt":[null,"x"]}`:                           {Nulls: 1},
		`{"opt":null}`:                                 {},
		`{"grid":[null,[null,"a",null]]}`:              {Nulls: 2},
		`{"rows":[null,[null]]}`:                       {Nulls: 1},
		`{"labels":{"a":null,"b":"x"}}`:                {Nulls: 1},
		`{"free":{"a":null,"b":{"c":null}}}`:           {Nulls: 1},
		`{"by_key":{"a":null,"b":[null,{},null]}}`:     {Nulls: 3},
		`{"colors":[null,"pink"]}`:                     {Nulls: 1, Enums: 1},
		`{"shapes":[null,"s"],"dict":{"k":null}}`:      {Nulls: 2},
		`{"both":null}`:                                {Nulls: 1},
		`{"both":[null]}`:                              {Nulls: 1},
		`{"untyped":[null,[null]]}`:                    {Nulls: 1},
		`{"loose":[null],"holes":[null],"bytes":null}`: {},
	} {
		var notes Notes
		if err := UnmarshalNotes([]byte(in), new(itemsNoted), &notes); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if notes != want {
			t.Errorf("%s: notes %+v, want %+v", in, notes, want)
		}
		compare(t, reflect.TypeFor[itemsNoted](), []byte(in)) // the value is encoding/json's
	}
}

// Each null element is recorded where it is, with the element's type.
func TestNullElementsRecorded(t *testing.T) {
	in := []byte(`{"ptrs":[{},null],"grid":[[ null ]],"labels":{"k":null},"dict":{"d":null}}`)
	var rec Record
	var notes Notes
	notes.RecordIn(&rec)
	if err := UnmarshalNotes(in, new(itemsNoted), &notes); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		at  int
		typ reflect.Type
	}{
		{bytes.Index(in, []byte("null]")), reflect.TypeFor[*Inner]()},
		{bytes.Index(in, []byte("null ]")), reflect.TypeFor[string]()},
		{bytes.Index(in, []byte(`null},"dict"`)), reflect.TypeFor[string]()},
		{bytes.LastIndex(in, []byte("null")), reflect.TypeFor[shape]()},
	}
	if len(rec.At) != len(want) || notes.Nulls != len(want) {
		t.Fatalf("recorded %d, counted %d, want %d", len(rec.At), notes.Nulls, len(want))
	}
	for i, w := range want {
		n := rec.At[i]
		off, ok := n.Offset(in)
		if !ok || off != w.at || !n.Null || n.Type != w.typ {
			t.Errorf("note %d: at %d (%v), null %v, type %v; want at %d, type %v", i, off, ok, n.Null, n.Type, w.at, w.typ)
		}
	}
}

// Noting costs a clean input no allocation: the tagged fields allocate as
// the same fields untagged do.
func TestNullElementsCostNoAllocation(t *testing.T) {
	if raceDetector {
		t.Skip("allocation counts vary under the race detector (sync.Pool drops items)")
	}
	type untagged struct {
		Objs   []Inner             `json:"objs"`
		Ptrs   []*Inner            `json:"ptrs"`
		Grid   [][]string          `json:"grid"`
		Labels map[string]string   `json:"labels"`
		Free   map[string]any      `json:"free"`
		ByKey  map[string][]*Inner `json:"by_key"`
		Dict   dict                `json:"dict"`
	}
	in := []byte(`{"objs":[{"a":1},{"a":2}],"ptrs":[{},{}],"grid":[["a","b"],["c"]],"labels":{"k":"v","l":"w"},"free":{"k":"v","n":1},"by_key":{"a":[{},{}]},"dict":{"k":"v"}}`)
	allocs := func(newValue func() any) float64 {
		return testing.AllocsPerRun(100, func() {
			var notes Notes
			if err := UnmarshalNotes(in, newValue(), &notes); err != nil || notes.Any() {
				t.Fatal(err, notes)
			}
		})
	}
	tagged, plain := allocs(func() any { return new(itemsNoted) }), allocs(func() any { return new(untagged) })
	if tagged != plain {
		t.Errorf("%v allocations with the tags, %v without", tagged, plain)
	}
}

// The cost of noting on a clean input: the same lists and maps decoded
// through tagged and untagged fields (benchstat -col /fields).
func BenchmarkNullElements(b *testing.B) {
	type tagged struct {
		Objs   []Inner           `json:"objs" nullableitems:"false"`
		Labels map[string]string `json:"labels" nullableitems:"false"`
	}
	type plain struct {
		Objs   []Inner           `json:"objs"`
		Labels map[string]string `json:"labels"`
	}
	var in bytes.Buffer
	in.WriteString(`{"objs":[`)
	for i := range 200 {
		if i > 0 {
			in.WriteByte(',')
		}
		in.WriteString(`{"a":12,"b":"text"}`)
	}
	in.WriteString(`],"labels":{`)
	for i := range 50 {
		if i > 0 {
			in.WriteByte(',')
		}
		in.WriteString(`"k` + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `":"v"`)
	}
	in.WriteString(`}}`)
	data := in.Bytes()
	for _, c := range []struct {
		name string
		new  func() any
	}{{"tagged", func() any { return new(tagged) }}, {"plain", func() any { return new(plain) }}} {
		b.Run("fields="+c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var notes Notes
				if err := UnmarshalNotes(data, c.new(), &notes); err != nil || notes.Any() {
					b.Fatal(err, notes)
				}
			}
		})
	}
}

// A body that is itself a list or a map, with the levels a field's tag
// would give (UnmarshalItemsNotes): its null elements are noted and
// recorded where they are; the value is encoding/json's.
func TestBodyItemsNoted(t *testing.T) {
	type calls []Inner // a named slice, as a generated result is
	for _, c := range []struct {
		in     string
		into   func() any
		levels uint32
		want   int
	}{
		{`[null, {"a": 1}, null]`, func() any { return new(calls) }, 1, 2},
		{`[null, {"a": 1}, null]`, func() any { return new(calls) }, 0, 0},
		{`[null, [null, {}]]`, func() any { return new([][]*Inner) }, 2, 1},
		{`[null, [null, {}]]`, func() any { return new([][]*Inner) }, 3, 2},
		{`{"k": null, "l": "v"}`, func() any { return new(map[string]string) }, 1, 1},
		{`{"k": null}`, func() any { return new(map[string]any) }, 1, 1},
		{`"text"`, func() any { return new(string) }, 1, 0}, // not a list: nothing to note
	} {
		in := []byte(c.in)
		var rec Record
		var notes Notes
		notes.RecordIn(&rec)
		v := c.into()
		if err := UnmarshalItemsNotes(in, v, c.levels, &notes); err != nil {
			t.Errorf("%s into %T: %v", c.in, v, err)
			continue
		}
		if notes.Nulls != c.want || len(rec.At) != c.want {
			t.Errorf("%s into %T, levels %b: %d noted, %d recorded, want %d", c.in, v, c.levels, notes.Nulls, len(rec.At), c.want)
		}
		for _, n := range rec.At {
			if off, ok := n.Offset(in); !ok || !bytes.HasPrefix(in[off:], []byte("null")) {
				t.Errorf("%s: a note at %d (%v)", c.in, off, ok)
			}
		}
		compare(t, reflect.TypeOf(v).Elem(), in)
	}
}

// A body decoded with levels 0 takes the ordinary decoder (what every
// object body does): no allocation more than Unmarshal.
func TestBodyItemsLevelsZeroCostNothing(t *testing.T) {
	if raceDetector {
		t.Skip("allocation counts vary under the race detector (sync.Pool drops items)")
	}
	in := []byte(`{"objs":[{"a":1}],"labels":{"k":"v"}}`)
	plain := testing.AllocsPerRun(100, func() {
		var notes Notes
		if err := UnmarshalNotes(in, new(itemsNoted), &notes); err != nil {
			t.Fatal(err)
		}
	})
	zero := testing.AllocsPerRun(100, func() {
		var notes Notes
		if err := UnmarshalItemsNotes(in, new(itemsNoted), 0, &notes); err != nil {
			t.Fatal(err)
		}
	})
	list := []byte(`[{"a":1},{"a":2}]`)
	listPlain := testing.AllocsPerRun(100, func() {
		if err := UnmarshalNotes(list, new([]Inner), nil); err != nil {
			t.Fatal(err)
		}
	})
	listNoted := testing.AllocsPerRun(100, func() {
		var notes Notes
		if err := UnmarshalItemsNotes(list, new([]Inner), 1, &notes); err != nil || notes.Any() {
			t.Fatal(err, notes)
		}
	})
	if zero != plain || listNoted != listPlain {
		t.Errorf("object: %v allocations with levels 0, %v without; list: %v noted, %v plain", zero, plain, listNoted, listPlain)
	}
}
