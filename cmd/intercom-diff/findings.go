package main

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// Finding is one place in the caller's module that a move from one version
// to another affects.
type Finding struct {
	// Pos is "file.go:LINE:COL", relative to the module's directory.
	Pos  string `json:"pos"`
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	// Kind is "compile" (the site stops compiling) or "behaviour" (it
	// compiles, but what the API does there changed).
	Kind string `json:"kind"`
	// Change names the change: removed, renamed, signature, field-type,
	// type-changed, other (compile); status-added, status-removed,
	// error-code-added, enum-values-added, became-nullable, field-removed,
	// deprecated, operation-removed, default-changed, became-required
	// (behaviour).
	Change string `json:"change"`
	// Symbol is the Go name the site uses, as the FROM package spells it.
	Symbol string `json:"symbol,omitempty"`
	// Message says what changed and, for compile findings, what to use
	// instead.
	Message string `json:"message"`
	// Replacement is the TO name or type to use, when there is one.
	Replacement string `json:"replacement,omitempty"`
	// Compiler is the type checker's message at this site (compile only).
	Compiler string `json:"compiler,omitempty"`
	// Op is the operation the site belongs to; empty for a model used by
	// several operations (then Model names it).
	Op    *Op    `json:"op,omitempty"`
	Model string `json:"model,omitempty"`
}

// ModuleReport is what changes for one program between two versions.
type ModuleReport struct {
	Module string `json:"module"`
	From   string `json:"from"`
	To     string `json:"to"`
	// Operations are the operations the program calls, in FROM.
	Operations []Op       `json:"operations"`
	Compile    int        `json:"compile"`
	Behaviour  int        `json:"behaviour"`
	Findings   []*Finding `json:"findings"`
	// Models lists, for each model a finding is grouped under, the
	// operations the program calls whose methods reach it.
	Models map[string][]string `json:"models,omitempty"`
}

// analyzer holds what the findings of one program are computed from.
type analyzer struct {
	p          *program
	from, to   string
	facts      *Facts
	fromNames  map[string]Op // Go method or iterator → operation
	toByOp     map[string]opInfo
	toByID     map[string]opInfo
	usedOps    map[string]Op                       // method+path → op
	opTypes    map[string]map[*types.TypeName]bool // method+path → FROM types its method reaches
	fieldPaths map[*types.Var][]fieldPath
	owners     map[*types.Var]*types.TypeName
	indexes    map[*types.Package]*pkgIndex
	findings   []*Finding
}

// fieldPath places a Go field of FROM in an operation's response.
type fieldPath struct {
	op   Op
	path []string
}

func opKeyOf(o Op) string { return o.Method + " " + o.Path }

// analyzeProgram computes the findings of p.
func analyzeProgram(p *program, from, to string, facts *Facts) *ModuleReport {
	a := &analyzer{p: p, from: from, to: to, facts: facts,
		fromNames: operationNames(p.fromOps), toByOp: map[string]opInfo{}, toByID: map[string]opInfo{},
		usedOps: map[string]Op{}, opTypes: map[string]map[*types.TypeName]bool{}}
	for _, o := range p.toOps {
		a.toByOp[opKeyOf(o.Op)] = o
		if o.OperationID != "" {
			a.toByID[o.OperationID] = o
		}
	}
	a.collectOperations()
	a.mapFields()
	a.compileFindings()
	a.behaviourFindings()
	r := &ModuleReport{Module: p.dir, From: from, To: to, Operations: []Op{}, Findings: a.findings}
	for _, o := range a.usedOps {
		r.Operations = append(r.Operations, o)
	}
	slices.SortFunc(r.Operations, compareOp)
	slices.SortStableFunc(r.Findings, func(x, y *Finding) int {
		return cmp.Or(cmp.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line), cmp.Compare(x.Col, y.Col),
			cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.Change, y.Change), cmp.Compare(x.Message, y.Message))
	})
	if r.Findings == nil {
		r.Findings = []*Finding{}
	}
	r.count()
	for _, f := range r.Findings {
		if f.Model != "" {
			if r.Models == nil {
				r.Models = map[string][]string{}
			}
			if _, done := r.Models[f.Model]; !done {
				r.Models[f.Model] = a.operationsReaching(f.Model)
			}
		}
	}
	return r
}

// count sets Compile and Behaviour from the findings.
func (r *ModuleReport) count() {
	r.Compile, r.Behaviour = 0, 0
	for _, f := range r.Findings {
		if f.Kind == "compile" {
			r.Compile++
		} else {
			r.Behaviour++
		}
	}
}

// operationsReaching names the used operations whose methods reach the
// FROM type called model.
func (a *analyzer) operationsReaching(model string) []string {
	names := []string{}
	for key, reached := range a.opTypes {
		for tn := range reached {
			if tn.Name() == model {
				names = append(names, cmpName(a.usedOps[key]))
				break
			}
		}
	}
	slices.Sort(names)
	return names
}

// eachUse calls fn for every identifier of the module that refers to a
// FROM object.
func (a *analyzer) eachUse(fn func(l *localPackage, id *ast.Ident, obj types.Object)) {
	for _, l := range a.p.local {
		for _, f := range l.files {
			ast.Inspect(f, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return true
				}
				if obj := l.fromInfo.Uses[id]; isVersionObject(obj, a.p.fromPath) {
					fn(l, id, obj)
				}
				return true
			})
		}
	}
}

