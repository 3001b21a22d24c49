package decode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/tests/internal/members"
)

// deviationCase is a response with one deviation Intercom has been seen to
// make, the payloads written for these tests.
type deviationCase struct {
	name     string
	method   string // Client method to call
	versions []string
	payload  string
	// want is the deviation reported, or zero when the version's type takes
	// the payload as it is.
	want facade.Deviation
	// value is where the decoded value (re-encoded as JSON) must hold got.
	value string
	got   any
	// bodyItems is the NullableItems of the operation's descriptor, for
	// a body that is itself a list: what the scan test, which calls no
	// method, passes (the other tests call the generated method, which
	// passes its descriptor's).
	bodyItems string
	// unwrapped: the typed list arrives in a list object, which the
	// tolerant pass unwraps; the report's path is the received body's,
	// which neither the engine (it refuses the body) nor the spec has, so
	// the scan and spec tests skip the case.
	unwrapped bool
}

var deviationCases = []deviationCase{{
	name: "integer id written as a string", method: "RetrieveConversation", versions: all4,
	payload: `{"type":"conversation","id":"42","admin_assignee_id":"991267","open":true}`,
	want:    facade.Deviation{Path: "$.admin_assignee_id", Expected: "integer", Found: "string", Action: facade.Coerced},
	value:   "admin_assignee_id", got: 991267.0,
}, {
	name: "string id written as a number", method: "RetrieveConversation", versions: all4,
	payload: `{"type":"conversation","id":42,"open":true}`,
	want:    facade.Deviation{Path: "$.id", Expected: "string", Found: "number", Action: facade.Coerced},
	value:   "id", got: "42",
}, {
	name: "avatar object where a string is typed", method: "RetrieveAdmin", versions: all4,
	payload: `{"type":"admin","id":"7","name":"Ana","avatar":{"image_url":"https://static.example/a.png"}}`,
	want:    facade.Deviation{Path: "$.avatar", Expected: "string", Found: "object", Action: facade.KeptAsJSON},
	value:   "avatar", got: `{"image_url":"https://static.example/a.png"}`,
}, {
	name: "pages.next written as a string", method: "ListContacts", versions: all4,
	payload: `{"type":"list","data":[{"type":"contact","id":"c1"}],"pages":{"type":"pages","page":1,"next":"https://api.example/contacts?starting_after=abc"}}`,
	want:    facade.Deviation{Path: "$.pages.next", Expected: "object", Found: "string", Action: facade.Dropped},
	value:   "data.0.id", got: "c1",
}, {
	name: "custom attribute boolean where the union has none", method: "RetrieveConversation", versions: []string{"2.14", "2.16", "Preview"},
	payload: `{"type":"conversation","id":"42","custom_attributes":{"vip":true,"plan":"pro"}}`,
	want:    facade.Deviation{Path: "$.custom_attributes.vip", Expected: "number or string or object", Found: "boolean", Action: facade.KeptAsJSON},
	value:   "custom_attributes.vip", got: true,
}, {
	// 2.7 types a contact's custom_attributes as a free-form object (and
	// its conversations have none): no deviation.
	name: "custom attribute boolean in a free-form object", method: "ShowContact", versions: []string{"2.7"},
	payload: `{"type":"contact","id":"42","custom_attributes":{"vip":true}}`,
	value:   "custom_attributes.vip", got: true,
}, {
	name: "conversations[] where data[] is typed", method: "ListConversations", versions: []string{"2.7"},
	payload: `{"type":"conversation.list","conversations":[{"type":"conversation","id":"1"}],"total_count":1}`,
	want:    facade.Deviation{Path: "$.conversations", Expected: `array under "data"`, Found: "array", Action: facade.Moved},
	value:   "data.0.id", got: "1",
}, {
	name: "data[] where conversations[] is typed", method: "ListConversations", versions: []string{"2.14", "2.16", "Preview"},
	payload: `{"type":"conversation.list","data":[{"type":"conversation","id":"1"}],"total_count":1}`,
	want:    facade.Deviation{Path: "$.data", Expected: `array under "conversations"`, Found: "array", Action: facade.Moved},
	value:   "conversations.0.id", got: "1",
}, {
	name: "bare array where a list object is typed", method: "ListAwayStatusReasons", versions: []string{"2.14", "2.16", "Preview"},
	payload: `[{"type":"away_status_reason","id":"1","label":"On a break","order":1}]`,
	want:    facade.Deviation{Path: "$", Expected: "object", Found: "array", Action: facade.Wrapped},
	value:   "data.0.label", got: "On a break",
}, {
	name: "list object where a bare array is typed", method: "CollectFinVoiceCallsByConversationID", versions: []string{"2.16", "Preview"},
	payload: `{"type":"list","data":[{"id":5,"call_summary":"Asked about a refund"}]}`,
	want:    facade.Deviation{Path: "$", Expected: "array", Found: "object", Action: facade.Unwrapped},
	value:   "0.id", got: 5.0,
}, {
	// Null where the description allows it (nullable: true) reads as
	// absent: no deviation in any mode.
	name: "null in nullable fields", method: "RetrieveConversation", versions: all4,
	payload: `{"type":"conversation","id":"42","title":null,"statistics":null,"teammates":null}`,
	value:   "id", got: "42",
}, {
	name: "null where the description requires an object", method: "RetrieveConversation", versions: all4,
	payload: `{"type":"conversation","id":"42","source":null,"title":null}`,
	want:    facade.Deviation{Path: "$.source", Expected: "object", Found: "null", Action: facade.NullToZero},
	value:   "id", got: "42",
}, {
	name: "null where the description requires a boolean", method: "RetrieveConversation", versions: all4,
	payload: `{"type":"conversation","id":"42","open":null}`,
	want:    facade.Deviation{Path: "$.open", Expected: "boolean", Found: "null", Action: facade.NullToZero},
	value:   "id", got: "42",
}, {
	name: "null where the description requires an object, in a list item", method: "ListContacts", versions: all4,
	payload: `{"type":"list","data":[{"type":"contact","id":"c1"},{"type":"contact","id":"c2","location":null}]}`,
	want:    facade.Deviation{Path: "$.data[1].location", Expected: "object", Found: "null", Action: facade.NullToZero},
	value:   "data.1.id", got: "c2",
}, {
	name: "enum value the description does not list", method: "RetrieveConversation", versions: all4,
	payload: `{"type":"conversation","id":"42","state":"paused"}`,
	want:    facade.Deviation{Path: "$.state", Expected: "a value ConversationState lists", Found: `string "paused"`, Action: facade.Unlisted},
	value:   "state", got: "paused",
}, {
	// Nulls inside arrays and maps whose elements the description types
	// and does not make nullable (the field's nullableitems tag).
	name: "null element in a list of objects", method: "RetrieveConversation", versions: all4,
	payload: `{"type":"conversation","id":"42","tags":{"type":"tag.list","tags":[{"type":"tag","id":"7","name":"urgent-ish"},null]}}`,
	want:    facade.Deviation{Path: "$.tags.tags[1]", Expected: "object", Found: "null", Action: facade.NullToZero},
	value:   "tags.tags.0.name", got: "urgent-ish",
}, {
	name: "null element in a contact's tag references", method: "ShowContact", versions: all4,
	payload: `{"type":"contact","id":"c9","tags":{"type":"list","data":[null,{"type":"tag","id":"3"}]}}`,
	want:    facade.Deviation{Path: "$.tags.data[0]", Expected: "object", Found: "null", Action: facade.NullToZero},
	value:   "tags.data.1.id", got: "3",
}, {
	name: "null value in a map of strings", method: "RetrieveCompany", versions: all4,
	payload: `{"type":"list","data":[{"type":"company","id":"co1","custom_attributes":{"tier":"gold","seats":null}}]}`,
	want:    facade.Deviation{Path: "$.data[0].custom_attributes.seats", Expected: "string", Found: "null", Action: facade.NullToZero},
	value:   "data.0.custom_attributes.tier", got: "gold",
}, {
	name: "null value in a map of unions", method: "RetrieveConversation", versions: []string{"2.14", "2.16", "Preview"},
	payload: `{"type":"conversation","id":"42","custom_attributes":{"plan":"pro","renewal":null}}`,
	want:    facade.Deviation{Path: "$.custom_attributes.renewal", Expected: "number or string or object", Found: "null", Action: facade.NullToZero},
	value:   "custom_attributes.plan", got: "pro",
}, {
	name: "enum value the description does not list, in a list", method: "ListSubscriptionTypes", versions: all4,
	payload: `{"type":"list","data":[{"type":"subscription","id":"5","content_types":["email","carrier_pigeon"]}]}`,
	want:    facade.Deviation{Path: "$.data[0].content_types[1]", Expected: "a value SubscriptionTypeContentTypes lists", Found: `string "carrier_pigeon"`, Action: facade.Unlisted},
	value:   "data.0.content_types.1", got: "carrier_pigeon",
}, {
	name: "null element in a list of enum values", method: "ListSubscriptionTypes", versions: all4,
	payload: `{"type":"list","data":[{"type":"subscription","id":"5","content_types":[null,"email"]}]}`,
	want:    facade.Deviation{Path: "$.data[0].content_types[0]", Expected: "string", Found: "null", Action: facade.NullToZero},
	value:   "data.0.content_types.1", got: "email",
}, {
	name: "null element in a list of lists", method: "SearchArticles", versions: []string{"2.14", "2.16", "Preview"},
	payload: `{"type":"list","total_count":1,"data":{"highlights":[{"article_id":"a1","highlighted_summary":[[{"type":"plain","text":"x"},null]]}]}}`,
	want:    facade.Deviation{Path: "$.data.highlights[0].highlighted_summary[0][1]", Expected: "object", Found: "null", Action: facade.NullToZero},
	value:   "data.highlights.0.article_id", got: "a1",
}, {
	// The description makes a list admin's items nullable: no deviation.
	name: "null element where the items are nullable", method: "ListAdmins", versions: all4,
	payload: `{"type":"admin.list","admins":[null,{"type":"admin","id":"8"}]}`,
	value:   "admins.1.id", got: "8",
}, {
	// A body that is itself a list: its operation's descriptor carries
	// what a field's nullableitems tag would (NullableItems).
	name: "null element in a body that is itself a list", method: "CollectFinVoiceCallsByConversationID", versions: []string{"2.15", "2.16", "Preview"},
	payload: `[{"id":11,"status":"completed"},null]`,
	want:    facade.Deviation{Path: "$[1]", Expected: "object", Found: "null", Action: facade.NullToZero},
	value:   "0.id", got: 11.0, bodyItems: "false",
}, {
	name: "null element in a list object where a bare array is typed", method: "CollectFinVoiceCallsByConversationID", versions: []string{"2.16", "Preview"},
	payload: `{"type":"list","data":[null,{"id":12}]}`,
	want:    facade.Deviation{Path: "$.data[0]", Expected: "object", Found: "null", Action: facade.NullToZero},
	value:   "1.id", got: 12.0, bodyItems: "false", unwrapped: true,
}, {
	// A body that is itself a map of untyped values takes null: no
	// deviation.
	name: "null value in a body that is itself a map of untyped values", method: "CollectProcedureAgentInput", versions: []string{"Preview"},
	payload: `{"answer":null,"attempts":2}`,
	value:   "attempts", got: 2.0,
}}

