package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"golang.org/x/tools/imports"
)

// Unions. oapi-codegen turns a oneOf/anyOf into a struct around raw JSON with
// As…/From…/Merge… methods and numbered variant types (CreateContactRequest0,
// 1, 2), and its zero value is sent as null. We ask it for something else:
//
//   - prepareUnions rewrites the description so that every variant is a
//     named component schema (named after the variant's $ref, else its title,
//     else what distinguishes it, e.g. CreateContactWithEmail), every union
//     is a component too, and the unions are left out of oapi-codegen's
//     output (ExcludeSchemas) while the fields that refer to them keep the
//     union's name, without a pointer.
//   - renderUnions writes unions.gen.go: per union a sealed interface
//     (an unexported marker method per variant), the variant types oapi-codegen
//     does not make (strings, numbers, lists), the decoding table
//     (internal/union), and UnmarshalJSON for the structs that hold union
//     fields; plus checkBody, which refuses a nil union body or required
//     field before a request is sent.
//
// No number is ever used to tell variants apart: a name that cannot be
// derived is an error.

// unionSet holds the unions of one description.
type unionSet struct {
	schemas  map[string]any
	unions   []*unionDef
	byKey    map[string]*unionDef
	names    map[string]string // component key -> Go name
	taken    map[string]bool   // Go names of components
	variants map[string]*variantType
	excluded []string
}

// unionDef is one union: a sealed interface.
type unionDef struct {
	Name          string
	Key           string
	Discriminator string
	Variants      []*variant
	done          bool
}

// variant is a member of a union.
type variant struct {
	Type     *variantType
	refKey   string // the component a $ref variant names
	Kind     string // Object, Array, String, Integer, Number, Bool (internal/union)
	Required []string
	Consts   map[string]string
	Tags     []string
}

// variantType is a Go type that is a variant of one or more unions.
type variantType struct {
	Name       string
	Underlying string // set for the types generated here (not by oapi-codegen)
	ElemUnion  string // the union of a list's elements, when they are one
	Unions     []string
}

var unionKinds = map[string]string{"object": "Object", "array": "Array", "string": "String", "integer": "Integer", "number": "Number", "boolean": "Bool"}

// goTypeName is oapi-codegen's name for a schema name (ToCamelCase with the
// initialisms of oapiConfig).
func goTypeName(s string) string {
	parts := camelParts.FindAllString(codegen.ToCamelCaseWithDigits(s), -1)
	for i, p := range parts {
		if v, ok := initialisms[strings.ToLower(p)]; ok {
			parts[i] = v
		}
	}
	return strings.Join(parts, "")
}

var camelParts = regexp.MustCompile(`[\p{Lu}\d]+([\p{Ll}\d]+|$)`)

var initialisms = func() map[string]string {
	m := map[string]string{}
	// oapi-codegen's list (pkg/codegen/utils.go) and oapiConfig's additions.
	for _, s := range []string{"ACL", "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID", "IP", "JSON",
		"QPS", "RAM", "RPC", "SLA", "SMTP", "SQL", "SSH", "TCP", "TLS", "TTL", "UDP", "UI", "GID", "UID", "UUID",
		"URI", "URL", "UTF8", "VM", "XML", "XMPP", "XSRF", "XSS", "SIP", "RTP", "AMQP", "DB", "TS"} {
		m[strings.ToLower(s)] = s
	}
	for _, s := range oapiConfig().OutputOptions.AdditionalInitialisms {
		m[strings.ToLower(s)] = s
	}
	return m
}()

