package decode

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/gensupport"
)

// Lossless models (issue 15; docs/decoding.md, "Lossless models"): what a
// response held is reachable from the typed value and comes back when the
// value is encoded again.

// roundTrip decodes data into a new typ the way typed methods decode a
// response, encodes the value again and returns the difference between
// the two JSON texts ("" when equal up to key order and null ≡ absent).
func roundTrip(typ reflect.Type, data []byte) (diff string, v reflect.Value, devs []facade.Deviation, err error) {
	v = reflect.New(typ)
	devs, err = gensupport.UnmarshalTolerant(data, v.Interface())
	if err != nil {
		return "", v, devs, err
	}
	out, err := json.Marshal(v.Interface())
	if err != nil {
		return "", v, devs, fmt.Errorf("encoding again: %w", err)
	}
	return jsonDiff(data, out), v, devs, nil
}

// jsonDiff compares two JSON texts: object members in any order, a null
// member the same as an absent one, numbers by their text (so 1.50 and 1.5
// differ), strings by their value. It returns the first difference.
func jsonDiff(want, got []byte) string {
	w, err := decodeNumbers(want)
	if err != nil {
		return "received: " + err.Error()
	}
	g, err := decodeNumbers(got)
	if err != nil {
		return "encoded: " + err.Error()
	}
	return valueDiff("$", w, g)
}

func decodeNumbers(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

func valueDiff(path string, w, g any) string {
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: received an object, encoded %s", path, short(g))
		}
		keys := map[string]bool{}
		for k := range wv {
			keys[k] = true
		}
		for k := range gv {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			a, b := wv[k], gv[k] // absent and null are both nil
			if d := valueDiff(path+"."+k, a, b); d != "" {
				return d
			}
		}
		return ""
	case []any:
		gv, ok := g.([]any)
		if !ok || len(gv) != len(wv) {
			return fmt.Sprintf("%s: received %s, encoded %s", path, short(w), short(g))
		}
		for i := range wv {
			if d := valueDiff(fmt.Sprintf("%s[%d]", path, i), wv[i], gv[i]); d != "" {
				return d
			}
		}
		return ""
	}
	if w != g {
		return fmt.Sprintf("%s: received %s, encoded %s", path, short(w), short(g))
	}
	return ""
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		b = append(b[:77], "..."...)
	}
	return string(b)
}

// Every response example of every spec decodes through the typed path and
// encodes back to what was received.
func TestLosslessExamplesRoundTrip(t *testing.T) {
	var summary []string
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			exs := examples(t, v)
			if len(exs) == 0 {
				t.Fatal("no examples found")
			}
			differ, refused := 0, 0
			for _, ex := range exs {
				diff, _, _, err := roundTrip(ex.typ, ex.data)
				switch {
				case err != nil:
					// Only a body of another kind than the result (the
					// examples that are a bare "OK" or a list where an
					// object is expected) is refused, and not silently.
					if !strings.Contains(err.Error(), facade.ErrWrongShape.Error()) {
						t.Errorf("%s %s: %v", ex.op, ex.name, err)
					}
					refused++
				case diff != "":
					differ++
					t.Errorf("%s %s into %v: %s", ex.op, ex.name, ex.typ, diff)
				}
			}
			summary = append(summary, fmt.Sprintf("%-8s %4d examples: %d differ, %d refused as ErrWrongShape", v.name, len(exs), differ, refused))
		})
	}
	t.Log("\n  " + strings.Join(summary, "\n  "))
}

