package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// This file loads a caller's module and type-checks it twice: as it is
// (against FROM) and with every import of FROM's packages answered by TO's.
// The second check's errors are exactly what `go build` reports after the
// import change, because both run the same type checker over the same
// source; the first check says which FROM symbol each error site uses.
//
// Dependencies come from the compiler's export data (`go list -export`), as
// `go build` sees them, so only the caller's own packages are parsed.

// program is the caller's module, checked against both versions.
type program struct {
	dir      string
	fset     *token.FileSet
	fromPath string
	toPath   string
	fromPkg  *types.Package
	toPkg    *types.Package
	fromOps  []opInfo
	toOps    []opInfo
	local    []*localPackage // in dependency order
	toErrors []types.Error
}

// localPackage is one package of the caller's module.
type localPackage struct {
	path     string
	files    []*ast.File
	imports  map[string]string // import path as written → package path
	fromInfo *types.Info
	toInfo   *types.Info
	fromPkg  *types.Package
	toPkg    *types.Package
}

// exportUniverse reads dependencies from export data into one shared map,
// so that a type reached through two packages is one type.
type exportUniverse struct {
	fset    *token.FileSet
	exports map[string]string
	pkgs    map[string]*types.Package
}

func (u *exportUniverse) load(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p := u.pkgs[path]; p != nil && p.Complete() {
		return p, nil
	}
	file, ok := u.exports[path]
	if !ok || file == "" {
		return nil, fmt.Errorf("no export data for %s", path)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// go/packages reads the files of `go list -export` the same way.
	//lint:ignore SA1019 NewReader still reads every export file go list writes.
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("export data of %s: %w", path, err)
	}
	return gcexportdata.Read(r, u.fset, u.pkgs, path)
}

// loadProgram loads the module in dir and checks it against both versions.
func loadProgram(dir, from, to string, patterns ...string) (*program, error) {
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	p := &program{dir: dir, fset: token.NewFileSet(), fromPath: packagePath(from), toPath: packagePath(to)}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedDeps | packages.NeedExportFile | packages.NeedModule,
		Dir: dir,
	}
	roots, err := packages.Load(cfg, append(slices.Clone(patterns), p.fromPath, p.toPath)...)
	if err != nil {
		return nil, fmt.Errorf("load the module in %s: %w", dir, err)
	}
	u := &exportUniverse{fset: p.fset, exports: map[string]string{}, pkgs: map[string]*types.Package{}}
	var problems []string
	packages.Visit(roots, nil, func(pkg *packages.Package) {
		u.exports[pkg.PkgPath] = pkg.ExportFile
	})
	byPath := map[string]*packages.Package{}
	var locals []*packages.Package
	for _, r := range roots {
		for _, e := range r.Errors {
			msg := e.Error()
			if r.PkgPath == p.toPath || r.PkgPath == p.fromPath {
				msg += " (does the module's version of github.com/apipin/intercom have this Intercom-Version? `go get github.com/apipin/intercom@latest`)"
			}
			problems = append(problems, msg)
		}
		switch {
		case r.PkgPath == p.fromPath || r.PkgPath == p.toPath:
			goFiles := r.GoFiles
			ops, err := readOperations(goFiles)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", r.PkgPath, err))
			}
			if r.PkgPath == p.fromPath {
				p.fromOps = ops
			} else {
				p.toOps = ops
			}
		case r.Module != nil && r.Module.Main && p.dependsOnFrom(r, map[string]bool{}):
			// Only the packages that use FROM (directly or through another)
			// change; the others are read from export data, as
			// dependencies are.
			locals = append(locals, r)
			byPath[r.PkgPath] = r
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("the module in %s does not load:\n  %s", dir, strings.Join(problems, "\n  "))
	}
	if len(locals) == 0 {
		return nil, fmt.Errorf("no package of the module at %s (%s) imports %s", dir, strings.Join(patterns, " "), p.fromPath)
	}
	if p.fromPkg, err = u.load(p.fromPath); err != nil {
		return nil, err
	}
	if p.toPkg, err = u.load(p.toPath); err != nil {
		return nil, err
	}
	ordered := topoSort(locals, byPath)
	checkedFrom := map[string]*types.Package{}
	checkedTo := map[string]*types.Package{}
	for _, lp := range ordered {
		l := &localPackage{path: lp.PkgPath, imports: map[string]string{}}
		for imp, dep := range lp.Imports {
			l.imports[imp] = dep.PkgPath
		}
		files := lp.CompiledGoFiles
		if len(files) == 0 {
			files = lp.GoFiles
		}
		for _, name := range files {
			f, err := parser.ParseFile(p.fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				return nil, err
			}
			l.files = append(l.files, f)
		}
		goVersion := ""
		if lp.Module != nil && lp.Module.GoVersion != "" {
			goVersion = "go" + lp.Module.GoVersion
		}
		var fromErrs []types.Error
		l.fromInfo = newInfo()
		l.fromPkg = checkPackage(p.fset, l, goVersion, l.fromInfo, func(path string) (*types.Package, error) {
			if c := checkedFrom[path]; c != nil {
				return c, nil
			}
			return u.load(path)
		}, &fromErrs)
		if len(fromErrs) > 0 {
			return nil, fmt.Errorf("%s does not compile against %s as it is; fix that first:\n  %s",
				lp.PkgPath, p.fromPath, p.errorLines(fromErrs, 5))
		}
		checkedFrom[lp.PkgPath] = l.fromPkg
		l.toInfo = newInfo()
		var toErrs []types.Error
		l.toPkg = checkPackage(p.fset, l, goVersion, l.toInfo, func(path string) (*types.Package, error) {
			if c := checkedTo[path]; c != nil {
				return c, nil
			}
			if path == p.fromPath {
				return u.load(p.toPath)
			}
			if rest, ok := strings.CutPrefix(path, p.fromPath+"/"); ok {
				tp := p.toPath + "/" + rest
				if _, ok := u.exports[tp]; !ok {
					return nil, fmt.Errorf("%s has no package %s", p.toPath, rest)
				}
				return u.load(tp)
			}
			return u.load(path)
		}, &toErrs)
		checkedTo[lp.PkgPath] = l.toPkg
		p.toErrors = append(p.toErrors, toErrs...)
		p.local = append(p.local, l)
	}
	return p, nil
}

