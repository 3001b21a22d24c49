package tests

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apipin/intercom/spec"
)

// `make test` runs the library module's tests without -count=1, so Go's
// test cache answers for them when nothing changed. That is sound only while
// everything such a test depends on is something the cache tracks: the test
// binary, the files the test process opens or stats, and the environment
// variables it reads. A process the test starts reads files and variables
// the cache never sees, so no file of the library's module (tests and the
// code they call) may start one. The other modules' tests start go, git,
// Prism or Chromium and run with -count=1.
func TestLibraryModuleTestsStartNoProcess(t *testing.T) {
	root, err := spec.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	// Every file git sees: untracked ones are compiled into the tests too.
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	files := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	var nested []string // directories of the other modules, with a trailing slash
	for _, f := range files {
		if filepath.Base(f) == "go.mod" && f != "go.mod" {
			nested = append(nested, filepath.Dir(f)+"/")
		}
	}
	if len(nested) < 5 {
		t.Fatalf("found %d nested modules (%v): the listing is broken", len(nested), nested)
	}
	checked := 0
	fset := token.NewFileSet()
	for _, f := range files {
		if !strings.HasSuffix(f, ".go") || hasAnyPrefix(f, nested) {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(root, f), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range file.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "os/exec" || p == "plugin" {
				t.Errorf("%s imports %s: the library's tests run with Go's test cache, which cannot see what a started process reads; "+
					"move the test to the tests module (which runs with -count=1)", f, p)
			}
		}
		checkNoProcessCalls(t, fset, filepath.Join(root, f), file)
	}
	if checked < 100 {
		t.Fatalf("checked %d Go files of the library's module: the listing is broken", checked)
	}
}

// checkNoProcessCalls fails t if file (parsed with its imports at least)
// calls a function that starts a process.
func checkNoProcessCalls(t *testing.T, fset *token.FileSet, path string, file *ast.File) {
	t.Helper()
	callsInto := false // imports a package of starters
	for _, imp := range file.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		callsInto = callsInto || p == "os" || p == "syscall"
	}
	if !callsInto {
		return
	}
	full, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(full, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && processStarters[id.Name+"."+sel.Sel.Name] {
				t.Errorf("%s: calls %s.%s: these tests run with Go's test cache, which cannot see what a started process reads",
					fset.Position(sel.Pos()), id.Name, sel.Sel.Name)
			}
		}
		return true
	})
}

// processStarters are the package.function calls that start a process.
var processStarters = map[string]bool{
	"os.StartProcess": true, "syscall.Exec": true, "syscall.ForkExec": true, "syscall.StartProcess": true,
}

// `make test` runs the packages of this module listed in the Makefile's
// TESTS_CACHED through Go's test cache too: the same rule holds for every
// package their test binaries link, outside the standard library (whose
// only importer of os/exec there is the fuzzing engine's, used only with
// -fuzz). The rest of this module (this package, which runs go and git, and
// the Prism suite) runs with -count=1.
func TestCachedSuitesStartNoProcess(t *testing.T) {
	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, line := range strings.Split(string(makefile), "\n") {
		if rest, ok := strings.CutPrefix(line, "TESTS_CACHED = "); ok {
			patterns = strings.Fields(rest)
		}
	}
	if len(patterns) == 0 {
		t.Fatal("no TESTS_CACHED line in the Makefile")
	}
	args := append([]string{"list", "-deps", "-test", "-f",
		`{{if not .Standard}}{{.ImportPath}}{{"\t"}}{{.Dir}}{{range .GoFiles}}{{"\t"}}{{.}}{{end}}{{range .CgoFiles}}{{"\t"}}{{.}}{{end}}` +
			`{{range .TestGoFiles}}{{"\t"}}{{.}}{{end}}{{range .XTestGoFiles}}{{"\t"}}{{.}}{{end}}{{end}}`}, patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	fset := token.NewFileSet()
	seen := map[string]bool{}
	var suites []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Split(line, "\t")
		if line == "" || len(fields) < 2 || strings.HasSuffix(fields[0], ".test") {
			continue // a test binary's generated main package (its files are in the build cache)
		}
		if strings.HasPrefix(fields[0], "github.com/apipin/intercom/tests") && !strings.Contains(fields[0], " ") {
			suites = append(suites, fields[0])
		}
		for _, name := range fields[2:] {
			path := filepath.Join(fields[1], name)
			if seen[path] {
				continue
			}
			seen[path] = true
			file, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range file.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if p == "os/exec" || p == "plugin" {
					t.Errorf("%s imports %s, and %s's tests run with Go's test cache, which cannot see what a started process reads: "+
						"remove the package from TESTS_CACHED", path, p, fields[0])
				}
			}
			checkNoProcessCalls(t, fset, path, file)
		}
	}
	if len(suites) < 5 || len(seen) < 100 {
		t.Fatalf("go list gave %d packages of this module (%v) and %d files: the listing is broken", len(suites), suites, len(seen))
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
