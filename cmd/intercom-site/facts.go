package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/internal/allversions"
)

// modulePath is the library's import path; version packages live below it.
const modulePath = "github.com/apipin/intercom"

// opFacts is what one version says about one operation.
type opFacts struct {
	Method, Path, OperationID string
	GoMethod, Iterator        string
	Tags                      []string
	Deprecated                bool
	// Signature and IterSignature are the Go declarations a caller meets in
	// this version, e.g. "ShowContact(ctx context.Context, contactId string)
	// (*ShowContactResult, error)"; IterSignature is empty without an iterator.
	Signature, IterSignature string
}

// versionFacts is one version's operations, keyed by opKey.
type versionFacts struct {
	Version string
	Dir     string // the package's directory, relative to the module root
	Ops     map[string]*opFacts
}

// opKey identifies an operation across versions: its method and its path
// with the placeholder names blanked, so that a renamed placeholder
// ({id} → {contact_id}) is still the same operation.
func opKey(method, path string) string {
	return strings.ToUpper(method) + " " + placeholder.ReplaceAllString(path, "{}")
}

var placeholder = regexp.MustCompile(`\{[^}]*\}`)

// loadFacts reads every version's facts: the operations from the generated
// Operations tables (internal/allversions), tags and deprecation from the
// pinned description (after the generator's repairs, so that the paths are
// the generated ones), and the Go signatures from the generated source.
func loadFacts(root string) ([]versionFacts, error) {
	out := make([]versionFacts, len(allversions.Packages))
	errs := make([]error, len(out))
	var wg sync.WaitGroup
	for i, p := range allversions.Packages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = loadVersion(root, p)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func loadVersion(root string, p allversions.Package) (versionFacts, error) {
	pkgPath := p.Client.Elem().PkgPath()
	dir, ok := strings.CutPrefix(pkgPath, modulePath+"/")
	if !ok {
		return versionFacts{}, fmt.Errorf("version %s: package %s is not inside %s", p.Version, pkgPath, modulePath)
	}
	vf := versionFacts{Version: p.Version, Dir: dir, Ops: map[string]*opFacts{}}
	doc, err := specdoc.Load(p.Version)
	if err != nil {
		return vf, err
	}
	specOps := map[string]specdoc.Operation{}
	for _, o := range doc.Operations() {
		specOps[o.Method+" "+o.Path] = o
	}
	sigs, err := goSignatures(filepath.Join(root, dir, "client.gen.go"))
	if err != nil {
		return vf, fmt.Errorf("version %s: %w", p.Version, err)
	}
	for _, o := range p.Operations {
		so, ok := specOps[o.Method+" "+o.Path]
		if !ok {
			return vf, fmt.Errorf("version %s: %s %s is in the Operations table but not in the description", p.Version, o.Method, o.Path)
		}
		f := &opFacts{
			Method: o.Method, Path: o.Path, OperationID: o.OperationID,
			GoMethod: o.GoMethod, Iterator: o.Iterator,
			Tags: so.Tags, Deprecated: operationDeprecated(doc, o.Method, o.Path),
			Signature: sigs[o.GoMethod],
		}
		if f.Signature == "" {
			return vf, fmt.Errorf("version %s: no method %s on *Client in %s/client.gen.go", p.Version, o.GoMethod, dir)
		}
		if o.Iterator != "" {
			if f.IterSignature = sigs[o.Iterator]; f.IterSignature == "" {
				return vf, fmt.Errorf("version %s: no iterator %s on *Client in %s/client.gen.go", p.Version, o.Iterator, dir)
			}
		}
		k := opKey(o.Method, o.Path)
		if prev, dup := vf.Ops[k]; dup {
			return vf, fmt.Errorf("version %s: %s %s and %s %s are the same operation up to placeholder names", p.Version, prev.Method, prev.Path, o.Method, o.Path)
		}
		vf.Ops[k] = f
	}
	return vf, nil
}

// operationDeprecated reports the operation's `deprecated: true`.
func operationDeprecated(d *specdoc.Doc, method, path string) bool {
	paths, _ := d.Root["paths"].(map[string]any)
	item, _ := paths[path].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	dep, _ := op["deprecated"].(bool)
	return dep
}

// goSignatures reads the methods of *Client declared in a generated
// client.gen.go, by name: "ShowContact" → "ShowContact(ctx context.Context,
// contactId string) (*ShowContactResult, error)". This is the one place
// that knows how the generated code spells a typed method; when the
// generator renames or moves them, only this changes.
func goSignatures(file string) (map[string]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 || !fn.Name.IsExported() {
			continue
		}
		star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		if id, ok := star.X.(*ast.Ident); !ok || id.Name != "Client" {
			continue
		}
		var b bytes.Buffer
		if err := printer.Fprint(&b, fset, &ast.FuncDecl{Name: fn.Name, Type: fn.Type}); err != nil {
			return nil, err
		}
		out[fn.Name.Name] = strings.TrimPrefix(b.String(), "func ")
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s declares no methods on *Client", file)
	}
	return out, nil
}