// operationOf is the operation a FROM method (typed, iterator or raw) calls.
func (a *analyzer) operationOf(obj types.Object) (Op, bool) {
	fn, ok := obj.(*types.Func)
	if !ok {
		return Op{}, false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil {
		return Op{}, false
	}
	name := fn.Name()
	for _, s := range methodSuffixes {
		name = strings.TrimSuffix(name, s)
	}
	op, ok := a.fromNames[name]
	return op, ok
}

// collectOperations finds the operations the program calls and the FROM
// types each one's method reaches.
func (a *analyzer) collectOperations() {
	a.eachUse(func(_ *localPackage, _ *ast.Ident, obj types.Object) {
		op, ok := a.operationOf(obj)
		if !ok {
			return
		}
		key := opKeyOf(op)
		a.usedOps[key] = op
		if a.opTypes[key] == nil {
			a.opTypes[key] = map[*types.TypeName]bool{}
		}
		reachTypes(obj.Type(), a.p.fromPath, a.opTypes[key], map[types.Type]bool{})
	})
}

// reachTypes adds to out every named type or alias of root's packages that
// t mentions, through fields, elements, signatures and type arguments.
func reachTypes(t types.Type, root string, out map[*types.TypeName]bool, seen map[types.Type]bool) {
	if t == nil || seen[t] {
		return
	}
	seen[t] = true
	switch t := t.(type) {
	case *types.Alias:
		if isVersionObject(t.Obj(), root) {
			out[t.Obj()] = true
		}
		reachTypes(types.Unalias(t), root, out, seen)
	case *types.Named:
		if !isVersionObject(t.Obj(), root) {
			for i := 0; i < t.TypeArgs().Len(); i++ {
				reachTypes(t.TypeArgs().At(i), root, out, seen)
			}
			return
		}
		out[t.Obj()] = true
		reachTypes(t.Underlying(), root, out, seen)
	case *types.Pointer:
		reachTypes(t.Elem(), root, out, seen)
	case *types.Slice:
		reachTypes(t.Elem(), root, out, seen)
	case *types.Array:
		reachTypes(t.Elem(), root, out, seen)
	case *types.Map:
		reachTypes(t.Key(), root, out, seen)
		reachTypes(t.Elem(), root, out, seen)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			reachTypes(t.Field(i).Type(), root, out, seen)
		}
	case *types.Signature:
		for i := 0; i < t.Params().Len(); i++ {
			reachTypes(t.Params().At(i).Type(), root, out, seen)
		}
		for i := 0; i < t.Results().Len(); i++ {
			reachTypes(t.Results().At(i).Type(), root, out, seen)
		}
	}
}

// qualifier writes the version packages as a caller's code names them.
func (a *analyzer) qualifier(p *types.Package) string {
	if p.Path() == a.p.fromPath || p.Path() == a.p.toPath {
		return "intercom"
	}
	if rest, ok := strings.CutPrefix(p.Path(), a.p.fromPath+"/"); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(p.Path(), a.p.toPath+"/"); ok {
		return rest
	}
	return p.Name()
}

func (a *analyzer) typeString(t types.Type) string {
	return elideStructs(types.TypeString(t, a.qualifier))
}

// add records a finding at pos.
func (a *analyzer) add(pos token.Pos, f *Finding) {
	position := a.p.position(pos)
	f.File, f.Line, f.Col = position.Filename, position.Line, position.Column
	f.Pos = fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Col)
	a.findings = append(a.findings, f)
}

// site is the FROM object an error site uses, with the syntax around it.
type site struct {
	obj   types.Object
	ident *ast.Ident
	// expr is set instead of obj for an expression whose type mentions
	// FROM's types (a variable holding an operation's result).
	expr ast.Expr
	path []ast.Node // innermost first
}

// sitesAt lists the uses of FROM objects that enclose pos, innermost
// first, and the syntax path to pos.
func (a *analyzer) sitesAt(pos token.Pos) (*localPackage, []site, []ast.Node) {
	for _, l := range a.p.local {
		for _, f := range l.files {
			if pos < f.FileStart || pos > f.FileEnd {
				continue
			}
			path, _ := astutil.PathEnclosingInterval(f, pos, pos)
			var sites []site
			for _, n := range path {
				if s, ok := a.useIn(l, n); ok {
					s.path = path
					sites = append(sites, s)
				}
			}
			return l, sites, path
		}
	}
	return nil, nil, nil
}

