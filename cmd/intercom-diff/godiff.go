package main

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"
)

// GoChange is one difference between the exported APIs of two generated
// version packages, as golang.org/x/exp/apidiff reports it.
type GoChange struct {
	Level Level `json:"level"`
	// Symbol is apidiff's name for what changed: "(*Client).ListContacts",
	// "Ticket.AdminAssigneeId", "ClientInterface.GetMacro".
	Symbol string `json:"symbol"`
	// Change is "added", "removed", "changed" or another apidiff verdict.
	Change string `json:"change"`
	// From and To are the old and new types of a "changed" symbol, with the
	// fields of unnamed structs elided (they are listed at the spec level).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Op is the operation the symbol belongs to, when the generated names
	// tie it to one.
	Op
	Note string `json:"note,omitempty"`
	// Fields names the changed fields of unnamed structs in From and To
	// (elided there): "owner_id: *int → *string", "avatar.image_url removed".
	Fields []string `json:"fields,omitempty"`
	// Operations names (by operationId) the operations whose methods reach
	// the type of a symbol tied to no one operation (a shared model, an
	// enum), when there are several.
	Operations []string `json:"operations,omitempty"`
	// Layer is "raw" for the raw layer (oapi-codegen's client, request
	// builders and response parsers, and packages below api/vX), which a
	// program using the typed methods does not touch; empty otherwise.
	Layer string `json:"layer,omitempty"`
}

// Notes on the changes apidiff calls incompatible that callers' code keeps
// compiling on, so that the report counts them as non-breaking.
const (
	noteInterfaceGrew = "breaks only types that implement the interface (mocks), not calls through it"
	noteConstValue    = "code using the constant compiles unchanged; what the value means on the wire is in the spec changes"
)

// goSide is one version's generated packages (api/vX and any packages
// below it): their types, from export data, and the operations that
// version.gen.go lists.
type goSide struct {
	root string // import path of api/vX
	pkgs []*types.Package
	ops  []opInfo
	// reach maps a type of the version package to the operations whose
	// methods mention it (built on first use).
	reach map[*types.TypeName][]Op
}

// reaching lists the operations whose typed methods reach the type of a
// top-level symbol of the version package (a type, or a constant's or
// variable's type), in the order of the Operations table.
func (s *goSide) reaching(symbol string) []Op {
	sub, recv, member := splitSymbol(symbol)
	if sub != "" {
		return nil
	}
	name := recv
	if name == "" {
		name = member
	}
	var pkg *types.Package
	for _, p := range s.pkgs {
		if p.Path() == s.root {
			pkg = p
		}
	}
	if pkg == nil {
		return nil
	}
	var tn *types.TypeName
	switch obj := pkg.Scope().Lookup(name).(type) {
	case *types.TypeName:
		tn = obj
	case *types.Const, *types.Var:
		tn = namedOf(obj.Type())
	}
	if tn == nil {
		return nil
	}
	if s.reach == nil {
		s.reach = map[*types.TypeName][]Op{}
		client := clientMethods(pkg, s.ops)
		for _, o := range s.ops {
			m := client[o.GoMethod]
			if m == nil {
				continue
			}
			reached := map[*types.TypeName]bool{}
			reachTypes(m.Type(), s.root, reached, map[types.Type]bool{})
			for t := range reached {
				s.reach[t] = append(s.reach[t], o.Op)
			}
		}
	}
	return s.reach[tn]
}

// clientMethods are the methods of the type that declares the most of the
// Operations table's methods (the client, whatever it is called).
func clientMethods(pkg *types.Package, ops []opInfo) map[string]*types.Func {
	names := map[string]bool{}
	for _, o := range ops {
		names[o.GoMethod] = o.GoMethod != ""
	}
	var best map[string]*types.Func
	bestCount := 0
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		tn, ok := scope.Lookup(n).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok {
			continue
		}
		methods, count := map[string]*types.Func{}, 0
		for i := 0; i < named.NumMethods(); i++ {
			m := named.Method(i)
			methods[m.Name()] = m
			if names[m.Name()] {
				count++
			}
		}
		if count > bestCount {
			best, bestCount = methods, count
		}
	}
	return best
}

