// Command intercom-diff reports what changed between two Intercom-Versions,
// breaking changes first, for reviewing an upgrade:
//
//	intercom-diff [flags] FROM TO          e.g. intercom-diff 2.11 2.13
//	intercom-diff -module DIR FROM TO      what changes for the program in DIR
//	intercom-diff -all [-out DIR] [-check] the committed reports of docs/diffs
//	                                       and facts.gen.json
//	  [-reports FILE]                      and the consecutive pairs' JSON
//	                                       reports in FILE, for intercom-site
//
// With -module, the caller's module is type-checked as it is and with
// FROM's package swapped for TO's (module.go): every error of the second
// check is a compile finding, explained by the FROM symbol it uses and its
// counterpart in TO (findings.go); the operations the program calls and
// the response fields it reads are compared in the embedded facts
// (facts.gen.json, behaviour.go). It needs neither the spec files nor a
// network. Its tests run a sample module (testdata/sample, written against
// 2.11) against 2.14, 2.15 and 2.16 with golden output; when the generated
// surface changes, rewrite the sample as the README teaches and run
// `go test -run TestSampleGolden -update`.
//
// The spec level compares the two pinned OpenAPI descriptions (after the
// generator's repairs, without their prose) with oasdiff's checker:
// operations, parameters, request and response fields, enum values, status
// codes. The Go level compares the exported APIs of the two generated
// packages (api/vX) with golang.org/x/exp/apidiff and ties each changed
// symbol to its operation where the generated names allow.
//
// Exit status: 0 when the report was written (and -fail-on found nothing),
// 1 when -fail-on found a change of that level or -check found stale files,
// 2 on a usage error or a failure to load a version.
//
// The command is its own module so that its tool dependencies stay out of
// what users of the client library download; run it from its directory
// (`go -C cmd/intercom-diff run . 2.11 2.13`) or with `make diff`.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apipin/intercom/spec"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitFound = 1 // -fail-on matched, or -check found a difference
	exitError = 2
)

// failOnLevels maps -fail-on values to the least severe level that fails.
var failOnLevels = map[string]Level{
	"breaking": Breaking,
	"warning":  Warning,
	"any":      NonBreaking,
}

type options struct {
	format    string
	failOn    string
	compareGo bool
	all       bool
	check     bool
	out       string
	reports   string
	module    string
	packages  string
	only      string
}

func run(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := flag.NewFlagSet("intercom-diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.format, "format", "markdown", "report format: markdown (for people) or json (for machines)")
	fs.StringVar(&o.failOn, "fail-on", "", "exit 1 when the report has a change of this level or a more severe one: breaking, warning or any")
	fs.BoolVar(&o.compareGo, "go", true, "also compare the generated Go packages (set -go=false to compare the specs only)")
	fs.BoolVar(&o.all, "all", false, "write the report of every pair of consecutive versions, and an index, to -out")
	fs.BoolVar(&o.check, "check", false, "with -all: write nothing, fail when -out differs from a fresh generation")
	fs.StringVar(&o.out, "out", "", "with -all: the directory of the reports (default: docs/diffs of the module)")
	fs.StringVar(&o.reports, "reports", "", "with -all (and -check): also write the JSON report of every pair of consecutive versions to this file, "+
		"a JSON array in version order, each element what --format json prints for the pair (intercom-site -reports reads it)")
	fs.StringVar(&o.module, "module", "", "review your own program: the directory of its Go module; every use site of FROM that changes in TO, file:line:col (-fail-on compile or behaviour)")
	fs.StringVar(&o.packages, "packages", "./...", "with -module: the packages to review, comma-separated patterns relative to the module")
	fs.StringVar(&o.only, "only", "", "keep only the operations whose operationId, path or tag contains this (case-insensitive)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: intercom-diff [flags] FROM TO\n       intercom-diff -module DIR [flags] FROM TO\n       intercom-diff -all [-check] [-out DIR]\n\n"+
			"FROM and TO are Intercom-Versions: 2.11, v2.11, Preview (or Unstable).\n\nflags:\n")
		fs.PrintDefaults()
	}
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if err := o.validate(positional); err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		fs.Usage()
		return exitError
	}
	if o.module != "" {
		return runModule(o, positional[0], positional[1], stdout, stderr)
	}
	root, err := spec.ModuleRoot()
	if err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v (run it inside the repository)\n", err)
		return exitError
	}
	c := newComparer(root, o.compareGo)
	if o.all {
		return runAll(c, o, root, stdout, stderr)
	}
	from, to, err := resolvePair(positional[0], positional[1])
	if err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	r, err := c.compare(from, to)
	if err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	if o.only != "" {
		facts, err := shippedFacts()
		if err != nil {
			fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
			return exitError
		}
		r = r.filter(o.only, facts)
	}
	out := r.Markdown()
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
	if o.failOn != "" && r.HasAtLeast(failOnLevels[o.failOn]) {
		fmt.Fprintf(stderr, "intercom-diff: -fail-on %s: %s\n", o.failOn, r.SummaryLine())
		return exitFound
	}
	return exitOK
}