// useIn is the FROM object node n uses directly: an identifier, a
// selector's member, a call's function, a composite literal's key, or an
// expression of a FROM type.
func (a *analyzer) useIn(l *localPackage, n ast.Node) (site, bool) {
	info := l.fromInfo
	switch n := n.(type) {
	case *ast.Ident:
		if obj := info.Uses[n]; isVersionObject(obj, a.p.fromPath) {
			return site{obj: obj, ident: n}, true
		}
	case *ast.SelectorExpr:
		if obj := info.Uses[n.Sel]; isVersionObject(obj, a.p.fromPath) {
			return site{obj: obj, ident: n.Sel}, true
		}
	case *ast.CallExpr:
		switch fun := ast.Unparen(n.Fun).(type) {
		case *ast.SelectorExpr:
			if obj := info.Uses[fun.Sel]; isVersionObject(obj, a.p.fromPath) {
				return site{obj: obj, ident: fun.Sel}, true
			}
		case *ast.Ident:
			if obj := info.Uses[fun]; isVersionObject(obj, a.p.fromPath) {
				return site{obj: obj, ident: fun}, true
			}
		}
	case *ast.KeyValueExpr:
		if id, ok := n.Key.(*ast.Ident); ok {
			if obj := info.Uses[id]; isVersionObject(obj, a.p.fromPath) {
				return site{obj: obj, ident: id}, true
			}
		}
	}
	if e, ok := n.(ast.Expr); ok {
		if t := info.TypeOf(e); t != nil && a.mentionsFrom(t) {
			return site{expr: e}, true
		}
	}
	return site{}, false
}

// mentionsFrom reports whether t names a type of FROM's packages.
func (a *analyzer) mentionsFrom(t types.Type) bool {
	found := false
	reached := map[*types.TypeName]bool{}
	reachTypes(t, a.p.fromPath, reached, map[types.Type]bool{})
	for range reached {
		found = true
	}
	return found
}

// namedOf is the name of t (through pointers, slices and iterators'
// elements): a defined type or an alias.
func namedOf(t types.Type) *types.TypeName {
	for range 5 {
		switch x := t.(type) {
		case *types.Alias:
			return x.Obj()
		case *types.Named:
			return x.Obj()
		case *types.Pointer:
			t = x.Elem()
		case *types.Slice:
			t = x.Elem()
		default:
			return nil
		}
	}
	return nil
}

// compileFindings explains each error of the check against TO by the
// innermost FROM use around it that changed in TO: the field, the method,
// the type, or else the expression whose type changed.
func (a *analyzer) compileFindings() {
	for _, e := range a.p.toErrors {
		l, sites, path := a.sitesAt(e.Pos)
		var chosen *Finding
		var chosenSite site
		for _, s := range sites {
			f := &Finding{Kind: "compile", Compiler: e.Msg, Change: "other"}
			changed := a.describeCompile(l, s, f)
			if chosen == nil || changed {
				chosen, chosenSite = f, s
			}
			if changed {
				break
			}
		}
		if chosen == nil {
			chosen = &Finding{Kind: "compile", Compiler: e.Msg, Change: "other", Message: e.Msg}
			if l != nil {
				a.groupByCall(l, path, chosen)
			}
		} else {
			a.group(l, chosenSite, chosen)
		}
		if chosen.Message == "" {
			chosen.Message = e.Msg
		}
		a.add(e.Pos, chosen)
	}
}

// symbolName names a FROM object as a caller reads it: intercom.T,
// (*intercom.Client).M, intercom.T.Field.
func (a *analyzer) symbolName(obj types.Object) string {
	switch obj := obj.(type) {
	case *types.Func:
		if recv := obj.Type().(*types.Signature).Recv(); recv != nil {
			return fmt.Sprintf("(%s).%s", a.typeString(recv.Type()), obj.Name())
		}
	case *types.Var:
		if obj.IsField() {
			return "." + obj.Name()
		}
	}
	return a.qualifier(obj.Pkg()) + "." + obj.Name()
}

// describeCompile fills f's change, message and replacement from how the
// site's FROM object looks in TO; it reports whether that differs.
func (a *analyzer) describeCompile(l *localPackage, s site, f *Finding) bool {
	if s.expr != nil {
		return a.describeExpr(l, s.expr, f)
	}
	f.Symbol = a.symbolName(s.obj)
	switch obj := s.obj.(type) {
	case *types.Func:
		if obj.Type().(*types.Signature).Recv() != nil {
			return a.describeMethod(l, s, obj, f)
		}
	case *types.Var:
		if obj.IsField() {
			return a.describeField(l, s, obj, f)
		}
	}
	return a.describePackageLevel(s.obj, f)
}

// fullString writes t with both versions' packages as "intercom", so that
// equal strings mean the same shape in both.
func (a *analyzer) fullString(t types.Type) string {
	return types.TypeString(t, a.qualifier)
}

// describeExpr: an expression (a variable, a call) whose type differs in
// TO, with the operation whose result it holds.
func (a *analyzer) describeExpr(l *localPackage, e ast.Expr, f *Finding) bool {
	from, to := l.fromInfo.TypeOf(e), validType(l.toInfo.TypeOf(e))
	if to == nil || a.fullString(from) == a.fullString(to) {
		return false
	}
	what := types.ExprString(e)
	f.Change, f.Replacement = "type-changed", a.typeString(to)
	f.Message = fmt.Sprintf("%s is `%s` in %s (was `%s`)", what, f.Replacement, a.to, a.typeString(from))
	if op, name, ok := a.resultOrigin(l, e); ok {
		f.Message += fmt.Sprintf(": the result of %s (%s %s) changed", name, op.Method, op.Path)
		f.Op = &op
	} else if d := a.structDiff(from, to); d != "" {
		f.Message += ": " + d
	}
	return true
}