// opInfo is one element of a version package's Operations.
type opInfo struct {
	Op
	GoMethod string
	Iterator string
}

// packagePath is the import path of a version's generated package.
func packagePath(version string) string {
	dir := "v" + version
	if version == "Preview" {
		dir = "preview"
	}
	return "github.com/apipin/intercom/api/" + dir
}

// loadGoSides type-checks the versions' packages from the compiler's export
// data (building them if the build cache lacks them): types only, no syntax,
// and one `go list` for all the versions.
func loadGoSides(moduleRoot string, versions []string) (map[string]*goSide, error) {
	patterns := make([]string, len(versions))
	for i, v := range versions {
		patterns[i] = packagePath(v) + "/..."
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedTypes,
		Dir:  moduleRoot,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("load version packages: %w", err)
	}
	out := map[string]*goSide{}
	for _, v := range versions {
		out[v] = &goSide{root: packagePath(v)}
	}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			return nil, fmt.Errorf("load %s: %v", p.PkgPath, p.Errors[0])
		}
		for _, side := range out {
			if p.PkgPath != side.root && !strings.HasPrefix(p.PkgPath, side.root+"/") {
				continue
			}
			side.pkgs = append(side.pkgs, p.Types)
			if p.PkgPath == side.root {
				if side.ops, err = readOperations(p.GoFiles); err != nil {
					return nil, fmt.Errorf("%s: %w", p.PkgPath, err)
				}
			}
		}
	}
	for _, v := range versions {
		if out[v].ops == nil {
			return nil, fmt.Errorf("load %s: package not found or without operations", packagePath(v))
		}
	}
	return out, nil
}

// readOperations parses the file of the version package that declares
// its Operations table (version.gen.go today). Reading the source keeps
// the tool from linking eleven large packages to get one slice; files
// that do not mention the table are not parsed.
func readOperations(goFiles []string) ([]opInfo, error) {
	files := slices.Clone(goFiles)
	// The file that held it so far first: the others are large.
	slices.SortStableFunc(files, func(a, b string) int {
		return cmpBool(filepath.Base(b) == "version.gen.go", filepath.Base(a) == "version.gen.go")
	})
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if !bytes.Contains(data, []byte("Operations = ")) {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, data, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		if ops, err := operationsTable(file); err == nil {
			return ops, nil
		}
	}
	return nil, fmt.Errorf("no Operations table among %d files", len(goFiles))
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// operationsTable reads `var Operations = []OperationInfo{{Method: …}, …}`.
func operationsTable(file *ast.File) ([]opInfo, error) {
	var lit *ast.CompositeLit
	ast.Inspect(file, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if ok && len(vs.Names) == 1 && vs.Names[0].Name == "Operations" && len(vs.Values) == 1 {
			lit, _ = vs.Values[0].(*ast.CompositeLit)
		}
		return lit == nil
	})
	if lit == nil {
		return nil, fmt.Errorf("no Operations table")
	}
	var ops []opInfo
	for _, elt := range lit.Elts {
		fields, ok := elt.(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("element at %d of the Operations table is not a literal", elt.Pos())
		}
		var o opInfo
		for _, f := range fields.Elts {
			kv, ok := f.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, _ := kv.Key.(*ast.Ident)
			val, _ := kv.Value.(*ast.BasicLit)
			if key == nil || val == nil || val.Kind != token.STRING {
				continue
			}
			s, err := strconv.Unquote(val.Value)
			if err != nil {
				return nil, err
			}
			switch key.Name {
			case "Method":
				o.Method = s
			case "Path":
				o.Path = s
			case "OperationID":
				o.OperationID = s
			case "GoMethod":
				o.GoMethod = s
			case "Iterator":
				o.Iterator = s
			}
		}
		ops = append(ops, o)
	}
	return ops, nil
}

