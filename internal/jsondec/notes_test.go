package jsondec

import (
	"reflect"
	"testing"
)

type color string

func (c color) Valid() bool { return c == "red" || c == "blue" }

type noted struct {
	Obj    Inner    `json:"obj" nullable:"false"`
	Ptr    *Inner   `json:"ptr,omitempty" nullable:"false"`
	List   []string `json:"list" nullable:"false"`
	Free   *Inner   `json:"free"`
	Color  color    `json:"color"`
	Colors []color  `json:"colors"`
	Holder holder   `json:"holder"`
}

func TestNotesCountNullsAndUnlistedEnums(t *testing.T) {
	for in, want := range map[string]Notes{
		`{"obj":{},"ptr":{},"list":[],"free":null,"color":"red","colors":["blue"]}`: {},
		`{"obj":null}`:                                   {Nulls: 1},
		`{"obj":null,"ptr":null,"list":null}`:            {Nulls: 3},
		`{"color":"green"}`:                              {Enums: 1},
		`{"color":""}`:                                   {Enums: 1},
		`{"color":null}`:                                 {},
		`{"colors":["red","pink",null,"gold"]}`:          {Enums: 2},
		`{"holder":{"shape":{"kind":"k","inner":null}}}`: {},
	} {
		var notes Notes
		if err := UnmarshalNotes([]byte(in), new(noted), &notes); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if notes != want {
			t.Errorf("%s: notes %+v, want %+v", in, notes, want)
		}
		compare(t, reflect.TypeFor[noted](), []byte(in)) // the value is encoding/json's
	}
}
