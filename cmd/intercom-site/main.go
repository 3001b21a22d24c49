// Command intercom-site writes the version matrix of docs/site: one row per
// operation (grouped by tag), one column per Intercom-Version, each cell
// saying whether that version added, changed (breaking or not) or removed
// the operation, with the spec and Go changes behind it on click.
//
//	intercom-site            build docs/site from the packages and data/changes.js (make site)
//	intercom-site -collect   first rerun intercom-diff on every consecutive pair into data/changes.js
//	intercom-site -reports FILE  the same, from the reports `intercom-diff -all -reports FILE` wrote (make generate)
//	intercom-site -check     write nothing; fail when docs/site differs (with -collect: data/changes.js too)
//
// The page is plain HTML, CSS and JavaScript that works from file://. The
// command is its own module, like cmd/intercom-diff, so that its test-only
// browser driver stays out of the library's go.mod.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apipin/intercom/spec"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

const (
	exitOK    = 0
	exitStale = 1
	exitError = 2
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("intercom-site", flag.ContinueOnError)
	fs.SetOutput(stderr)
	collect := fs.Bool("collect", false, "rerun intercom-diff on every pair of consecutive versions and rewrite "+changesFile)
	reports := fs.String("reports", "", "like -collect, but read the reports from this file, which `intercom-diff -all -reports FILE` wrote")
	check := fs.Bool("check", false, "write nothing; exit 1 when the site (and, with -collect or -reports, "+changesFile+") is stale")
	out := fs.String("out", "", "the site's directory (default: docs/site of the module)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "intercom-site: unexpected arguments %q\n", fs.Args())
		return exitError
	}
	if *collect && *reports != "" {
		fmt.Fprintf(stderr, "intercom-site: -collect runs intercom-diff, -reports reads its reports: give one\n")
		return exitError
	}
	root, err := spec.ModuleRoot()
	if err != nil {
		fmt.Fprintf(stderr, "intercom-site: %v (run it inside the repository)\n", err)
		return exitError
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(root, "docs", "site")
	}
	files, err := build(ctx, root, dir, *collect, *reports)
	if err != nil {
		fmt.Fprintf(stderr, "intercom-site: %v\n", err)
		return exitError
	}
	if *check {
		stale, err := staleFiles(dir, files)
		if err != nil {
			fmt.Fprintf(stderr, "intercom-site: %v\n", err)
			return exitError
		}
		if len(stale) > 0 {
			fmt.Fprintf(stderr, "intercom-site: %s is stale; run `make generate`:\n  %s\n", dir, strings.Join(stale, "\n  "))
			return exitStale
		}
		fmt.Fprintf(stdout, "%s: %d files up to date\n", dir, len(files))
		return exitOK
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fmt.Fprintf(stderr, "intercom-site: %v\n", err)
			return exitError
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			fmt.Fprintf(stderr, "intercom-site: %v\n", err)
			return exitError
		}
	}
	fmt.Fprintf(stdout, "wrote %d files to %s\n", len(files), dir)
	return exitOK
}

// build returns every generated file of the site. With collect it runs
// intercom-diff for the changes, with reportsFile it reads that run's
// reports from the file; otherwise it reads the changes from dir's
// data/changes.js and returns it unchanged.
func build(ctx context.Context, root, dir string, collect bool, reportsFile string) (map[string][]byte, error) {
	facts, err := loadFacts(root)
	if err != nil {
		return nil, err
	}
	var versions []string
	for _, f := range facts {
		versions = append(versions, f.Version)
	}
	var changesJS []byte
	if collect || reportsFile != "" {
		var reports []diffReport
		if collect {
			reports, err = runDiffs(ctx, root, versions)
		} else {
			reports, err = readReports(reportsFile, versions)
		}
		if err != nil {
			return nil, err
		}
		cs, err := compactChanges(versions, reports)
		if err != nil {
			return nil, err
		}
		if changesJS, err = encodeChanges(cs); err != nil {
			return nil, err
		}
	} else if changesJS, err = os.ReadFile(filepath.Join(dir, filepath.FromSlash(changesFile))); err != nil {
		return nil, fmt.Errorf("%v (run `make generate` to collect the changes)", err)
	}
	cs, err := decodeChanges(changesJS)
	if err != nil {
		return nil, err
	}
	m, err := buildMatrix(facts, cs)
	if err != nil {
		return nil, err
	}
	files, err := renderSite(facts, m)
	if err != nil {
		return nil, err
	}
	files[changesFile] = changesJS
	return files, nil
}

// staleFiles lists the files that differ from what would be generated,
// and the generated-looking files (data/*.js) that would not be.
func staleFiles(dir string, files map[string][]byte) ([]string, error) {
	var stale []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		switch {
		case os.IsNotExist(err):
			stale = append(stale, name+": missing")
		case err != nil:
			return nil, err
		case !bytes.Equal(got, files[name]):
			stale = append(stale, name+": differs")
		}
	}
	extra, err := filepath.Glob(filepath.Join(dir, "data", "*"))
	if err != nil {
		return nil, err
	}
	for _, p := range extra {
		if name := "data/" + filepath.Base(p); files[name] == nil {
			stale = append(stale, name+": not generated any more")
		}
	}
	return stale, nil
}
