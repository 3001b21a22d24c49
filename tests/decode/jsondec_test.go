package decode

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/tests/internal/members"
)

// internal/jsondec, the engine of the strict fast decode, against
// encoding/json on the generated models: whenever it succeeds, encoding/json
// succeeds with the same value (it may fail where encoding/json succeeds:
// the facade then decodes with encoding/json).

// jsondecDiff describes how jsondec.Unmarshal disagrees with encoding/json
// on data into a new typ, and whether jsondec succeeded.
func jsondecDiff(typ reflect.Type, data []byte) (string, bool) {
	got := reflect.New(typ).Interface()
	if err := jsondec.Unmarshal(data, got); err != nil {
		return "", false
	}
	want := reflect.New(typ).Interface()
	if err := json.Unmarshal(data, want); err != nil {
		return fmt.Sprintf("jsondec succeeded, encoding/json failed: %v", err), true
	}
	if !reflect.DeepEqual(members.Without(want), members.Without(got)) {
		w, _ := json.Marshal(want)
		g, _ := json.Marshal(got)
		return fmt.Sprintf("values differ:\nencoding/json %s\njsondec       %s", w, g), true
	}
	return "", true
}

// Every 2xx example of every spec, into the type its method returns.
func TestExamplesJSONDecMatchesEncodingJSON(t *testing.T) {
	var summary []string
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			exs := examples(t, v)
			decoded, stdOK := 0, 0
			for _, ex := range exs {
				if json.Unmarshal(ex.data, reflect.New(ex.typ).Interface()) == nil {
					stdOK++
				}
				diff, ok := jsondecDiff(ex.typ, ex.data)
				if diff != "" {
					t.Errorf("%s %s into %v: %s", ex.op, ex.name, ex.typ, diff)
				}
				if ok {
					decoded++
				}
			}
			if len(exs) == 0 {
				t.Fatal("no examples found")
			}
			summary = append(summary, fmt.Sprintf("%-8s %4d examples, encoding/json decodes %4d, jsondec %4d, all equal", v.name, len(exs), stdOK, decoded))
		})
	}
	t.Log("\n  " + strings.Join(summary, "\n  "))
}

// The benchmark payloads are decoded by jsondec itself, not left to the
// fallback.
func TestJSONDecDecodesTheBenchmarkPayloads(t *testing.T) {
	for _, p := range benchPayloads {
		diff, ok := jsondecDiff(p.typ, fixture(t, p.file))
		if !ok || diff != "" {
			t.Errorf("%s: decoded %v, %s", p.name, ok, diff)
		}
	}
}

// FuzzJSONDecMatchesEncodingJSON mutates JSON into the fuzz types: when
// jsondec succeeds, encoding/json succeeds with the same value.
func FuzzJSONDecMatchesEncodingJSON(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		typ := fuzzTypes[int(which)%len(fuzzTypes)]
		if diff, _ := jsondecDiff(typ, data); diff != "" {
			t.Fatalf("into %v: %s\ninput %q", typ, diff, data)
		}
	})
}
