package decode

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	facade "github.com/apipin/intercom"
	preview "github.com/apipin/intercom/api/preview"
	v2_14 "github.com/apipin/intercom/api/v2.14"
	v2_16 "github.com/apipin/intercom/api/v2.16"
	v2_7 "github.com/apipin/intercom/api/v2.7"
	"github.com/apipin/intercom/internal/gensupport"
	"github.com/apipin/intercom/tests/internal/members"
)

// fuzzTypes are the targets of the fuzzers: the benchmark types, the types
// of the deviation cases, and types with unions, maps and times.
var fuzzTypes = []reflect.Type{
	reflect.TypeFor[v2_16.ContactList](),
	reflect.TypeFor[v2_16.Conversation](),
	reflect.TypeFor[v2_16.Contact](),
	reflect.TypeFor[v2_16.AwayStatusReasonList](),
	reflect.TypeFor[v2_16.CollectFinVoiceCallsByConversationIDResult](),
	reflect.TypeFor[v2_16.ActivityLogList](),
	reflect.TypeFor[v2_14.Conversation](),
	reflect.TypeFor[v2_7.PaginatedResponse](),
	reflect.TypeFor[v2_7.Admin](),
	reflect.TypeFor[preview.ConversationList](),
	reflect.TypeFor[preview.Ticket](),
	reflect.TypeFor[map[string]any](),
	// unions with a discriminator, and a recursive one, in holders
	reflect.TypeFor[v2_16.ContentSearchResponse](),
	reflect.TypeFor[v2_16.SearchRequest](),
}

// fuzzSeeds are payloads of this package: one contact (the larger
// fixtures make the fuzzer spend its time minimizing), the deviation
// cases, and inputs where decoders are known to differ.
func fuzzSeeds(f *testing.F) {
	f.Add(uint8(2), fixture(f, "contact.json"))
	for i, c := range deviationCases {
		f.Add(uint8(i), []byte(c.payload))
	}
	for i, s := range []string{
		`{"ID":"x","Id":"y","id":"z"}`,                       // case-insensitive keys, last wins
		`{"id":"a","id":"b"}`,                                // duplicate keys
		"{\"name\":\"\xff\xfe\"}",                            // invalid UTF-8
		`{"name":"\ud800"}`,                                  // lone surrogate
		`{"total_count":1e3,"data":null}`,                    // exponent into int
		`{"total_count":9223372036854775808}`,                // overflow
		`{"created_at":-0,"open":null}`,                      // negative zero
		`{"custom_attributes":{"a":null,"b":[1],"c":{}}}`,    // union kinds
		`{"data":[null,{"id":"1"},[]]}`,                      // odd elements
		`{"pages":{"next":{"starting_after":null}}}   `,      // trailing space
		`{"type":"list"} {"x":1}`,                            // trailing value
		`{"updated_at":"2024-01-02T03:04:05Z","x":"\u0041"}`, // escapes
		"{\"tags\":{\"tags\":[{\"name\":\"\\u00e9\"}]}}",
		`{"conversation_parts":{"conversation_parts":[{"event_details":{"type":"x"},"author":{"id":"1"}},null]}}`,
		`{"data":[{"type":"article","id":"1"},{"type":"content_snippet"},{"type":7},"x"]}`,
		`{"query":{"operator":"AND","value":[{"field":"a","operator":"=","value":"b"},{"operator":"OR","value":[]}]}}`,
		`[]`, `null`, `"x"`, `0`, `{`, ``,
	} {
		f.Add(uint8(i), []byte(s))
	}
}

// The fast decode and encoding/json agree on every input: on success or
// failure, and on the value.
func FuzzFastMatchesEncodingJSON(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		typ := fuzzTypes[int(which)%len(fuzzTypes)]
		if diff := compareDecoders(typ, data); diff != "" {
			t.Fatalf("into %v: %s\ninput %q", typ, diff, data)
		}
	})
}

// The tolerant pass never panics, and delivers a value for every JSON
// input whose top level is of the kind the type takes: only a body that is
// not JSON, or one it had to drop whole (ErrWrongShape, with that
// deviation reported), is an error. When encoding/json accepts the body
// and nothing deviates, the value is encoding/json's.
func FuzzTolerantDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		typ := fuzzTypes[int(which)%len(fuzzTypes)]
		got := reflect.New(typ).Interface()
		devs, err := gensupport.UnmarshalTolerant(data, got)
		valid := json.Valid(data)
		droppedWhole := slices.ContainsFunc(devs, func(d facade.Deviation) bool { return d.Path == "$" && d.Action == facade.Dropped })
		if droppedWhole != errors.Is(err, facade.ErrWrongShape) {
			t.Fatalf("into %v: body dropped whole %v, error %v\ninput %q", typ, droppedWhole, err, data)
		}
		if valid != (err == nil || droppedWhole) {
			t.Fatalf("into %v: valid JSON %v, error %v\ninput %q", typ, valid, err, data)
		}
		want := reflect.New(typ).Interface()
		if json.Unmarshal(data, want) == nil && len(devs) == 0 && !reflect.DeepEqual(members.Without(got), members.Without(want)) {
			t.Fatalf("into %v: no deviation, yet the value differs from encoding/json's\ninput %q", typ, data)
		}
		for _, d := range devs {
			if d.Path == "" || d.Expected == "" || d.Found == "" || d.Action == "" {
				t.Fatalf("incomplete deviation %+v\ninput %q", d, data)
			}
		}
	})
}

// The tolerant pass loses no member: whatever valid JSON object it decodes
// into a model (values of the wrong type, undeclared members, numbers no
// Go type takes, duplicate or case-folded keys aside), encoding the value
// again gives the object back (key order aside, null ≡ absent). Duplicate
// keys are one member (encoding/json keeps the last), so inputs that
// repeat a key at any depth are left out.
func FuzzTolerantKeepsEveryMember(f *testing.F) {
	fuzzSeeds(f)
	for i, p := range offSpec {
		f.Add(uint8(i), []byte(p.body))
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		typ := fuzzTypes[int(which)%len(fuzzTypes)]
		if typ.Kind() != reflect.Struct || !json.Valid(data) || hasRepeatedKey(data) || bytes.TrimSpace(data)[0] != '{' {
			return
		}
		diff, _, _, err := roundTrip(typ, data)
		if err != nil {
			return // not an object, or not JSON: nothing to keep
		}
		if diff != "" {
			t.Fatalf("into %v: %s\ninput %q", typ, diff, data)
		}
	})
}

// hasRepeatedKey reports whether an object in the valid JSON data repeats
// a key, exactly or under case folding (encoding/json matches fields that
// way: {"ID":1,"id":2} fills one field).
func hasRepeatedKey(data []byte) bool {
	d := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch x := tok.(type) {
		case json.Delim:
			switch x {
			case '{':
				stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
				continue
			case '[':
				stack = append(stack, &frame{})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.object && top.key {
				k := strings.ToLower(x)
				if top.keys[k] {
					return true
				}
				top.keys[k] = true
				top.key = false
				continue
			}
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
	}
}
