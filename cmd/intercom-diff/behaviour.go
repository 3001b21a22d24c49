package main

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"
)

// Behaviour findings come from the shipped facts: what the descriptions say
// about the operations the program calls and the response fields it reads.
// A Go field is placed in a response by walking the operation's Go result
// type and its response schema together (struct fields by their JSON
// names), so no Go naming convention is assumed.

// successResponse is the first 2xx response of op with a schema.
func successResponse(op *OpFacts) *RespFacts {
	if op == nil {
		return nil
	}
	for _, r := range op.Responses {
		if strings.HasPrefix(r.Status, "2") && r.Schema != nil {
			return r
		}
	}
	return nil
}

// factsOp finds op in version v's facts: by method and path, else by
// operationId (a path placeholder may be renamed).
func (a *analyzer) factsOp(v string, op Op) *OpFacts {
	if o := a.facts.operation(v, op.Method, op.Path); o != nil {
		return o
	}
	if vf := a.facts.Versions[v]; vf != nil && op.OperationID != "" {
		for _, o := range vf.Operations {
			if o.OperationID == op.OperationID {
				return o
			}
		}
	}
	return nil
}

// mapFields places every FROM field reachable from the used operations'
// results in their responses.
func (a *analyzer) mapFields() {
	a.fieldPaths = map[*types.Var][]fieldPath{}
	for key, op := range a.usedOps {
		fo := a.factsOp(a.from, op)
		resp := successResponse(fo)
		if resp == nil {
			continue
		}
		for _, o := range a.p.fromOps {
			if opKeyOf(o.Op) != key {
				continue
			}
			if m := a.methodOf(a.p.fromPkg, o.GoMethod); m != nil {
				if res := m.Type().(*types.Signature).Results(); res.Len() > 0 {
					a.coWalk(op, res.At(0).Type(), resp.Schema, nil, map[string]bool{})
				}
			}
			if m := a.methodOf(a.p.fromPkg, o.Iterator); m != nil && o.Iterator != "" {
				if res := m.Type().(*types.Signature).Results(); res.Len() > 0 {
					a.walkIterator(op, res.At(0).Type(), resp.Schema)
				}
			}
		}
	}
}

// walkIterator places an iterator's element type at the array of the
// response whose items match it best.
func (a *analyzer) walkIterator(op Op, seq types.Type, schema *SchemaFacts) {
	named, ok := types.Unalias(seq).(*types.Named)
	if !ok || named.TypeArgs().Len() == 0 {
		return
	}
	elem := named.TypeArgs().At(0)
	props := a.properties(a.from, schema)
	best, bestScore := "", 0
	for _, name := range sortedSchemaKeys(props) {
		arr := a.facts.resolve(a.from, props[name])
		if arr == nil || arr.Items == nil {
			continue
		}
		score := 0
		items := a.properties(a.from, arr.Items)
		walkFields(elem, func(v *types.Var, tag string) bool {
			if items[tagName(tag, v.Name())] != nil {
				score++
			}
			return true
		})
		if score > bestScore {
			best, bestScore = name, score
		}
	}
	if best != "" {
		arr := a.facts.resolve(a.from, props[best])
		a.coWalk(op, elem, arr.Items, []string{best, "[]"}, map[string]bool{})
	}
}

// properties merges a schema's properties through references, allOf and
// the variants of oneOf/anyOf.
func (a *analyzer) properties(v string, s *SchemaFacts) map[string]*SchemaFacts {
	out := map[string]*SchemaFacts{}
	var add func(s *SchemaFacts, depth int)
	add = func(s *SchemaFacts, depth int) {
		s = a.facts.resolve(v, s)
		if s == nil || depth > 6 {
			return
		}
		for k, p := range s.Properties {
			if out[k] == nil {
				out[k] = p
			}
		}
		for _, group := range [][]*SchemaFacts{s.AllOf, s.OneOf, s.AnyOf} {
			for _, x := range group {
				add(x, depth+1)
			}
		}
	}
	add(s, 0)
	return out
}

func sortedSchemaKeys(m map[string]*SchemaFacts) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// coWalk records the JSON path of every field of t against schema.
func (a *analyzer) coWalk(op Op, t types.Type, schema *SchemaFacts, path []string, seen map[string]bool) {
	if len(path) > 16 {
		return
	}
	key := types.TypeString(t, nil) + "@" + strings.Join(path, ".")
	if seen[key] {
		return
	}
	seen[key] = true
	t = types.Unalias(t)
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		a.coWalk(op, u.Elem(), schema, path, seen)
	case *types.Slice:
		if s := a.facts.resolve(a.from, schema); s != nil && s.Items != nil {
			a.coWalk(op, u.Elem(), s.Items, append(slices.Clip(path), "[]"), seen)
		}
	case *types.Struct:
		props := a.properties(a.from, schema)
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			name := tagName(u.Tag(i), f.Name())
			if f.Embedded() && name == f.Name() {
				a.coWalk(op, f.Type(), schema, path, seen)
				continue
			}
			p := props[name]
			if p == nil {
				continue
			}
			fp := append(slices.Clip(path), name)
			a.fieldPaths[f] = append(a.fieldPaths[f], fieldPath{op: op, path: fp})
			if isVersionObject(f, a.p.fromPath) {
				a.coWalk(op, f.Type(), p, fp, seen)
			}
		}
	}
}