// resultOrigin finds the operation call whose result a variable was
// defined from (`x, err := c.Op(…)`), or the call e itself is.
func (a *analyzer) resultOrigin(l *localPackage, e ast.Expr) (Op, string, bool) {
	callOp := func(call *ast.CallExpr) (Op, string, bool) {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return Op{}, "", false
		}
		op, ok := a.operationOf(l.fromInfo.Uses[sel.Sel])
		return op, sel.Sel.Name, ok
	}
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		return callOp(call)
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return Op{}, "", false
	}
	v := l.fromInfo.Uses[id]
	if v == nil {
		return Op{}, "", false
	}
	var found *ast.CallExpr
	for _, file := range l.files {
		if v.Pos() < file.FileStart || v.Pos() > file.FileEnd {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Rhs) != 1 || found != nil {
				return found == nil
			}
			for _, lhs := range as.Lhs {
				if lid, ok := lhs.(*ast.Ident); ok && l.fromInfo.Defs[lid] == v {
					found, _ = ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
				}
			}
			return found == nil
		})
	}
	if found == nil {
		return Op{}, "", false
	}
	return callOp(found)
}

// structDiff names the fields (by JSON name) that differ between two
// struct types, for a change that would otherwise read "struct{…} to
// struct{…}".
func (a *analyzer) structDiff(from, to types.Type) string {
	fields := func(t types.Type) map[string]string {
		out := map[string]string{}
		walkFields(t, func(v *types.Var, tag string) bool {
			if name := tagName(tag, v.Name()); name != "" {
				out[name] = v.Name() + " " + a.typeString(v.Type())
			}
			return true
		})
		return out
	}
	deep := func(t types.Type) types.Type {
		for range 4 {
			switch u := types.Unalias(t).Underlying().(type) {
			case *types.Pointer:
				t = u.Elem()
			case *types.Slice:
				t = u.Elem()
			default:
				return t
			}
		}
		return t
	}
	ff, tf := fields(deep(from)), fields(deep(to))
	if len(ff) == 0 && len(tf) == 0 {
		return ""
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(ff)) {
		switch t, ok := tf[k]; {
		case !ok:
			parts = append(parts, fmt.Sprintf("%s removed", k))
		case t != ff[k]:
			parts = append(parts, fmt.Sprintf("%s `%s` → `%s`", k, ff[k], t))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(tf)) {
		if _, ok := ff[k]; !ok {
			parts = append(parts, fmt.Sprintf("%s added", k))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	const most = 6
	if len(parts) > most {
		parts = append(parts[:most], fmt.Sprintf("and %d more", len(parts)-most))
	}
	return "fields " + strings.Join(parts, "; ")
}

// describeMethod: same name in TO (a changed signature), the same
// operation under another name, or gone.
func (a *analyzer) describeMethod(l *localPackage, s site, fn *types.Func, f *Finding) bool {
	recv := fn.Type().(*types.Signature).Recv().Type()
	toRecv := a.counterpartType(recv)
	if sel, ok := enclosingSelector(s); ok {
		if t := l.toInfo.TypeOf(sel.X); t != nil && t != types.Typ[types.Invalid] {
			toRecv = t
		}
	}
	if toRecv != nil {
		if m, _, _ := types.LookupFieldOrMethod(toRecv, true, a.p.toPkg, fn.Name()); m != nil {
			if m2, ok := m.(*types.Func); ok {
				if a.fullString(m2.Type()) == a.fullString(fn.Type()) {
					return false
				}
				f.Change = "signature"
				f.Replacement = a.typeString(m2.Type())
				f.Message = fmt.Sprintf("%s: %s; now `%s`", fn.Name(),
					a.signatureDiff(fn.Type().(*types.Signature), m2.Type().(*types.Signature)), f.Replacement)
				return true
			}
		}
	}
	if op, ok := a.operationOf(fn); ok {
		to, found := a.toByOp[opKeyOf(op)]
		if !found && op.OperationID != "" {
			to, found = a.toByID[op.OperationID]
		}
		if !found {
			f.Change = "removed"
			f.Message = fmt.Sprintf("%s: operation %s %s is not in %s", fn.Name(), op.Method, op.Path, a.to)
			return true
		}
		name := to.GoMethod
		if fn.Name() == a.iteratorName(op) && to.Iterator != "" {
			name = to.Iterator
		}
		f.Change, f.Replacement = "renamed", name
		f.Message = fmt.Sprintf("%s: renamed to %s (the same operation, %s %s)", fn.Name(), name, to.Method, to.Path)
		if toRecv != nil {
			if m, _, _ := types.LookupFieldOrMethod(toRecv, true, a.p.toPkg, name); m != nil {
				f.Message += fmt.Sprintf("; signature `%s`", a.typeString(m.Type()))
			}
		}
		return true
	}
	if toRecv != nil {
		if alt := a.foldedMember(toRecv, fn.Name()); alt != "" {
			f.Change, f.Replacement = "renamed", alt
			f.Message = fmt.Sprintf("%s: renamed to %s", fn.Name(), alt)
			return true
		}
	}
	f.Change = "removed"
	f.Message = fmt.Sprintf("%s: removed in %s", fn.Name(), a.to)
	return true
}

func (a *analyzer) iteratorName(op Op) string {
	for _, o := range a.p.fromOps {
		if o.Op == op {
			return o.Iterator
		}
	}
	return ""
}

// foldedMember finds a field or method of t whose name differs from name
// only in case (Id → ID).
func (a *analyzer) foldedMember(t types.Type, name string) string {
	ms := types.NewMethodSet(t)
	if _, isPtr := t.(*types.Pointer); !isPtr {
		ms = types.NewMethodSet(types.NewPointer(t))
	}
	for i := 0; i < ms.Len(); i++ {
		if n := ms.At(i).Obj().Name(); n != name && strings.EqualFold(n, name) {
			return n
		}
	}
	if st, ok := deref(t).Underlying().(*types.Struct); ok {
		for i := 0; i < st.NumFields(); i++ {
			if n := st.Field(i).Name(); n != name && strings.EqualFold(n, name) {
				return n
			}
		}
	}
	return ""
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func enclosingSelector(s site) (*ast.SelectorExpr, bool) {
	for _, n := range s.path {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel == s.ident {
			return sel, true
		}
	}
	return nil, false
}

// counterpartType is TO's type of the same name as FROM's named type t
// (through a pointer), or nil.
func (a *analyzer) counterpartType(t types.Type) types.Type {
	ptr := false
	if p, ok := t.(*types.Pointer); ok {
		t, ptr = p.Elem(), true
	}
	tn := namedOf(t)
	if tn == nil {
		return nil
	}
	obj, ok := a.p.toPkg.Scope().Lookup(tn.Name()).(*types.TypeName)
	if !ok {
		return nil
	}
	if ptr {
		return types.NewPointer(obj.Type())
	}
	return obj.Type()
}

// describeField: the field with the same JSON name in TO's type of the
// same expression (renamed, retyped) or none.
func (a *analyzer) describeField(l *localPackage, s site, field *types.Var, f *Finding) bool {
	fromOwner, toOwner := a.fieldOwners(l, s)
	jsonName := ""
	if fromOwner != nil {
		jsonName = jsonNameOf(fromOwner, field)
	}
	where := ""
	if jsonName != "" {
		where = fmt.Sprintf(" (json %q)", jsonName)
	}
	if toOwner == nil {
		f.Message = fmt.Sprintf("field %s%s: the type that holds it changed in %s", field.Name(), where, a.to)
		return false
	}
	if jsonName != "" {
		if tf := fieldByJSON(toOwner, jsonName); tf != nil {
			switch {
			case tf.Name() != field.Name():
				f.Change, f.Replacement = "renamed", tf.Name()
				f.Message = fmt.Sprintf("field %s%s: renamed to %s", field.Name(), where, tf.Name())
				if !types.Identical(tf.Type(), a.counterpartOrSelf(field.Type())) {
					f.Message += fmt.Sprintf(", type `%s` (was `%s`)", a.typeString(tf.Type()), a.typeString(field.Type()))
				}
			case a.fullString(tf.Type()) == a.fullString(field.Type()):
				return false
			default:
				f.Change, f.Replacement = "field-type", a.typeString(tf.Type())
				f.Message = fmt.Sprintf("field %s%s: type changed from `%s` to `%s`", field.Name(), where,
					a.typeString(field.Type()), f.Replacement)
				if d := a.structDiff(field.Type(), tf.Type()); d != "" {
					f.Message += ": " + d
				}
			}
			return true
		}
	}
	if alt := a.foldedMember(toOwner, field.Name()); alt != "" {
		f.Change, f.Replacement = "renamed", alt
		f.Message = fmt.Sprintf("field %s%s: renamed to %s", field.Name(), where, alt)
		return true
	}
	f.Change = "removed"
	f.Message = fmt.Sprintf("field %s%s: not in `%s` any more", field.Name(), where, a.typeString(toOwner))
	if shape := a.shapeOf(toOwner); shape != "" {
		f.Message += "; it is now " + shape
	}
	return true
}

// counterpartOrSelf maps a FROM named type to TO's of the same name, so
// that an unchanged field type does not read as changed.
func (a *analyzer) counterpartOrSelf(t types.Type) types.Type {
	if c := a.counterpartType(t); c != nil {
		return c
	}
	return t
}

// fieldOwners are the FROM and TO types of the struct a field site selects
// from or builds.
func (a *analyzer) fieldOwners(l *localPackage, s site) (from, to types.Type) {
	keyed := false
	for _, n := range s.path {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if n.Sel == s.ident {
				return l.fromInfo.TypeOf(n.X), validType(l.toInfo.TypeOf(n.X))
			}
		case *ast.KeyValueExpr:
			keyed = keyed || n.Key == s.ident
		case *ast.CompositeLit:
			if keyed {
				return l.fromInfo.TypeOf(n), validType(l.toInfo.TypeOf(n))
			}
		}
	}
	return nil, nil
}

func validType(t types.Type) types.Type {
	if t == nil || t == types.Typ[types.Invalid] {
		return nil
	}
	return t
}

// jsonNameOf is the JSON name of field within owner (through embedded
// fields), from its struct tag.
func jsonNameOf(owner types.Type, field *types.Var) string {
	var found string
	walkFields(owner, func(v *types.Var, tag string) bool {
		if v == field || v.Origin() == field.Origin() {
			found = tagName(tag, v.Name())
			return false
		}
		return true
	})
	return found
}

// fieldByJSON finds the field of owner that a JSON member name decodes into.
func fieldByJSON(owner types.Type, name string) *types.Var {
	var found *types.Var
	walkFields(owner, func(v *types.Var, tag string) bool {
		if tagName(tag, v.Name()) == name {
			found = v
			return false
		}
		return true
	})
	return found
}

// walkFields visits the fields of owner's struct, promoting embedded ones,
// until visit returns false.
func walkFields(owner types.Type, visit func(v *types.Var, tag string) bool) bool {
	st, ok := deref(types.Unalias(owner)).Underlying().(*types.Struct)
	if !ok {
		return true
	}
	for i := 0; i < st.NumFields(); i++ {
		v := st.Field(i)
		if !visit(v, st.Tag(i)) {
			return false
		}
		if v.Embedded() && tagName(st.Tag(i), "") == "" {
			if !walkFields(v.Type(), visit) {
				return false
			}
		}
	}
	return true
}

// tagName is the member name of a json struct tag ("" for "-"); a field
// without one is named by its Go name.
func tagName(tag, goName string) string {
	j, ok := reflect.StructTag(tag).Lookup("json")
	if !ok {
		return goName
	}
	name, _, _ := strings.Cut(j, ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return goName
	}
	return name
}

// describePackageLevel: a type, function, constant or variable of the
// version package, by name in TO, by case, by value (constants) or by its
// role in an operation's method (types).
func (a *analyzer) describePackageLevel(obj types.Object, f *Finding) bool {
	scope := a.p.toPkg.Scope()
	if obj.Pkg().Path() != a.p.fromPath {
		sub := strings.TrimPrefix(obj.Pkg().Path(), a.p.fromPath)
		f.Message = fmt.Sprintf("%s: changed in %s%s", obj.Name(), a.p.toPath, sub)
		return true
	}
	if same := scope.Lookup(obj.Name()); same != nil {
		if a.fullString(same.Type()) == a.fullString(obj.Type()) && a.describeObj(same) == a.describeObj(obj) &&
			fullUnderlying(a, same) == fullUnderlying(a, obj) {
			return false
		}
		f.Change = "type-changed"
		f.Replacement = a.typeString(same.Type())
		f.Message = fmt.Sprintf("%s: now `%s` (was `%s`)", obj.Name(), a.describeObj(same), a.describeObj(obj))
		if d := a.structDiff(obj.Type(), same.Type()); d != "" {
			f.Message += ": " + d
		}
		return true
	}
	if name, ok := a.index(a.p.toPkg).folded[strings.ToLower(obj.Name())]; ok {
		{
			f.Change, f.Replacement = "renamed", name
			f.Message = fmt.Sprintf("%s: renamed to %s", obj.Name(), name)
			return true
		}
	}
	if c, ok := obj.(*types.Const); ok {
		var typeName string
		if tn := namedOf(c.Type()); tn != nil {
			typeName = strings.ToLower(tn.Name())
		}
		for _, tc := range a.index(a.p.toPkg).consts[typeName] {
			if name := tc.Name(); constant_equal(tc, c) {
				f.Change, f.Replacement = "renamed", name
				f.Message = fmt.Sprintf("%s: renamed to %s (same value %s)", obj.Name(), name, c.Val())
				return true
			}
		}
		f.Change = "removed"
		f.Message = fmt.Sprintf("%s: removed in %s; no constant of type %s has the value %s there", obj.Name(), a.to,
			a.typeString(c.Type()), c.Val())
		return true
	}
	if tn, ok := obj.(*types.TypeName); ok {
		if repl := a.typeByRole(tn); repl != "" {
			f.Change, f.Replacement = "renamed", repl
			f.Message = fmt.Sprintf("%s: removed in %s; the operation's method now uses `%s`", obj.Name(), a.to, repl)
			return true
		}
	}
	f.Change = "removed"
	f.Message = fmt.Sprintf("%s: removed in %s", obj.Name(), a.to)
	return true
}

// fullUnderlying writes an object's underlying type in full, fields and
// all.
func fullUnderlying(a *analyzer, obj types.Object) string {
	return a.fullString(types.Unalias(obj.Type()).Underlying())
}

func constant_equal(a, b *types.Const) bool { return a.Val().ExactString() == b.Val().ExactString() }

func (a *analyzer) describeObj(obj types.Object) string {
	switch obj := obj.(type) {
	case *types.TypeName:
		if obj.IsAlias() {
			return "= " + a.typeString(types.Unalias(obj.Type()))
		}
		return a.typeString(obj.Type().Underlying())
	case *types.Const:
		return fmt.Sprintf("const %s = %s", a.typeString(obj.Type()), obj.Val())
	}
	return a.typeString(obj.Type())
}

// typeByRole finds the TO type that stands where tn stood in an
// operation's method: the same result or parameter position.
func (a *analyzer) typeByRole(tn *types.TypeName) string {
	for _, o := range a.p.fromOps {
		for _, name := range []string{o.GoMethod, o.Iterator} {
			if name == "" {
				continue
			}
			fromM := a.methodOf(a.p.fromPkg, name)
			to, ok := a.toByOp[opKeyOf(o.Op)]
			if !ok || fromM == nil {
				continue
			}
			toName := to.GoMethod
			if name == o.Iterator {
				toName = to.Iterator
			}
			toM := a.methodOf(a.p.toPkg, toName)
			if toM == nil {
				continue
			}
			fs, ts := fromM.Type().(*types.Signature), toM.Type().(*types.Signature)
			if fs.Results().Len() > 0 && ts.Results().Len() > 0 && namedOf(fs.Results().At(0).Type()) == tn {
				return a.typeString(deref(ts.Results().At(0).Type()))
			}
			for i := 0; i < fs.Params().Len(); i++ {
				if namedOf(fs.Params().At(i).Type()) != tn {
					continue
				}
				// The same parameter name, or the same position from the end
				// (bodies and params structs come last).
				for j := 0; j < ts.Params().Len(); j++ {
					if ts.Params().At(j).Name() == fs.Params().At(i).Name() {
						return a.typeString(deref(ts.Params().At(j).Type()))
					}
				}
				if k := ts.Params().Len() - (fs.Params().Len() - i); k >= 0 {
					return a.typeString(deref(ts.Params().At(k).Type()))
				}
			}
		}
	}
	return ""
}

// pkgIndex is what lookups across a version package need, computed once:
// Scope.Names sorts on every call, and a package has thousands of names.
type pkgIndex struct {
	folded map[string]string         // lower-case name → name
	consts map[string][]*types.Const // lower-case type name → its constants
	client map[string]*types.Func    // the operation methods, by name
}

// index builds (once) the index of FROM's or TO's package.
func (a *analyzer) index(pkg *types.Package) *pkgIndex {
	if a.indexes == nil {
		a.indexes = map[*types.Package]*pkgIndex{}
	}
	if ix := a.indexes[pkg]; ix != nil {
		return ix
	}
	ops := a.p.fromOps
	if pkg == a.p.toPkg {
		ops = a.p.toOps
	}
	ix := &pkgIndex{folded: map[string]string{}, consts: map[string][]*types.Const{}, client: clientMethods(pkg, ops)}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		ix.folded[strings.ToLower(name)] = name
		if c, ok := scope.Lookup(name).(*types.Const); ok {
			if tn := namedOf(c.Type()); tn != nil {
				key := strings.ToLower(tn.Name())
				ix.consts[key] = append(ix.consts[key], c)
			}
		}
	}
	a.indexes[pkg] = ix
	return ix
}

// methodOf finds an operation method of a version package's client.
func (a *analyzer) methodOf(pkg *types.Package, name string) *types.Func {
	return a.index(pkg).client[name]
}

// group ties a finding to its operation: the operation of the method it
// uses, of the call it stands in, or the one operation whose method reaches
// the model it uses; otherwise to the model.
func (a *analyzer) group(l *localPackage, s site, f *Finding) {
	if f.Op != nil {
		return // the description found it (the call a variable came from)
	}
	if op, ok := a.operationOf(s.obj); ok {
		f.Op = &op
		return
	}
	if a.groupByCall(l, s.path, f) {
		return
	}
	model := a.modelOf(l, s)
	if model == nil {
		return
	}
	f.Model = model.Name()
	var ops []Op
	for key, reached := range a.opTypes {
		if reached[model] {
			ops = append(ops, a.usedOps[key])
		}
	}
	if len(ops) == 1 {
		f.Op = &ops[0]
		f.Model = ""
	}
}

// groupByCall ties a finding to the operation whose call encloses it.
func (a *analyzer) groupByCall(l *localPackage, path []ast.Node, f *Finding) bool {
	for _, n := range path {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			continue
		}
		var id *ast.Ident
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.SelectorExpr:
			id = fun.Sel
		case *ast.Ident:
			id = fun
		}
		if id == nil {
			continue
		}
		if op, ok := a.operationOf(l.fromInfo.Uses[id]); ok {
			f.Op = &op
			return true
		}
	}
	return false
}

