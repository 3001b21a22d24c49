package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/apipin/intercom/spec"
)

// Every version package re-exports the root package's whole API, so that a
// program imports one package: the declarations are generated from the
// root package's source, with its documentation, so that `go doc` of a
// version package shows what each name means, the fields of a type and its
// methods included (an alias alone shows none of them).

// rootImportPath is the root package, imported as facade by generated code.
const rootImportPath = "github.com/apipin/intercom"

// rootAPI is the root package's documentation, read once per run.
var rootAPI = sync.OnceValues(func() (*rootPackage, error) {
	root, err := spec.ModuleRoot()
	if err != nil {
		return nil, err
	}
	return loadRootPackage(root)
})

// rootPackage is the exported API of the root package.
type rootPackage struct {
	fset *token.FileSet
	doc  *doc.Package
}

func loadRootPackage(dir string) (*rootPackage, error) {
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		return nil, fmt.Errorf("reading the root package: %w", err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	p, err := doc.NewFromFiles(fset, files, rootImportPath)
	if err != nil {
		return nil, err
	}
	return &rootPackage{fset: fset, doc: p}, nil
}

// reexportedNames lists the identifiers every version package re-exports;
// oapi-codegen must not declare any of them.
func reexportedNames() []string {
	p, err := rootAPI()
	if err != nil {
		panic(err)
	}
	var names []string
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			names = append(names, v.Names...)
		}
	}
	values(p.doc.Consts)
	values(p.doc.Vars)
	for _, f := range p.doc.Funcs {
		names = append(names, f.Name)
	}
	for _, t := range p.doc.Types {
		names = append(names, t.Name)
		values(t.Consts)
		values(t.Vars)
		for _, f := range t.Funcs {
			names = append(names, f.Name)
		}
	}
	sort.Strings(names)
	return names
}

// reexportSource is the body of reexports.gen.go: every exported name of
// the root package, in the order go doc lists them.
func reexportSource() (string, error) {
	p, err := rootAPI()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("// The root package's API, so that a program imports only this package.\n// Each name is the root package's (" + rootImportPath + "):\n// the same value, type or function.\n\n")
	for _, v := range p.doc.Consts {
		p.writeValue(&b, "const", v)
	}
	for _, v := range p.doc.Vars {
		p.writeValue(&b, "var", v)
	}
	for _, f := range p.doc.Funcs {
		if err := p.writeFunc(&b, f); err != nil {
			return "", err
		}
	}
	for _, t := range p.doc.Types {
		p.writeType(&b, t)
		for _, v := range t.Consts {
			p.writeValue(&b, "const", v)
		}
		for _, v := range t.Vars {
			p.writeValue(&b, "var", v)
		}
		for _, f := range t.Funcs {
			if err := p.writeFunc(&b, f); err != nil {
				return "", err
			}
		}
	}
	return b.String(), nil
}

// writeComment writes text as a doc comment.
func writeComment(b *strings.Builder, text string) {
	text = strings.TrimRight(text, "\n")
	if text == "" {
		return
	}
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			b.WriteString("//\n")
		} else {
			b.WriteString("// " + line + "\n")
		}
	}
}

