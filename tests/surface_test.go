package tests

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/apipin/intercom/internal/allversions"
	"github.com/apipin/intercom/spec"
)

// A method's arguments depend only on the operation's path parameters and
// whether it takes a body (docs/surface.md): between consecutive versions,
// no method of an operation whose path and body presence did not change
// may change its arguments. An optional parameter Intercom adds is a new
// field of the params struct, never a new argument.
func TestMethodShapeIsStableAcrossVersions(t *testing.T) {
	type shape struct {
		args    int  // arguments after the receiver
		path    int  // path placeholders
		body    bool // takes a body
		present bool
	}
	shapes := func(p allversions.Package) map[string]shape {
		out := map[string]shape{}
		for _, op := range p.Operations {
			m, ok := p.Client.MethodByName(op.GoMethod)
			if !ok {
				t.Fatalf("%s: no method %s", p.Version, op.GoMethod)
			}
			mt := m.Type
			if !mt.IsVariadic() || mt.In(mt.NumIn()-1).Elem().Name() != "CallOption" {
				t.Errorf("%s %s: last argument is not ...CallOption", p.Version, op.GoMethod)
			}
			params := mt.In(mt.NumIn() - 2)
			if params.Kind() != reflect.Pointer || params.Elem().Name() != op.GoMethod+"Params" {
				t.Errorf("%s %s: argument before the options is %v, want *%sParams", p.Version, op.GoMethod, params, op.GoMethod)
			}
			s := shape{args: mt.NumIn() - 1, path: strings.Count(op.Path, "{"), present: true}
			for i := 2 + s.path; i < mt.NumIn()-2; i++ { // In(0) is the receiver, In(1) ctx
				s.body = true // anything between the path values and params is the body
			}
			out[op.GoMethod] = s
			if it, ok := p.Client.MethodByName(op.GoMethod + "All"); ok && it.Type.NumIn() != mt.NumIn() {
				t.Errorf("%s %sAll takes %d arguments, %s %d", p.Version, op.GoMethod, it.Type.NumIn(), op.GoMethod, mt.NumIn())
			}
		}
		return out
	}
	changed, compared := 0, 0
	for i := 1; i < len(allversions.Packages); i++ {
		from, to := allversions.Packages[i-1], allversions.Packages[i]
		a, b := shapes(from), shapes(to)
		for name, sa := range a {
			sb, ok := b[name]
			if !ok {
				continue
			}
			compared++
			if sa.args != sb.args && sa.path == sb.path && sa.body == sb.body {
				changed++
				t.Errorf("%s -> %s: %s takes %d arguments, then %d, with the same path parameters and body", from.Version, to.Version, name, sa.args, sb.args)
			}
		}
	}
	t.Logf("%d method pairs compared over %d versions; %d changed their arguments without a path or body change", compared, len(allversions.Packages), changed)
}

// A body argument is a named type, the schema's own or <Op>Request
// (docs/surface.md), never oapi-codegen's <Op>JSONRequestBody or
// <Op>JSONBody, and no version package declares those names at all.
func TestBodyTypesAreNamedAfterTheirSchema(t *testing.T) {
	bodies := 0
	for _, p := range allversions.Packages {
		for _, op := range p.Operations {
			m, _ := p.Client.MethodByName(op.GoMethod)
			mt := m.Type
			path := strings.Count(op.Path, "{")
			for i := 2 + path; i < mt.NumIn()-2; i++ {
				b := mt.In(i)
				if b.Kind() == reflect.String || b.Kind() == reflect.Interface && b.Name() == "Reader" {
					continue // contentType string, body io.Reader
				}
				bodies++
				if b.Name() == "" || b.PkgPath() != p.Client.Elem().PkgPath() {
					t.Errorf("%s %s: body type %v is not a type of the version package", p.Version, op.GoMethod, b)
				} else if strings.HasSuffix(b.Name(), "JSONRequestBody") || strings.HasSuffix(b.Name(), "JSONBody") {
					t.Errorf("%s %s: body type %s", p.Version, op.GoMethod, b.Name())
				}
			}
		}
	}
	fset, files := parseVersionPackages(t)
	for _, f := range files {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, sp := range gd.Specs {
					if name := sp.(*ast.TypeSpec).Name; strings.HasSuffix(name.Name, "JSONRequestBody") || strings.HasSuffix(name.Name, "JSONBody") {
						t.Errorf("%s: type %s", fset.Position(name.Pos()), name.Name)
					}
				}
			}
		}
	}
	if bodies < 500 {
		t.Fatalf("only %d body arguments found: the test no longer sees them", bodies)
	}
	t.Logf("%d body arguments, all named after their schema or operation", bodies)
}

// No type of a version package is an alias to an anonymous struct: such a
// type is not the schema's type (a shown contact could not be passed where
// a Contact is expected) and every field Intercom adds changes it.
func TestNoAliasesToAnonymousStructs(t *testing.T) {
	fset, files := parseVersionPackages(t)
	aliases := 0
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, sp := range gd.Specs {
				if ts, ok := sp.(*ast.TypeSpec); ok && ts.Assign.IsValid() {
					if _, anon := ts.Type.(*ast.StructType); anon {
						aliases++
						t.Errorf("%s: type %s is an alias to an anonymous struct", fset.Position(ts.Pos()), ts.Name.Name)
					}
				}
			}
		}
	}
	t.Logf("%d files, %d aliases to anonymous structs", len(files), aliases)
}

