package union

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/apipin/intercom/internal/jsondec"
)

// A union in the generated packages' shape: a discriminator, variants told
// apart by required members and single-valued enums, scalar variants, a
// variant holding the union again (through a generated-style holder), and
// UnknownVariant.

type shape interface{ isShape() }

type (
	circle struct {
		Type   string  `json:"type"`
		Radius float64 `json:"radius"`
	}
	square struct {
		Type string `json:"type"`
		Side int    `json:"side" nullable:"false"`
	}
	group struct {
		Name    string           `json:"name"`
		Members []shape          `json:"members"`
		Main    shape            `json:"main"`
		ByName  map[string]shape `json:"by_name"`
	}
	label   string
	count   int
	unknown struct{ JSON json.RawMessage }
)

func (circle) isShape()  {}
func (square) isShape()  {}
func (group) isShape()   {}
func (label) isShape()   {}
func (count) isShape()   {}
func (unknown) isShape() {}

var unionShape = &Union[shape]{
	Discriminator: "type",
	Variants: []Variant{
		{Kind: String, Type: (*label)(nil)},
		{Kind: Object, Required: "radius", Tags: "circle\x00round", Type: (*circle)(nil)},
		{Kind: Object, Required: "members\x00name", Type: (*group)(nil)},
		{Kind: Object, Consts: "type\x00square", Tags: "square", Type: (*square)(nil)},
		{Kind: Integer, Type: (*count)(nil)},
	},
	Unknown: func(raw json.RawMessage) any { return unknown{raw} },
}

// UnmarshalJSON is what the generator writes for a struct with union fields.
func (s *group) UnmarshalJSON(b []byte) error {
	type plain group
	var v struct {
		*plain
		Members []json.RawMessage          `json:"members"`
		Main    json.RawMessage            `json:"main"`
		ByName  map[string]json.RawMessage `json:"by_name"`
	}
	v.plain = (*plain)(s)
	if err := Unmarshal(b, &v); err != nil {
		return err
	}
	var err error
	if s.Members, err = DecodeSlice(unionShape, v.Members); err != nil {
		return err
	}
	if s.Main, err = unionShape.Decode(v.Main); err != nil {
		return err
	}
	s.ByName, err = DecodeMap(unionShape, v.ByName)
	return err
}

func init() {
	Register(unionShape)
	RegisterHolder[group]()
}

// referenceDecode is the rule as Decode implemented it until the variants
// were decoded in place: the object's members in a map, variants decoded by
// encoding/json (through group's UnmarshalJSON).
func referenceDecode(u *Union[shape], b []byte) (shape, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	as := func(v Variant) (shape, error) {
		x := reflect.New(reflect.TypeOf(mustDecodeZero(v)))
		if err := json.Unmarshal(b, x.Interface()); err != nil {
			return nil, err
		}
		return x.Elem().Interface().(shape), nil
	}
	kind := kindOf(b)
	var members map[string]json.RawMessage
	if kind == Object {
		if err := json.Unmarshal(b, &members); err != nil {
			return nil, err
		}
		if u.Discriminator != "" {
			var tag string
			if raw, ok := members[u.Discriminator]; ok && json.Unmarshal(raw, &tag) == nil {
				for _, v := range u.Variants {
					if slices.Contains(list(v.Tags), tag) {
						if x, err := as(v); err == nil {
							return x, nil
						}
					}
				}
			}
		}
	}
	var candidates []Variant
	for _, v := range u.Variants {
		ok := v.Kind == kind || v.Kind == Integer && kind == Number && !bytes.ContainsAny(b, ".eE")
		if ok && kind == Object {
			for _, name := range list(v.Required) {
				if _, found := members[name]; !found {
					ok = false
				}
			}
			for _, c := range consts(v.Consts) {
				var got string
				if raw, found := members[c.Member]; found && (json.Unmarshal(raw, &got) != nil || got != c.Value) {
					ok = false
				}
			}
		}
		if ok {
			candidates = append(candidates, v)
		}
	}
	slices.SortStableFunc(candidates, func(a, b Variant) int { return len(list(b.Required)) - len(list(a.Required)) })
	for _, v := range candidates {
		if x, err := as(v); err == nil {
			return x, nil
		}
	}
	return unknown{slices.Clone(b)}, nil
}

// mustDecodeZero is a zero value of the variant's type.
func mustDecodeZero(v Variant) shape {
	return reflect.Zero(reflect.TypeOf(v.Type).Elem()).Interface().(shape)
}

var unionInputs = []string{
	`"x"`, `7`, `-0`, `7.5`, `1e2`, `true`, `null`, ` null `, `[1,"a"]`, `{}`,
	`{"type":"circle","radius":2}`, `{"type":"round","radius":"not a number"}`,
	`{"type":"circle"}`, `{"radius":1.5}`, `{"type":"square","side":3}`,
	`{"type":"square","side":"3"}`, `{"type":"triangle","side":3}`, `{"type":null,"side":1}`,
	`{"type":"sq\u0075are","side":2}`, `{"type":"circle","type":"square","side":1}`,
	`{"name":"g","members":["a",1,{"type":"circle","radius":1},null,{"name":"inner","members":[]}],"main":{"type":"square"},"by_name":{"k":2,"n":null}}`,
	`{"name":"g","members":null,"main":null,"by_name":null}`,
	`{"members":[],"nam\u0065":"escaped key"}`, `{"members":[],"name":"g","Name":"case"}`,
	`{"type":"square","side":1,"radius":2}`, `{"radius":1e400}`, `{"type":7}`,
	"{\"type\":\"squ\xffare\"}", `{"name":"x","members":[{"name":"y","members":[{"type":"circle","radius":0}]}]}`,
}

