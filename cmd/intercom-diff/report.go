package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Report is everything that changed from one version to another.
type Report struct {
	From    string       `json:"from"`
	To      string       `json:"to"`
	Summary Summary      `json:"summary"`
	Spec    []SpecChange `json:"spec"`
	// Go is nil when the Go level was not compared (-go=false).
	Go []GoChange `json:"go"`
	// Only is the -only filter the report was cut to, if any.
	Only string `json:"only,omitempty"`
}

// filter keeps the changes of the operations whose operationId, path or
// tag (in either version's facts) contains only, and recounts.
func (r *Report) filter(only string, facts *Facts) *Report {
	match := func(o Op) bool {
		return o.Path != "" && (opMatches(o, only, facts, r.From) || opMatches(o, only, facts, r.To))
	}
	var spec []SpecChange
	for _, c := range r.Spec {
		if match(c.Op) {
			spec = append(spec, c)
		}
	}
	var gos []GoChange
	for _, c := range r.Go {
		if match(c.Op) {
			gos = append(gos, c)
		}
	}
	out := newReport(r.From, r.To, spec, gos, r.Summary.GoCompared)
	out.Only = only
	return out
}

// Summary counts the changes of a report.
type Summary struct {
	Breaking          Count `json:"breaking"`
	Warning           Count `json:"warning"`
	NonBreaking       Count `json:"nonBreaking"`
	OperationsAdded   int   `json:"operationsAdded"`
	OperationsRemoved int   `json:"operationsRemoved"`
	GoCompared        bool  `json:"goCompared"`
}

// Count splits a number of changes by level of comparison.
type Count struct {
	Spec int `json:"spec"`
	Go   int `json:"go"`
	// GoRaw is how many of Go are in the raw layer.
	GoRaw int `json:"goRaw"`
}

// Total is the number of changes of both levels.
func (c Count) Total() int { return c.Spec + c.Go }

func (s *Summary) count(l Level) *Count {
	switch l {
	case Breaking:
		return &s.Breaking
	case Warning:
		return &s.Warning
	}
	return &s.NonBreaking
}

// newReport sorts the changes and counts them.
func newReport(from, to string, spec []SpecChange, goChanges []GoChange, goCompared bool) *Report {
	r := &Report{From: from, To: to, Spec: spec, Go: goChanges}
	if r.Spec == nil {
		r.Spec = []SpecChange{}
	}
	if goCompared && r.Go == nil {
		r.Go = []GoChange{}
	}
	slices.SortStableFunc(r.Spec, func(a, b SpecChange) int {
		return cmp.Or(compareLevel(a.Level, b.Level), compareOp(a.Op, b.Op),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Text, b.Text))
	})
	slices.SortStableFunc(r.Go, func(a, b GoChange) int {
		return cmp.Or(compareLevel(a.Level, b.Level), compareOp(a.Op, b.Op),
			cmp.Compare(a.Symbol, b.Symbol), cmp.Compare(a.Change, b.Change))
	})
	r.Summary.GoCompared = goCompared
	for _, c := range r.Spec {
		r.Summary.count(c.Level).Spec++
		switch {
		case c.Rule == ruleOperationAdded:
			r.Summary.OperationsAdded++
		case operationRemovedRules[c.Rule]:
			r.Summary.OperationsRemoved++
		}
	}
	for _, c := range r.Go {
		r.Summary.count(c.Level).Go++
		if c.Layer == "raw" {
			r.Summary.count(c.Level).GoRaw++
		}
	}
	return r
}

func compareLevel(a, b Level) int {
	return cmp.Compare(slices.Index(levels, a), slices.Index(levels, b))
}

// compareOp orders operations by path, then method; changes tied to no
// operation (components, unmapped Go symbols) come last.
func compareOp(a, b Op) int {
	if (a.Path == "") != (b.Path == "") {
		if a.Path == "" {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method))
}

// HasAtLeast reports whether the report holds a change of level l or a
// more severe one.
func (r *Report) HasAtLeast(l Level) bool {
	for _, x := range levels {
		if r.Summary.count(x).Total() > 0 {
			return true
		}
		if x == l {
			return false
		}
	}
	return false
}