var all4 = []string{"2.7", "2.14", "2.16", "Preview"}

// serve answers every request with payload.
func serve(t *testing.T, payload string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, payload)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestDeviationsDecodeTolerantly(t *testing.T) {
	for _, c := range deviationCases {
		for _, vn := range c.versions {
			t.Run(vn+"/"+c.name, func(t *testing.T) {
				v := versionNamed(t, vn)
				url := serve(t, c.payload)
				opKey := v.opKey(t, c.method)

				client, err := v.newFunc(facade.WithToken("tok"), facade.WithBaseURL(url), facade.DisableRetries())
				if err != nil {
					t.Fatal(err)
				}
				ctx, report := facade.WithDecodeReport(context.Background())
				result, err := v.call(t, ctx, client, opKey)
				if err != nil {
					t.Fatalf("tolerant call: %v", err)
				}
				if got := valueAt(t, result, c.value); !reflect.DeepEqual(got, c.got) {
					t.Errorf("%s = %#v, want %#v", c.value, got, c.got)
				}
				devs := report.Deviations()
				if c.want == (facade.Deviation{}) {
					if len(devs) != 0 {
						t.Errorf("deviations %v, want none", devs)
					}
				} else if !hasDeviation(devs, c.want) {
					t.Errorf("deviations %v, want %v", devs, c.want)
				}

				strict, err := v.newFunc(facade.WithToken("tok"), facade.WithBaseURL(url), facade.DisableRetries(), facade.WithStrictDecoding())
				if err != nil {
					t.Fatal(err)
				}
				_, err = v.call(t, context.Background(), strict, opKey)
				var derr *facade.DecodeError
				switch {
				case c.want == (facade.Deviation{}) && err != nil:
					t.Errorf("strict call: %v, want success", err)
				case c.want != (facade.Deviation{}) && !errors.As(err, &derr):
					t.Errorf("strict call: %v, want a *DecodeError", err)
				case c.want != (facade.Deviation{}) && !hasDeviation(derr.Deviations, c.want):
					t.Errorf("strict error names %v, want %v", derr.Deviations, c.want)
				}
			})
		}
	}
}

// hasDeviation reports whether devs holds want, whatever the operation.
func hasDeviation(devs []facade.Deviation, want facade.Deviation) bool {
	return slices.ContainsFunc(devs, func(d facade.Deviation) bool {
		return d.Path == want.Path && d.Expected == want.Expected && d.Found == want.Found && d.Action == want.Action
	})
}

// valueAt re-encodes v as JSON and follows a dotted path (array indices
// as numbers) in it.
func valueAt(t *testing.T, v any, path string) any {
	t.Helper()
	b, err := json.Marshal(members.Without(v)) // the typed values, not the members as received
	if err != nil {
		t.Fatal(err)
	}
	var cur any
	if err := json.Unmarshal(b, &cur); err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// opKey finds the operation that a method calls.
func (v version) opKey(t testing.TB, method string) string {
	t.Helper()
	for k, m := range v.methods {
		if m == method {
			return k
		}
	}
	t.Fatalf("%s: no method %s", v.name, method)
	return ""
}
