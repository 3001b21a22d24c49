package intercom

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/internal/lossless"
)

// The scan that names the paths of noted nulls and enum values skips most
// of a body without looking inside: here, on bodies whose skipped parts
// hold what a careless skip trips on (quotes, backslashes, brackets inside
// strings, whitespace everywhere, keys with escapes and non-ASCII bytes),
// it must give exactly the walk's deviations, by itself.

type scanColor string

func (c scanColor) Valid() bool { return c == "red" || c == "blue" }

type scanItem struct {
	Color scanColor            `json:"color"`
	N     int                  `json:"n" nullable:"false"`
	Tags  map[string]scanColor `json:"tags"`
	JSON  Members              `json:"-"`
}

type scanBody struct {
	Name  string              `json:"name" nullable:"false"`
	Junk  map[string]any      `json:"junk"`
	Items []scanItem          `json:"items"`
	ByKey map[string]scanItem `json:"by_key"`
	Odd   scanColor           `json:"odd key"`
	Deep  [][]scanColor       `json:"deep"`
	Ptr   *scanItem           `json:"ptr"`
	Last  scanColor           `json:"last"`
	JSON  Members             `json:"-"`
}

func TestNotedPathsScanSkipsWhatItMust(t *testing.T) {
	tricky := `{"a":"}]\"{[","b\\":[1,-2.5e3,true,null,{"c":"\\\\","d":"\\\""}],"e":{}, "f" : [ ] }`
	for _, c := range []struct {
		name, body string
		want       []string // the paths reported, in order
	}{
		{
			name: "every kind of place",
			body: `{"name":null,"junk":` + tricky + `,"items":[{"color":"green","n":null},` +
				`{"color":"red","n":1,"tags":{"a\"b":"pink","é":"blue","x\u0041":"teal"}}],` +
				`"by_key":{"k 1":{"color":"x"}},"odd key":"nope","deep":[[],["red","mauve"]],` +
				`"ptr":{"color":"grey"},"last":"` + strings.Repeat("z", 70) + `"}`,
			want: []string{`$.name`, `$.items[0].color`, `$.items[0].n`, `$.items[1].tags["a\"b"]`,
				`$.items[1].tags.xA`, `$.by_key["k 1"].color`, `$["odd key"]`, `$.deep[1][1]`,
				`$.ptr.color`, `$.last`},
		},
		{
			name: "whitespace everywhere",
			body: " \n{ \"junk\" : " + tricky + " ,\t\"items\" : [ { \"n\" : 1 } ,\r\n { \"n\" :\tnull } ] ," +
				" \"last\" : \"teal\" \n} \n",
			want: []string{`$.items[1].n`, `$.last`},
		},
		{
			name: "one note at the end of a long body",
			body: `{"junk":{"parts":[` + strings.Repeat(tricky+",", 200) + `1]},"last":"x"}`,
			want: []string{`$.last`},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			scanned, walked, ok, noted := notedBothWays([]byte(c.body), new(scanBody), 0)
			if !noted {
				t.Fatal("the engine noted nothing")
			}
			if !ok {
				t.Error("the scan fell back to the walk")
			}
			scanMatchesWalk(t, scanned, walked, c.want)
		})
	}
}

// A body that is itself a list or a map, whose own elements take no null
// (an operation's NullableItems): the scan names its null elements from
// the body down ($[1], $.k[0]), by itself, as the walk does.
func TestNotedPathsScanBodyItems(t *testing.T) {
	for _, c := range []struct {
		name, body string
		into       func() any
		items      uint32
		want       []string
	}{
		{"list", `[{"n":1}, null, {"color":"mauve"}, null]`, func() any { return new([]scanItem) }, 1, []string{`$[1]`, `$[2].color`, `$[3]`}},
		{"lists", ` [ [null], null, [{"n":null}] ] `, func() any { return new([][]scanItem) }, 2, []string{`$[0][0]`, `$[2][0].n`}},
		{"map", `{"k":[null],"l":null}`, func() any { return new(map[string][]*scanItem) }, 3, []string{`$.k[0]`, `$.l`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			scanned, walked, ok, noted := notedBothWays([]byte(c.body), c.into(), c.items)
			if !noted || !ok {
				t.Fatalf("noted %v, scanned %v", noted, ok)
			}
			scanMatchesWalk(t, scanned, walked, c.want)
		})
	}
}

// The scan does not read what the engine kept: an object decoded into a
// model ends where its Members end, and so does an array of them.
func TestNotedPathsScanSkipsDecodedObjects(t *testing.T) {
	body := []byte(`{"items":[{"color":"red","n":1} , {"tags":{"a":"}"}} ],"ptr": {"n":2} ,"last":"x"}`)
	var v scanBody
	if err := jsondec.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	s := pathScan{b: body}
	rv := reflect.ValueOf(v)
	for _, c := range []struct {
		field string
		want  string // the value's JSON, which ends where the scan goes on
	}{
		{"Items", `[{"color":"red","n":1} , {"tags":{"a":"}"}} ]`},
		{"Ptr", `{"n":2}`},
	} {
		start := strings.Index(string(body), c.want)
		fv := concrete(rv.FieldByName(c.field))
		if got := s.end(start, fv); got != start+len(c.want) {
			t.Errorf("%s ends at %d, want %d", c.field, got, start+len(c.want))
		}
		last := fv
		if fv.Kind() == reflect.Slice {
			last = fv.Index(fv.Len() - 1)
		}
		if _, _, ok := s.received(last); !ok {
			t.Errorf("%s: the scan does not find its Members in the body", c.field)
		}
	}
	// Members that are not a view of the body are not used.
	v.Ptr = &scanItem{}
	if err := json.Unmarshal([]byte(`{"n":2}`), v.Ptr); err != nil {
		t.Fatal(err)
	}
	v.Ptr.JSON = lossless.FromJSON([]byte(`{"n":2}`))
	if _, _, ok := s.received(reflect.ValueOf(*v.Ptr)); ok {
		t.Error("Members outside the body are used")
	}
}

// A report entry made by the scan is what the walk makes, down to the
// pattern it is logged under and the text of an unlisted value.
func TestNotedDeviationText(t *testing.T) {
	body := `{"items":[{"color":"` + strings.Repeat("é", 40) + `"}],"by_key":{"k":{"n":null}}}`
	scanned, _, ok, _ := notedBothWays([]byte(body), new(scanBody), 0)
	if !ok || len(scanned) != 2 {
		t.Fatalf("scanned %v, ok %v", scanned, ok)
	}
	want := []Deviation{
		{Path: "$.items[0].color", Expected: "a value scanColor lists",
			Found: `string "` + strings.Repeat("é", 32) + `…"`, Action: Unlisted, pattern: "$.items[*].color"},
		{Path: "$.by_key.k.n", Expected: "integer", Found: "null", Action: NullToZero, pattern: "$.by_key.*.n"},
	}
	if !reflect.DeepEqual(scanned, want) {
		t.Errorf("scanned %#v\nwant    %#v", scanned, want)
	}
}

// scanMatchesWalk checks that the scan found what the walk found, at the
// paths want.
func scanMatchesWalk(t *testing.T, scanned, walked []Deviation, want []string) {
	t.Helper()
	if !reflect.DeepEqual(scanned, walked) {
		t.Errorf("scan %v\nwalk %v", scanned, walked)
	}
	var paths []string
	for _, d := range scanned {
		paths = append(paths, d.Path)
	}
	if !slices.Equal(paths, want) {
		t.Errorf("paths %q\nwant  %q", paths, want)
	}
}