// compareWithReference checks Decode, in both ownership modes, and the
// registered jsondec path against referenceDecode.
func compareWithReference(t *testing.T, in []byte) {
	t.Helper()
	if !json.Valid(in) {
		return
	}
	want, wantErr := referenceDecode(unionShape, in)
	for _, owned := range []bool{false, true} {
		var got shape
		var err error
		if owned {
			got, err = unionShape.decode(bytes.Clone(in), &jsondec.Notes{})
		} else {
			got, err = unionShape.Decode(in)
		}
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("owned %v, %s: got %#v, %v; want %#v, %v", owned, in, got, err, want, wantErr)
		}
	}
	var v struct {
		X group `json:"x"`
	}
	doc := append(append([]byte(`{"x":{"name":"n","members":[`), in...), `]}}`...)
	if jsondec.Unmarshal(doc, &v) == nil {
		var ref struct {
			X group `json:"x"`
		}
		if err := json.Unmarshal(doc, &ref); err != nil {
			t.Fatalf("%s: jsondec decoded, encoding/json failed: %v", doc, err)
		}
		if !reflect.DeepEqual(v, ref) {
			t.Fatalf("%s: jsondec %#v, encoding/json %#v", doc, v, ref)
		}
	}
}

func TestDecodeMatchesReference(t *testing.T) {
	for _, in := range unionInputs {
		compareWithReference(t, []byte(in))
	}
}

func TestDecodePicksTheVariant(t *testing.T) {
	for in, want := range map[string]shape{
		`{"type":"round","radius":2}`:  circle{"round", 2},
		`{"type":"square","side":3}`:   square{"square", 3},
		`{"side":3}`:                   square{"", 3},
		`[1]`:                          unknown{json.RawMessage(`[1]`)},
		`{"name":"g","members":["a"]}`: group{Name: "g", Members: []shape{label("a")}},
		`7`:                            count(7),
		`7.5`:                          unknown{json.RawMessage(`7.5`)},
		`{"type":"triangle","radius":1,"side":1}`: circle{"triangle", 1},
	} {
		got, err := unionShape.Decode([]byte(in))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, %v; want %#v", in, got, err, want)
		}
	}
}

// Decoding in place: the variant's strings refer to the input.
func TestOwnedDecodeRefersToTheInput(t *testing.T) {
	data := []byte(`{"x":{"name":"n","members":["plain"]}}`)
	var v struct {
		X group `json:"x"`
	}
	if err := jsondec.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	copy(data[bytes.Index(data, []byte("plain")):], "PLAIN")
	if v.X.Members[0] != label("PLAIN") {
		t.Errorf("member %#v: want it to refer to the input", v.X.Members[0])
	}
}

// FuzzDecodeMatchesReference: the rule decides as it did with the members
// in a map and encoding/json decoding the variants, in place or not, and
// through jsondec's registered interface path. Run it with
// go test -run '^$' -fuzz FuzzDecodeMatchesReference ./internal/union
func FuzzDecodeMatchesReference(f *testing.F) {
	for _, in := range unionInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		compareWithReference(t, in)
	})
}

// What jsondec notes inside a variant reaches the caller's notes.
func TestNotesFromInsideVariants(t *testing.T) {
	var notes jsondec.Notes
	var v struct {
		X group `json:"x"`
	}
	data := []byte(`{"x":{"name":"n","members":[{"type":"square","side":null},{"name":"m","members":[{"type":"square","side":null}]}]}}`)
	if err := jsondec.UnmarshalNotes(data, &v, &notes); err != nil {
		t.Fatal(err)
	}
	if notes.Nulls != 2 {
		t.Errorf("notes %+v, want 2 nulls", notes)
	}
}

// Two variants as specific as each other (no required members), told
// apart only by their enums: the one that takes a value without a note
// wins over the one listed first (rule 3).
type (
	comparison string
	logic      string
	query      interface{ isQuery() }
	filter     struct {
		Field    string     `json:"field"`
		Operator comparison `json:"operator"`
		Value    any        `json:"value"`
	}
	filters struct {
		Operator logic `json:"operator"`
		Value    []any `json:"value"`
	}
)

func (c comparison) Valid() bool { return c == "=" || c == "!=" }
func (l logic) Valid() bool      { return l == "AND" || l == "OR" }
func (filter) isQuery()          {}
func (filters) isQuery()         {}
func (unknown) isQuery()         {}

var unionQuery = &Union[query]{
	Variants: []Variant{
		{Kind: Object, Type: (*filter)(nil)},
		{Kind: Object, Type: (*filters)(nil)},
	},
	Unknown: func(raw json.RawMessage) any { return unknown{raw} },
}

func TestVariantWithoutNoteWins(t *testing.T) {
	for in, want := range map[string]struct {
		typ   reflect.Type
		enums int
	}{
		`{"operator":"AND","value":[{"field":"a","operator":"=","value":1}]}`: {reflect.TypeFor[filters](), 0},
		`{"field":"a","operator":"!=","value":"x"}`:                           {reflect.TypeFor[filter](), 0},
		// Neither without a note: the first, with its note.
		`{"operator":"XOR","value":[]}`: {reflect.TypeFor[filter](), 1},
	} {
		var notes jsondec.Notes
		got, err := unionQuery.decode([]byte(in), &notes)
		if err != nil || reflect.TypeOf(got) != want.typ || notes.Enums != want.enums {
			t.Errorf("%s: got %T (%v), %+v; want %v with %d unlisted", in, got, err, notes, want.typ, want.enums)
		}
		if got, err := unionQuery.Decode([]byte(in)); err != nil || reflect.TypeOf(got) != want.typ {
			t.Errorf("Decode %s: got %T (%v), want %v", in, got, err, want.typ)
		}
	}
}
