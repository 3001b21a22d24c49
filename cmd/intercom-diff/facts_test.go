package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// The embedded facts are facts: every string in them is a name the API or
// the descriptions' structure uses (paths, parameters, enum values,
// schema names, tags), never prose. Tags are the only names with spaces.
func TestFactsCarryNoProse(t *testing.T) {
	f, err := shippedFacts()
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string]bool{}
	for _, v := range f.Versions {
		for _, o := range v.Operations {
			for _, tag := range o.Tags {
				tags[tag] = true
			}
		}
	}
	var raw any
	if err := json.Unmarshal(embeddedFacts, &raw); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "generated" {
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			if strings.Contains(v, " ") && !tags[v] {
				t.Errorf("a string with spaces that is not a tag: %q", v)
			}
			if len(v) > 80 && !strings.HasPrefix(v, "/") {
				t.Errorf("a long string: %q", v)
			}
		}
	}
	walk(raw)
	if len(f.Versions) == 0 || len(f.Schemas) == 0 {
		t.Fatal("the embedded facts are empty")
	}
}

// Every pinned version has facts, and each operation of a version package's
// Operations table is in its version's facts.
func TestFactsCoverEveryOperation(t *testing.T) {
	f, err := shippedFacts()
	if err != nil {
		t.Fatal(err)
	}
	c := shared()
	for _, v := range []string{"2.7", "2.11", "2.16", "Preview"} {
		if err := c.preload([]string{v}); err != nil {
			t.Fatal(err)
		}
		for _, o := range c.goSides[v].ops {
			if f.operation(v, o.Method, o.Path) == nil {
				t.Errorf("%s: %s %s is not in the facts", v, o.Method, o.Path)
			}
		}
	}
}
