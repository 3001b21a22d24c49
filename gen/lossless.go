package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strings"
)

// Lossless models (docs/decoding.md, "Lossless models"). Every generated
// object struct, named or nested inline, gets a field JSON of the re-exported
// type Members, which the decoders fill with the object's JSON as received;
// every named struct gets a MarshalJSON that writes it back
// (internal/lossless). The field comes from oapi-codegen itself: a
// synthetic property, added to every object schema of the in-memory
// description just before it is handed to oapi-codegen (after the unions
// are planned and the operations listed, so nothing else built from the
// description sees it), names its Go field, type and tag through
// oapi-codegen's extensions.

// receivedProperty is the synthetic property's key. It only exists in the
// description oapi-codegen reads; its x-order makes the field the struct's
// last (gen/fieldorder.go), and no Intercom property has this name (a
// JSON member name, not a Go one: it never reaches the wire, the field
// being `json:"-"`).
const receivedProperty = "~received"

// receivedField is the Go field's name: no property of any pinned
// description is called "json", so no field can clash with it
// (TestReceivedFieldNameIsFree checks every description).
const receivedField = "JSON"

// addReceivedMembers adds the synthetic property to every object schema
// with properties: component schemas, and schemas written inline in
// component schemas, request bodies and responses.
func addReceivedMembers(root map[string]any) int {
	n := 0
	var walk func(s map[string]any)
	walk = func(s map[string]any) {
		if s == nil || s["$ref"] != nil {
			return
		}
		props, _ := s["properties"].(map[string]any)
		for _, k := range sortedKeysOf(props) {
			p, _ := props[k].(map[string]any)
			walk(p)
		}
		for _, k := range []string{"items", "additionalProperties", "not"} {
			if sub, ok := s[k].(map[string]any); ok {
				walk(sub)
			}
		}
		for _, k := range []string{"allOf", "oneOf", "anyOf"} {
			list, _ := s[k].([]any)
			for _, e := range list {
				sub, _ := e.(map[string]any)
				walk(sub)
			}
		}
		// A struct: properties, and no additional properties (those are
		// oapi-codegen's own map-backed structs, with their own methods).
		if len(props) == 0 || props[receivedProperty] != nil {
			return
		}
		if ap, ok := s["additionalProperties"]; ok && ap != false {
			return
		}
		orderSmallFieldsLast(s)
		props[receivedProperty] = map[string]any{
			extOrder:                          orderReceived,
			"x-go-name":                       receivedField,
			"x-go-type":                       "Members",
			"x-go-type-skip-optional-pointer": true,
			"x-go-json-ignore":                true,
		}
		n++
	}
	components, _ := root["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	for _, k := range sortedKeysOf(schemas) {
		s, _ := schemas[k].(map[string]any)
		walk(s)
	}
	content := func(holder map[string]any) {
		c, _ := holder["content"].(map[string]any)
		for _, mt := range sortedKeysOf(c) {
			m, _ := c[mt].(map[string]any)
			s, _ := m["schema"].(map[string]any)
			walk(s)
		}
	}
	for _, k := range []string{"responses", "requestBodies"} {
		named, _ := components[k].(map[string]any)
		for _, name := range sortedKeysOf(named) {
			h, _ := named[name].(map[string]any)
			content(h)
		}
	}
	paths, _ := root["paths"].(map[string]any)
	for _, p := range sortedKeysOf(paths) {
		item, _ := paths[p].(map[string]any)
		for _, method := range sortedKeysOf(item) {
			op, _ := item[method].(map[string]any)
			if op == nil {
				continue
			}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				content(rb)
			}
			responses, _ := op["responses"].(map[string]any)
			for _, code := range sortedKeysOf(responses) {
				r, _ := responses[code].(map[string]any)
				content(r)
			}
		}
	}
	return n
}

// renderLossless writes lossless.gen.go: a MarshalJSON for every named
// struct type of the generated sources (oapi-codegen's models, the result
// types of client.gen.go) that holds the JSON field, or embeds a type that
// does (whose promoted MarshalJSON would write the embedded part alone),
// and has no MarshalJSON of its own.
func renderLossless(version string, sources ...string) ([]byte, error) {
	structs := map[string]*ast.StructType{}
	defined := map[string]string{} // type X Y: X -> Y
	hasMarshal := map[string]bool{}
	var order []string
	for i, src := range sources {
		f, err := parser.ParseFile(token.NewFileSet(), fmt.Sprintf("source%d.go", i), src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					ts, ok := s.(*ast.TypeSpec)
					if !ok || ts.Assign.IsValid() || ts.TypeParams != nil {
						continue
					}
					switch t := ts.Type.(type) {
					case *ast.StructType:
						structs[ts.Name.Name] = t
						order = append(order, ts.Name.Name)
					case *ast.Ident:
						defined[ts.Name.Name] = t.Name
						order = append(order, ts.Name.Name)
					}
				}
			case *ast.FuncDecl:
				if d.Recv != nil && d.Name.Name == "MarshalJSON" {
					recv := d.Recv.List[0].Type
					if st, ok := recv.(*ast.StarExpr); ok {
						recv = st.X
					}
					if id, ok := recv.(*ast.Ident); ok {
						hasMarshal[id.Name] = true
					}
				}
			}
		}
	}
	var holds func(name string, depth int) bool
	holds = func(name string, depth int) bool {
		if depth > 16 {
			return false
		}
		if next, ok := defined[name]; ok {
			return holds(next, depth+1)
		}
		st, ok := structs[name]
		if !ok {
			return false
		}
		for _, fl := range st.Fields.List {
			if len(fl.Names) == 1 && fl.Names[0].Name == receivedField {
				return true
			}
			if id, ok := fl.Type.(*ast.Ident); ok && len(fl.Names) == 0 && holds(id.Name, depth+1) {
				return true
			}
		}
		return false
	}
	slices.Sort(order)
	var b bytes.Buffer
	b.WriteString(generatedHeader(version, "lossless models"))
	b.WriteString(`
package intercom

import "github.com/apipin/intercom/internal/lossless"

// MarshalJSON, on every object type: a value decoded from a response
// encodes as received, with the caller's changes to its typed fields; a
// value built by the caller encodes its non-zero fields and the members
// added with its JSON field's Set (see Members).
`)
	count := 0
	for _, name := range order {
		if hasMarshal[name] || !holds(name, 0) {
			continue
		}
		// lossless.Marshal(v), not (&v): the value goes to Marshal in an
		// interface (one copy, as before), while &v would make v escape,
		// which the compiler spells out field by field in every method and
		// in its pointer wrapper (docs/performance.md, issue 21's cut).
		fmt.Fprintf(&b, "\nfunc (v %s) MarshalJSON() ([]byte, error) { return lossless.Marshal(v) }\n", name)
		count++
	}
	if count == 0 {
		return nil, fmt.Errorf("lossless: no struct with a %s field in the models", receivedField)
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("lossless.gen.go: %w", err)
	}
	return out, nil
}

// receivedFieldClashes returns the properties of root named like the
// synthetic property or like its Go field, which would clash with it.
func receivedFieldClashes(root map[string]any) []string {
	var out []string
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch t := v.(type) {
		case map[string]any:
			if props, ok := t["properties"].(map[string]any); ok {
				for k := range props {
					if k == receivedProperty || strings.EqualFold(k, receivedField) {
						out = append(out, path+".properties."+k)
					}
				}
			}
			for _, k := range sortedKeysOf(t) {
				walk(t[k], path+"."+k)
			}
		case []any:
			for i, e := range t {
				walk(e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(root, "$")
	return out
}