// schemaAt resolves a JSON path in version v's response of op.
func (a *analyzer) schemaAt(v string, op Op, path []string) (*SchemaFacts, bool) {
	resp := successResponse(a.factsOp(v, op))
	if resp == nil {
		return nil, false
	}
	s := resp.Schema
	for _, part := range path {
		if part == "[]" {
			r := a.facts.resolve(v, s)
			if r == nil || r.Items == nil {
				return nil, false
			}
			s = r.Items
			continue
		}
		s = a.properties(v, s)[part]
		if s == nil {
			return nil, false
		}
	}
	return a.flatten(v, s), true
}

// flatten resolves a leaf schema's reference and merges allOf for the
// facts a leaf comparison reads.
func (a *analyzer) flatten(v string, s *SchemaFacts) *SchemaFacts {
	r := a.facts.resolve(v, s)
	if r == nil {
		return &SchemaFacts{}
	}
	out := *r
	if s.Nullable {
		out.Nullable = true
	}
	for _, x := range r.AllOf {
		if x := a.facts.resolve(v, x); x != nil {
			out.Nullable = out.Nullable || x.Nullable
			if out.Type == "" {
				out.Type, out.Format = x.Type, x.Format
			}
			if out.Enum == nil {
				out.Enum = x.Enum
			}
		}
	}
	return &out
}

// behaviourFindings: per call of an operation, what its facts say changed;
// per read of a response field, what its schema says changed; per use of an
// enum constant, the values its type gained.
func (a *analyzer) behaviourFindings() {
	a.eachUse(func(_ *localPackage, id *ast.Ident, obj types.Object) {
		if op, ok := a.operationOf(obj); ok {
			a.operationFindings(id, op)
			return
		}
		if v, ok := obj.(*types.Var); ok && v.IsField() {
			a.fieldFindings(id, v)
			return
		}
		if c, ok := obj.(*types.Const); ok {
			a.enumConstFindings(id, c)
		}
	})
}

func (a *analyzer) operationFindings(id *ast.Ident, op Op) {
	from, to := a.factsOp(a.from, op), a.factsOp(a.to, op)
	if from == nil {
		return
	}
	add := func(change, msg string) {
		o := op
		a.add(id.Pos(), &Finding{Kind: "behaviour", Change: change, Symbol: id.Name, Message: msg, Op: &o})
	}
	if to == nil {
		add("operation-removed", fmt.Sprintf("%s %s is not in %s", op.Method, op.Path, a.to))
		return
	}
	if to.Deprecated && !from.Deprecated {
		add("deprecated", fmt.Sprintf("%s %s is deprecated in %s", op.Method, op.Path, a.to))
	}
	fromStatus := map[string]*RespFacts{}
	for _, r := range from.Responses {
		fromStatus[r.Status] = r
	}
	toStatus := map[string]bool{}
	for _, r := range to.Responses {
		toStatus[r.Status] = true
		old := fromStatus[r.Status]
		if old == nil {
			what := "an error (*intercom.Error)"
			if strings.HasPrefix(r.Status, "2") {
				what = "a success"
			}
			add("status-added", fmt.Sprintf("%s %s can answer %s in %s (not declared in %s): %s", op.Method, op.Path,
				r.Status, a.to, a.from, what))
		}
		var oldCodes []string
		if old != nil {
			oldCodes = old.ErrorCodes
		}
		if added := minusStrings(r.ErrorCodes, oldCodes); len(added) > 0 {
			add("error-code-added", fmt.Sprintf("%s %s: status %s declares new error codes in %s: %s", op.Method, op.Path,
				r.Status, a.to, quoteAll(added)))
		}
	}
	for _, r := range from.Responses {
		if !toStatus[r.Status] {
			add("status-removed", fmt.Sprintf("%s %s no longer declares status %s in %s", op.Method, op.Path, r.Status, a.to))
		}
	}
	toParams := map[string]*ParamFacts{}
	for _, p := range to.Parameters {
		toParams[p.In+" "+p.Name] = p
	}
	for _, p := range from.Parameters {
		tp := toParams[p.In+" "+p.Name]
		if tp == nil {
			continue
		}
		if tp.Required && !p.Required {
			add("became-required", fmt.Sprintf("%s parameter %s became required in %s", p.In, p.Name, a.to))
		}
		var fd, td string
		if p.Schema != nil {
			fd = p.Schema.Default
		}
		if tp.Schema != nil {
			td = tp.Schema.Default
		}
		if fd != td {
			add("default-changed", fmt.Sprintf("%s parameter %s: default changed from %q to %q in %s", p.In, p.Name, fd, td, a.to))
		}
	}
}

