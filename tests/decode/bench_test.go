package decode

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"testing"

	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/internal/gensupport"
	"github.com/apipin/intercom/tests/decode/defaultmodels"
)

// The decoding benchmarks, on 2.16's types. Sub-benchmark names are
// key=value pairs so that benchstat can put the decoders side by side:
//
//	cd tests && go test -run '^$' -bench . -count 10 ./decode > new.txt
//	benchstat -col /decoder new.txt
//
// decoders, the baseline first (benchstat compares with the first column):
//   - encoding-json-default-models: json.Unmarshal into the models as
//     oapi-codegen generates them by default (pointers for every optional
//     field; ./defaultmodels), the baseline of issue 9;
//   - encoding-json: json.Unmarshal into the shipped models (values in
//     response models);
//   - fast: gensupport.Unmarshal into the shipped models, the engine of the
//     strict first step;
//   - tolerant: gensupport.UnmarshalTolerant, what a typed method does by
//     default (the strict step, then the shape check); on these valid
//     payloads it must cost what fast costs.
var benchPayloads = []struct {
	name, file string
	typ        reflect.Type // what the shipped 2.16 client decodes into
	defaultTyp reflect.Type // the same schema in oapi-codegen's default shape
}{
	{"contact", "contact.json", reflect.TypeFor[intercom.Contact](), reflect.TypeFor[defaultmodels.Contact]()},
	{"contacts150", "contacts_page.json", reflect.TypeFor[intercom.ContactList](), reflect.TypeFor[defaultmodels.ContactList]()},
	{"conversation50", "conversation_50.json", reflect.TypeFor[intercom.Conversation](), reflect.TypeFor[defaultmodels.Conversation]()},
}

const baselineDecoder = "encoding-json-default-models"

var benchDecoders = []struct {
	name   string
	decode func([]byte, any) error
}{
	{"encoding-json", json.Unmarshal},
	{"fast", gensupport.Unmarshal},
	{"tolerant", func(data []byte, v any) error {
		_, err := gensupport.UnmarshalTolerant(data, v)
		return err
	}},
}

func BenchmarkDecode(b *testing.B) {
	for _, p := range benchPayloads {
		data := fixture(b, p.file)
		b.Run("payload="+p.name+"/decoder="+baselineDecoder, func(b *testing.B) {
			benchDecode(b, data, p.defaultTyp, json.Unmarshal)
		})
		for _, d := range benchDecoders {
			b.Run("payload="+p.name+"/decoder="+d.name, func(b *testing.B) {
				benchDecode(b, data, p.typ, d.decode)
			})
		}
	}
}

// BenchmarkTolerantPath measures the tolerant pass: the contact page with
// every contact's created_at written as a string, so that the strict step
// fails and every contact is repaired. Its baseline row decodes the clean
// page, for scale.
func BenchmarkTolerantPath(b *testing.B) {
	clean := fixture(b, "contacts_page.json")
	deviant := regexp.MustCompile(`"created_at":(\d+)`).ReplaceAll(clean, []byte(`"created_at":"$1"`))
	if bytes.Equal(clean, deviant) {
		b.Fatal("the page has no created_at to rewrite")
	}
	typ := reflect.TypeFor[intercom.ContactList]()
	b.Run("payload=contacts150/decoder="+baselineDecoder, func(b *testing.B) {
		benchDecode(b, clean, reflect.TypeFor[defaultmodels.ContactList](), json.Unmarshal)
	})
	b.Run("payload=contacts150/decoder=tolerant", func(b *testing.B) {
		devs, err := gensupport.UnmarshalTolerant(deviant, reflect.New(typ).Interface())
		if err != nil || len(devs) != 150 {
			b.Fatalf("%d deviations, error %v; want 150, nil", len(devs), err)
		}
		benchDecode(b, deviant, typ, benchDecoders[2].decode)
	})
}

func benchDecode(b *testing.B, data []byte, typ reflect.Type, decode func([]byte, any) error) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := decode(data, reflect.New(typ).Interface()); err != nil {
			b.Fatal(err)
		}
	}
}
