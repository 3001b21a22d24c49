package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// moduleFailOn maps -fail-on values of -module to the findings that fail:
// compile fails on a site that stops compiling, behaviour on any finding.
var moduleFailOn = map[string]bool{"compile": true, "behaviour": true}

// runModule reviews the caller's module in o.module for a move from one
// version to another. It needs neither the spec files nor a network: the
// facts are embedded and the packages come from the module's own build.
func runModule(o options, fromArg, toArg string, stdout, stderr io.Writer) int {
	from, to, err := resolvePair(fromArg, toArg)
	if err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	facts, err := shippedFacts()
	if err == nil && (facts.Versions[from] == nil || facts.Versions[to] == nil) {
		err = fmt.Errorf("the embedded facts lack %s or %s: regenerate them with `make generate`", from, to)
	}
	if err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	dir, err := filepath.Abs(o.module)
	if err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	var patterns []string
	for _, pat := range strings.Split(o.packages, ",") {
		if pat = strings.TrimSpace(pat); pat != "" {
			patterns = append(patterns, pat)
		}
	}
	p, err := loadProgram(dir, from, to, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	r := analyzeProgram(p, from, to, facts)
	r.Module = o.module
	if o.only != "" {
		r.filter(o.only, facts)
	}
	out := r.Text()
	if o.format == "json" {
		if out, err = r.JSON(); err != nil {
			fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
			return exitError
		}
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	if (o.failOn == "compile" && r.Compile > 0) || (o.failOn == "behaviour" && len(r.Findings) > 0) {
		fmt.Fprintf(stderr, "intercom-diff: -fail-on %s: %s\n", o.failOn, r.SummaryLine())
		return exitFound
	}
	return exitOK
}

// filter keeps the findings of the operations whose operationId, path or
// tag contains only (case-insensitive), and of the models they reach.
func (r *ModuleReport) filter(only string, facts *Facts) {
	match := func(op Op) bool { return opMatches(op, only, facts, r.From) }
	byID := map[string]Op{}
	for _, op := range r.Operations {
		byID[cmpName(op)] = op
	}
	var kept []*Finding
	for _, f := range r.Findings {
		switch {
		case f.Op != nil:
			if match(*f.Op) {
				kept = append(kept, f)
			}
		case f.Model != "":
			// A model shared by several operations: kept when one of them
			// matches.
			for _, id := range r.Models[f.Model] {
				if op, ok := byID[id]; ok && match(op) {
					kept = append(kept, f)
					break
				}
			}
		}
	}
	var ops []Op
	for _, op := range r.Operations {
		if match(op) {
			ops = append(ops, op)
		}
	}
	r.Findings, r.Operations = kept, ops
	if r.Findings == nil {
		r.Findings = []*Finding{}
	}
	if r.Operations == nil {
		r.Operations = []Op{}
	}
	r.count()
}

// opMatches reports whether op's operationId, path or one of its tags (in
// version v's facts) contains only, ignoring case.
func opMatches(op Op, only string, facts *Facts, v string) bool {
	only = strings.ToLower(only)
	if strings.Contains(strings.ToLower(op.OperationID), only) || strings.Contains(strings.ToLower(op.Path), only) {
		return true
	}
	if fo := facts.operation(v, op.Method, op.Path); fo != nil {
		for _, t := range fo.Tags {
			if strings.Contains(strings.ToLower(t), only) {
				return true
			}
		}
	}
	return false
}

// SummaryLine is the one-line count of a module report.
func (r *ModuleReport) SummaryLine() string {
	return fmt.Sprintf("%s → %s: %d site(s) stop compiling, %d behaviour change(s), in the %d operation(s) the program calls",
		r.From, r.To, r.Compile, r.Behaviour, len(r.Operations))
}

// JSON renders the module report for machines.
func (r *ModuleReport) JSON() ([]byte, error) { return indentedJSON(r) }

// Text renders the module report for people: the summary, then one block
// per operation (then per model), compile findings first, each line
// starting with file:line:col so that editors jump to it.
func (r *ModuleReport) Text() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "intercom-diff -module %s %s %s\n%s.\n", r.Module, r.From, r.To, r.SummaryLine())
	type group struct {
		title    string
		op       *Op
		findings []*Finding
	}
	byKey := map[string]*group{}
	for _, f := range r.Findings {
		key, title := "~", "Not tied to one operation"
		switch {
		case f.Op != nil:
			key, title = "0 "+f.Op.Path+" "+f.Op.Method, opHeading(*f.Op)
		case f.Model != "":
			key, title = "1 "+f.Model, "Model "+f.Model
			if ops := r.Models[f.Model]; len(ops) > 0 {
				title += " (reached by " + strings.Join(ops, ", ") + ")"
			}
		}
		g := byKey[key]
		if g == nil {
			g = &group{title: title, op: f.Op}
			byKey[key] = g
		}
		g.findings = append(g.findings, f)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// The one-screen part: a line per operation or model, then the sites.
	for _, k := range keys {
		g := byKey[k]
		compile := 0
		for _, f := range g.findings {
			if f.Kind == "compile" {
				compile++
			}
		}
		fmt.Fprintf(&b, "  %3d compile %3d behaviour  %s\n", compile, len(g.findings)-compile, g.title)
	}
	for _, k := range keys {
		g := byKey[k]
		fmt.Fprintf(&b, "\n%s\n", g.title)
		for _, kind := range []string{"compile", "behaviour"} {
			for _, f := range g.findings {
				if f.Kind != kind {
					continue
				}
				fmt.Fprintf(&b, "  %s: %s: %s\n", f.Pos, f.Kind, f.Message)
			}
		}
	}
	if len(r.Findings) == 0 {
		b.WriteString("\nNothing the program uses changes.\n")
	}
	return b.Bytes()
}

func opHeading(o Op) string {
	s := o.Method + " " + o.Path
	if o.OperationID != "" {
		s += " · " + o.OperationID
	}
	return s
}