func asObj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func sortedKeysOf(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func unionMembers(s map[string]any) []any {
	if v, ok := s["oneOf"].([]any); ok {
		return v
	}
	v, _ := s["anyOf"].([]any)
	return v
}

func isUnionSchema(s map[string]any) bool { return s != nil && unionMembers(s) != nil }

// prepareUnions rewrites root (see the comment at the top of this file) and
// returns what renderUnions needs. Call it before PreferValuesInResponses, so
// that the variant schemas it adds are shaped like every other component.
func prepareUnions(root map[string]any) (*unionSet, error) {
	comps := asObj(root["components"])
	if comps == nil {
		comps = map[string]any{}
		root["components"] = comps
	}
	schemas := asObj(comps["schemas"])
	if schemas == nil {
		schemas = map[string]any{}
		comps["schemas"] = schemas
	}
	us := &unionSet{schemas: schemas, byKey: map[string]*unionDef{}, names: map[string]string{}, taken: map[string]bool{}, variants: map[string]*variantType{}}
	collapseSingleVariants(root)
	for _, k := range sortedKeysOf(schemas) {
		name := goTypeName(k)
		if n, ok := asObj(schemas[k])["x-go-name"].(string); ok {
			name = n
		}
		us.names[k] = name
		us.taken[name] = true
	}
	// A union that is a whole response body stays oapi-codegen's struct: a
	// typed method returns a pointer to its result, which an interface
	// cannot be decoded through (its variants are $refs, so no numbers).
	results := map[string]bool{}
	paths := asObj(root["paths"])
	for _, item := range paths {
		for _, op := range asObj(item) {
			for _, resp := range asObj(asObj(op)["responses"]) {
				for _, media := range asObj(asObj(resp)["content"]) {
					if k := refKey(asObj(asObj(media)["schema"])); k != "" {
						results[k] = true
					}
				}
			}
		}
	}
	for _, k := range sortedKeysOf(schemas) {
		s := asObj(schemas[k])
		if isUnionSchema(s) && results[k] {
			continue
		}
		if isUnionSchema(s) {
			if _, err := us.defineUnion(k); err != nil {
				return nil, err
			}
			continue
		}
		if err := us.walk(s, us.names[k]); err != nil {
			return nil, err
		}
	}
	for _, p := range sortedKeysOf(paths) {
		item := asObj(paths[p])
		for _, m := range sortedKeysOf(item) {
			op := asObj(item[m])
			id, _ := op["operationId"].(string)
			if op == nil || id == "" {
				continue
			}
			opName := goTypeName(id)
			for _, media := range asObj(asObj(op["requestBody"])["content"]) {
				if err := us.walkRoot(asObj(media), "schema", opName+"Request"); err != nil {
					return nil, err
				}
			}
			for _, resp := range asObj(op["responses"]) {
				for _, media := range asObj(asObj(resp)["content"]) {
					if err := us.walkRoot(asObj(media), "schema", opName+"Response"); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	sort.Strings(us.excluded)
	return us, nil
}

// collapseSingleVariants replaces a oneOf/anyOf of one member (and nothing
// else) by that member: Intercom wraps some bodies so ({oneOf: [$ref]}).
func collapseSingleVariants(n any) {
	switch n := n.(type) {
	case map[string]any:
		for _, k := range []string{"oneOf", "anyOf"} {
			if m, ok := n[k].([]any); ok && len(m) == 1 && len(n) == 1 {
				if only := asObj(m[0]); only != nil {
					delete(n, k)
					for kk, v := range only {
						n[kk] = v
					}
				}
			}
		}
		for _, v := range n {
			collapseSingleVariants(v)
		}
	case []any:
		for _, v := range n {
			collapseSingleVariants(v)
		}
	}
}

// walkRoot walks parent[key], a schema outside components.
func (us *unionSet) walkRoot(parent map[string]any, key, hint string) error {
	s := asObj(parent[key])
	if s == nil {
		return nil
	}
	if isUnionSchema(s) {
		_, err := us.hoistUnion(s, hint)
		return err
	}
	return us.walk(s, hint)
}

// walk rewrites the unions inside schema s (not s itself), named after hint.
// An inline object that holds a union field becomes a named component too,
// so that its UnmarshalJSON has a type to live on.
func (us *unionSet) walk(s map[string]any, hint string) error {
	if s == nil || s["$ref"] != nil {
		return nil
	}
	child := func(c map[string]any, childHint string) error {
		if c == nil || c["$ref"] != nil {
			return nil
		}
		if isUnionSchema(c) {
			_, err := us.hoistUnion(c, childHint)
			return err
		}
		if err := us.walk(c, childHint); err != nil {
			return err
		}
		if us.refersToUnion(asObj(c["items"])) || us.refersToUnion(asObj(c["additionalProperties"])) {
			// []U and map[string]U, not pointers to them: nil is "not set".
			c["x-go-type-skip-optional-pointer"] = true
		}
		if (c["type"] == "object" || c["properties"] != nil || c["allOf"] != nil) && us.holdsUnion(c) {
			us.hoistObject(c, childHint)
		}
		return nil
	}
	props := asObj(s["properties"])
	for _, p := range sortedKeysOf(props) {
		if err := child(asObj(props[p]), hint+goTypeName(p)); err != nil {
			return err
		}
	}
	if err := child(asObj(s["items"]), hint+"Item"); err != nil {
		return err
	}
	if err := child(asObj(s["additionalProperties"]), hint+"Value"); err != nil {
		return err
	}
	for _, k := range []string{"allOf"} {
		if members, ok := s[k].([]any); ok {
			for _, m := range members {
				if err := us.walk(asObj(m), hint); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// holdsUnion reports whether s (walked) has a property, item or value that
// refers to a union component.
func (us *unionSet) holdsUnion(s map[string]any) bool {
	return us.holdsUnionDepth(s, 0)
}

// holdsUnionDepth also looks through allOf, whose members oapi-codegen
// merges into one struct.
func (us *unionSet) holdsUnionDepth(s map[string]any, depth int) bool {
	if s == nil || depth > 8 {
		return false
	}
	if s["$ref"] != nil {
		return us.holdsUnionDepth(asObj(us.schemas[refKey(s)]), depth+1)
	}
	for _, p := range asObj(s["properties"]) {
		if us.refersToUnion(asObj(p)) {
			return true
		}
	}
	for _, m := range asSlice(s["allOf"]) {
		if us.holdsUnionDepth(asObj(m), depth+1) {
			return true
		}
	}
	return false
}

func (us *unionSet) refersToUnion(s map[string]any) bool {
	if s == nil {
		return false
	}
	if s["x-union-ref"] == true || s["$ref"] != nil && isUnionSchema(asObj(us.schemas[refKey(s)])) {
		return true
	}
	return us.refersToUnion(asObj(s["items"])) || us.refersToUnion(asObj(s["additionalProperties"]))
}

func (us *unionSet) newKey(name string) (string, error) {
	if us.taken[name] {
		return "", fmt.Errorf("unions: the name %s is taken twice", name)
	}
	us.taken[name] = true
	// The key is the Go name: oapi-codegen names the type after it (an
	// x-go-name would also rename the fields that refer to it).
	key := name
	if us.schemas[key] != nil || goTypeName(key) != name {
		return "", fmt.Errorf("unions: no schema key gives the Go name %s", name)
	}
	us.names[key] = name
	return key, nil
}

func ref(key string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + key} }

// hoistObject makes the inline object s a component named name.
func (us *unionSet) hoistObject(s map[string]any, name string) {
	key, err := us.newKey(name)
	if err != nil { // the name exists already: keep it inline
		return
	}
	c := map[string]any{}
	for k, v := range s {
		c[k] = v
		delete(s, k)
	}
	us.schemas[key] = c
	for k, v := range ref(key) {
		s[k] = v
	}
}

// hoistUnion makes the inline union s a component named name and defines it.
func (us *unionSet) hoistUnion(s map[string]any, name string) (*unionDef, error) {
	key, err := us.newKey(name)
	if err != nil {
		return nil, err
	}
	c := map[string]any{}
	for k, v := range s {
		c[k] = v
		delete(s, k)
	}
	us.schemas[key] = c
	for k, v := range ref(key) {
		s[k] = v
	}
	s["x-union-ref"] = true
	return us.defineUnion(key)
}

// refKey is the component a $ref names.
func refKey(s map[string]any) string {
	r, _ := s["$ref"].(string)
	return strings.TrimPrefix(r, "#/components/schemas/")
}

// defineUnion turns component key (a oneOf/anyOf) into a union.
func (us *unionSet) defineUnion(key string) (*unionDef, error) {
	if u := us.byKey[key]; u != nil {
		if !u.done {
			return nil, fmt.Errorf("unions: %s contains itself", key)
		}
		return u, nil
	}
	s := asObj(us.schemas[key])
	u := &unionDef{Name: us.names[key], Key: key}
	us.byKey[key] = u
	us.unions = append(us.unions, u)
	us.excluded = append(us.excluded, key)
	members := unionMembers(s)
	stem := unionStem(u.Name)
	base := asObj(s["properties"])
	baseReq, _ := s["required"].([]any)
	// The union's own properties are shared by its variants: their unions
	// are named after the union.
	if err := us.walk(map[string]any{"properties": base}, u.Name); err != nil {
		return nil, err
	}
	var objects []map[string]any // inline object variants, merged with the base
	for _, m := range members {
		v := asObj(m)
		if v["$ref"] == nil && schemaKind(v, base != nil) == "object" {
			objects = append(objects, mergeObject(base, baseReq, v))
		}
	}
	names := map[string]bool{}
	oi := 0
	for _, m := range members {
		v := asObj(m)
		if v["$ref"] != nil {
			k := refKey(v)
			target := asObj(us.schemas[k])
			if target == nil {
				return nil, fmt.Errorf("unions: %s: $ref %s not found", key, k)
			}
			if isUnionSchema(target) { // a union of unions: its variants are ours
				inner, err := us.defineUnion(k)
				if err != nil {
					return nil, err
				}
				for _, iv := range inner.Variants {
					cp := *iv
					u.Variants = append(u.Variants, &cp)
				}
				continue
			}
			kind := schemaKind(target, false)
			if kind != "object" {
				return nil, fmt.Errorf("unions: %s: variant %s is a %s component", key, k, kind)
			}
			ov := us.objectVariant(us.names[k], target)
			ov.refKey = k
			u.Variants = append(u.Variants, ov)
			continue
		}
		kind := schemaKind(v, base != nil)
		switch kind {
		case "object":
			merged := objects[oi]
			oi++
			name, err := objectVariantName(stem, v, merged, objects)
			if err != nil {
				return nil, fmt.Errorf("unions: %s: %w", key, err)
			}
			if names[name] {
				return nil, fmt.Errorf("unions: %s: two variants named %s", key, name)
			}
			names[name] = true
			k, err := us.newKey(name)
			if err != nil {
				return nil, fmt.Errorf("unions: %s: %w", key, err)
			}
			us.schemas[k] = merged
			// The union refers to it, so that oapi-codegen keeps it.
			for kk := range v {
				delete(v, kk)
			}
			v["$ref"] = "#/components/schemas/" + k
			if err := us.walk(merged, name); err != nil {
				return nil, err
			}
			u.Variants = append(u.Variants, us.objectVariant(name, merged))
		case "array", "string", "integer", "number", "boolean":
			vt, err := us.valueVariant(stem, kind, v)
			if err != nil {
				return nil, fmt.Errorf("unions: %s: %w", key, err)
			}
			if names[vt.Name] {
				return nil, fmt.Errorf("unions: %s: two variants named %s", key, vt.Name)
			}
			names[vt.Name] = true
			u.Variants = append(u.Variants, &variant{Type: vt, Kind: unionKinds[kind]})
		default:
			return nil, fmt.Errorf("unions: %s: a variant of no type", key)
		}
	}
	if base != nil {
		// The union's own properties go with every variant: a $ref variant
		// becomes the referenced schema plus them (allOf), named after the
		// union's stem and what is left of the referenced name
		// (ContactReplyTicketEmailRequest in ReplyTicketRequest:
		// ReplyTicketContactEmail).
		for i, v := range u.Variants {
			if v.refKey == "" {
				continue
			}
			name := stem + mergedSuffix(stem, v.Type.Name)
			k, err := us.newKey(name)
			if err != nil {
				return nil, fmt.Errorf("unions: %s: %w", key, err)
			}
			// Written out flat: oapi-codegen's allOf drops the properties
			// written beside a nested allOf.
			merged := mergeObject(base, baseReq, us.flatten(ref(v.refKey), 0))
			us.schemas[k] = merged
			nv := us.objectVariant(name, merged)
			nv.refKey = ""
			u.Variants[i] = nv
		}
		// The union's members are the merged schemas, so that oapi-codegen
		// keeps them.
		var refs []any
		for _, v := range u.Variants {
			if k := us.keyOf(v.Type.Name); k != "" {
				refs = append(refs, ref(k))
			}
		}
		for _, kk := range []string{"oneOf", "anyOf"} {
			if _, ok := s[kk]; ok {
				s[kk] = refs
			}
		}
	}
	if d := asObj(s["discriminator"]); d != nil {
		u.Discriminator, _ = d["propertyName"].(string)
		mapping := asObj(d["mapping"])
		for _, v := range u.Variants {
			for _, tag := range sortedKeysOf(mapping) {
				if r, _ := mapping[tag].(string); us.names[strings.TrimPrefix(r, "#/components/schemas/")] == v.Type.Name {
					v.Tags = append(v.Tags, tag)
				}
			}
			if len(mapping) == 0 {
				for k, n := range us.names {
					if n == v.Type.Name {
						v.Tags = append(v.Tags, k)
					}
				}
				sort.Strings(v.Tags)
			}
		}
	}
	for _, v := range u.Variants {
		if !slices.Contains(v.Type.Unions, u.Name) {
			v.Type.Unions = append(v.Type.Unions, u.Name)
		}
	}
	// oapi-codegen leaves the union out but names it where it is used, as
	// a value: nil is "not set".
	s["x-go-type-skip-optional-pointer"] = true
	u.done = true
	return u, nil
}

func (us *unionSet) objectVariant(name string, s map[string]any) *variant {
	vt := us.variants[name]
	if vt == nil {
		vt = &variantType{Name: name}
		us.variants[name] = vt
	}
	v := &variant{Type: vt, Kind: "Object", Consts: map[string]string{}}
	us.objectFacts(v, s, 0)
	// A required member the schema does not declare is not in the Go type
	// either: it cannot tell the variant apart.
	declared := asObj(us.flatten(s, 0)["properties"])
	v.Required = slices.DeleteFunc(v.Required, func(r string) bool { return declared[r] == nil })
	return v
}

// objectFacts adds what s (and its allOf members) requires of an object.
func (us *unionSet) objectFacts(v *variant, s map[string]any, depth int) {
	if s["$ref"] != nil {
		if depth < 8 {
			us.objectFacts(v, asObj(us.schemas[refKey(s)]), depth+1)
		}
		return
	}
	for _, m := range asSlice(s["allOf"]) {
		us.objectFacts(v, asObj(m), depth+1)
	}
	for _, r := range asSlice(s["required"]) {
		if r, ok := r.(string); ok && !slices.Contains(v.Required, r) {
			v.Required = append(v.Required, r)
		}
	}
	props := asObj(s["properties"])
	for _, p := range sortedKeysOf(props) {
		if e := asSlice(asObj(props[p])["enum"]); len(e) == 1 {
			if str, ok := e[0].(string); ok {
				v.Consts[p] = str
			}
		}
	}
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

// valueVariant is a variant that is not an object: a defined type made here.
func (us *unionSet) valueVariant(stem, kind string, v map[string]any) (*variantType, error) {
	var name, under, elemUnion string
	switch kind {
	case "string":
		name, under = stem+"String", "string"
	case "integer":
		name, under = stem+"Integer", "int"
		if v["format"] == "int64" {
			under = "int64"
		}
	case "number":
		name, under = stem+"Number", "float64"
	case "boolean":
		name, under = stem+"Bool", "bool"
	case "array":
		items := asObj(v["items"])
		switch {
		case len(items) == 0:
			name, under = stem+"List", "[]any"
		case items["$ref"] != nil:
			k := refKey(items)
			if t := asObj(us.schemas[k]); isUnionSchema(t) {
				inner, err := us.defineUnion(k)
				if err != nil {
					return nil, err
				}
				name, under, elemUnion = inner.Name+"List", "[]"+inner.Name, inner.Name
			} else {
				name, under = us.names[k]+"List", "[]"+us.names[k]
			}
		case isUnionSchema(items):
			inner, err := us.hoistUnion(items, stem+"Item")
			if err != nil {
				return nil, err
			}
			name, under, elemUnion = stem+"List", "[]"+inner.Name, inner.Name
		default:
			ik := schemaKind(items, false)
			prim := map[string]string{"string": "string", "integer": "int", "number": "float64", "boolean": "bool"}[ik]
			if prim == "" {
				return nil, fmt.Errorf("a list of %s items", ik)
			}
			name, under = stem+goTypeName(ik)+"List", "[]"+prim
		}
	}
	if vt := us.variants[name]; vt != nil {
		if vt.Underlying != under {
			return nil, fmt.Errorf("two variants named %s", name)
		}
		return vt, nil
	}
	if us.taken[name] {
		return nil, fmt.Errorf("the variant name %s is a schema's name", name)
	}
	us.taken[name] = true
	vt := &variantType{Name: name, Underlying: under, ElemUnion: elemUnion}
	us.variants[name] = vt
	return vt, nil
}

// schemaKind is the JSON kind of an inline schema.
func schemaKind(s map[string]any, objectByDefault bool) string {
	if t, ok := s["type"].(string); ok {
		return t
	}
	if s["properties"] != nil || s["required"] != nil || s["additionalProperties"] != nil || s["allOf"] != nil || objectByDefault {
		return "object"
	}
	if s["items"] != nil {
		return "array"
	}
	return ""
}

// mergeObject is variant v with the union's own properties and required
// members (a union written as properties plus anyOf of required sets).
func mergeObject(base map[string]any, baseReq []any, v map[string]any) map[string]any {
	out := map[string]any{"type": "object"}
	for k, val := range v {
		switch k {
		case "properties", "required", "title", "type":
		default:
			out[k] = val
		}
	}
	props := map[string]any{}
	for k, p := range base {
		props[k] = p
	}
	for k, p := range asObj(v["properties"]) {
		if bp := asObj(base[k]); bp != nil && len(asObj(p)) > 0 {
			merged := map[string]any{}
			for kk, vv := range bp {
				merged[kk] = vv
			}
			for kk, vv := range asObj(p) {
				merged[kk] = vv
			}
			props[k] = merged
		} else if bp == nil || len(asObj(p)) > 0 {
			props[k] = p
		}
	}
	if len(props) > 0 {
		out["properties"] = props
	}
	var req []any
	seen := map[string]bool{}
	for _, r := range append(slices.Clone(baseReq), asSlice(v["required"])...) {
		if s, ok := r.(string); ok && !seen[s] {
			seen[s] = true
			req = append(req, s)
		}
	}
	if len(req) > 0 {
		out["required"] = req
	}
	if t, ok := v["title"]; ok {
		out["x-union-title"] = t
	}
	return out
}

// unionStem is the union's name without the word Request, the start of
// its variants' names: CreateContactRequest -> CreateContact.
func unionStem(name string) string {
	if i := strings.Index(name, "Request"); i > 0 {
		rest := name[i+len("Request"):]
		if rest == "" || rest[0] >= 'A' && rest[0] <= 'Z' {
			return name[:i] + rest
		}
	}
	return name
}

var valueTitle = regexp.MustCompile("^\\s*\\w+\\s*:\\s*`([^`]+)`")

// objectVariantName names an inline object variant: its title when the title
// starts with the union's stem; else "With" and the required members that
// only it has; else the stem and its title.
func objectVariantName(stem string, v, merged map[string]any, all []map[string]any) (string, error) {
	title, _ := v["title"].(string)
	if m := valueTitle.FindStringSubmatch(title); m != nil {
		return stem + goTypeName(m[1]), nil
	}
	if t := goTypeName(title); t != "" && strings.HasPrefix(t, stem) && t != stem {
		return t, nil
	}
	if own := distinguishingRequired(merged, all, 2); len(own) > 0 {
		parts := make([]string, len(own))
		for i, p := range own {
			parts[i] = goTypeName(p)
		}
		return stem + "With" + strings.Join(parts, "And"), nil
	}
	if t := goTypeName(title); t != "" {
		return stem + t, nil
	}
	if own := distinguishingRequired(merged, all, 100); len(own) > 0 {
		return stem + "With" + goTypeName(own[0]), nil
	}
	if len(all) == 2 && len(distinguishingRequired(merged, all, 100)) == 0 {
		other := all[0]
		if fmt.Sprint(other) == fmt.Sprint(merged) {
			other = all[1]
		}
		if len(distinguishingRequired(other, all, 100)) > 0 {
			return stem + "Plain", nil // the other one adds required members
		}
	}
	if props := sortedKeysOf(asObj(v["properties"])); len(props) > 0 && len(props) <= 2 {
		for i, p := range props {
			props[i] = goTypeName(p)
		}
		return stem + "With" + strings.Join(props, "And"), nil
	}
	return "", fmt.Errorf("a variant with no title and nothing that tells it apart (a number would be the only name)")
}

// distinguishingRequired is the required members of merged that not every
// variant requires, when there are at most two and no other variant has the
// same set.
func distinguishingRequired(merged map[string]any, all []map[string]any, most int) []string {
	own := func(s map[string]any) []string {
		var out []string
		for _, r := range asSlice(s["required"]) {
			name, _ := r.(string)
			common := true
			for _, o := range all {
				if !slices.Contains(asSlice(o["required"]), any(name)) {
					common = false
				}
			}
			if !common {
				out = append(out, name)
			}
		}
		return out
	}
	mine := own(merged)
	if len(mine) == 0 || len(mine) > most {
		return nil
	}
	for _, o := range all {
		if asObj(o) != nil && fmt.Sprint(o) != fmt.Sprint(merged) && slices.Equal(own(o), mine) {
			return nil
		}
	}
	return mine
}

// renderUnions writes unions.gen.go for the package whose oapi-codegen
// source (models) is src.
func (us *unionSet) renderUnions(version, src string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "openapi.gen.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	// oapi-codegen prunes components nothing refers to: a union none of
	// whose uses is generated is left out too.
	idents := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			idents[id.Name] = true
		}
		return true
	})
	var kept []*unionDef
	for changed := true; changed; {
		changed = false
		for _, u := range us.unions {
			if idents[u.Name] && !slices.Contains(kept, u) {
				kept = append(kept, u)
				changed = true
				for _, v := range u.Variants {
					if v.Type.ElemUnion != "" {
						idents[v.Type.ElemUnion] = true
					}
				}
			}
		}
	}
	slices.SortStableFunc(kept, func(a, b *unionDef) int { return slices.Index(us.unions, a) - slices.Index(us.unions, b) })
	us.unions = kept
	isUnion := map[string]*unionDef{}
	for _, u := range us.unions {
		isUnion[u.Name] = u
	}
	for _, vt := range us.variants {
		vt.Unions = slices.DeleteFunc(vt.Unions, func(n string) bool { return isUnion[n] == nil })
	}
	declared := map[string]bool{}
	hasUnmarshal := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok {
					declared[ts.Name.Name] = true
				}
			}
		case *ast.FuncDecl:
			if d.Recv != nil && d.Name.Name == "UnmarshalJSON" && len(d.Recv.List) == 1 {
				if st, ok := d.Recv.List[0].Type.(*ast.StarExpr); ok {
					if id, ok := st.X.(*ast.Ident); ok {
						hasUnmarshal[id.Name] = true
					}
				}
			}
		}
	}
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("%s\npackage %s\n\n", generatedHeader(version, "oapi-codegen "+oapiCodegenVersion()), packageName)
	p("import (\n\"encoding/json\"\n_ \"unsafe\" // registerUnions' linkname\n\nfacade %q\n%q\n)\n\n", modulePath, modulePath+"/internal/union")
	p(`// UnknownVariant is a value of a union that none of its variants takes, kept
// as received: re-encoding it gives the same JSON. It also lets a program
// send a variant this package does not know.
type UnknownVariant struct {
	JSON json.RawMessage
}

// MarshalJSON returns the JSON as received.
func (v UnknownVariant) MarshalJSON() ([]byte, error) {
	if len(v.JSON) == 0 {
		return []byte("null"), nil
	}
	return v.JSON, nil
}

`)
	if len(us.unions) > 0 {
		p(`// unknownVariant is every union's Unknown: UnknownVariant implements them all.
func unknownVariant(raw json.RawMessage) any { return UnknownVariant{JSON: raw} }

`)
	}
	var unionNames []string
	for _, u := range us.unions {
		unionNames = append(unionNames, u.Name)
	}
	sort.Strings(unionNames)
	for _, u := range us.unions {
		for _, v := range u.Variants {
			if v.Type.Underlying == "" && !declared[v.Type.Name] {
				return nil, fmt.Errorf("unions: %s: oapi-codegen declared no type %s", u.Name, v.Type.Name)
			}
		}
	}
	sortedUnions := slices.Clone(us.unions)
	sort.Slice(sortedUnions, func(i, j int) bool { return sortedUnions[i].Name < sortedUnions[j].Name })
	for _, u := range sortedUnions {
		var names []string
		for _, v := range u.Variants {
			names = append(names, v.Type.Name)
		}
		p("// %s is one of: %s.\n// Decoding picks the variant a value belongs to (the rule: docs/surface.md,\n// Unions); a value none takes is kept as UnknownVariant. A nil %s is\n// refused where one is required.\ntype %s interface {\n\tis%s()\n}\n\n", u.Name, strings.Join(names, ", "), u.Name, u.Name, u.Name)
		p("func (UnknownVariant) is%s() {}\n\n", u.Name)
		p("var union%s = &union.Union[%s]{\n", u.Name, u.Name)
		if u.Discriminator != "" {
			p("Discriminator: %q,\n", u.Discriminator)
		}
		p("Variants: []union.Variant{\n")
		for _, v := range u.Variants {
			p("{Kind: union.%s", v.Kind)
			// Lists in one string each, separated by NULs (union.Variant).
			if len(v.Required) > 0 {
				p(", Required: %q", strings.Join(v.Required, "\x00"))
			}
			if len(v.Consts) > 0 {
				var pairs []string
				for _, k := range sortedKeysOfStr(v.Consts) {
					pairs = append(pairs, k, v.Consts[k])
				}
				p(", Consts: %q", strings.Join(pairs, "\x00"))
			}
			if len(v.Tags) > 0 {
				p(", Tags: %q", strings.Join(v.Tags, "\x00"))
			}
			p(", Type: (*%s)(nil)},\n", v.Type.Name)
		}
		p("},\nUnknown: unknownVariant,\n}\n\n")
	}
	var vnames []string
	for n := range us.variants {
		vnames = append(vnames, n)
	}
	sort.Strings(vnames)
	for _, n := range vnames {
		vt := us.variants[n]
		if len(vt.Unions) == 0 {
			continue
		}
		if vt.Underlying != "" {
			p("// %s is a variant of %s.\ntype %s %s\n\n", vt.Name, strings.Join(vt.Unions, ", "), vt.Name, vt.Underlying)
			if vt.ElemUnion != "" {
				p("// UnmarshalJSON decodes each element as a %s.\nfunc (l *%s) UnmarshalJSON(b []byte) error {\n%s\tvar raw []json.RawMessage\n\tif err := union.Unmarshal(b, &raw); err != nil {\n\t\treturn err\n\t}\n\tv, err := union.DecodeSlice(union%s, raw)\n\t*l = v\n\treturn err\n}\n\n", vt.ElemUnion, vt.Name, probeAnswer(vt.Name, vt.ElemUnion), vt.ElemUnion)
			}
		}
		us2 := slices.Clone(vt.Unions)
		sort.Strings(us2)
		for _, u := range us2 {
			p("func (%s) is%s() {}\n", vt.Name, u)
		}
		p("\n")
	}
	// Structs holding union fields decode them through their union.
	type ufield struct {
		Go, JSON, Union, Shape string // Shape: "", "[]", "map"
		Required               bool
	}
	type holder struct {
		Name   string
		Fields []ufield
	}
	var holders []holder
	// Named lists and maps of a union (custom attributes).
	type container struct{ Name, Union, Shape string }
	var containers []container
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range gd.Specs {
			ts, ok := s.(*ast.TypeSpec)
			if !ok || ts.Assign != 0 {
				continue
			}
			if u, shape := unionFieldType(ts.Type, isUnion); u != "" && shape != "" {
				containers = append(containers, container{ts.Name.Name, u, shape})
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			h := holder{Name: ts.Name.Name}
			for _, fl := range st.Fields.List {
				u, shape := unionFieldType(fl.Type, isUnion)
				if u == "" {
					if hasUnionInside(fl.Type, isUnion) {
						return nil, fmt.Errorf("unions: %s: a union inside an anonymous type", ts.Name.Name)
					}
					continue
				}
				if len(fl.Names) != 1 || fl.Tag == nil {
					return nil, fmt.Errorf("unions: %s: an embedded union", ts.Name.Name)
				}
				tag := strings.Trim(fl.Tag.Value, "`")
				jsonTag := reflectTagJSON(tag)
				name := strings.Split(jsonTag, ",")[0]
				h.Fields = append(h.Fields, ufield{Go: fl.Names[0].Name, JSON: name, Union: u, Shape: shape, Required: !strings.Contains(jsonTag, "omitempty")})
			}
			if len(h.Fields) == 0 {
				continue
			}
			if hasUnmarshal[h.Name] {
				continue // oapi-codegen's own UnmarshalJSON calls unmarshalValue
			}
			holders = append(holders, h)
		}
	}
	sort.Slice(containers, func(i, j int) bool { return containers[i].Name < containers[j].Name })
	for _, c := range containers {
		raw, fn := "[]json.RawMessage", "DecodeSlice"
		if c.Shape == "map" {
			raw, fn = "map[string]json.RawMessage", "DecodeMap"
		}
		p("// UnmarshalJSON decodes each element as a %s.\nfunc (l *%s) UnmarshalJSON(b []byte) error {\n%s\tvar raw %s\n\tif err := union.Unmarshal(b, &raw); err != nil {\n\t\treturn err\n\t}\n\tv, err := union.%s(union%s, raw)\n\t*l = v\n\treturn err\n}\n\n", c.Union, c.Name, probeAnswer(c.Name, c.Union), raw, fn, c.Union)
	}
	sort.Slice(holders, func(i, j int) bool { return holders[i].Name < holders[j].Name })
	for _, h := range holders {
		var held []string
		for _, fl := range h.Fields {
			if !slices.Contains(held, fl.Union) {
				held = append(held, fl.Union)
			}
		}
		p("// UnmarshalJSON decodes %s's union fields through their unions and the\n// others as encoding/json does.\nfunc (s *%s) UnmarshalJSON(b []byte) error {\n%s\ttype plain %s\n\tvar v struct {\n\t\t*plain\n", h.Name, h.Name, probeAnswer(h.Name, held...), h.Name)
		for _, fl := range h.Fields {
			t := "json.RawMessage"
			switch fl.Shape {
			case "[]":
				t = "[]json.RawMessage"
			case "map":
				t = "map[string]json.RawMessage"
			}
			p("\t\t%s %s `json:%q`\n", fl.Go, t, fl.JSON)
		}
		p("\t}\n\tv.plain = (*plain)(s)\n\tif err := union.Unmarshal(b, &v); err != nil {\n\t\treturn err\n\t}\n\tvar err error\n")
		for _, fl := range h.Fields {
			fn := "union%s.Decode"
			switch fl.Shape {
			case "[]":
				fn = "union.DecodeSlice(union%s, "
			case "map":
				fn = "union.DecodeMap(union%s, "
			}
			call := fmt.Sprintf(fn, fl.Union)
			if fl.Shape == "" {
				p("\tif s.%s, err = %s(v.%s); err != nil {\n\t\treturn err\n\t}\n", fl.Go, call, fl.Go)
			} else {
				p("\tif s.%s, err = %sv.%s); err != nil {\n\t\treturn err\n\t}\n", fl.Go, call, fl.Go)
			}
		}
		p("\treturn nil\n}\n\n")
	}
	// oapi-codegen's own unions: their variants for the shape checks
	// (union.DeclareRaw says why not through reflection). The unions of
	// this package, the holders and the enums are not registered at init
	// (jsondec.Probing says why): the holders register themselves and their
	// unions when the decoder asks, and jsondec finds the enums by their
	// Valid method.
	raws := rawUnions(f)
	if len(raws) > 0 {
		p("func init() {\n")
		for _, r := range raws {
			args := []string{"(*" + r.Name + ")(nil)"}
			for _, v := range r.Variants {
				args = append(args, "(*"+v+")(nil)")
			}
			p("\tunion.DeclareRaw(%s)\n", strings.Join(args, ", "))
		}
		p("}\n\n")
	}
	// registerUnions is for the cross-version suites (internal/allversions,
	// by linkname), which decode request bodies that are unions without a
	// type holding them. No code of the package calls it, so a program
	// does not keep it.
	p("// registerUnions registers every union of the package with internal/union,\n// for internal/allversions (tests), which calls it by linkname; nothing in\n// the package calls it, so programs do not keep it (jsondec.Probing).\n//\n//go:linkname registerUnions\nfunc registerUnions() {\n")
	for _, n := range unionNames {
		p("\tunion.Register(union%s)\n", n)
	}
	p("}\n\n")
	// unmarshalValue: oapi-codegen's additionalProperties decoding (our
	// copy of its template) calls it for each member.
	p("// unmarshalValue decodes b into v, through its union when v is one.\nfunc unmarshalValue(b []byte, v any) error {\n\tvar err error\n\tswitch v := v.(type) {\n")
	for _, n := range unionNames {
		p("\tcase *%s:\n\t\t*v, err = union%s.Decode(b)\n\t\treturn err\n", n, n)
	}
	p("\t}\n\treturn json.Unmarshal(b, v)\n}\n\n")
	// checkBody refuses nil unions before anything is sent.
	p("// checkBody refuses a body that is a nil union, or holds one where the\n// operation requires it, before anything is sent.\nfunc checkBody(op string, body any) error {\n\tif body == nil {\n\t\treturn &facade.ArgumentError{Func: op, Arg: \"body\", Problem: \"nil, but the operation requires a body\"}\n\t}\n")
	var required []holder
	for _, h := range holders {
		var rf []ufield
		for _, fl := range h.Fields {
			if fl.Required {
				rf = append(rf, fl)
			}
		}
		if len(rf) > 0 {
			required = append(required, holder{Name: h.Name, Fields: rf})
		}
	}
	if len(required) > 0 {
		p("\tswitch b := body.(type) {\n")
		for _, h := range required {
			p("\tcase %s:\n", h.Name)
			for _, fl := range h.Fields {
				switch fl.Shape {
				case "":
					p("\t\tif b.%s == nil {\n\t\t\treturn &facade.ArgumentError{Func: op, Arg: \"body.%s\", Problem: \"nil, but the field is required\"}\n\t\t}\n", fl.Go, fl.JSON)
				case "[]":
					p("\t\tfor i, x := range b.%s {\n\t\t\tif x == nil {\n\t\t\t\treturn &facade.ArgumentError{Func: op, Arg: fmt.Sprintf(\"body.%s[%%d]\", i), Problem: \"nil, but every element is required\"}\n\t\t\t}\n\t\t}\n", fl.Go, fl.JSON)
				}
			}
		}
		p("\t}\n")
	}
	p("\treturn nil\n}\n")
	out, err := imports.Process("unions.gen.go", b.Bytes(), nil)
	if err != nil {
		return nil, fmt.Errorf("unions.gen.go: %w\n%s", err, excerpt(b.Bytes(), err))
	}
	return out, nil
}

func sortedKeysOfStr(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// unionFieldType reports whether a field's type is a union U, []U or
// map[string]U.
func unionFieldType(e ast.Expr, isUnion map[string]*unionDef) (string, string) {
	switch t := e.(type) {
	case *ast.Ident:
		if isUnion[t.Name] != nil {
			return t.Name, ""
		}
	case *ast.ArrayType:
		if id, ok := t.Elt.(*ast.Ident); ok && t.Len == nil && isUnion[id.Name] != nil {
			return id.Name, "[]"
		}
	case *ast.MapType:
		if id, ok := t.Value.(*ast.Ident); ok && isUnion[id.Name] != nil {
			return id.Name, "map"
		}
	}
	return "", ""
}

// hasUnionInside reports a union anywhere in e (an anonymous struct, a
// pointer): shapes unionFieldType does not decode.
func hasUnionInside(e ast.Expr, isUnion map[string]*unionDef) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && isUnion[id.Name] != nil {
			found = true
		}
		return !found
	})
	return found
}

var jsonTagRE = regexp.MustCompile(`json:"([^"]*)"`)

func reflectTagJSON(tag string) string {
	if m := jsonTagRE.FindStringSubmatch(tag); m != nil {
		return m[1]
	}
	return ""
}

// oapiConfig is the one oapi-codegen configuration, leaving out the unions
// (renderUnions declares them) and decoding additionalProperties members
// through unmarshalValue, which knows the unions.
func (us *unionSet) oapiConfig() codegen.Configuration {
	cfg := oapiConfig()
	cfg.OutputOptions.ExcludeSchemas = us.excluded
	cfg.OutputOptions.UserTemplates["additional-properties.tmpl"] = oapiAdditionalPropertiesTemplate
	return cfg
}

//go:embed oapitemplates/additional-properties.tmpl
var oapiAdditionalPropertiesTemplate string

// keyOf is the component whose Go name is name ("" when none).
func (us *unionSet) keyOf(name string) string {
	for k, n := range us.names {
		if n == name {
			return k
		}
	}
	return ""
}

// mergedSuffix is what tells a referenced variant apart within a union of
// stem: its name without the stem's words and a trailing Request.
func mergedSuffix(stem, name string) string {
	rest := strings.TrimSuffix(name, "Request")
	for _, w := range camelParts.FindAllString(stem, -1) {
		rest = strings.Replace(rest, w, "", 1)
	}
	if rest == "" {
		return name
	}
	return rest
}

// flatten writes an object schema and its allOf members (followed through
// $refs) as one object with all their properties and required members.
func (us *unionSet) flatten(s map[string]any, depth int) map[string]any {
	out := map[string]any{"type": "object"}
	props := map[string]any{}
	var req []any
	var walk func(s map[string]any, depth int)
	walk = func(s map[string]any, depth int) {
		if s == nil || depth > 8 {
			return
		}
		if s["$ref"] != nil {
			walk(asObj(us.schemas[refKey(s)]), depth+1)
			return
		}
		for _, m := range asSlice(s["allOf"]) {
			walk(asObj(m), depth+1)
		}
		for k, p := range asObj(s["properties"]) {
			props[k] = p
		}
		for _, r := range asSlice(s["required"]) {
			if !slices.Contains(req, r) {
				req = append(req, r)
			}
		}
	}
	walk(s, depth)
	out["properties"] = props
	if len(req) > 0 {
		out["required"] = req
	}
	return out
}

// rawUnion is a union oapi-codegen generated: a struct whose one field,
// union, holds the raw JSON, with an As<Variant>() (Variant, error) method
// per variant.
type rawUnion struct {
	Name     string
	Variants []string // the As methods' result types, by method name
}

// rawUnions lists the unions oapi-codegen generated in f, by name.
func rawUnions(f *ast.File) []rawUnion {
	isRaw := map[string]bool{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range gd.Specs {
			ts, ok := s.(*ast.TypeSpec)
			if !ok {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if ok && len(st.Fields.List) == 1 && len(st.Fields.List[0].Names) == 1 && st.Fields.List[0].Names[0].Name == "union" {
				isRaw[ts.Name.Name] = true
			}
		}
	}
	methods := map[string]map[string]string{} // union -> method -> variant type
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || !strings.HasPrefix(fd.Name.Name, "As") {
			continue
		}
		recv, ok := fd.Recv.List[0].Type.(*ast.Ident)
		if !ok || !isRaw[recv.Name] || fd.Type.Params.NumFields() != 0 || fd.Type.Results.NumFields() != 2 {
			continue
		}
		if e, ok := fd.Type.Results.List[len(fd.Type.Results.List)-1].Type.(*ast.Ident); !ok || e.Name != "error" {
			continue
		}
		if methods[recv.Name] == nil {
			methods[recv.Name] = map[string]string{}
		}
		methods[recv.Name][fd.Name.Name] = types.ExprString(fd.Type.Results.List[0].Type)
	}
	var out []rawUnion
	for _, name := range slices.Sorted(maps.Keys(methods)) {
		r := rawUnion{Name: name}
		for _, m := range slices.Sorted(maps.Keys(methods[name])) {
			r.Variants = append(r.Variants, methods[name][m])
		}
		out = append(out, r)
	}
	return out
}

// probeAnswer is the first statement of the generated UnmarshalJSON of a
// holder typ of the given unions: its answer to internal/jsondec's probe
// (jsondec.Probing).
func probeAnswer(typ string, unions ...string) string {
	args := make([]string, len(unions))
	for i, u := range unions {
		args[i] = "union" + u
	}
	return fmt.Sprintf("\tif union.Probing(b) {\n\t\treturn union.Holds[%s](%s)\n\t}\n", typ, strings.Join(args, ", "))
}
