// Package fuzz fuzzes the decoding of answers into the newest version's
// most used models, through the same path as the typed methods. It is a
// package of its own so that `go test -fuzz` instruments one version
// package, not eleven.
package fuzz

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	facade "github.com/apipin/intercom"
	api "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/internal/gensupport"
	"github.com/apipin/intercom/tests/conformance/internal/synth"
)

// fuzzVersion is the version whose models are fuzzed: the newest numbered.
const fuzzVersion = api.APIVersion

// decodeModel decodes a 2xx body into one generated model the way a typed
// method does: gensupport.Do on a Core of the version, default options.
type decodeModel struct {
	schema string       // component schema name, for seeds
	typ    reflect.Type // the generated Go type
	decode func(core gensupport.Core, body []byte) (any, error)
}

func model[T any](schema string) decodeModel {
	op := &gensupport.Operation{ID: "decode_" + schema, Method: http.MethodGet, Path: "/" + schema}
	return decodeModel{schema, reflect.TypeFor[T](), func(core gensupport.Core, body []byte) (any, error) {
		return gensupport.Do[T](context.Background(), core, op, nil, func(context.Context) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(bytes.NewReader(body))}, nil
		})
	}}
}

// decodeModels are the resources users handle most (contacts, companies,
// conversations, tickets, admins and the other core objects, with their
// lists) plus every type that four or more 2.16 methods return
// (TestDecodeModelsCoverTheMostReturned keeps that true).
var decodeModels = []decodeModel{
	model[api.Contact]("contact"), model[api.ContactList]("contact_list"),
	model[api.Company]("company"), model[api.CompanyList]("company_list"),
	model[api.Conversation]("conversation"), model[api.ConversationList]("conversation_list"),
	model[api.Ticket]("ticket"), model[api.TicketList]("ticket_list"),
	model[api.Admin]("admin"), model[api.AdminList]("admin_list"),
	model[api.Tag]("tag"), model[api.TagList]("tag_list"),
	model[api.Note]("note"), model[api.NoteList]("note_list"),
	model[api.Article]("article"), model[api.ArticleList]("article_list"),
	model[api.DataAttribute]("data_attribute"), model[api.DataAttributeList]("data_attribute_list"),
	model[api.Segment]("segment"), model[api.SegmentList]("segment_list"),
	model[api.Team]("team"), model[api.TeamList]("team_list"),
	model[api.TicketType]("ticket_type"), model[api.Collection]("collection"),
	model[api.ConversationAttribute]("conversation_attribute"), model[api.ExternalPage]("external_page"),
	// The inline contact that creating, updating, archiving… a contact
	// returns: seeded from the contact schema, whose shape it repeats.
	model[api.CreateContactResult]("contact"),
}

func newDecodeCore(t testing.TB) gensupport.Core {
	core, err := gensupport.NewCore(facade.MustParseVersion(fuzzVersion), facade.WithToken("decode"))
	require.NoError(t, err)
	return core
}

// modelSeeds are, per model, a full answer synthesized from its schema and
// the same answer as a newer server could send it (unknown fields and
// enum values).
func modelSeeds(t testing.TB) map[string][2][]byte {
	d, err := specdoc.Load(fuzzVersion)
	require.NoError(t, err)
	doc, err := d.OpenAPI()
	require.NoError(t, err)
	out := map[string][2][]byte{}
	for _, m := range decodeModels {
		sr := doc.Components.Schemas[m.schema]
		require.NotNil(t, sr, "no schema %s in %s", m.schema, fuzzVersion)
		var pair [2][]byte
		for i, s := range []synth.Synth{{Full: true, Response: true}, {Full: true, Response: true, Unknown: true}} {
			v, err := s.Value(sr)
			require.NoError(t, err, m.schema)
			pair[i], err = json.Marshal(v)
			require.NoError(t, err)
		}
		out[m.schema] = pair
	}
	return out
}