// goChanges diffs two versions' packages. Every change apidiff calls
// incompatible is breaking except two that callers' code keeps compiling
// on: a method added to an interface (only implementations of it break) and
// a constant's new value (such as APIVersion).
func goChanges(old, new *goSide) []GoChange {
	oldNames, newNames := operationNames(old.ops), operationNames(new.ops)
	report := apidiff.ModuleChanges(
		&apidiff.Module{Path: old.root, Packages: old.pkgs},
		&apidiff.Module{Path: new.root, Packages: new.pkgs})
	var out []GoChange
	seen := map[string]bool{}
	for _, c := range report.Changes {
		symbol, msg, _ := strings.Cut(c.Message, ": ")
		if seen[symbol] {
			// A package below api/vX that embeds a version-package type
			// reports the embedded type's changes again under the same name.
			continue
		}
		gc := GoChange{Level: NonBreaking, Symbol: symbol, Change: msg}
		if !c.Compatible {
			gc.Level = Breaking
		}
		if verb, from, to, ok := splitChanged(msg); ok {
			from, to = qualifyVersionTypes(from, old.root), qualifyVersionTypes(to, new.root)
			if from == to {
				// A package below api/vX names the version package's types by
				// their full path, which differs between versions; apidiff
				// cannot tell they are the same type. Changes of the types
				// themselves are reported where they are declared.
				continue
			}
			gc.Change, gc.From, gc.To = verb, elideStructs(from), elideStructs(to)
			if gc.From != from || gc.To != to {
				// The elided structs hide what changed: name it.
				gc.Fields = structFieldChanges(from, to)
			}
			if gc.From == gc.To {
				gc.Note = "the fields of an unnamed struct in it changed"
				if len(gc.Fields) > 0 {
					gc.Note = "fields of an unnamed struct in it changed: " + strings.Join(gc.Fields, "; ")
				}
			}
		}
		switch {
		case c.Compatible:
		case msg == "added" && isInterfaceMethod(new, symbol):
			gc.Level, gc.Note = NonBreaking, noteInterfaceGrew
		case gc.Change == "value changed":
			gc.Level, gc.Note = NonBreaking, noteConstValue
		}
		// A removed symbol exists only in the old package, an added one only
		// in the new; a changed one is named after the old.
		first, second := oldNames, newNames
		if msg == "added" {
			first, second = newNames, oldNames
		}
		if op, ok := symbolOperation(symbol, first); ok {
			gc.Op = op
		} else if op, ok := symbolOperation(symbol, second); ok {
			gc.Op = op
		} else {
			// A model or enum: the operations whose methods reach its type.
			side := old
			if msg == "added" {
				side = new
			}
			if ops := side.reaching(symbol); len(ops) == 1 {
				gc.Op = ops[0]
			} else {
				for _, o := range ops {
					gc.Operations = append(gc.Operations, cmp.Or(o.OperationID, o.Method+" "+o.Path))
				}
			}
		}
		if isRawLayer(symbol) {
			gc.Layer = "raw"
		}
		seen[symbol] = true
		out = append(out, gc)
	}
	return out
}

// qualifyVersionTypes writes the version package's types as a caller's code
// does, intercom.T, instead of by their full import path.
func qualifyVersionTypes(t, root string) string {
	return strings.ReplaceAll(t, root+".", "intercom.")
}

// splitSymbol splits an apidiff symbol into the package below the version
// package that holds it ("raw" for "./raw.T.M", "" for the version package
// itself), its receiver or type ("T", with any "(*…)" removed) and member
// ("M"). A top-level name has no receiver.
func splitSymbol(symbol string) (subpackage, recv, member string) {
	symbol, _, _ = strings.Cut(symbol, ", ") // ", method set of …" parts
	if rest, ok := strings.CutPrefix(symbol, "./"); ok {
		subpackage, symbol, _ = strings.Cut(rest, ".")
	}
	member = symbol
	if i := strings.LastIndex(symbol, "."); i >= 0 {
		recv, member = strings.Trim(symbol[:i], "(*)"), symbol[i+1:]
	}
	return subpackage, recv, member
}

// operationNames maps every Go name that calls an operation (typed method,
// iterator, raw method) to it.
func operationNames(ops []opInfo) map[string]Op {
	m := make(map[string]Op, 2*len(ops))
	for _, o := range ops {
		if o.GoMethod != "" {
			m[o.GoMethod] = o.Op
		}
		if o.Iterator != "" {
			m[o.Iterator] = o.Op
		}
	}
	return m
}

