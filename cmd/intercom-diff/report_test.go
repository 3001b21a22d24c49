package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sampleReport() *Report {
	spec := []SpecChange{
		{Level: NonBreaking, Kind: "operation", Rule: ruleOperationAdded, Op: Op{Method: "POST", Path: "/b"}, Text: "endpoint added"},
		{Level: Breaking, Kind: "parameter", Rule: "request-parameter-became-required", Op: Op{Method: "GET", Path: "/b"}, Text: "p became required"},
		{Level: Warning, Kind: "parameter", Rule: "request-parameter-removed", Op: Op{Method: "GET", Path: "/a"}, Text: "q removed"},
		{Level: Breaking, Kind: "operation", Rule: "api-path-removed-without-deprecation", Op: Op{Method: "GET", Path: "/gone"}, Text: "api path removed"},
	}
	gos := []GoChange{
		{Level: NonBreaking, Symbol: "(*Client).CreateB", Change: "added", Op: Op{Method: "POST", Path: "/b"}},
		{Level: Breaking, Symbol: "Model.Field", Change: "changed", From: "*int", To: "*string"},
	}
	return newReport("1.0", "1.1", spec, gos, true)
}

func TestSummaryCounts(t *testing.T) {
	s := sampleReport().Summary
	want := Summary{Breaking: Count{Spec: 2, Go: 1}, Warning: Count{Spec: 1}, NonBreaking: Count{Spec: 1, Go: 1},
		OperationsAdded: 1, OperationsRemoved: 1, GoCompared: true}
	if s != want {
		t.Fatalf("summary %+v, want %+v", s, want)
	}
	line := sampleReport().SummaryLine()
	for _, part := range []string{"3 breaking (spec 2, Go 1)", "1 warnings", "2 non-breaking", "1 added, 1 removed"} {
		if !strings.Contains(line, part) {
			t.Errorf("summary line %q lacks %q", line, part)
		}
	}
}

// Breaking changes come first, then warnings, then the rest; within a
// level, operations added or removed, then one entry per operation with
// its spec and Go changes side by side.
func TestMarkdownPutsBreakingChangesFirst(t *testing.T) {
	md := string(sampleReport().Markdown())
	order := []string{
		"**Summary:**",
		"## Breaking changes (3)",
		"### Operations removed (1)", "`GET /gone`",
		"### By operation (spec 1, Go 1)", "#### `GET /b`", "- spec: `request-parameter-became-required`: p became required",
		"#### Not tied to one operation", "- Go: `Model.Field`: changed from `*int` to `*string`",
		"## Possibly breaking changes (warnings) (1)", "q removed",
		"## Non-breaking changes (2)", "### Operations added (1)", "`POST /b`",
		"- Go: `(*Client).CreateB`: added",
	}
	at := 0
	for _, s := range order {
		i := strings.Index(md[at:], s)
		if i < 0 {
			t.Fatalf("%q missing or out of order after byte %d in:\n%s", s, at, md)
		}
		at += i + len(s)
	}
}

func TestEmptyReportSaysNone(t *testing.T) {
	r := newReport("1.0", "1.1", nil, nil, true)
	md := string(r.Markdown())
	if strings.Count(md, "\nNone.\n") != 3 {
		t.Errorf("want None. under each of the three levels:\n%s", md)
	}
	js, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Spec []SpecChange `json:"spec"`
		Go   []GoChange   `json:"go"`
	}
	if err := json.Unmarshal(js, &back); err != nil || back.Spec == nil || back.Go == nil {
		t.Errorf("empty lists must be [] for machines, not null: %s (%v)", js, err)
	}
}

func TestHasAtLeast(t *testing.T) {
	only := func(l Level) *Report {
		return newReport("a", "b", []SpecChange{{Level: l, Rule: "x"}}, nil, false)
	}
	for _, tc := range []struct {
		r         *Report
		threshold Level
		want      bool
	}{
		{only(Breaking), Breaking, true},
		{only(Warning), Breaking, false},
		{only(Warning), Warning, true},
		{only(NonBreaking), Warning, false},
		{only(NonBreaking), NonBreaking, true},
		{newReport("a", "b", nil, nil, false), NonBreaking, false},
		{newReport("a", "b", nil, []GoChange{{Level: Breaking}}, true), Breaking, true},
	} {
		if got := tc.r.HasAtLeast(tc.threshold); got != tc.want {
			t.Errorf("%s: HasAtLeast(%s) = %v, want %v", tc.r.SummaryLine(), tc.threshold, got, tc.want)
		}
	}
}

// -check fails on a missing, a different and a stale file, and passes on a
// directory that matches.
func TestCheckDocs(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{"README.md": []byte("index\n"), "1-to-2.md": []byte("a\nb\n")}
	if err := writeDocs(dir, files); err != nil {
		t.Fatal(err)
	}
	if problems, err := checkDocs(dir, files); err != nil || len(problems) != 0 {
		t.Fatalf("fresh directory: %v %v", problems, err)
	}
	os.WriteFile(filepath.Join(dir, "1-to-2.md"), []byte("a\nc\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "0-to-1.md"), []byte("old\n"), 0o644)
	os.Remove(filepath.Join(dir, "README.md"))
	problems, err := checkDocs(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(problems, "\n")
	for _, want := range []string{`1-to-2.md: differs from a fresh generation (line 2: committed "c", generated "b")`,
		"README.md: missing", "0-to-1.md: not generated any more"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems %q lack %q", got, want)
		}
	}
	// Writing again removes the stale report.
	if err := writeDocs(dir, files); err != nil {
		t.Fatal(err)
	}
	if problems, _ := checkDocs(dir, files); len(problems) != 0 {
		t.Fatalf("after rewrite: %v", problems)
	}
}
