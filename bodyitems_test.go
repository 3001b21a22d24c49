package intercom_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	facade "github.com/apipin/intercom"
	v216 "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/internal/gensupport"
)

// A success body that is itself an array or a map has no struct field to
// carry the nullableitems tag: the operation's descriptor carries it
// (Operation.NullableItems), and its null elements are reported as a
// tagged field's are, through each way a body is decoded: the engine with
// the path scan, the tolerant pass's walk (when something else in the body
// does not fit) and the strict error's walk.

// serveBody answers every request with body as a 200 JSON answer.
func serveBody(t *testing.T, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// nullAt is the report of a null element, at path, whose type takes an
// object.
func nullAt(op, path string) facade.Deviation {
	return facade.Deviation{Operation: op, Path: path, Expected: "object", Found: "null", Action: facade.NullToZero}
}

// sameDeviations compares what callers see of deviations (the unexported
// logging pattern aside).
func sameDeviations(got, want []facade.Deviation) bool {
	return slices.EqualFunc(got, want, func(a, b facade.Deviation) bool {
		return a.Operation == b.Operation && a.Path == b.Path && a.Expected == b.Expected && a.Found == b.Found && a.Action == b.Action
	})
}

// withOperation is devs named for op, as the report names them (a
// DecodeError's deviations are not).
func withOperation(devs []facade.Deviation, op string) []facade.Deviation {
	out := slices.Clone(devs)
	for i := range out {
		if out[i].Operation == "" {
			out[i].Operation = op
		}
	}
	return out
}

func TestNullElementOfArrayBodyReported(t *testing.T) {
	const op = "collectFinVoiceCallsByConversationId"
	for _, c := range []struct {
		name, body string
		want       []facade.Deviation
		// check looks at the tolerant value.
		check func(v216.CollectFinVoiceCallsByConversationIDResult) bool
	}{{
		name: "engine and scan",
		body: `[null, {"id": 31, "status": "ended"}, null]`,
		want: []facade.Deviation{nullAt(op, "$[0]"), nullAt(op, "$[2]")},
		check: func(r v216.CollectFinVoiceCallsByConversationIDResult) bool {
			return len(r) == 3 && r[0].ID == 0 && r[1].ID == 31 && r[1].Status == "ended" && r[2].ID == 0
		},
	}, {
		name: "tolerant walk",
		body: `[{"id": "32", "status": "ringing"}, null]`,
		want: []facade.Deviation{
			{Operation: op, Path: "$[0].id", Expected: "integer", Found: "string", Action: facade.Coerced},
			nullAt(op, "$[1]"),
		},
		check: func(r v216.CollectFinVoiceCallsByConversationIDResult) bool {
			return len(r) == 2 && r[0].ID == 32 && r[0].Status == "ringing" && r[1].ID == 0
		},
	}, {
		name:  "clean",
		body:  `[{"id": 33}]`,
		check: func(r v216.CollectFinVoiceCallsByConversationIDResult) bool { return len(r) == 1 && r[0].ID == 33 },
	}} {
		t.Run(c.name, func(t *testing.T) {
			url := serveBody(t, c.body)
			client, err := v216.New(v216.WithToken("tok"), v216.WithBaseURL(url), v216.DisableRetries())
			if err != nil {
				t.Fatal(err)
			}
			ctx, report := facade.WithDecodeReport(context.Background())
			got, err := client.CollectFinVoiceCallsByConversationID(ctx, "c1", nil)
			if err != nil {
				t.Fatalf("tolerant call: %v", err)
			}
			if !c.check(*got) {
				t.Errorf("decoded %+v", *got)
			}
			if devs := report.Deviations(); !sameDeviations(devs, c.want) {
				t.Errorf("report %v, want %v", devs, c.want)
			}

			strict, err := v216.New(v216.WithToken("tok"), v216.WithBaseURL(url), v216.DisableRetries(), v216.WithStrictDecoding())
			if err != nil {
				t.Fatal(err)
			}
			_, err = strict.CollectFinVoiceCallsByConversationID(context.Background(), "c1", nil)
			var derr *facade.DecodeError
			switch {
			case c.want == nil && err != nil:
				t.Errorf("strict call: %v, want success", err)
			case c.want != nil && !errors.As(err, &derr):
				t.Errorf("strict call: %v, want a *DecodeError", err)
			case c.want != nil && !sameDeviations(withOperation(derr.Deviations, op), c.want):
				t.Errorf("strict error names %v, want %v", derr.Deviations, c.want)
			}
		})
	}
}

// Descriptors made here, for what the generated packages have no
// operation of: the levels of nested arrays, a level that takes null, a
// map body, and a body with no NullableItems (every object body).
func TestBodyItemsLevels(t *testing.T) {
	type call = v216.AiCallResponse
	for _, c := range []struct {
		name, items, body string
		into              func() any
		want              []string // paths reported
	}{
		{"outer level takes null", "true,false", `[null, [null, {"id": 1}], [{"id": 2}, null]]`, func() any { return new([][]call) }, []string{"$[1][0]", "$[2][1]"}},
		{"both levels", "false,false", `[null, [null]]`, func() any { return new([][]call) }, []string{"$[0]", "$[1][0]"}},
		{"walked", "true,false", `[null, [{"id": "3"}, null]]`, func() any { return new([][]call) }, []string{"$[1][0].id", "$[1][1]"}},
		{"map", "false", `{"a": {"id": 4}, "b": null}`, func() any { return new(map[string]call) }, []string{`$.b`}},
		{"map of arrays", "false,false", `{"a": [null], "b": null}`, func() any { return new(map[string][]call) }, []string{`$.a[0]`, `$.b`}},
		{"no descriptor levels", "", `[null, {"id": 5}]`, func() any { return new([]call) }, nil},
		{"elements take null", "true", `[null, {"id": 6}]`, func() any { return new([]call) }, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := serveBody(t, c.body)
			core, err := gensupport.NewCore(facade.MustParseVersion("2.16"), facade.WithToken("tok"), facade.WithBaseURL(url), facade.DisableRetries())
			if err != nil {
				t.Fatal(err)
			}
			op := &gensupport.Operation{ID: "madeHere", Method: "GET", Path: "/made-here", NullableItems: c.items}
			send := func(ctx context.Context) (*http.Response, error) {
				req, err := http.NewRequestWithContext(ctx, "GET", url+"/made-here", nil)
				if err != nil {
					return nil, err
				}
				return core.Doer().Do(req)
			}
			ctx, report := facade.WithDecodeReport(context.Background())
			if err := core.Call(ctx, op, nil, send, c.into()); err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, d := range report.Deviations() {
				paths = append(paths, d.Path)
			}
			if !slices.Equal(paths, c.want) {
				t.Errorf("reported %q, want %q", paths, c.want)
			}
		})
	}
}