// Suffixes oapi-codegen and the generator append to an operation's Go name.
var (
	// methodSuffixes are stripped, in order, from methods of the raw clients.
	methodSuffixes = []string{"WithResponse", "WithBody", "WithFormdataBody"}
	// typeSuffixes start the rest of a type named after its operation:
	// ListContactsParams, ListContactsParamsOrder, CreateContactJSONRequestBody,
	// CreateContactJSONBody, CreateContactResponse, CreateContactResult.
	typeSuffixes = []string{"Params", "JSONRequestBody", "JSONBody", "FormdataRequestBody", "Response", "Result"}
)

// symbolOperation finds the operation an apidiff symbol belongs to through
// the names the generators derive from operations.
func symbolOperation(symbol string, names map[string]Op) (Op, bool) {
	_, recv, member := splitSymbol(symbol)
	switch recv {
	case "Client", "RawClient", "ClientInterface", "ClientWithResponses", "ClientWithResponsesInterface":
		name := member
		for _, s := range methodSuffixes {
			name = strings.TrimSuffix(name, s)
		}
		op, ok := names[name]
		return op, ok
	case "":
		recv = member // a top-level type, func, var or const
	}
	// recv is now a top-level name; a field or method of a type belongs to
	// the type's operation.
	if after, ok := strings.CutPrefix(recv, "New"); ok {
		for _, s := range []string{"RequestWithBody", "RequestWithFormdataBody", "Request"} {
			if name, ok := strings.CutSuffix(after, s); ok {
				if op, ok := names[name]; ok {
					return op, true
				}
			}
		}
	}
	if after, ok := strings.CutPrefix(recv, "Parse"); ok {
		if name, ok := strings.CutSuffix(after, "Response"); ok {
			if op, ok := names[name]; ok {
				return op, true
			}
		}
	}
	best, found := "", false
	for name := range names {
		rest, ok := strings.CutPrefix(recv, name)
		if !ok || len(name) <= len(best) {
			continue
		}
		for _, s := range typeSuffixes {
			if strings.HasPrefix(rest, s) {
				best, found = name, true
				break
			}
		}
	}
	return names[best], found
}

// isInterfaceMethod reports whether symbol ("T.M", "./raw.T.M") names a
// method of an interface type T of side's packages.
func isInterfaceMethod(side *goSide, symbol string) bool {
	sub, recv, _ := splitSymbol(symbol)
	path := side.root
	if sub != "" {
		path += "/" + sub
	}
	for _, p := range side.pkgs {
		if p.Path() != path || recv == "" {
			continue
		}
		if obj, ok := p.Scope().Lookup(recv).(*types.TypeName); ok {
			_, isIface := obj.Type().Underlying().(*types.Interface)
			return isIface
		}
	}
	return false
}

// splitChanged splits apidiff's "changed from A to B" (and "value changed
// from A to B"). Types may contain " to " only inside a struct tag, so the
// separator is the first one outside quotes and brackets.
func splitChanged(msg string) (verb, from, to string, ok bool) {
	for _, v := range []string{"changed", "value changed"} {
		rest, found := strings.CutPrefix(msg, v+" from ")
		if !found {
			continue
		}
		walkUnquoted(rest, func(i, depth int) bool {
			if depth == 0 && strings.HasPrefix(rest[i:], " to ") {
				verb, from, to, ok = v, rest[:i], rest[i+len(" to "):], true
			}
			return !ok
		})
		if ok {
			return verb, from, to, ok
		}
	}
	return "", "", "", false
}

// elideStructs replaces the fields of every non-empty unnamed struct with
// "…": the generated response types are structs hundreds of fields long,
// and their field changes are already listed, one by one, at the spec level.
func elideStructs(t string) string {
	var b strings.Builder
	for {
		i := strings.Index(t, "struct{")
		if i < 0 {
			b.WriteString(t)
			return b.String()
		}
		open := i + len("struct{")
		// The brace closing this struct is the first byte past it at depth
		// -1; without one, the struct runs to the end of t.
		end := len(t)
		walkUnquoted(t[open:], func(j, depth int) bool {
			if depth < 0 {
				end = open + j
			}
			return depth >= 0
		})
		b.WriteString(t[:open])
		if end > open {
			b.WriteString("…")
		}
		if end >= len(t) {
			return b.String()
		}
		b.WriteByte('}')
		t = t[end+1:]
	}
}