// handSeeds are bodies no schema gives: wrong shapes, nulls, truncation.
var handSeeds = []string{
	`{}`, `null`, `[]`, `""`, `0`, `{"type":null,"id":null}`, `{"id":12345,"type":["x"]}`,
	`{"data":[{"id":1},null,"x"],"pages":{"next":7}}`, `{"data":{"id":"1"}}`, `{"type":"contact","id":"1"`,
	`{"custom_attributes":{"a":[1,{"b":null}]},"tags":{"data":"none"}}`, "\xff\xfe{}",
}

// Any body decodes without a panic; any JSON body decodes without an
// error (the default decoding is tolerant: only a body that is not JSON
// fails). Run with (in tests/): go test ./conformance/fuzz -run '^$' -fuzz FuzzDecodeModels
func FuzzDecodeModels(f *testing.F) {
	seeds := modelSeeds(f)
	for i, m := range decodeModels {
		f.Add(uint8(i), seeds[m.schema][0])
		f.Add(uint8(i), seeds[m.schema][1])
	}
	for i, s := range handSeeds {
		f.Add(uint8(i), []byte(s))
	}
	core := newDecodeCore(f)
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		m := decodeModels[int(which)%len(decodeModels)]
		// Go's fuzzing has no time limit per input: a decode that does not
		// end must fail, so that the input is kept.
		done := make(chan error, 1)
		go func() {
			_, err := m.decode(core, bytes.Clone(body))
			done <- err
		}()
		timer := time.NewTimer(decodeTimeLimit)
		defer timer.Stop()
		select {
		case err := <-done:
			// Valid JSON decodes, unless its top level is of another
			// kind than the model: that is ErrWrongShape, never an empty
			// value passed off as an answer.
			if err != nil && json.Valid(body) && !errors.Is(err, facade.ErrWrongShape) {
				t.Fatalf("%s: valid JSON %q did not decode: %v", m.schema, body, err)
			}
		case <-timer.C:
			t.Fatalf("%s: decoding %d bytes takes more than %v: %q", m.schema, len(body), decodeTimeLimit, body)
		}
	})
}

// decodeTimeLimit is far beyond what decoding a fuzz input takes, even on
// a loaded machine.
const decodeTimeLimit = 10 * time.Second

// A newer server adds fields and enum values: the answer still decodes,
// and keeps what it says, unknown enum values included.
func TestDecodeToleratesUnknownFieldsAndEnums(t *testing.T) {
	seeds := modelSeeds(t)
	core := newDecodeCore(t)
	for _, m := range decodeModels {
		body := seeds[m.schema][1]
		got, err := m.decode(core, bytes.Clone(body))
		if !assert.NoError(t, err, "%s: %s", m.schema, body) {
			continue
		}
		var sent, kept map[string]any
		require.NoError(t, json.Unmarshal(body, &sent))
		data, err := json.Marshal(got)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, &kept))
		assert.Contains(t, sent, synth.UnknownField, "%s: the seed has an unknown field", m.schema)
		for _, k := range slices.Sorted(maps.Keys(sent)) {
			switch v := sent[k].(type) {
			case string, float64, bool:
				if k != synth.UnknownField {
					assert.Equal(t, v, kept[k], "%s.%s", m.schema, k)
				}
			}
		}
	}
}

// The fuzzed models include every type that four or more 2.16 methods
// return, so that the list follows the API's weight.
func TestDecodeModelsCoverTheMostReturned(t *testing.T) {
	counts := map[reflect.Type]int{}
	ct := reflect.TypeFor[*api.Client]()
	for _, o := range api.Operations {
		m, ok := ct.MethodByName(o.GoMethod)
		if ok && m.Type.NumOut() == 2 {
			counts[m.Type.Out(0).Elem()]++
		}
	}
	have := map[reflect.Type]bool{}
	for _, m := range decodeModels {
		have[m.typ] = true
	}
	for typ, n := range counts {
		if n >= 4 {
			assert.True(t, have[typ], "%v is returned by %d methods but not fuzzed", typ, n)
		}
	}
	assert.GreaterOrEqual(t, len(decodeModels), 20)
}