// modelOf is the named FROM type a site belongs to: a field's holder (the
// first named type down the selector chain), a method's receiver, a
// constant's type, a type itself.
func (a *analyzer) modelOf(l *localPackage, s site) *types.TypeName {
	switch obj := s.obj.(type) {
	case *types.TypeName:
		return obj
	case *types.Const:
		return namedOf(obj.Type())
	case *types.Var:
		if !obj.IsField() {
			return namedOf(obj.Type())
		}
		keyed := false
		for _, n := range s.path {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel == s.ident {
				x := ast.Expr(sel)
				for {
					inner, ok := ast.Unparen(x).(*ast.SelectorExpr)
					if !ok {
						return nil
					}
					x = inner.X
					if tn := namedOf(l.fromInfo.TypeOf(x)); tn != nil && isVersionObject(tn, a.p.fromPath) {
						return tn
					}
				}
			}
			if kv, ok := n.(*ast.KeyValueExpr); ok && kv.Key == s.ident {
				keyed = true
			}
			if lit, ok := n.(*ast.CompositeLit); ok && keyed {
				return namedOf(l.fromInfo.TypeOf(lit))
			}
		}
	case *types.Func:
		if recv := obj.Type().(*types.Signature).Recv(); recv != nil {
			return namedOf(recv.Type())
		}
	}
	return nil
}