func (a *analyzer) fieldFindings(id *ast.Ident, v *types.Var) {
	paths := a.fieldPaths[v]
	if len(paths) == 0 && v.Origin() != v {
		paths = a.fieldPaths[v.Origin()]
	}
	type change struct{ kind, msg string }
	seen := map[change][]Op{}
	var order []change
	note := func(c change, op Op) {
		if _, ok := seen[c]; !ok {
			order = append(order, c)
		}
		seen[c] = append(seen[c], op)
	}
	for _, fp := range paths {
		from, ok := a.schemaAt(a.from, fp.op, fp.path)
		if !ok {
			continue
		}
		where := fmt.Sprintf("response member %s", strings.ReplaceAll(strings.Join(fp.path, "."), ".[]", "[]"))
		to, ok := a.schemaAt(a.to, fp.op, fp.path)
		if !ok {
			if a.factsOp(a.to, fp.op) != nil {
				note(change{"field-removed", fmt.Sprintf("field %s: %s is not declared in %s", v.Name(), where, a.to)}, fp.op)
			}
			continue
		}
		if added := minusStrings(to.Enum, from.Enum); len(from.Enum) > 0 && len(added) > 0 {
			note(change{"enum-values-added", fmt.Sprintf("field %s: %s can hold new values in %s: %s", v.Name(), where,
				a.to, quoteAll(added))}, fp.op)
		}
		if to.Nullable && !from.Nullable {
			note(change{"became-nullable", fmt.Sprintf("field %s: %s became nullable in %s", v.Name(), where, a.to)}, fp.op)
		}
		if ft, tt := typeFact(from), typeFact(to); ft != tt && ft != "" && tt != "" {
			note(change{"type-changed", fmt.Sprintf("field %s: %s changed from %s to %s in %s", v.Name(), where, ft, tt,
				a.to)}, fp.op)
		}
	}
	for _, c := range order {
		ops := seen[c]
		f := &Finding{Kind: "behaviour", Change: c.kind, Symbol: "." + v.Name(), Message: c.msg}
		if len(ops) == 1 {
			f.Op = &ops[0]
		} else {
			names := make([]string, len(ops))
			for i, o := range ops {
				names[i] = cmpName(o)
			}
			slices.Sort(names)
			f.Message += " (" + strings.Join(slices.Compact(names), ", ") + ")"
			f.Model = "responses of several operations"
			if owner := a.fieldOwner(v); owner != nil {
				f.Model = owner.Name()
			}
		}
		a.add(id.Pos(), f)
	}
}

func cmpName(o Op) string {
	if o.OperationID != "" {
		return o.OperationID
	}
	return o.Method + " " + o.Path
}

func typeFact(s *SchemaFacts) string {
	if s.Type == "" {
		return ""
	}
	if s.Format != "" {
		return s.Type + " (" + s.Format + ")"
	}
	return s.Type
}

// enumConstFindings: a constant of a FROM enum type whose TO counterpart
// has constants of values FROM lacks (a switch over it may need a case).
func (a *analyzer) enumConstFindings(id *ast.Ident, c *types.Const) {
	tn := namedOf(c.Type())
	if tn == nil || !isVersionObject(tn, a.p.fromPath) {
		return
	}
	values := func(pkg *types.Package, typeName string) []string {
		var out []string
		for _, k := range a.index(pkg).consts[strings.ToLower(typeName)] {
			out = append(out, k.Val().ExactString())
		}
		return out
	}
	fromValues := values(a.p.fromPkg, tn.Name())
	toValues := values(a.p.toPkg, tn.Name())
	if len(toValues) == 0 {
		return
	}
	if added := minusStrings(toValues, fromValues); len(added) > 0 {
		f := &Finding{Kind: "behaviour", Change: "enum-values-added", Symbol: a.symbolName(c), Model: tn.Name(),
			Message: fmt.Sprintf("enum %s has new values in %s: %s (a switch over it may need a case)", tn.Name(), a.to,
				strings.Join(added, ", "))}
		var ops []Op
		for key, reached := range a.opTypes {
			if reached[tn] {
				ops = append(ops, a.usedOps[key])
			}
		}
		if len(ops) == 1 {
			f.Op, f.Model = &ops[0], ""
		}
		a.add(id.Pos(), f)
	}
}

func minusStrings(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// fieldOwner is the named FROM type whose struct (or an unnamed struct
// inside it) declares field v.
func (a *analyzer) fieldOwner(v *types.Var) *types.TypeName {
	if a.owners == nil {
		a.owners = map[*types.Var]*types.TypeName{}
		scope := a.p.fromPkg.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok {
				continue
			}
			var walk func(t types.Type, depth int)
			walk = func(t types.Type, depth int) {
				if depth > 8 {
					return
				}
				switch u := t.(type) {
				case *types.Pointer:
					walk(u.Elem(), depth+1)
				case *types.Slice:
					walk(u.Elem(), depth+1)
				case *types.Struct:
					for i := 0; i < u.NumFields(); i++ {
						f := u.Field(i)
						if _, taken := a.owners[f]; !taken || !tn.IsAlias() {
							a.owners[f] = tn
						}
						walk(f.Type(), depth+1)
					}
				}
			}
			walk(types.Unalias(tn.Type()).Underlying(), 0)
		}
	}
	return a.owners[v.Origin()]
}
