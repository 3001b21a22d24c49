package main

import (
	"fmt"
	"go/ast"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"

	"github.com/apipin/intercom/spec"
)

// glueData feeds the templates of one version package.
type glueData struct {
	Version     string
	Dir         string // the package's directory under api/
	Entry       spec.Entry
	Commit      string
	OapiCodegen string
	Repairs     []string
	Operations  []opGlue
	Results     []definedType // names given to inline result and item types
	// EmptyParams are the params structs generated for operations that
	// declare no query or header parameter in this version.
	EmptyParams []string
	// Reexports is the root package's API, declared again (reexports.go).
	Reexports string
}

// definedType is a named result type: a defined type, never an alias, so
// that a result can be passed where its type is expected and a field
// Intercom adds is not a change of type. Embed, when set, is the component
// schema the result extends (allOf: [$ref] plus properties): a shown
// contact is a Contact with extra fields.
type definedType struct {
	Name   string
	Embed  string
	Fields []string // "Name Type `tag`", the fields beyond Embed's
	Type   string   // the whole type, when neither Embed nor Fields is set
}

// opGlue is one operation's typed method (and iterator, for lists).
type opGlue struct {
	Name        string // Go method name on Client (oapi-codegen's operation name)
	OperationID string // as in the spec ("" when it has none)
	Method      string
	Path        string
	Tag         string
	Params      string // parameters after ctx and before the call options, as declared
	Args        string // the same, as arguments
	RawCall     string // RawClient method that sends it
	RawArgs     string // its arguments after ctx
	ParamsType  string // the operation's params struct
	Required    string // its required parameters (", "-separated) when it has any: nil is refused
	Result      string // Go type of the 2xx JSON body; "" when there is none
	// NullableItems is the nullableitems word list of a 2xx JSON body that
	// is itself an array or a map with elements that take no null
	// (specdoc.Doc.BodyItems), carried by the operation's descriptor; ""
	// for every other body.
	NullableItems string
	Accept        string // media types of a non-JSON 2xx body, when there is no JSON one
	Pager         *pagerGlue
}

// pagerGlue describes how an operation's pages are walked.
type pagerGlue struct {
	Style         string // cursor, cursor-undeclared, search, page, page-undeclared, scroll: what the description declares
	Item          string // element type
	Items         string // body of the Items func (r in scope)
	SetBodyCursor string // search only: statements that set the body's pagination.starting_after to cursor
}

var jsonSuccessField = regexp.MustCompile(`^JSON(2\d\d)$`)

