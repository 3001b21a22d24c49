// Command apikey prints the API of this module's Go packages: what a program
// compiled against them sees, and what a tool reading their declarations
// and documentation reads; not what only runs.
//
//	cd scripts/apikey && go run . [-C DIR] PATTERN...
//
// (DIR relative to scripts/apikey; a module of its own, as the library's
// module may not start processes: tests/cacheable_test.go).
//
// For every package of the main module that `go list -deps PATTERN...`
// gives (dependencies first), it prints:
//   - each hand-written .go file the package compiles, as go/printer prints
//     it without function bodies and without the values of var and const
//     declarations (and without the comments inside them): every
//     declaration, signature, type and doc comment, as written;
//   - what those values decide, from the package's export data (what the
//     compiler gives importers): the type of every exported package-level
//     name, the value of every exported constant, and the methods of every
//     exported type;
//   - each generated file (a "// Code generated … DO NOT EDIT." header) by
//     its SHA-256: all of it, as type-checking megabytes of generated code
//     for its API alone would cost more than the steps it keys.
//
// scripts/unchanged.sh hashes this for a step's api:DIR:PATS input: a step
// whose outcome depends only on the library's declarations is not rerun
// after an edit of a function body or of a variable's initial value with
// the same type (an edit the go command, which keys dependents on the whole
// compiled package, recompiles everything importing it for).
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
)

func main() {
	dir := flag.String("C", ".", "run go list in `DIR`")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: apikey [-C DIR] PATTERN...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	if err := run(w, *dir, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "apikey:", err)
		os.Exit(1)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "apikey:", err)
		os.Exit(1)
	}
}

// listed is what go list says of a package.
type listed struct {
	ImportPath string
	Dir        string
	Export     string
	GoFiles    []string
	CgoFiles   []string
	Module     *struct{ Main bool }
	Error      *struct{ Err string }
}

func run(w io.Writer, dir string, patterns []string) error {
	// -export: the export data of every package, compiled (or found in the
	// build cache) the way go build compiles it.
	args := append([]string{"list", "-e", "-deps", "-export", "-json=ImportPath,Dir,Export,GoFiles,CgoFiles,Module,Error"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go list: %w", err)
	}
	var pkgs []listed
	exports := map[string]string{}
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("go list output: %w", err)
		}
		exports[p.ImportPath] = p.Export
		pkgs = append(pkgs, p)
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if exports[path] == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(exports[path])
	})
	for _, p := range pkgs {
		if p.Module == nil || !p.Module.Main {
			continue // the module cache and GOROOT: covered by go.sum and go version
		}
		fmt.Fprintf(w, "package %s\n", p.ImportPath)
		if p.Error != nil {
			fmt.Fprintf(w, "error %s\n", p.Error.Err)
		}
		handWritten := false
		for _, name := range append(append([]string(nil), p.GoFiles...), p.CgoFiles...) {
			gen, err := writeFile(w, filepath.Join(p.Dir, name), name)
			if err != nil {
				return err
			}
			handWritten = handWritten || !gen
		}
		if handWritten {
			writeTypes(w, imp, p.ImportPath)
		}
	}
	return nil
}

var generated = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

// writeFile writes a hand-written file's declarations, or a generated
// file's hash; it reports whether the file is generated.
func writeFile(w io.Writer, path, name string) (bool, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		// What the compiler says of it is the package's error; its content
		// is the key.
		fmt.Fprintf(w, "file %s unparsed %x\n", name, sha256.Sum256(src))
		return false, nil
	}
	if m := generated.FindIndex(src); m != nil && m[0] < int(fset.Position(f.Package).Offset) {
		fmt.Fprintf(w, "file %s generated %x\n", name, sha256.Sum256(src))
		return true, nil
	}
	fmt.Fprintf(w, "file %s\n", name)
	declarations(f)
	if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(w, fset, f); err != nil {
		return false, err
	}
	fmt.Fprintln(w)
	return false, nil
}

// declarations strips f to its declarations: function bodies and the values
// of var and const specs go, with the comments inside them.
func declarations(f *ast.File) {
	type span struct{ from, to token.Pos }
	var cut []span
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Body != nil {
				cut = append(cut, span{d.Body.Pos(), d.Body.End()})
				d.Body = nil
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if v, ok := s.(*ast.ValueSpec); ok && len(v.Values) > 0 {
					cut = append(cut, span{v.Values[0].Pos(), v.Values[len(v.Values)-1].End()})
					v.Values = nil
				}
			}
		}
	}
	inside := func(c *ast.CommentGroup) bool {
		for _, s := range cut {
			if c.Pos() >= s.from && c.End() <= s.to {
				return true
			}
		}
		return false
	}
	kept := f.Comments[:0]
	for _, c := range f.Comments {
		if !inside(c) {
			kept = append(kept, c)
		}
	}
	f.Comments = kept
}

// writeTypes writes what the package's export data says of its exported
// names: types, constant values, methods.
func writeTypes(w io.Writer, imp types.Importer, path string) {
	pkg, err := imp.Import(path)
	if err != nil {
		fmt.Fprintf(w, "types error %v\n", err)
		return
	}
	qual := types.RelativeTo(pkg)
	scope := pkg.Scope()
	for _, name := range scope.Names() { // sorted
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		fmt.Fprintf(w, "%s\n", types.ObjectString(obj, qual))
		if c, ok := obj.(*types.Const); ok {
			fmt.Fprintf(w, "\t= %s\n", c.Val().ExactString())
		}
		if t, ok := obj.(*types.TypeName); ok && !t.IsAlias() {
			if n, ok := t.Type().(*types.Named); ok {
				var ms []string
				for i := range n.NumMethods() {
					ms = append(ms, types.ObjectString(n.Method(i), qual))
				}
				sort.Strings(ms)
				for _, m := range ms {
					fmt.Fprintf(w, "\t%s\n", m)
				}
			}
		}
	}
}