// mixedInitialism finds an initialism spelled as a word (Id, Url, ApiKey,
// Ids…) inside an identifier: followed by an upper-case letter, a digit or
// the end.
var mixedInitialism = regexp.MustCompile(`(Id|Ids|Url|Urls|Uri|Api|Http|Https|Json|Html|Utc|Ip|Sla|Uuid|Sql|Xml)([\p{Lu}\d]|$)`)

// Exported identifiers of every version package spell Go initialisms the
// Go way: ID, URL, API, JSON, HTML, UTC, IP, SLA…
func TestInitialismsInExportedNames(t *testing.T) {
	_, files := parseVersionPackages(t)
	seen := map[string]bool{}
	check := func(name string) {
		if ast.IsExported(name) && !seen[name] && mixedInitialism.MatchString(name) {
			seen[name] = true
			t.Errorf("exported identifier %s spells an initialism in mixed case", name)
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				check(n.Name.Name)
			case *ast.TypeSpec:
				check(n.Name.Name)
			case *ast.ValueSpec:
				for _, id := range n.Names {
					check(id.Name)
				}
			case *ast.Field:
				for _, id := range n.Names {
					check(id.Name)
				}
			}
			return true
		})
	}
	t.Logf("%d files; %d identifiers with a mixed-case initialism", len(files), len(seen))
}

// positionalName is a name oapi-codegen numbers a union's variants with
// (CreateContactRequest0, SingleFilterSearchRequestValue31), and the
// As…/From…/Merge… methods that came with them.
var (
	positionalType   = regexp.MustCompile(`^[A-Z]\w*[0-9]$`)
	positionalMethod = regexp.MustCompile(`^(As|From|Merge)[A-Z]\w*[0-9]$`)
)

// No exported type of a version package is named by position: a union's
// variants are named after their $ref, title or what tells them apart
// (docs/surface.md, Unions). The raw subpackages are oapi-codegen's
// ClientWithResponses as it makes them (2.11's SearchArticlesResponse2 is
// its answer to a name collision), so they are not checked.
func TestNoPositionalTypeNames(t *testing.T) {
	fset, files := parseVersionPackages(t)
	seen := map[string]bool{}
	for _, f := range files {
		if filepath.Base(filepath.Dir(fset.Position(f.Pos()).Filename)) == "raw" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.TypeSpec:
				if name := n.Name.Name; ast.IsExported(name) && positionalType.MatchString(name) && !seen[name] {
					seen[name] = true
					t.Errorf("%s: type %s is named by position", fset.Position(n.Pos()), name)
				}
			case *ast.FuncDecl:
				if name := n.Name.Name; n.Recv != nil && positionalMethod.MatchString(name) && !seen[name] {
					seen[name] = true
					t.Errorf("%s: method %s names a variant by position", fset.Position(n.Pos()), name)
				}
			}
			return true
		})
	}
	t.Logf("%d files; %d positional names", len(files), len(seen))
}

// parseVersionPackages parses every Go file of every version package
// (generated code and examples; raw subpackages included).
func parseVersionPackages(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	root, err := spec.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join(root, "api", "*", "*.go"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no version package sources: %v", err)
	}
	more, _ := filepath.Glob(filepath.Join(root, "api", "*", "*", "*.go"))
	fset := token.NewFileSet()
	var files []*ast.File
	for _, path := range append(paths, more...) {
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// The root package exports what programs use (options, regions, versions
// and negotiation, errors, rate-limit and response info, link results,
// decode reports); what generated code needs to send a request is in
// internal/gensupport, internal/engine and internal/paging.
func TestRootExportsNoPlumbing(t *testing.T) {
	plumbing := []string{
		"Core", "NewCore", "NewFromEnv", "Do", "DoEmpty", "DoBytes", "Operation", "SendFunc",
		"Pager", "Paginate", "PageNumber", "NextPageNumber", "NextPageToken", "PageTokenQuery",
		"Unmarshal", "UnmarshalTolerant", "LinkContacts", "Probe",
	}
	exported := rootExports(t)
	for _, name := range plumbing {
		if exported[name] {
			t.Errorf("the root package exports %s", name)
		}
	}
	if len(exported) < 40 {
		t.Fatalf("found %d exported names in the root package; the parse is broken", len(exported))
	}
}

// Every version package re-exports every exported name of the root
// package (generated from it, gen/reexports.go), so a program imports one
// package; each type's documentation carries its fields and methods, which
// go doc does not show for an alias.
func TestVersionPackagesReexportTheRootAPI(t *testing.T) {
	root := rootExports(t)
	for _, p := range allversions.Packages {
		dir := "v" + p.Version
		if p.Version == "Preview" {
			dir = "preview"
		}
		file := filepath.Join(moduleRoot(t), "api", dir, "reexports.gen.go")
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				got[d.Name.Name] = true
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						got[s.Name.Name] = true
						if s.Name.Name == "Error" && !strings.Contains(d.Doc.Text(), "Code() string") {
							t.Errorf("%s: the doc of Error does not list its methods:\n%s", p.Version, d.Doc.Text())
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							got[n.Name] = true
						}
					}
				}
			}
		}
		for name := range root {
			if !got[name] {
				t.Errorf("%s does not re-export %s", p.Version, name)
			}
		}
		for name := range got {
			if !root[name] {
				t.Errorf("%s re-exports %s, which the root package does not export", p.Version, name)
			}
		}
	}
}

// rootExports lists the exported top-level names of the root package.
func rootExports(t *testing.T) map[string]bool {
	t.Helper()
	dir := moduleRoot(t)
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					out[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							out[s.Name.Name] = true
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								out[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	return out
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := spec.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}