// buildGlue describes each operation's typed method. specIDs maps
// "METHOD path" to the operationId as the spec spells it (oapi-codegen
// rewrites the one it holds); bodyItems maps "METHOD path status" to the
// nullableitems of a body that is itself an array or a map
// (specdoc.Doc.BodyItems).
func buildGlue(version string, defs []codegen.OperationDefinition, specIDs map[string]string, bodyItems map[string]string, idx *sourceIndex, hoisted map[string]string) (*glueData, error) {
	reexports, err := reexportSource()
	if err != nil {
		return nil, err
	}
	g := &glueData{Version: version, Reexports: reexports}
	genResponseTypeName := codegen.TemplateFunctions["genResponseTypeName"].(func(string) string)
	genParamArgs := codegen.TemplateFunctions["genParamArgs"].(func([]codegen.ParameterDefinition) string)
	genParamNames := codegen.TemplateFunctions["genParamNames"].(func([]codegen.ParameterDefinition) string)
	used := map[string]bool{}
	for name := range idx.names {
		used[name] = true
	}
	defineType := func(name, typ string) (string, error) {
		if used[name] {
			return "", fmt.Errorf("the name %s for %s is taken", name, typ)
		}
		used[name] = true
		g.Results = append(g.Results, definedType{Name: name, Type: typ})
		return name, nil
	}

	for i := range defs {
		op := &defs[i]
		o := opGlue{
			Name:        op.OperationId,
			OperationID: specIDs[strings.ToUpper(op.Method)+" "+op.Path],
			Method:      op.Method,
			Path:        op.Path,
		}
		if len(op.Spec.Tags) > 0 {
			o.Tag = op.Spec.Tags[0]
		}
		// One shape for every operation of every version: path parameters
		// in path order, the body when there is one, then the params
		// struct (nil for defaults), which exists even when the version
		// declares no optional parameter, so that one added later is a
		// new field and not a new argument.
		join := func(items ...string) string {
			var out []string
			for _, it := range items {
				if it != "" {
					out = append(out, it)
				}
			}
			return strings.Join(out, ", ")
		}
		pathDecl := strings.TrimPrefix(genParamArgs(op.PathParams), ", ")
		pathArgs := strings.TrimPrefix(genParamNames(op.PathParams), ", ")
		bodyDecl, bodyArgs := "", ""
		o.RawCall = op.OperationId
		if op.HasBody() {
			var body *codegen.RequestBodyDefinition
			for j := range op.Bodies {
				b := &op.Bodies[j]
				if b.IsSupportedByClient() && b.IsJSON() && (body == nil || b.Default) {
					body = b
				}
			}
			if body != nil {
				o.RawCall = op.OperationId + body.Suffix()
				typ, err := bodyType(op, body, hoisted)
				if err != nil {
					return nil, err
				}
				bodyDecl, bodyArgs = "body "+typ, "body"
			} else {
				o.RawCall = op.OperationId + "WithBody"
				bodyDecl, bodyArgs = "contentType string, body io.Reader", "contentType, body"
			}
		}
		o.ParamsType = op.OperationId + "Params"
		rawParams := ""
		if op.RequiresParamObject() {
			rawParams = "params"
			var required []string
			for _, p := range append(slices.Clone(op.QueryParams), op.HeaderParams...) {
				if p.Required {
					required = append(required, p.ParamName)
				}
			}
			o.Required = strings.Join(required, ", ")
		} else {
			if used[o.ParamsType] {
				return nil, fmt.Errorf("%s %s: the name %s for its empty params struct is taken", op.Method, op.Path, o.ParamsType)
			}
			used[o.ParamsType] = true
			g.EmptyParams = append(g.EmptyParams, o.ParamsType)
		}
		if !idx.methods["RawClient"][o.RawCall] {
			return nil, fmt.Errorf("%s %s: RawClient has no method %s", op.Method, op.Path, o.RawCall)
		}
		params := join(pathDecl, bodyDecl, "params *"+o.ParamsType)
		args := join(pathArgs, bodyArgs, "params")
		rawArgs := join(pathArgs, rawParams, bodyArgs)
		o.Params, o.Args, o.RawArgs = params, args, rawArgs

		// The typed result is the lowest 2xx JSON body of the response wrapper.
		wrapper := idx.structOf(&ast.Ident{Name: genResponseTypeName(op.OperationId)})
		if wrapper == nil {
			return nil, fmt.Errorf("%s %s: no response wrapper %s", op.Method, op.Path, genResponseTypeName(op.OperationId))
		}
		var resultType ast.Expr
		best := ""
		for _, f := range wrapper.Fields.List {
			if len(f.Names) != 1 {
				continue
			}
			if m := jsonSuccessField.FindStringSubmatch(f.Names[0].Name); m != nil && (best == "" || m[1] < best) {
				best = m[1]
				resultType = f.Type.(*ast.StarExpr).X
			}
		}
		if resultType == nil {
			o.Accept = nonJSONSuccessMediaTypes(op)
		}
		if resultType != nil {
			o.Result = idx.expr(resultType)
			if levels := bodyItems[strings.ToUpper(op.Method)+" "+op.Path+" "+best]; levels != "" {
				switch idx.underlying(resultType).(type) {
				case *ast.ArrayType, *ast.MapType:
					o.NullableItems = levels
				default:
					return nil, fmt.Errorf("%s %s: the %s body is an array or a map, its Go type %s is not", op.Method, op.Path, best, o.Result)
				}
			}
			if _, named := resultType.(*ast.Ident); !named {
				name := o.Name + "Result"
				if used[name] {
					return nil, fmt.Errorf("%s %s: the name %s for its result is taken", op.Method, op.Path, name)
				}
				used[name] = true
				g.Results = append(g.Results, defineResult(name, resultType, extendedSchema(op), idx))
				o.Result = name
			}
			pager, err := analysePager(op, &o, resultType, idx, defineType)
			if err != nil {
				return nil, err
			}
			o.Pager = pager
		}
		g.Operations = append(g.Operations, o)
	}
	sort.Slice(g.Operations, func(i, j int) bool { return g.Operations[i].Name < g.Operations[j].Name })
	sort.Strings(g.EmptyParams)
	sort.Slice(g.Results, func(i, j int) bool { return g.Results[i].Name < g.Results[j].Name })
	return g, nil
}