func newInfo() *types.Info {
	return &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
}

// checkPackage type-checks l's files, resolving imports (as written) with
// load, and appends every error to errs.
func checkPackage(fset *token.FileSet, l *localPackage, goVersion string, info *types.Info,
	load func(string) (*types.Package, error), errs *[]types.Error) *types.Package {
	cfg := &types.Config{
		GoVersion: goVersion,
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if resolved, ok := l.imports[path]; ok {
				path = resolved
			}
			return load(path)
		}),
		Sizes: types.SizesFor("gc", runtime.GOARCH),
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				*errs = append(*errs, te)
			}
		},
	}
	pkg, _ := cfg.Check(l.path, fset, l.files, info)
	return pkg
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// dependsOnFrom reports whether pkg imports FROM's package (or one below
// it), directly or through other packages; FROM's packages themselves do
// not count (they are what is swapped).
func (p *program) dependsOnFrom(pkg *packages.Package, memo map[string]bool) bool {
	if p.isFrom(pkg.PkgPath) || p.isTo(pkg.PkgPath) {
		return false
	}
	if done, ok := memo[pkg.PkgPath]; ok {
		return done
	}
	memo[pkg.PkgPath] = false
	for _, dep := range pkg.Imports {
		if p.isFrom(dep.PkgPath) || p.dependsOnFrom(dep, memo) {
			memo[pkg.PkgPath] = true
			return true
		}
	}
	return false
}

func (p *program) isFrom(path string) bool {
	return path == p.fromPath || strings.HasPrefix(path, p.fromPath+"/")
}

func (p *program) isTo(path string) bool {
	return path == p.toPath || strings.HasPrefix(path, p.toPath+"/")
}

// topoSort orders the module's packages so that each comes after the
// packages it imports.
func topoSort(locals []*packages.Package, byPath map[string]*packages.Package) []*packages.Package {
	var out []*packages.Package
	seen := map[string]bool{}
	var visit func(p *packages.Package)
	visit = func(p *packages.Package) {
		if seen[p.PkgPath] {
			return
		}
		seen[p.PkgPath] = true
		deps := make([]string, 0, len(p.Imports))
		for _, d := range p.Imports {
			deps = append(deps, d.PkgPath)
		}
		slices.Sort(deps)
		for _, d := range deps {
			if lp := byPath[d]; lp != nil {
				visit(lp)
			}
		}
		out = append(out, p)
	}
	sorted := slices.Clone(locals)
	slices.SortFunc(sorted, func(a, b *packages.Package) int { return strings.Compare(a.PkgPath, b.PkgPath) })
	for _, p := range sorted {
		visit(p)
	}
	return out
}

// position names a place in the caller's module as `go build` does:
// relative to the module's directory.
func (p *program) position(pos token.Pos) token.Position {
	position := p.fset.Position(pos)
	if rel, err := filepath.Rel(p.dir, position.Filename); err == nil && !strings.HasPrefix(rel, "..") {
		position.Filename = rel
	}
	return position
}

func (p *program) errorLines(errs []types.Error, limit int) string {
	var lines []string
	for i, e := range errs {
		if i == limit {
			lines = append(lines, fmt.Sprintf("… and %d more", len(errs)-limit))
			break
		}
		pos := p.position(e.Pos)
		lines = append(lines, fmt.Sprintf("%s:%d:%d: %s", pos.Filename, pos.Line, pos.Column, e.Msg))
	}
	return strings.Join(lines, "\n  ")
}

// isVersionObject reports whether obj belongs to the version package at
// root or a package below it.
func isVersionObject(obj types.Object, root string) bool {
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	path := obj.Pkg().Path()
	return path == root || strings.HasPrefix(path, root+"/")
}