// SummaryLine is the one-line count of a report.
func (r *Report) SummaryLine() string {
	s := r.Summary
	part := func(n Count, what string) string {
		if !s.GoCompared {
			return fmt.Sprintf("%d %s", n.Spec, what)
		}
		if n.GoRaw > 0 {
			return fmt.Sprintf("%d %s (spec %d, Go %d of which raw layer %d)", n.Total(), what, n.Spec, n.Go, n.GoRaw)
		}
		return fmt.Sprintf("%d %s (spec %d, Go %d)", n.Total(), what, n.Spec, n.Go)
	}
	return fmt.Sprintf("%s → %s: %s, %s, %s; operations: %d added, %d removed",
		r.From, r.To, part(s.Breaking, "breaking"), part(s.Warning, "warnings"),
		part(s.NonBreaking, "non-breaking"), s.OperationsAdded, s.OperationsRemoved)
}

// JSON renders the report for machines.
func (r *Report) JSON() ([]byte, error) { return indentedJSON(r) }

// indentedJSON encodes a report for machines: indented, with <, > and &
// as they are.
func indentedJSON(r any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// levelTitles head the report's sections.
var levelTitles = map[Level]string{
	Breaking:    "Breaking changes",
	Warning:     "Possibly breaking changes (warnings)",
	NonBreaking: "Non-breaking changes",
}

// Markdown renders the report for people: the summary, then one section per
// level, breaking first; in each, operations added or removed, then the
// spec's other changes and the Go API's changes grouped by operation.
func (r *Report) Markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Intercom-Version %s → %s\n\n", r.From, r.To)
	fmt.Fprintf(&b, "Generated by `intercom-diff %s %s`. Spec level: oasdiff's checker on the pinned "+
		"descriptions after the generator's repairs, without their prose. ", r.From, r.To)
	if r.Summary.GoCompared {
		fmt.Fprintf(&b, "Go level: apidiff between `%s` and `%s`.", shortPackage(r.From), shortPackage(r.To))
	} else {
		b.WriteString("Go level: not compared.")
	}
	b.WriteString(" A spec change is breaking when a client written against the older version may fail against " +
		"the newer; a Go change is breaking when code using the symbol stops compiling. Each operation lists both, " +
		"and the raw layer (oapi-codegen's client, request builders, response parsers) in one line. " +
		"For what changes in your own program, run `intercom-diff -module DIR FROM TO`.")
	if r.Only != "" {
		fmt.Fprintf(&b, "\n\nOnly the operations whose operationId, path or tag contains %q.", r.Only)
	}
	fmt.Fprintf(&b, "\n\n**Summary:** %s.\n", r.SummaryLine())
	for _, l := range levels {
		counts := r.Summary.count(l)
		fmt.Fprintf(&b, "\n## %s (%d)\n", levelTitles[l], counts.Total())
		if counts.Total() == 0 {
			b.WriteString("\nNone.\n")
			continue
		}
		var spec []SpecChange
		var ops []SpecChange
		for _, c := range r.Spec {
			if c.Level != l {
				continue
			}
			if c.Kind == "operation" {
				ops = append(ops, c)
			} else {
				spec = append(spec, c)
			}
		}
		writeOperationChanges(&b, ops)
		var gos []GoChange
		for _, c := range r.Go {
			if c.Level == l {
				gos = append(gos, c)
			}
		}
		writeByOperation(&b, spec, gos)
	}
	return b.Bytes()
}

// writeOperationChanges lists operations added and removed, one line each.
func writeOperationChanges(b *bytes.Buffer, ops []SpecChange) {
	for _, added := range []bool{false, true} {
		var lines []string
		for _, c := range ops {
			if (c.Rule == ruleOperationAdded) == added {
				lines = append(lines, fmt.Sprintf("- %s (`%s`)\n", opTitle(c.Op), c.Rule))
			}
		}
		if len(lines) == 0 {
			continue
		}
		what := "removed"
		if added {
			what = "added"
		}
		fmt.Fprintf(b, "\n### Operations %s (%d)\n\n", what, len(lines))
		b.WriteString(strings.Join(lines, ""))
	}
}

// foldAbove is how many changes of one rule an operation lists in full
// (non-breaking, and the others); more are folded into one line (the JSON
// report has them all).
const (
	foldAbove         = 3
	foldBreakingAbove = 8
)

// writeSpecLines lists an operation's spec changes, folding a rule with
// many changes (2.10 → 2.11 marks thousands of response properties
// required, 2.11 → 2.12 optional again) into one line.
func writeSpecLines(b *bytes.Buffer, spec []SpecChange) {
	perRule := map[string]int{}
	for _, c := range spec {
		perRule[c.Rule]++
	}
	folded := map[string]bool{}
	for _, c := range spec {
		n, limit := perRule[c.Rule], foldAbove
		if c.Level != NonBreaking {
			limit = foldBreakingAbove
		}
		if n <= limit {
			fmt.Fprintf(b, "- spec: `%s`: %s\n", c.Rule, c.Text)
			continue
		}
		if !folded[c.Rule] {
			folded[c.Rule] = true
			fmt.Fprintf(b, "- spec: `%s`: %d changes, such as: %s (all in the JSON report)\n", c.Rule, n, c.Text)
		}
	}
}

