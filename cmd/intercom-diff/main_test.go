package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/spec"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestArgumentErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"2.11", "2.99"}, `unknown Intercom-Version "2.99": this module ships 2.7,`},
		{[]string{"two", "2.13"}, `invalid API version "two"`},
		{[]string{"2.11", "v2.11"}, `"2.11" and "v2.11" both name Intercom-Version 2.11`},
		{[]string{"preview", "Unstable"}, "both name Intercom-Version Preview"},
		{[]string{"2.11"}, "want two versions"},
		{[]string{"-format", "yaml", "2.11", "2.13"}, `-format "yaml"`},
		{[]string{"2.11", "2.13", "--fail-on", "error"}, `-fail-on "error"`},
		{[]string{"-check", "2.11", "2.13"}, "-check, -out and -reports go with -all"},
		{[]string{"-reports", "r.json", "2.11", "2.13"}, "-check, -out and -reports go with -all"},
		{[]string{"-all", "2.11"}, "-all takes no versions"},
	} {
		code, _, stderr := runCLI(tc.args...)
		if code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, exitError, tc.want)
		}
	}
}

func TestResolveVersionAcceptsEverySpelling(t *testing.T) {
	for arg, want := range map[string]string{"2.11": "2.11", "v2.11": "2.11", "preview": "Preview", "Unstable": "Preview"} {
		if got, err := resolveVersion(arg); err != nil || got != want {
			t.Errorf("resolveVersion(%q) = %q, %v; want %q", arg, got, err, want)
		}
	}
}

// shared loads each real version once for all the tests below.
var shared = sync.OnceValue(func() *comparer {
	root, err := spec.ModuleRoot()
	if err != nil {
		panic(err)
	}
	return newComparer(root, true)
})

// opKey identifies an operation as the server does: the names of path
// placeholders are not part of a request, so /a/{id} and /a/{a_id} are one
// operation (oasdiff matches them the same way).
var placeholder = regexp.MustCompile(`\{[^}]*\}`)

func opKey(method, path string) string {
	return strings.ToUpper(method) + " " + placeholder.ReplaceAllString(path, "{}")
}

func operationSet(t *testing.T, version string, normalize bool) map[string]bool {
	t.Helper()
	d, err := specdoc.Load(version)
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, o := range d.Operations() {
		k := o.Method + " " + o.Path
		if normalize {
			k = opKey(o.Method, o.Path)
		}
		set[k] = true
	}
	return set
}