// walkUnquoted calls visit with the index of every byte of s outside
// double-quoted strings (struct tags) and the bracket depth after it, until
// visit returns false.
func walkUnquoted(s string, visit func(i, depth int) bool) {
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
			continue
		case c == '"':
			quoted = !quoted
			continue
		case quoted:
			continue
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		}
		if !visit(i, depth) {
			return
		}
	}
}

// rawReceivers are the types of oapi-codegen's raw client. Their methods,
// the request builders (New…Request) and response parsers (Parse…Response)
// are the raw layer, as is every package below the version package.
var rawReceivers = map[string]bool{
	"RawClient": true, "ClientInterface": true, "ClientWithResponses": true, "ClientWithResponsesInterface": true,
}

// isRawLayer reports whether an apidiff symbol belongs to the raw layer.
func isRawLayer(symbol string) bool {
	sub, recv, member := splitSymbol(symbol)
	if sub != "" || rawReceivers[recv] {
		return true
	}
	name := member
	if recv != "" {
		name = recv
	}
	return (strings.HasPrefix(name, "New") && strings.Contains(name, "Request")) ||
		(strings.HasPrefix(name, "Parse") && strings.HasSuffix(name, "Response"))
}

// structFieldChanges compares the fields of the first unnamed struct of
// two type strings (as types.TypeString writes them), by JSON name where a
// tag gives one, descending into fields that are unnamed structs too.
func structFieldChanges(from, to string) []string {
	var out []string
	var compare func(prefix, a, b string, depth int)
	compare = func(prefix, a, b string, depth int) {
		fa, okA := structFields(a)
		fb, okB := structFields(b)
		if !okA || !okB || depth > 4 {
			return
		}
		for _, name := range sortedFieldNames(fa) {
			tb, ok := fb[name]
			switch {
			case !ok:
				out = append(out, prefix+name+" removed")
			case tb != fa[name]:
				if strings.Contains(fa[name], "struct{") && strings.Contains(tb, "struct{") {
					before := len(out)
					compare(prefix+name+".", fa[name], tb, depth+1)
					if len(out) > before {
						continue
					}
				}
				out = append(out, fmt.Sprintf("%s%s: %s → %s", prefix, name, elideStructs(fa[name]), elideStructs(tb)))
			}
		}
		for _, name := range sortedFieldNames(fb) {
			if _, ok := fa[name]; !ok {
				out = append(out, prefix+name+" added")
			}
		}
	}
	compare("", from, to, 0)
	const most = 12
	if len(out) > most {
		out = append(out[:most], fmt.Sprintf("and %d more", len(out)-most))
	}
	return out
}

func sortedFieldNames(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// structFields splits the first "struct{…}" of t into its fields: JSON
// name (or Go name) → type.
func structFields(t string) (map[string]string, bool) {
	i := strings.Index(t, "struct{")
	if i < 0 {
		return nil, false
	}
	body := t[i+len("struct{"):]
	end := -1
	walkUnquoted(body, func(j, depth int) bool {
		if depth < 0 {
			end = j
		}
		return depth >= 0
	})
	if end < 0 {
		return nil, false
	}
	body = body[:end]
	var parts []string
	start := 0
	walkUnquoted(body, func(j, depth int) bool {
		if depth == 0 && body[j] == ';' {
			parts = append(parts, strings.TrimSpace(body[start:j]))
			start = j + 1
		}
		return true
	})
	parts = append(parts, strings.TrimSpace(body[start:]))
	fields := map[string]string{}
	for _, p := range parts {
		if p == "" {
			continue
		}
		goName, rest, _ := strings.Cut(p, " ")
		typ, name := rest, goName
		if k := strings.LastIndex(rest, " \""); k >= 0 && strings.HasSuffix(rest, "\"") {
			typ = rest[:k]
			if tag, err := strconv.Unquote(rest[k+1:]); err == nil {
				if j := tagName(tag, goName); j != "" {
					name = j
				}
			}
		}
		fields[name] = typ
	}
	return fields, true
}