// The off-spec payloads: what Intercom sends beyond its descriptions.
// Each is decoded as the result of an operation of each version below,
// then encoded again.
var offSpec = []struct {
	name, op string // op: the Go method
	body     string
	// deviations: paths the decode report must list (values of the wrong
	// type, numbers no Go type takes).
	deviations []string
	// members: member paths whose JSON must be reachable from the value
	// (through the JSON field of the object holding them), with the JSON.
	members map[string]string
}{
	{
		name: "explicit zeros", op: "ShowContact",
		body:    `{"type":"contact","id":"c1","external_id":"","email":"","has_hard_bounced":false,"marked_email_as_spam":false,"unsubscribed_from_emails":false,"last_seen_at":0,"signed_up_at":0,"name":"","custom_attributes":{},"avatar":{"type":"avatar","image_url":""}}`,
		members: map[string]string{"has_hard_bounced": `false`, "last_seen_at": `0`, "name": `""`, "avatar.image_url": `""`},
	},
	{
		name: "undeclared members", op: "ShowContact",
		body:    `{"type":"contact","id":"c2","company_id":"co_1","workspace_id":"w","avatar":{"type":"avatar","image_url":"https://example.org/a.png","image_url_2x":"https://example.org/a@2x.png"},"location":{"type":"location","country":"Ireland","geo":{"lat":53.35,"lon":-6.26}},"undeclared_list":[1,{"a":null},"x"]}`,
		members: map[string]string{"company_id": `"co_1"`, "avatar.image_url_2x": `"https://example.org/a@2x.png"`, "location.geo": `{"lat":53.35,"lon":-6.26}`},
	},
	{
		name: "wrong types", op: "ShowContact",
		body:       `{"type":"contact","id":"c3","avatar":"https://example.org/a.png","last_seen_at":"0","created_at":"1700000000","has_hard_bounced":"false","name":42,"location":["Dublin"],"phone":{"number":"+353"}}`,
		deviations: []string{"$.avatar", "$.last_seen_at", "$.created_at", "$.has_hard_bounced", "$.name", "$.location", "$.phone"},
		members:    map[string]string{"avatar": `"https://example.org/a.png"`, "last_seen_at": `"0"`, "location": `["Dublin"]`},
	},
	{
		name: "huge and odd numbers", op: "ShowContact",
		body:       `{"type":"contact","id":"c4","created_at":1e400,"updated_at":1.7345e9,"last_seen_at":-0,"custom_attributes":{"big":1e400,"tiny":1e-400,"price":1.50,"count":10,"nested":{"deep":[1e999,2]}}}`,
		deviations: []string{"$.created_at", `$.custom_attributes.big`, `$.custom_attributes.nested.deep[0]`},
		members:    map[string]string{"created_at": `1e400`, "custom_attributes": `{"big":1e400,"tiny":1e-400,"price":1.50,"count":10,"nested":{"deep":[1e999,2]}}`},
	},
	{
		name: "list: next as a URL, undeclared and mistyped members", op: "ListContacts",
		body:    `{"type":"list","data":[{"type":"contact","id":"a","archived":false,"browser":""},{"type":"contact","id":"b","avatar":"https://example.org/b.png","extra":{"k":[true,null]}}],"total_count":2,"pages":{"type":"pages","page":1,"per_page":2,"total_pages":"1","next":"https://api.intercom.io/contacts?starting_after=WzE3MzQ1MzcyNDMwMDAsImIiXQ=="}}`,
		members: map[string]string{"pages.next": `"https://api.intercom.io/contacts?starting_after=WzE3MzQ1MzcyNDMwMDAsImIiXQ=="`},
	},
	{
		name: "conversation with undeclared statistics", op: "RetrieveConversation",
		body:    `{"type":"conversation","id":"1","company_id":"c","open":false,"read":false,"state":"open","waiting_since":0,"statistics":{"type":"conversation_statistics","time_to_assignment":0,"assigned_team_first_response_time_by_team":[{"team_id":1,"time":10}]},"conversation_parts":{"type":"conversation_part.list","conversation_parts":[{"type":"conversation_part","id":"p","part_type":"comment","redacted":false,"applied_at":5}],"total_count":1}}`,
		members: map[string]string{"company_id": `"c"`, "statistics.assigned_team_first_response_time_by_team": `[{"team_id":1,"time":10}]`},
	},
}

// offSpecVersions are the versions the issue names; the suite runs in each.
var offSpecVersions = []string{"2.7", "2.14", "2.16", "Preview"}

func TestLosslessOffSpecPayloads(t *testing.T) {
	for _, name := range offSpecVersions {
		v := versionNamed(t, name)
		t.Run(name, func(t *testing.T) {
			for _, p := range offSpec {
				typ := v.resultType(t, v.opKey(t, p.op))
				if typ == nil {
					t.Fatalf("%s: no result type", p.op)
				}
				diff, val, devs, err := roundTrip(typ, []byte(p.body))
				if err != nil {
					t.Errorf("%s: %v", p.name, err)
					continue
				}
				if diff != "" {
					t.Errorf("%s: round trip into %v: %s", p.name, typ, diff)
				}
				var paths []string
				for _, d := range devs {
					paths = append(paths, d.Path)
				}
				for _, want := range p.deviations {
					if !slices.Contains(paths, want) {
						t.Errorf("%s: the decode report lacks %s (has %v)", p.name, want, paths)
					}
				}
				for path, want := range p.members {
					got, ok := memberAt(val.Elem(), path)
					if !ok || jsonDiff([]byte(want), got) != "" {
						t.Errorf("%s: member %s: got %s (present %v), want %s", p.name, path, got, ok, want)
					}
				}
			}
		})
	}
}

// memberAt returns the JSON of a member (a.b.c: the member c of the
// object at a.b) through the JSON fields of the typed value v: the typed
// path as far as it goes, then the members as received.
func memberAt(v reflect.Value, path string) (json.RawMessage, bool) {
	names := strings.Split(path, ".")
	for i, name := range names {
		m := v.FieldByName("JSON").Interface().(facade.Members)
		raw, ok := m.Get(name)
		if !ok || i == len(names)-1 {
			return raw, ok
		}
		f, ok := fieldByJSONName(v.Type(), name)
		if !ok || f.Type.Kind() != reflect.Struct {
			// Below the typed structure: walk the raw JSON.
			for _, rest := range names[i+1:] {
				var obj map[string]json.RawMessage
				if json.Unmarshal(raw, &obj) != nil {
					return nil, false
				}
				if raw, ok = obj[rest]; !ok {
					return nil, false
				}
			}
			return raw, true
		}
		v = v.FieldByIndex(f.Index)
	}
	return nil, false
}