// signatureDiff says how a method's parameters and results changed:
// parameters are matched by name (ignoring case, so contactId and
// contactID are one), else by position.
func (a *analyzer) signatureDiff(from, to *types.Signature) string {
	var parts []string
	fp, tp := from.Params(), to.Params()
	named := true
	for i := 0; i < fp.Len(); i++ {
		named = named && fp.At(i).Name() != "" && fp.At(i).Name() != "_"
	}
	for i := 0; i < tp.Len(); i++ {
		named = named && tp.At(i).Name() != "" && tp.At(i).Name() != "_"
	}
	matched := map[int]int{} // from index → to index
	used := map[int]bool{}
	for i := 0; i < fp.Len(); i++ {
		for j := 0; j < tp.Len(); j++ {
			if used[j] {
				continue
			}
			if (named && strings.EqualFold(fp.At(i).Name(), tp.At(j).Name())) || (!named && i == j) {
				matched[i], used[j] = j, true
				break
			}
		}
	}
	// Parameters left over at the same position are one renamed parameter
	// (a caller passes arguments by position).
	for i := 0; i < fp.Len() && i < tp.Len(); i++ {
		if _, ok := matched[i]; !ok && !used[i] {
			matched[i], used[i] = i, true
		}
	}
	label := func(v *types.Var, i int) string {
		if v.Name() != "" && v.Name() != "_" {
			return v.Name()
		}
		return fmt.Sprintf("#%d", i+1)
	}
	for i := 0; i < fp.Len(); i++ {
		j, ok := matched[i]
		if !ok {
			parts = append(parts, fmt.Sprintf("argument %s removed", label(fp.At(i), i)))
			continue
		}
		ft, tt := a.typeString(fp.At(i).Type()), a.typeString(tp.At(j).Type())
		if ft != tt {
			parts = append(parts, fmt.Sprintf("argument %s `%s` → `%s`", label(fp.At(i), i), ft, tt))
		}
	}
	for j := 0; j < tp.Len(); j++ {
		if !used[j] {
			parts = append(parts, fmt.Sprintf("new argument %s `%s` (position %d)", label(tp.At(j), j),
				a.typeString(tp.At(j).Type()), j+1))
		}
	}
	fr, tr := from.Results(), to.Results()
	for i := 0; i < max(fr.Len(), tr.Len()); i++ {
		switch {
		case i >= tr.Len():
			parts = append(parts, fmt.Sprintf("result %d removed", i+1))
		case i >= fr.Len():
			parts = append(parts, fmt.Sprintf("new result %d `%s`", i+1, a.typeString(tr.At(i).Type())))
		default:
			if ft, tt := a.typeString(fr.At(i).Type()), a.typeString(tr.At(i).Type()); ft != tt {
				parts = append(parts, fmt.Sprintf("result `%s` → `%s`", ft, tt))
			}
		}
	}
	if from.Variadic() != to.Variadic() {
		parts = append(parts, "variadic changed")
	}
	if len(parts) == 0 {
		return "signature changed"
	}
	return strings.Join(parts, "; ")
}

