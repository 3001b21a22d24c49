package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"reflect"
	"strconv"
	"strings"
)

// sourceIndex answers questions about oapi-codegen's output by reading its
// syntax tree: which types, fields and methods exist and what Go types they
// have. No type checking is needed: everything the glue refers to is
// declared in that one file.
type sourceIndex struct {
	fset    *token.FileSet
	types   map[string]*ast.TypeSpec
	names   map[string]bool            // every top-level identifier
	methods map[string]map[string]bool // receiver type -> method names
}

func indexSource(src string) (*sourceIndex, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "openapi.gen.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	idx := &sourceIndex{fset: fset, types: map[string]*ast.TypeSpec{}, names: map[string]bool{}, methods: map[string]map[string]bool{}}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					idx.types[s.Name.Name] = s
					idx.names[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						idx.names[n.Name] = true
					}
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil {
				idx.names[d.Name.Name] = true
				continue
			}
			recv := d.Recv.List[0].Type
			if st, ok := recv.(*ast.StarExpr); ok {
				recv = st.X
			}
			if id, ok := recv.(*ast.Ident); ok {
				if idx.methods[id.Name] == nil {
					idx.methods[id.Name] = map[string]bool{}
				}
				idx.methods[id.Name][d.Name.Name] = true
			}
		}
	}
	return idx, nil
}

func (x *sourceIndex) expr(e ast.Expr) string {
	var b bytes.Buffer
	printer.Fprint(&b, x.fset, e)
	return b.String()
}

// structOf follows pointers and named types (also aliases) to a struct type.
func (x *sourceIndex) structOf(e ast.Expr) *ast.StructType {
	for i := 0; i < 20; i++ {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.Ident:
			ts, ok := x.types[t.Name]
			if !ok {
				return nil
			}
			e = ts.Type
		case *ast.StructType:
			return t
		default:
			return nil
		}
	}
	return nil
}

// underlying follows named types to the type they are declared as.
func (x *sourceIndex) underlying(e ast.Expr) ast.Expr {
	for i := 0; i < 20; i++ {
		id, ok := e.(*ast.Ident)
		if !ok {
			return e
		}
		ts, ok := x.types[id.Name]
		if !ok {
			return e
		}
		e = ts.Type
	}
	return e
}

// hop is one field access on the way to a nested value.
type hop struct {
	Go   string   // Go field name
	Ptr  bool     // the field is a pointer
	Type ast.Expr // the field's type (with the pointer removed)
}

// fieldPath finds the fields with the given JSON names, one level each,
// starting at the struct that e names. ok is false if any is missing.
func (x *sourceIndex) fieldPath(e ast.Expr, tag string, names ...string) ([]hop, bool) {
	var hops []hop
	for _, name := range names {
		st := x.structOf(e)
		if st == nil {
			return nil, false
		}
		f := fieldByTag(st, tag, name)
		if f == nil {
			return nil, false
		}
		h := hop{Go: f.Names[0].Name, Type: f.Type}
		if s, ok := f.Type.(*ast.StarExpr); ok {
			h.Ptr, h.Type = true, s.X
		}
		hops = append(hops, h)
		e = h.Type
	}
	return hops, true
}

func fieldByTag(st *ast.StructType, key, name string) *ast.Field {
	for _, f := range st.Fields.List {
		if f.Tag == nil || len(f.Names) != 1 {
			continue
		}
		tag, err := strconv.Unquote(f.Tag.Value)
		if err != nil {
			continue
		}
		v, _, _ := strings.Cut(reflect.StructTag(tag).Get(key), ",")
		if v == name {
			return f
		}
	}
	return nil
}

// access renders the expression reading hops from base, and the condition
// that is true when a pointer on the way is nil ("" when none can be).
func access(base string, hops []hop) (expr, nilCond string) {
	var conds []string
	expr = base
	for i, h := range hops {
		expr += "." + h.Go
		if h.Ptr && i < len(hops)-1 {
			conds = append(conds, expr+" == nil")
		}
	}
	if last := hops[len(hops)-1]; last.Ptr {
		conds = append(conds, expr+" == nil")
		expr = "*" + expr
	}
	return expr, strings.Join(conds, " || ")
}

func isIdent(e ast.Expr, names ...string) bool {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	for _, n := range names {
		if id.Name == n {
			return true
		}
	}
	return false
}

// checkReexports fails when oapi-codegen declared a name that the version
// package re-exports from the facade.
func checkReexports(idx *sourceIndex) error {
	var clash []string
	for _, n := range reexportedNames() {
		if idx.names[n] {
			clash = append(clash, n)
		}
	}
	if len(clash) > 0 {
		return fmt.Errorf("generated declarations shadow facade re-exports %v: add an x-go-name rename in renameShadowingSchemas", clash)
	}
	return nil
}