// A caller changes typed fields of a decoded value: the changes are sent,
// everything else as received.
func TestLosslessChangesWin(t *testing.T) {
	for _, name := range offSpecVersions {
		v := versionNamed(t, name)
		typ := v.resultType(t, v.opKey(t, "ShowContact"))
		val := reflect.New(typ)
		body := `{"type":"contact","id":"c1","name":"Pat","has_hard_bounced":false,"company_id":"x","avatar":{"type":"avatar","image_url":"u","extra":1}}`
		if _, err := gensupport.UnmarshalTolerant([]byte(body), val.Interface()); err != nil {
			t.Fatal(err)
		}
		e := val.Elem()
		e.FieldByName("Name").SetString("Sam")
		e.FieldByName("HasHardBounced").SetBool(true)
		e.FieldByName("Avatar").FieldByName("ImageURL").SetString("v")
		e.FieldByName("Email").SetString("sam@example.org")
		out, err := json.Marshal(val.Interface())
		if err != nil {
			t.Fatal(err)
		}
		want := `{"type":"contact","id":"c1","name":"Sam","has_hard_bounced":true,"company_id":"x","avatar":{"type":"avatar","image_url":"v","extra":1},"email":"sam@example.org"}`
		if d := jsonDiff([]byte(want), out); d != "" {
			t.Errorf("%s: %s\n got %s", name, d, out)
		}
		// Presence, and the undeclared members.
		m := e.FieldByName("JSON").Interface().(facade.Members)
		if !m.Has("has_hard_bounced") || m.Has("email") {
			t.Errorf("%s: Has: has_hard_bounced %v, email %v", name, m.Has("has_hard_bounced"), m.Has("email"))
		}
		if u := facade.UndeclaredMembers(val.Interface()); len(u) != 1 || string(u["company_id"]) != `"x"` {
			t.Errorf("%s: UndeclaredMembers = %v", name, u)
		}
	}
}

// A request carries explicit false, 0 and "" and a member the description
// lacks, on the wire: typed pointers for the zeros, the JSON field's Set
// for the rest.
func TestLosslessRequestsOnTheWire(t *testing.T) {
	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"type":"contact","id":"c1"}`)
	}))
	defer srv.Close()
	for _, name := range offSpecVersions {
		v := versionNamed(t, name)
		client, err := v.newFunc(facade.WithToken("t"), facade.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		m := v.method(t, v.opKey(t, "UpdateContact"))
		body := reflect.New(m.Type.In(3)).Elem()
		setPtr := func(field string, x any) {
			f := body.FieldByName(field)
			if !f.IsValid() {
				t.Fatalf("%s: no field %s in %v", name, field, body.Type())
			}
			p := reflect.New(f.Type().Elem())
			p.Elem().Set(reflect.ValueOf(x).Convert(f.Type().Elem()))
			f.Set(p)
		}
		setPtr("Name", "")
		setPtr("UnsubscribedFromEmails", false)
		setPtr("LastSeenAt", 0)
		members := body.FieldByName("JSON").Addr().Interface().(*facade.Members)
		for k, x := range map[string]any{"email_verified_at": 0, "x_undeclared": "kept", "language_override": ""} {
			if err := members.Set(k, x); err != nil {
				t.Fatal(err)
			}
		}
		args := []reflect.Value{reflect.ValueOf(client), reflect.ValueOf(context.Background()), reflect.ValueOf("c1"), body, reflect.Zero(m.Type.In(4))}
		out := m.Func.Call(args)
		if err, _ := out[len(out)-1].Interface().(error); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := `{"name":"","unsubscribed_from_emails":false,"last_seen_at":0,"email_verified_at":0,"x_undeclared":"kept","language_override":""}`
		if d := jsonDiff([]byte(want), got); d != "" {
			t.Errorf("%s: sent %s: %s", name, got, d)
		}
	}
}

// A list object where a list of a union is typed (2.7's ListConversations
// answer, whose data items are a union), below the top level: the
// decode unwraps it (reported), and encoding the value writes the object
// back as received, as for any member the typed field could not take as
// it was.
func TestLosslessUnwrappedUnionList(t *testing.T) {
	v := versionNamed(t, "2.7")
	typ := v.resultType(t, v.opKey(t, "ListConversations"))
	for _, body := range []string{
		`{"type":"list","data":{"things":[{"id":"a1"}]}}`,
		`{"type":"list","total_count":1,"data":{"highlights":[{"article_id":"a1","highlighted_summary":[[{"type":"plain","text":"x"},null]]}]}}`,
	} {
		diff, _, devs, err := roundTrip(typ, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if diff != "" {
			t.Errorf("round trip into %v: %s\ninput %s", typ, diff, body)
		}
		if !slices.ContainsFunc(devs, func(d facade.Deviation) bool { return d.Path == "$.data" && d.Action == facade.Unwrapped }) {
			t.Errorf("deviations %v, want $.data unwrapped", devs)
		}
	}
}
