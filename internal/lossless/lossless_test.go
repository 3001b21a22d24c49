package lossless

import (
	"encoding/json"
	"testing"
)

type inner struct {
	N    int     `json:"n,omitempty,omitzero"`
	JSON Members `json:"-"`
}

type outer struct {
	Name  string  `json:"name,omitempty,omitzero"`
	Flag  *bool   `json:"flag,omitempty"`
	Items []inner `json:"items,omitempty,omitzero"`
	Anon  struct {
		S    string  `json:"s,omitempty,omitzero"`
		JSON Members `json:"-"`
	} `json:"anon,omitempty,omitzero"`
	JSON Members `json:"-"`
}

func TestMembersSetGetDelete(t *testing.T) {
	var m Members
	if !m.IsZero() || m.Has("a") {
		t.Fatal("zero Members holds something")
	}
	for _, step := range []struct {
		name string
		val  any
		want string
	}{
		{"a", 1, `{"a":1}`},
		{"b", "", `{"a":1,"b":""}`},
		{"a", false, `{"a":false,"b":""}`},
	} {
		if err := m.Set(step.name, step.val); err != nil {
			t.Fatal(err)
		}
		if got := string(m.Raw()); got != step.want {
			t.Fatalf("after Set(%q): %s, want %s", step.name, got, step.want)
		}
	}
	if raw, ok := m.Get("a"); !ok || string(raw) != "false" {
		t.Fatalf("Get(a) = %s, %v", raw, ok)
	}
	m.Delete("a")
	if m.Has("a") || string(m.Raw()) != `{"b":""}` {
		t.Fatalf("after Delete: %s", m.Raw())
	}
	if err := m.SetRaw("c", json.RawMessage(`{bad`)); err == nil {
		t.Fatal("SetRaw accepted invalid JSON")
	}
	if got := FromJSON([]byte(`{"x":1,"y":[2],"x":3}`)).Names(); len(got) != 3 || got[1] != "y" {
		t.Fatalf("Names = %v", got)
	}
}

func TestMarshalCallerBuilt(t *testing.T) {
	var v outer
	v.Name = "n"
	v.Items = []inner{{N: 1}, {}}
	f := false
	v.Flag = &f
	_ = v.Anon.JSON.Set("s", "")
	_ = v.JSON.Set("extra", []int{1})
	b, err := Marshal(&v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"extra":[1],"name":"n","flag":false,"items":[{"n":1},{}],"anon":{"s":""}}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

func TestMarshalReceived(t *testing.T) {
	// As a decoder leaves it: typed fields and the members as received.
	v := outer{Name: "", Items: []inner{{N: 1, JSON: FromJSON([]byte(`{"n":1,"u":true}`))}}}
	v.Anon.JSON = FromJSON([]byte(`{"s":null}`))
	v.JSON = FromJSON([]byte(`{"name":"","items":[{"n":1,"u":true}],"anon":{"s":null},"odd":1e400}`))
	b, err := Marshal(&v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"","items":[{"n":1,"u":true}],"anon":{"s":null},"odd":1e400}`; string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	v.Name = "changed"
	v.Items[0].N = 2
	b, _ = Marshal(&v)
	if want := `{"name":"changed","items":[{"n":2,"u":true}],"anon":{"s":null},"odd":1e400}`; string(b) != want {
		t.Fatalf("after changes: got  %s\nwant %s", b, want)
	}
	if u := Undeclared(&v); len(u) != 1 || string(u["odd"]) != "1e400" {
		t.Fatalf("Undeclared = %v", u)
	}
}