// parseInterspersed parses flags wherever they stand among the positional
// arguments ("2.11 2.13 --fail-on breaking"), which package flag alone
// stops at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func (o *options) validate(positional []string) error {
	if o.format != "markdown" && o.format != "json" {
		return fmt.Errorf("-format %q: want markdown or json", o.format)
	}
	if o.module != "" {
		if o.all || o.check || o.out != "" || o.reports != "" {
			return errors.New("-module reviews one pair: drop -all, -check, -out and -reports")
		}
		if _, ok := moduleFailOn[o.failOn]; o.failOn != "" && !ok {
			return fmt.Errorf("-fail-on %q with -module: want compile or behaviour", o.failOn)
		}
		if len(positional) != 2 {
			return fmt.Errorf("want two versions, FROM and TO, got %d argument(s)", len(positional))
		}
		return nil
	}
	if _, ok := failOnLevels[o.failOn]; o.failOn != "" && !ok {
		return fmt.Errorf("-fail-on %q: want breaking, warning or any", o.failOn)
	}
	if o.all {
		if len(positional) != 0 {
			return fmt.Errorf("-all takes no versions, got %s", strings.Join(positional, " "))
		}
		if o.only != "" {
			return errors.New("-all writes every report whole: drop -only")
		}
		if !o.compareGo {
			return errors.New("-all writes the committed reports, which include the Go level: drop -go=false")
		}
		return nil
	}
	if o.check || o.out != "" || o.reports != "" {
		return errors.New("-check, -out and -reports go with -all")
	}
	if len(positional) != 2 {
		return fmt.Errorf("want two versions, FROM and TO, got %d argument(s)", len(positional))
	}
	return nil
}

// runAll writes (or, with -check, verifies) the reports of docs/diffs.
func runAll(c *comparer, o options, root string, stdout, stderr io.Writer) int {
	dir := o.out
	if dir == "" {
		dir = filepath.Join(root, "docs", "diffs")
	}
	files, reports, err := renderDocs(c)
	if err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	if o.reports != "" {
		// The same reports as the committed ones, as --format json prints
		// them one pair at a time: the site's changes come from them
		// (make generate, make check-generated), instead of a second run
		// of the comparison.
		data, err := indentedJSON(reports)
		if err == nil {
			err = os.WriteFile(o.reports, data, 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "intercom-diff: -reports: %v\n", err)
			return exitError
		}
	}
	facts, err := buildFacts(c)
	var factsData []byte
	if err == nil {
		factsData, err = encodeFacts(facts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	factsOut := filepath.Join(root, "cmd", "intercom-diff", factsFile)
	if o.check {
		problems, err := checkDocs(dir, files)
		if err != nil {
			fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
			return exitError
		}
		if got, err := os.ReadFile(factsOut); err != nil || !bytes.Equal(got, factsData) {
			problems = append(problems, factsOut+": differs from a fresh generation"+firstDifference(got, factsData))
		}
		if len(problems) > 0 {
			fmt.Fprintf(stderr, "intercom-diff: %s is stale; run `make generate`:\n  %s\n", dir, strings.Join(problems, "\n  "))
			return exitFound
		}
		fmt.Fprintf(stdout, "%s: %d files up to date, and %s\n", dir, len(files), factsFile)
		return exitOK
	}
	if err := os.WriteFile(factsOut, factsData, 0o644); err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	if err := writeDocs(dir, files); err != nil {
		fmt.Fprintf(stderr, "intercom-diff: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "wrote %d files to %s, and %s\n", len(files), dir, factsOut)
	return exitOK
}