// nonJSONSuccessMediaTypes lists the media types of the operation's 2xx
// bodies ("" when it has none): such operations return the body as bytes.
func nonJSONSuccessMediaTypes(op *codegen.OperationDefinition) string {
	if op.Spec == nil || op.Spec.Responses == nil {
		return ""
	}
	var types []string
	for code, r := range op.Spec.Responses.Map() {
		if !strings.HasPrefix(code, "2") || r.Value == nil {
			continue
		}
		for mt := range r.Value.Content {
			types = append(types, mt)
		}
	}
	sort.Strings(types)
	return strings.Join(types, ", ")
}

// extendedSchema returns the Go type of the component schema that the
// operation's 2xx JSON response extends (allOf with one $ref, plus
// properties of its own), or "".
func extendedSchema(op *codegen.OperationDefinition) string {
	if op.Spec == nil || op.Spec.Responses == nil {
		return ""
	}
	codes := make([]string, 0, len(op.Spec.Responses.Map()))
	for code := range op.Spec.Responses.Map() {
		if strings.HasPrefix(code, "2") {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := op.Spec.Responses.Map()[code]
		if r.Value == nil {
			continue
		}
		mt := r.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			continue
		}
		var refs []string
		for _, a := range mt.Schema.Value.AllOf {
			if a.Ref != "" {
				refs = append(refs, a.Ref)
			}
		}
		if len(refs) != 1 || len(mt.Schema.Value.AllOf) != 1 {
			return ""
		}
		name := refs[0][strings.LastIndex(refs[0], "/")+1:]
		if goName, ok := mt.Schema.Value.AllOf[0].Value.Extensions["x-go-name"].(string); ok {
			return goName
		}
		return codegen.SchemaNameToTypeName(name)
	}
	return ""
}

// defineResult names an inline result type. When base (the component the
// response extends) is a struct whose every field the result has, with the
// same type, and base decodes by encoding/json's rules (no UnmarshalJSON of
// its own, which embedding would promote over the result's extra fields),
// the result embeds base and declares only its own fields.
func defineResult(name string, result ast.Expr, base string, idx *sourceIndex) definedType {
	whole := definedType{Name: name, Type: idx.expr(result)}
	st, ok := result.(*ast.StructType)
	if !ok || base == "" || idx.methods[base]["UnmarshalJSON"] || idx.methods[base]["MarshalJSON"] {
		return whole
	}
	baseStruct, ok := idx.underlying(&ast.Ident{Name: base}).(*ast.StructType)
	if !ok {
		return whole
	}
	fieldKey := func(f *ast.Field) string {
		if len(f.Names) != 1 || f.Tag == nil {
			return ""
		}
		return f.Names[0].Name + " " + idx.expr(f.Type) + " " + f.Tag.Value
	}
	inBase := map[string]bool{}
	for _, f := range baseStruct.Fields.List {
		k := fieldKey(f)
		if k == "" {
			return whole // embedded or untagged fields: keep it simple
		}
		inBase[k] = true
	}
	d := definedType{Name: name, Embed: base}
	matched := 0
	for _, f := range st.Fields.List {
		k := fieldKey(f)
		if k == "" {
			return whole
		}
		if inBase[k] {
			matched++
			continue
		}
		d.Fields = append(d.Fields, k)
	}
	if matched != len(inBase) {
		return whole // the result changed one of base's fields: it is not a base plus extras
	}
	return d
}
