package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestOpKeyIgnoresPlaceholderNames(t *testing.T) {
	if a, b := opKey("get", "/contacts/{id}"), opKey("GET", "/contacts/{contact_id}"); a != b {
		t.Errorf("%q != %q", a, b)
	}
	if a, b := opKey("GET", "/contacts/{id}"), opKey("GET", "/contacts/{id}/tags"); a == b {
		t.Errorf("different paths share key %q", a)
	}
}

// twoPairs is a small made-up history of three versions.
func twoPairs(t *testing.T) ([]versionFacts, *changeSet) {
	t.Helper()
	op := func(method, path string, dep bool) *opFacts {
		return &opFacts{Method: method, Path: path, OperationID: "op" + path, GoMethod: "M", Tags: []string{"T"},
			Deprecated: dep, Signature: "M(ctx context.Context) error"}
	}
	facts := []versionFacts{
		{Version: "1", Ops: map[string]*opFacts{
			opKey("GET", "/a"): op("GET", "/a", false), opKey("GET", "/c"): op("GET", "/c", false),
			opKey("GET", "/d/{id}"): op("GET", "/d/{id}", false), opKey("GET", "/e"): op("GET", "/e", false),
		}},
		{Version: "2", Ops: map[string]*opFacts{
			opKey("GET", "/a"): op("GET", "/a", false), opKey("GET", "/b"): op("GET", "/b", false),
			opKey("GET", "/c"): op("GET", "/c", false), opKey("GET", "/d/{d_id}"): op("GET", "/d/{d_id}", true),
			opKey("GET", "/e"): op("GET", "/e", false),
		}},
		{Version: "3", Ops: map[string]*opFacts{
			opKey("GET", "/a"): op("GET", "/a", false), opKey("GET", "/b"): op("GET", "/b", false),
			opKey("GET", "/d/{d_id}"): op("GET", "/d/{d_id}", true), opKey("GET", "/e"): op("GET", "/e", false),
		}},
	}
	reports := []diffReport{
		{From: "1", To: "2", Summary: json.RawMessage(`{"x": 1}`)},
		{From: "2", To: "3", Summary: json.RawMessage(`{}`)},
	}
	add := func(r *diffReport, level, method, path string) {
		r.Spec = append(r.Spec, struct {
			Level, Kind, Rule, Text   string
			Method, Path, OperationID string
		}{Level: level, Kind: "response", Rule: "rule", Text: "the same sentence", Method: method, Path: path})
	}
	addGo := func(r *diffReport, level, symbol, path string) {
		r.Go = append(r.Go, struct {
			Level, Symbol, Change, From, To, Note string
			Method, Path, OperationID             string
			Layer                                 string
			Fields                                []string
		}{Level: level, Symbol: symbol, Change: "changed", From: "func()", To: "func(int)", Method: "GET", Path: path})
	}
	add(&reports[0], "breaking", "GET", "/a")          // a: breaking in 2
	add(&reports[0], "non-breaking", "GET", "/d/{id}") // d: changed in 2 (spelled as in 1)
	add(&reports[0], "non-breaking", "", "")           // tied to no operation
	add(&reports[1], "non-breaking", "GET", "/a")      // a: changed in 3
	addGo(&reports[1], "breaking", "(*RawClient).E", "/e")
	cs, err := compactChanges([]string{"1", "2", "3"}, reports)
	if err != nil {
		t.Fatal(err)
	}
	return facts, cs
}