// writeValue re-exports a const or var group name by name, each with the
// group's doc and the spec's own comment.
func (p *rootPackage) writeValue(b *strings.Builder, kind string, v *doc.Value) {
	writeComment(b, v.Doc)
	if len(v.Names) == 1 {
		fmt.Fprintf(b, "%s %s = facade.%s\n\n", kind, v.Names[0], v.Names[0])
		return
	}
	fmt.Fprintf(b, "%s (\n", kind)
	for _, spec := range v.Decl.Specs {
		vs := spec.(*ast.ValueSpec)
		for _, n := range vs.Names {
			if !n.IsExported() {
				continue
			}
			if vs.Doc != nil {
				writeComment(b, vs.Doc.Text())
			}
			fmt.Fprintf(b, "\t%s = facade.%s", n.Name, n.Name)
			if vs.Comment != nil {
				fmt.Fprintf(b, " // %s", strings.TrimSpace(strings.ReplaceAll(vs.Comment.Text(), "\n", " ")))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString(")\n\n")
}

// writeFunc re-exports a function as a wrapper with the same signature and
// documentation.
func (p *rootPackage) writeFunc(b *strings.Builder, f *doc.Func) error {
	d := f.Decl
	writeComment(b, f.Doc)
	var args []string
	variadic := false
	for _, field := range d.Type.Params.List {
		if _, ok := field.Type.(*ast.Ellipsis); ok {
			variadic = true
		}
		if len(field.Names) == 0 {
			return fmt.Errorf("root function %s has an unnamed parameter; name it so it can be re-exported", f.Name)
		}
		for _, n := range field.Names {
			args = append(args, n.Name)
		}
	}
	call := strings.Join(args, ", ")
	if variadic {
		call += "..."
	}
	sig := p.node(&ast.FuncDecl{Name: d.Name, Type: d.Type})
	ret := "return "
	if d.Type.Results == nil {
		ret = ""
	}
	fmt.Fprintf(b, "%s {\n\t%sfacade.%s(%s)\n}\n\n", sig, ret, f.Name, call)
	return nil
}

// writeType re-exports a type as an alias whose doc comment carries the
// root type's documentation, its exported fields and its methods.
func (p *rootPackage) writeType(b *strings.Builder, t *doc.Type) {
	writeComment(b, t.Doc)
	var decl strings.Builder
	spec := t.Decl.Specs[0].(*ast.TypeSpec)
	for _, s := range t.Decl.Specs {
		if ts := s.(*ast.TypeSpec); ts.Name.Name == t.Name {
			spec = ts
		}
	}
	switch st := spec.Type.(type) {
	case *ast.StructType:
		decl.WriteString("type " + t.Name + " struct {\n")
		hidden := false
		for _, field := range st.Fields.List {
			exported := false
			var names []string
			for _, n := range field.Names {
				if n.IsExported() {
					exported = true
					names = append(names, n.Name)
				}
			}
			if len(field.Names) == 0 { // embedded
				exported = ast.IsExported(strings.TrimPrefix(p.node(field.Type), "*"))
			}
			if !exported {
				hidden = true
				continue
			}
			if field.Doc != nil {
				for _, line := range strings.Split(strings.TrimRight(field.Doc.Text(), "\n"), "\n") {
					decl.WriteString("    // " + line + "\n")
				}
			}
			line := "    " + strings.Join(names, ", ")
			if len(names) > 0 {
				line += " "
			}
			line += p.node(field.Type)
			if field.Comment != nil {
				line += " // " + strings.TrimSpace(strings.ReplaceAll(field.Comment.Text(), "\n", " "))
			}
			decl.WriteString(line + "\n")
		}
		if hidden {
			decl.WriteString("    // contains filtered or unexported fields\n")
		}
		decl.WriteString("}\n")
	case *ast.InterfaceType:
		decl.WriteString("type " + t.Name + " interface {\n")
		for _, m := range st.Methods.List {
			var name string
			for _, n := range m.Names {
				name = n.Name
			}
			decl.WriteString("    " + name + strings.TrimPrefix(p.node(m.Type), "func") + "\n")
		}
		decl.WriteString("}\n")
	default:
		decl.WriteString("type " + t.Name + " " + p.node(spec.Type) + "\n")
	}
	var methods []string
	for _, m := range t.Methods {
		line := p.node(&ast.FuncDecl{Recv: m.Decl.Recv, Name: m.Decl.Name, Type: m.Decl.Type})
		if s := p.doc.Synopsis(m.Doc); s != "" {
			line += "\n        " + s
		}
		methods = append(methods, line)
	}
	b.WriteString("//\n// As declared in package facade:\n//\n")
	for _, line := range strings.Split(strings.TrimRight(decl.String(), "\n"), "\n") {
		b.WriteString("//\t" + strings.ReplaceAll(line, "    ", "\t") + "\n")
	}
	if len(methods) > 0 {
		b.WriteString("//\n// Methods:\n//\n")
		for _, m := range methods {
			for _, line := range strings.Split(m, "\n") {
				b.WriteString("//\t" + strings.ReplaceAll(line, "    ", "\t") + "\n")
			}
		}
	}
	if spec.TypeParams == nil {
		fmt.Fprintf(b, "type %s = facade.%s\n\n", t.Name, t.Name)
		return
	}
	var params, decls []string
	for _, f := range spec.TypeParams.List {
		var names []string
		for _, n := range f.Names {
			names = append(names, n.Name)
		}
		params = append(params, names...)
		decls = append(decls, strings.Join(names, ", ")+" "+p.node(f.Type))
	}
	fmt.Fprintf(b, "type %s[%s] = facade.%s[%s]\n\n", t.Name, strings.Join(decls, ", "), t.Name, strings.Join(params, ", "))
}

// node prints an AST node as gofmt would, without comments.
func (p *rootPackage) node(n ast.Node) string {
	var buf bytes.Buffer
	if err := (&printer.Config{Mode: printer.RawFormat}).Fprint(&buf, p.fset, n); err != nil {
		panic(err)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(buf.String(), "\n", " ")), " ")
}
