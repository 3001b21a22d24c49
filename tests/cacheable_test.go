package tests

import (
	"go/ast"
	"go/parser"
	"go/token"
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
	starters := map[string]bool{ // package.function calls that start a process
		"os.StartProcess": true, "syscall.Exec": true, "syscall.ForkExec": true, "syscall.StartProcess": true,
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
		callsInto := false // imports a package of starters
		for _, imp := range file.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "os/exec" || p == "plugin" {
				t.Errorf("%s imports %s: the library's tests run with Go's test cache, which cannot see what a started process reads; "+
					"move the test to the tests module (which runs with -count=1)", f, p)
			}
			callsInto = callsInto || p == "os" || p == "syscall"
		}
		if !callsInto {
			continue
		}
		if file, err = parser.ParseFile(fset, filepath.Join(root, f), nil, parser.SkipObjectResolution); err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && starters[id.Name+"."+sel.Sel.Name] {
					t.Errorf("%s: %s calls %s.%s: the library's tests run with Go's test cache, which cannot see what a started process reads",
						f, fset.Position(sel.Pos()), id.Name, sel.Sel.Name)
				}
			}
			return true
		})
	}
	if checked < 100 {
		t.Fatalf("checked %d Go files of the library's module: the listing is broken", checked)
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
