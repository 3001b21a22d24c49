// Package engines compares candidate JSON decoders on the 2.16 models with
// the payloads of ../testdata. It is a separate module so that the
// candidates that lost never enter the library's go.mod; docs/decoding.md
// has its numbers and the commands that produce them.
package engines

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	sonic "github.com/bytedance/sonic"
	gojson "github.com/goccy/go-json"
	segjson "github.com/segmentio/encoding/json"

	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/internal/gensupport"
	"github.com/apipin/intercom/internal/jsondec"
	"github.com/apipin/intercom/tests/decode/defaultmodels"
)

// engine is one candidate's Unmarshal.
type engine struct {
	name      string
	unmarshal func([]byte, any) error
}

var engines = []engine{
	{"std", json.Unmarshal},
	{"facade", gensupport.Unmarshal},
	{"goccy", gojson.Unmarshal},
	{"goccy-nocopy", func(b []byte, v any) error { return gojson.UnmarshalWithOption(b, v, gojson.DecodeNoCopyString()) }},
	{"jsondec", jsondec.Unmarshal},
	{"sonic-std", sonic.ConfigStd.Unmarshal},
	{"sonic-fast", sonic.ConfigFastest.Unmarshal},
	{"sonic-nocopy", sonicNoCopy.Unmarshal},
	{"segmentio", segjson.Unmarshal},
}

// sonicNoCopy is ConfigStd except that strings refer to the input.
var sonicNoCopy = sonic.Config{EscapeHTML: true, SortMapKeys: true, CompactMarshaler: true, CopyString: false, ValidateString: true}.Froze()

// payload pairs a committed fixture with a type to decode it into: the 2.16
// model as oapi-codegen generates it by default (pointers for optional
// fields), or, with the suffix @values, the model the 2.16 client ships
// (values in response models).
type payload struct {
	file string
	typ  func() any
}

var payloads = []payload{
	{"contact.json", func() any { return new(defaultmodels.Contact) }},
	{"contacts_page.json", func() any { return new(defaultmodels.ContactList) }},
	{"conversation_50.json", func() any { return new(defaultmodels.Conversation) }},
	{"contact.json@values", func() any { return new(intercom.Contact) }},
	{"contacts_page.json@values", func() any { return new(intercom.ContactList) }},
	{"conversation_50.json@values", func() any { return new(intercom.Conversation) }},
}

func read(tb testing.TB, file string) []byte {
	tb.Helper()
	if i := len(file) - len("@values"); i > 0 && file[i:] == "@values" {
		file = file[:i]
	}
	b, err := os.ReadFile(filepath.Join("..", "testdata", file))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Every candidate must give encoding/json's value on the benchmark payloads,
// or its speed is beside the point.
func TestEnginesAgreeWithStd(t *testing.T) {
	for _, p := range payloads {
		data := read(t, p.file)
		want := p.typ()
		if err := json.Unmarshal(data, want); err != nil {
			t.Fatalf("%s: std: %v", p.file, err)
		}
		for _, e := range engines[1:] {
			got := p.typ()
			if err := e.unmarshal(data, got); err != nil {
				t.Errorf("%s: %s: %v", p.file, e.name, err)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s decodes a different value than encoding/json", p.file, e.name)
			}
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, p := range payloads {
		data := read(b, p.file)
		for _, e := range engines {
			b.Run("payload="+p.file+"/engine="+e.name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if err := e.unmarshal(data, p.typ()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