// shapeOf says briefly what a type without exported fields offers in TO
// instead: for an interface (a union as a sealed interface, say) the types
// of TO that implement it, else its exported methods (a union as a struct
// with As…/From… methods). It is "" for a struct with fields.
func (a *analyzer) shapeOf(t types.Type) string {
	t = deref(types.Unalias(t))
	hasFields := false
	walkFields(t, func(v *types.Var, _ string) bool {
		hasFields = hasFields || v.Exported()
		return !hasFields
	})
	if hasFields {
		// Still a struct: the missing field is simply gone.
		return ""
	}
	const most = 6
	list := func(names []string) string {
		if len(names) > most {
			return strings.Join(names[:most], ", ") + fmt.Sprintf(", … (%d in all)", len(names))
		}
		return strings.Join(names, ", ")
	}
	if iface, ok := t.Underlying().(*types.Interface); ok {
		var impls []string
		scope := a.p.toPkg.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() || types.Identical(tn.Type(), t) {
				continue
			}
			if _, isIface := tn.Type().Underlying().(*types.Interface); isIface {
				continue
			}
			if types.Implements(tn.Type(), iface) || types.Implements(types.NewPointer(tn.Type()), iface) {
				impls = append(impls, name)
			}
		}
		if len(impls) > 0 {
			return "an interface implemented by " + list(impls)
		}
		return ""
	}
	var names []string
	ms := types.NewMethodSet(types.NewPointer(t))
	for i := 0; i < ms.Len(); i++ {
		if ms.At(i).Obj().Exported() {
			names = append(names, ms.At(i).Obj().Name())
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "a type with methods " + list(names)
}