func TestCellStates(t *testing.T) {
	facts, cs := twoPairs(t)
	m, err := buildMatrix(facts, cs)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range m.Rows {
		for _, c := range r.Cells {
			got[r.Path] = append(got[r.Path], c.Mark())
		}
	}
	want := map[string][]string{
		"/a": {"●", "!", "Δ"},
		"/b": {"", "+", "="},
		"/c": {"●", "=", "×"},
		// One row for /d/{id} and /d/{d_id}, shown with the latest spelling.
		"/d/{d_id}": {"●", "Δ†", "=†"},
		// A breaking change of the raw client alone still makes the cell breaking.
		"/e": {"●", "=", "!"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("marks:\n got %v\nwant %v", got, want)
	}
	for _, r := range m.Rows {
		if r.Path == "/d/{d_id}" && r.ID != "get-d-id" {
			t.Errorf("the permalink of /d follows the first spelling: got %q", r.ID)
		}
	}
	if len(m.Groups) != 1 || m.Groups[0].Tag != "T" || len(m.Groups[0].Rows) != 5 {
		t.Errorf("groups: %+v", m.Groups)
	}
}

func TestBuildMatrixRefusesStaleChanges(t *testing.T) {
	facts, cs := twoPairs(t)
	cs.Versions = []string{"1", "2"}
	if _, err := buildMatrix(facts, cs); err == nil || !strings.Contains(err.Error(), "make generate") {
		t.Errorf("versions that differ: err = %v", err)
	}
	facts, cs = twoPairs(t)
	cs.Pairs[0].Ops = append(cs.Pairs[0].Ops, opChanges{Key: opKey("GET", "/gone")})
	if _, err := buildMatrix(facts, cs); err == nil || !strings.Contains(err.Error(), "/gone") {
		t.Errorf("changes for an operation no version has: err = %v", err)
	}
}

func TestChangesRoundTrip(t *testing.T) {
	_, cs := twoPairs(t)
	if n := strings.Count(strings.Join(cs.Strings, "\n"), "the same sentence"); n != 1 {
		t.Errorf("a repeated sentence is stored %d times", n)
	}
	if cs.Pairs[0].Unattached.Spec != 1 {
		t.Errorf("unattached: %+v", cs.Pairs[0].Unattached)
	}
	if g := cs.Pairs[1].Ops[1].Go; len(g) != 1 || g[0][6] != 1 {
		t.Errorf("(*RawClient).E is not marked raw: %v", cs.Pairs[1].Ops)
	}
	data, err := encodeChanges(cs)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeChanges(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, cs) {
		t.Errorf("decode(encode(x)) != x")
	}
	if _, err := decodeChanges([]byte("window.X = {};\n")); err == nil {
		t.Error("a file without the generated header was read")
	}
}

func TestRawSymbol(t *testing.T) {
	for sym, raw := range map[string]bool{
		"(*Client).ShowContact":                                false,
		"(*Client).ListContactsAll":                            false,
		"ShowContactParams":                                    false,
		"NewContact":                                           false,
		"(*RawClient).ShowContact":                             true,
		"ClientInterface.ShowContact":                          true,
		"NewShowContactRequest":                                true,
		"NewCreateContactRequestWithBody":                      true,
		"./raw.(*ClientWithResponses).ShowContactWithResponse": true,
	} {
		if got := rawSymbol.MatchString(sym); got != raw {
			t.Errorf("%s: raw = %v, want %v", sym, got, raw)
		}
	}
}

func TestGoSignatures(t *testing.T) {
	src := `package p

import "context"

type Client struct{}
type Other struct{}

func (c *Client) ShowContact(ctx context.Context, contactID string, params *ShowContactParams) (*Contact, error) { return nil, nil }
func (c *Client) unexported() {}
func (o *Other) ShowContact(ctx context.Context) error { return nil }
func ShowContact() {}
`
	p := filepath.Join(t.TempDir(), "client.gen.go")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := goSignatures(p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ShowContact": "ShowContact(ctx context.Context, contactID string, params *ShowContactParams) (*Contact, error)"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if err := os.WriteFile(p, []byte("package p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := goSignatures(p); err == nil {
		t.Error("a file without Client methods gave no error")
	}
}

// readReports takes intercom-diff's reports only as one per consecutive
// pair, in order.
func TestReadReportsWantsEveryConsecutivePair(t *testing.T) {
	write := func(body string) string {
		p := filepath.Join(t.TempDir(), "reports.json")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	versions := []string{"1", "2", "3"}
	good := write(`[{"from":"1","to":"2","summary":{}},{"from":"2","to":"3","summary":{}}]`)
	if r, err := readReports(good, versions); err != nil || len(r) != 2 || r[1].From != "2" {
		t.Errorf("good reports: %+v, %v", r, err)
	}
	for name, body := range map[string]string{
		"one missing":  `[{"from":"1","to":"2","summary":{}}]`,
		"out of order": `[{"from":"2","to":"3","summary":{}},{"from":"1","to":"2","summary":{}}]`,
		"not JSON":     `# a Markdown report`,
	} {
		if _, err := readReports(write(body), versions); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