func minus(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func reportedOperations(r *Report, normalize bool) (added, removed []string) {
	for _, c := range r.Spec {
		k := c.Method + " " + c.Path
		if normalize {
			k = opKey(c.Method, c.Path)
		}
		switch {
		case c.Rule == ruleOperationAdded:
			added = append(added, k)
		case operationRemovedRules[c.Rule]:
			removed = append(removed, k)
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	return added, removed
}

// The operations the report says were added and removed from 2.15 to 2.16
// are exactly the set differences of the two operation lists, both ways.
// The report is read as a machine would, from the CLI's JSON.
func TestOperationsAddedAndRemovedMatchTheOperationLists(t *testing.T) {
	code, out, stderr := runCLI("-go=false", "-format", "json", "2.15", "2.16")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	from, to := operationSet(t, "2.15", false), operationSet(t, "2.16", false)
	added, removed := reportedOperations(&r, false)
	if want := minus(to, from); !slices.Equal(added, want) {
		t.Errorf("added: report %d %v\nlists %d %v", len(added), added, len(want), want)
	}
	if want := minus(from, to); !slices.Equal(removed, want) {
		t.Errorf("removed: report %d %v\nlists %d %v", len(removed), removed, len(want), want)
	}
	if r.Summary.OperationsAdded != len(added) || r.Summary.OperationsRemoved != len(removed) {
		t.Errorf("summary counts %d/%d, listed %d/%d", r.Summary.OperationsAdded, r.Summary.OperationsRemoved, len(added), len(removed))
	}
	if len(added) == 0 {
		t.Error("no operation added from 2.15 to 2.16: the comparison is vacuous")
	}
}

// For every consecutive pair the same holds once path placeholders are
// normalised: a placeholder renamed ({id} → {contact_id}) changes no
// request, so it is reported neither as a removal nor as an addition.
func TestOperationsMatchForEveryConsecutivePair(t *testing.T) {
	c := shared()
	for _, p := range consecutivePairs() {
		base, err := c.spec(p[0])
		if err != nil {
			t.Fatal(err)
		}
		revision, err := c.spec(p[1])
		if err != nil {
			t.Fatal(err)
		}
		changes, err := specChanges(base, revision, p[0], p[1])
		if err != nil {
			t.Fatal(err)
		}
		added, removed := reportedOperations(newReport(p[0], p[1], changes, nil, false), true)
		from, to := operationSet(t, p[0], true), operationSet(t, p[1], true)
		if want := minus(to, from); !slices.Equal(added, want) {
			t.Errorf("%s → %s added: report %v, lists %v", p[0], p[1], added, want)
		}
		if want := minus(from, to); !slices.Equal(removed, want) {
			t.Errorf("%s → %s removed: report %v, lists %v", p[0], p[1], removed, want)
		}
	}
}

// A real version compared with itself has no change at either level.
func TestRealVersionAgainstItselfHasNoChanges(t *testing.T) {
	r, err := shared().compare("2.16", "2.16")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Spec) != 0 || len(r.Go) != 0 {
		t.Fatalf("2.16 against itself: %s", r.SummaryLine())
	}
}

// The Go level on real packages: typed methods that call an operation are
// tied to it, and -fail-on breaking turns breaking changes into exit 1.
func TestRealGoLevel(t *testing.T) {
	r, err := shared().compare("2.15", "2.16")
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Breaking.Go == 0 || r.Summary.NonBreaking.Go == 0 {
		t.Fatalf("Go level found too little: %s", r.SummaryLine())
	}
	byMethod := map[string]Op{}
	for _, v := range []string{"2.15", "2.16"} {
		for _, o := range shared().goSides[v].ops {
			byMethod["(*Client)."+o.GoMethod] = o.Op
		}
	}
	mapped := 0
	for _, c := range r.Go {
		want, ok := byMethod[c.Symbol]
		if !ok {
			continue
		}
		mapped++
		if c.Method != want.Method || c.Path != want.Path {
			t.Errorf("%s tied to %s %s, want %s %s", c.Symbol, c.Method, c.Path, want.Method, want.Path)
		}
	}
	if mapped == 0 {
		t.Error("no typed Client method among the Go changes")
	}

	code, out, stderr := runCLI("2.15", "2.16", "--fail-on", "breaking")
	if code != exitFound || !strings.Contains(stderr, r.SummaryLine()) {
		t.Errorf("--fail-on breaking: exit %d, stderr %q", code, stderr)
	}
	if !bytes.Equal([]byte(out), r.Markdown()) {
		t.Error("the CLI's Markdown differs from a second rendering: output is not deterministic")
	}
	if code, _, stderr := runCLI("2.15", "2.16"); code != exitOK {
		t.Errorf("without --fail-on: exit %d, %s", code, stderr)
	}
}

// The real report quotes none of the descriptions, summaries or titles of
// the two specs it compares (read here with their prose kept).
func TestRealReportCarriesNoProse(t *testing.T) {
	r, err := shared().compare("2.15", "2.16")
	if err != nil {
		t.Fatal(err)
	}
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	reports := []string{string(r.Markdown()), string(js)}
	const w = 25 // shortest line counted as prose
	var prose []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if s, ok := val.(string); ok && (k == "description" || k == "summary" || k == "title") {
					for line := range strings.Lines(s) {
						if line = strings.TrimSpace(line); len(line) >= w {
							prose = append(prose, line)
						}
					}
				}
				walk(val)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, v := range []string{"2.15", "2.16"} {
		d, err := specdoc.Load(v)
		if err != nil {
			t.Fatal(err)
		}
		walk(d.Root)
	}
	if len(prose) < 500 {
		t.Fatalf("only %d prose lines found: the scan is broken", len(prose))
	}
	// Index the lines by their first w bytes and slide a window of that
	// width over each report: one map lookup per byte, not one scan of the
	// report per line.
	byPrefix := map[string][]string{}
	for _, p := range prose {
		byPrefix[p[:w]] = append(byPrefix[p[:w]], p)
	}
	for _, out := range reports {
		for i := 0; i+w <= len(out); i++ {
			for _, p := range byPrefix[out[i:i+w]] {
				if strings.HasPrefix(out[i:], p) {
					t.Fatalf("report quotes spec prose %q", p)
				}
			}
		}
	}
}
