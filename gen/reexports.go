package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sync"
)

// reexportedNames lists the identifiers the reexports template declares in
// every version package; oapi-codegen must not declare any of them.
var reexportedNames = sync.OnceValue(func() []string {
	src, err := render("reexports.go.tmpl", &glueData{Version: "check"})
	if err != nil {
		panic(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		panic(err)
	}
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			names = append(names, d.Name.Name)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
})