// writeGoLines lists an operation's Go changes, folding many added
// symbols (a new operation brings a method, its params and result types,
// their fields) into one line.
func writeGoLines(b *bytes.Buffer, gos []GoChange) {
	var added []string
	for _, c := range gos {
		if c.Level == NonBreaking && c.Change == "added" {
			added = append(added, c.Symbol)
		}
	}
	fold := len(added) > foldAbove
	for _, c := range gos {
		if fold && c.Level == NonBreaking && c.Change == "added" {
			continue
		}
		fmt.Fprintf(b, "- Go: %s\n", goLine(c))
	}
	if fold {
		const most = 6
		more := ""
		if len(added) > most {
			more = fmt.Sprintf(", … (%d in all)", len(added))
			added = added[:most]
		}
		fmt.Fprintf(b, "- Go: added `%s`%s\n", strings.Join(added, "`, `"), more)
	}
}

// writeByOperation writes one entry per operation (then one for the
// changes tied to none): its spec changes and the Go changes they cause,
// side by side, with the raw layer's Go changes folded into one line.
func writeByOperation(b *bytes.Buffer, spec []SpecChange, gos []GoChange) {
	if len(spec)+len(gos) == 0 {
		return
	}
	type entry struct {
		op   Op
		spec []SpecChange
		gos  []GoChange
		raw  []GoChange
	}
	byKey := map[string]*entry{}
	var order []*entry
	get := func(o Op) *entry {
		key := o.Method + " " + o.Path
		e := byKey[key]
		if e == nil {
			e = &entry{op: o}
			byKey[key] = e
			order = append(order, e)
		}
		if e.op.OperationID == "" {
			e.op.OperationID = o.OperationID
		}
		return e
	}
	for _, c := range spec {
		e := get(c.Op)
		e.spec = append(e.spec, c)
	}
	for _, c := range gos {
		e := get(c.Op)
		if c.Layer == "raw" {
			e.raw = append(e.raw, c)
		} else {
			e.gos = append(e.gos, c)
		}
	}
	slices.SortStableFunc(order, func(x, y *entry) int { return compareOp(x.op, y.op) })
	fmt.Fprintf(b, "\n### By operation (spec %d, Go %d)\n", len(spec), len(gos))
	for _, e := range order {
		title := "Not tied to one operation (models, shared types, components)"
		if e.op.Path != "" {
			title = opTitle(e.op)
		}
		fmt.Fprintf(b, "\n#### %s\n\n", title)
		writeSpecLines(b, e.spec)
		writeGoLines(b, e.gos)
		if len(e.raw) > 0 {
			names := make([]string, 0, len(e.raw))
			for _, c := range e.raw {
				names = append(names, c.Symbol)
			}
			const most = 4
			more := ""
			if len(names) > most {
				more = ", … (all in the JSON report, `layer: raw`)"
				names = names[:most]
			}
			fmt.Fprintf(b, "- Go, raw layer: %d symbol(s) (`%s`%s)\n", len(e.raw), strings.Join(names, "`, `"), more)
		}
	}
}

func opTitle(o Op) string {
	s := fmt.Sprintf("`%s %s`", o.Method, o.Path)
	if o.OperationID != "" {
		s += fmt.Sprintf(" · `%s`", o.OperationID)
	}
	return s
}

func goLine(c GoChange) string {
	s := fmt.Sprintf("`%s`: %s", c.Symbol, c.Change)
	if c.From != "" || c.To != "" {
		s += fmt.Sprintf(" from `%s` to `%s`", c.From, c.To)
	}
	if c.Note != "" {
		s += " (" + c.Note + ")"
	}
	if n := len(c.Operations); n > 0 {
		const most = 5
		names := c.Operations
		more := ""
		if n > most {
			names, more = names[:most], fmt.Sprintf(", … (%d in all)", n)
		}
		s += fmt.Sprintf("; used by %s%s", strings.Join(names, ", "), more)
	}
	return s
}

// shortPackage names a version's package relative to the module.
func shortPackage(version string) string {
	return strings.TrimPrefix(packagePath(version), "github.com/apipin/intercom/")
}
