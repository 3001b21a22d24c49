package intercomtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apipin/intercom/intercomtest/internal/apitables"
)

// schemas works on one version's schema table: it validates requests,
// synthesizes answers from types and formats, and shapes stored objects to
// the version's answer schema.
type schemas struct {
	list []apitables.Schema
}

func (s schemas) at(i int) *apitables.Schema {
	if i <= 0 || i >= len(s.list) {
		return nil
	}
	return &s.list[i]
}

// problem is why a value does not fit its schema: where, and what code the
// API gives it.
type problem struct {
	at      string
	missing bool
	message string
}

func (p *problem) apiError() *apiError {
	if p.at == "" {
		return errf(400, "bad_request", "%s", p.message)
	}
	if p.missing {
		return errf(400, "parameter_not_found", "%s", p.message).on(p.at)
	}
	return errf(400, "parameter_invalid", "%s", p.message).on(p.at)
}

func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// validate checks v (decoded JSON: map[string]any, []any, string, float64 or
// json.Number, bool, nil) against schema i. request leaves out readOnly
// properties from the required ones; answers leave out writeOnly ones.
func (s schemas) validate(i int, v any, at string, request bool) *problem {
	return s.check(i, v, at, request, 0)
}

const maxValidateDepth = 64

func (s schemas) check(i int, v any, at string, request bool, depth int) *problem {
	return s.checkSchema(s.at(i), v, at, request, depth)
}

func (s schemas) checkSchema(sc *apitables.Schema, v any, at string, request bool, depth int) *problem {
	if sc == nil || depth > maxValidateDepth {
		return nil
	}
	if v == nil {
		if sc.Nullable || sc.Type == "" && len(sc.Enum) == 0 {
			return nil
		}
		return &problem{at: at, message: fmt.Sprintf("%s cannot be null", orBody(at))}
	}
	if len(sc.Enum) > 0 && !slices.ContainsFunc(sc.Enum, func(e any) bool { return sameJSON(e, v) }) {
		return &problem{at: at, message: fmt.Sprintf("%s must be one of %v", orBody(at), sc.Enum)}
	}
	switch sc.Type {
	case "object":
		if _, ok := v.(map[string]any); !ok {
			return typeProblem(at, "an object", v)
		}
	case "array":
		if _, ok := v.([]any); !ok {
			return typeProblem(at, "an array", v)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return typeProblem(at, "a string", v)
		}
		if n := len([]rune(str)); n < sc.MinLength || sc.MaxLength != nil && n > *sc.MaxLength {
			return &problem{at: at, message: fmt.Sprintf("%s has the wrong length", orBody(at))}
		}
	case "integer", "number":
		f, ok := number(v)
		if !ok {
			return typeProblem(at, "a number", v)
		}
		if sc.Type == "integer" && f != math.Trunc(f) && !request {
			// Requests may send a fraction where a whole number is due: the
			// API truncates it (the stateful handlers do too).
			return typeProblem(at, "a whole number", v)
		}
		if sc.Min != nil && (f < *sc.Min || sc.ExclusiveMin && f == *sc.Min) ||
			sc.Max != nil && (f > *sc.Max || sc.ExclusiveMax && f == *sc.Max) {
			return &problem{at: at, message: fmt.Sprintf("%s is out of range", orBody(at))}
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return typeProblem(at, "true or false", v)
		}
	}
	if m, ok := v.(map[string]any); ok {
		for _, name := range sc.Required {
			if _, present := m[name]; present {
				continue
			}
			if p := s.at(sc.Properties[name]); p != nil && (request && p.ReadOnly || !request && p.WriteOnly) {
				continue
			}
			return &problem{at: join(at, name), missing: true, message: fmt.Sprintf("%s is required", join(at, name))}
		}
		for _, name := range slices.Sorted(maps.Keys(sc.Properties)) {
			if pv, present := m[name]; present {
				if p := s.check(sc.Properties[name], pv, join(at, name), request, depth+1); p != nil {
					return p
				}
			}
		}
		if sc.AdditionalProperties > apitables.AnySchema && len(sc.Properties) == 0 {
			for _, k := range slices.Sorted(maps.Keys(m)) {
				if p := s.check(sc.AdditionalProperties, m[k], join(at, k), request, depth+1); p != nil {
					return p
				}
			}
		}
	}
	if items, ok := v.([]any); ok {
		if len(items) < sc.MinItems || sc.MaxItems != nil && len(items) > *sc.MaxItems {
			return &problem{at: at, message: fmt.Sprintf("%s has the wrong number of items", orBody(at))}
		}
		for k, item := range items {
			if p := s.check(sc.Items, item, fmt.Sprintf("%s[%d]", at, k), request, depth+1); p != nil {
				return p
			}
		}
	}
	for _, member := range sc.AllOf {
		if p := s.check(member, v, at, request, depth+1); p != nil {
			return p
		}
	}
	for _, branches := range [][]int{sc.OneOf, sc.AnyOf} {
		if len(branches) == 0 {
			continue
		}
		if request {
			// In requests, only the kind of value is checked against the
			// branches; the rest is left to the handlers: the API takes more
			// (nested search queries) than the descriptions' branches.
			if !slices.ContainsFunc(branches, func(b int) bool { return s.kindFits(b, v, depth+1) }) {
				return &problem{at: at, message: fmt.Sprintf("%s cannot be %s", orBody(at), jsonKind(v))}
			}
			continue
		}
		var first *problem
		fits := false
		for _, b := range branches {
			p := s.check(b, v, at, request, depth+1)
			if p == nil {
				fits = true
				break
			}
			if first == nil {
				first = p
			}
		}
		if !fits {
			return first
		}
	}
	return nil
}

// kindFits reports whether v is of a JSON kind schema i can take.
func (s schemas) kindFits(i int, v any, depth int) bool {
	sc := s.at(i)
	if sc == nil || depth > maxValidateDepth {
		return true
	}
	kind := sc.Type
	if kind == "" && len(sc.Properties)+len(sc.Required) > 0 {
		kind = "object"
	}
	switch kind {
	case "":
	case "integer", "number":
		if _, ok := number(v); !ok {
			return false
		}
	default:
		if k := jsonKind(v); k != "an "+kind && k != "a "+kind && !(kind == "boolean" && k == "a boolean") {
			return false
		}
	}
	for _, m := range sc.AllOf {
		if !s.kindFits(m, v, depth+1) {
			return false
		}
	}
	for _, branches := range [][]int{sc.OneOf, sc.AnyOf} {
		if len(branches) > 0 && !slices.ContainsFunc(branches, func(b int) bool { return s.kindFits(b, v, depth+1) }) {
			return false
		}
	}
	return true
}

func orBody(at string) string {
	if at == "" {
		return "the body"
	}
	return at
}

func typeProblem(at, want string, v any) *problem {
	return &problem{at: at, message: fmt.Sprintf("%s must be %s, not %s", orBody(at), want, jsonKind(v))}
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true // ±Inf: a number still, out of any range
		}
		return f, err == nil
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func sameJSON(a, b any) bool {
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && fa == fb
	}
	return a == b
}

// Synthesis. Values are made from types and formats only: enums take their
// first value, formats a canonical value, numbers and lengths respect their
// bounds, and oneOf/anyOf take the first branch whose value the whole schema
// accepts.

// synthFormats are values every validator accepts for the string formats
// the descriptions use.
var synthFormats = map[string]string{
	"date-time": "2024-05-06T07:08:09Z",
	"date":      "2024-05-06",
	"email":     "someone@example.com",
	"uri":       "https://example.com/intercomtest",
	"url":       "https://example.com/intercomtest",
	"uuid":      "123e4567-e89b-42d3-a456-426614174000",
	"byte":      "aW50ZXJjb210ZXN0",
	"binary":    "intercomtest",
	"ipv4":      "192.0.2.1",
	"hostname":  "example.com",
}

const (
	// synthFullDepth bounds the optional part of an answer, so recursive
	// schemas (a conversation part holding conversation parts) end.
	synthFullDepth = 5
	// synthMaxDepth bounds required nesting.
	synthMaxDepth = 40
)

type synthMode struct {
	full     bool // fill optional properties too, give arrays an item
	response bool // readOnly filled, writeOnly left out (the other way for requests)
}

// synth returns a value for schema i.
func (s schemas) synth(i int, m synthMode) any {
	return s.gen(i, nil, m, 0)
}

func (s schemas) gen(i int, outer map[string]int, m synthMode, depth int) any {
	sc := s.at(i)
	if sc == nil || depth > synthMaxDepth {
		if outer != nil {
			return map[string]any{}
		}
		return "intercomtest"
	}
	for _, e := range sc.Enum {
		if e != nil {
			return e
		}
	}
	if len(sc.OneOf)+len(sc.AnyOf) > 0 {
		return s.choose(sc, outer, m, depth)
	}
	return s.plain(sc, outer, m, depth)
}

func (s schemas) plain(sc *apitables.Schema, outer map[string]int, m synthMode, depth int) any {
	var v any
	switch {
	case sc.Type == "object" || sc.Type == "" && (len(sc.Properties) > 0 || len(sc.Required) > 0 || outer != nil):
		v = s.object(sc, outer, m, depth)
	case sc.Type == "array":
		n := sc.MinItems
		if n == 0 && m.full && depth < synthFullDepth {
			n = 1
		}
		if sc.MaxItems != nil {
			n = min(n, *sc.MaxItems)
		}
		items := make([]any, 0, n)
		for range n {
			items = append(items, s.gen(sc.Items, nil, m, depth+1))
		}
		v = items
	case sc.Type == "string":
		v = synthString(sc)
	case sc.Type == "integer" || sc.Type == "number":
		v = synthNumber(sc)
	case sc.Type == "boolean":
		v = true
	case len(sc.AllOf) == 0:
		v = "intercomtest" // no type: any value is valid
	}
	for _, member := range sc.AllOf {
		ctx := merged(outer, sc.Properties)
		if _, ok := v.(map[string]any); ok && ctx == nil {
			ctx = map[string]int{}
		}
		v = mergeValues(v, s.gen(member, ctx, m, depth+1))
	}
	return v
}

func (s schemas) object(sc *apitables.Schema, outer map[string]int, m synthMode, depth int) map[string]any {
	out := map[string]any{}
	props := merged(outer, sc.Properties)
	names := slices.Clone(sc.Required)
	if m.full && depth < synthFullDepth {
		names = append(names, slices.Sorted(maps.Keys(sc.Properties))...)
	}
	for _, name := range names {
		if _, done := out[name]; done {
			continue
		}
		p := s.at(props[name])
		if p != nil && (p.ReadOnly && !m.response || p.WriteOnly && m.response) {
			continue
		}
		if m.response && name == "next" && !slices.Contains(sc.Required, name) {
			continue // a synthesized list is the last page: a pager following it must end
		}
		if m.response && name == "has_more" && p != nil && p.Type == "boolean" {
			out[name] = false
			continue
		}
		out[name] = s.gen(props[name], nil, m, depth+1)
	}
	if sc.AdditionalProperties != 0 && len(sc.Properties) == 0 && (m.full && depth < synthFullDepth || sc.MinProperties > 0) {
		out["intercomtest_key"] = s.gen(sc.AdditionalProperties, nil, m, depth+1)
	}
	return out
}

// choose tries each combination of a oneOf and an anyOf branch, in this
// mode and then the other, and returns the first the whole schema accepts.
func (s schemas) choose(sc *apitables.Schema, outer map[string]int, m synthMode, depth int) any {
	other := m
	other.full = !m.full
	var first any
	for _, mode := range []synthMode{m, other} {
		for _, one := range orNone(sc.OneOf) {
			for _, anyOf := range orNone(sc.AnyOf) {
				v := s.plain(sc, outer, mode, depth)
				for _, b := range []int{one, anyOf} {
					if b == 0 {
						continue
					}
					ctx := merged(outer, sc.Properties)
					if _, ok := v.(map[string]any); ok && ctx == nil {
						ctx = map[string]int{}
					}
					v = mergeValues(v, s.gen(b, ctx, mode, depth+1))
				}
				if first == nil {
					first = v
				}
				if s.exactlyOne(sc, v, !m.response) {
					return v
				}
			}
		}
	}
	return first
}

// exactlyOne is validate, with oneOf meaning one branch only, so that a
// chosen value is not ambiguous for a decoder.
func (s schemas) exactlyOne(sc *apitables.Schema, v any, request bool) bool {
	if len(sc.OneOf) > 0 {
		n := 0
		for _, b := range sc.OneOf {
			if s.check(b, v, "", request, 1) == nil {
				n++
			}
		}
		if n != 1 {
			return false
		}
	}
	for _, b := range sc.AnyOf {
		if s.check(b, v, "", request, 1) == nil {
			return s.checkOwn(sc, v, request)
		}
	}
	return len(sc.AnyOf) == 0 && s.checkOwn(sc, v, request)
}

// checkOwn validates v against sc without its oneOf/anyOf.
func (s schemas) checkOwn(sc *apitables.Schema, v any, request bool) bool {
	own := *sc
	own.OneOf, own.AnyOf = nil, nil
	return s.checkSchema(&own, v, "", request, 1) == nil
}

func orNone(refs []int) []int {
	if len(refs) == 0 {
		return []int{0}
	}
	return refs
}

func merged(outer, own map[string]int) map[string]int {
	if len(outer) == 0 {
		return own
	}
	m := maps.Clone(outer)
	maps.Copy(m, own)
	return m
}

// mergeValues combines the values of allOf members (or of a schema and its
// chosen branch): objects merge key by key, anything else is replaced.
func mergeValues(a, b any) any {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		if b == nil {
			return a
		}
		return b
	}
	out := maps.Clone(am)
	for k, v := range bm {
		out[k] = mergeValues(out[k], v)
	}
	return out
}

func synthString(sc *apitables.Schema) string {
	if v, ok := synthFormats[sc.Format]; ok {
		return v
	}
	v := "intercomtest"
	if len(v) < sc.MinLength {
		v += strings.Repeat("x", sc.MinLength-len(v))
	}
	if sc.MaxLength != nil && len(v) > *sc.MaxLength {
		v = v[:*sc.MaxLength]
	}
	return v
}

func synthNumber(sc *apitables.Schema) float64 {
	v := 1.0
	if sc.Min != nil && v <= *sc.Min {
		v = *sc.Min
		if sc.ExclusiveMin {
			v++
		}
	}
	if sc.Max != nil && v >= *sc.Max {
		v = *sc.Max
		if sc.ExclusiveMax {
			v--
		}
	}
	if sc.MultipleOf != nil && *sc.MultipleOf > 0 {
		v = math.Ceil(v / *sc.MultipleOf) * *sc.MultipleOf
	}
	return v
}

// conform shapes v, an object the fake stores, to schema i of the version
// the request asked for: declared properties whose stored value fits are
// kept, required ones that are missing or do not fit are synthesized, and
// properties the version does not declare are kept (the API sends some
// that its descriptions omit, and decoders ignore them). That is how stored
// state answers in every version's shape.
func (s schemas) conform(i int, v any, depth int) any {
	sc := s.at(i)
	if sc == nil || depth > synthFullDepth+2 {
		return v
	}
	if len(sc.OneOf)+len(sc.AnyOf)+len(sc.AllOf) > 0 {
		if s.validate(i, v, "", false) == nil {
			return v
		}
		return s.synth(i, synthMode{full: true, response: true})
	}
	switch sc.Type {
	case "array":
		items, ok := v.([]any)
		if !ok {
			break
		}
		out := make([]any, len(items))
		for k, item := range items {
			out[k] = s.conform(sc.Items, item, depth+1)
		}
		return out
	case "object", "":
		m, ok := v.(map[string]any)
		if !ok || len(sc.Properties) == 0 {
			break
		}
		out := make(map[string]any, len(m)+len(sc.Required))
		for name, pv := range m {
			if _, declared := sc.Properties[name]; !declared {
				out[name] = pv
			}
		}
		for name, p := range sc.Properties {
			if pv, present := m[name]; present {
				cv := s.conform(p, pv, depth+1)
				if s.validate(p, cv, "", false) == nil {
					out[name] = cv
					continue
				}
			}
			if slices.Contains(sc.Required, name) {
				out[name] = s.gen(p, nil, synthMode{full: true, response: true}, synthFullDepth)
			}
		}
		return out
	}
	if s.validate(i, v, "", false) == nil {
		return v
	}
	return s.synth(i, synthMode{full: true, response: true})
}

// property is the schema of a named property of schema i, looking through
// allOf members; 0 when it declares none.
func (s schemas) property(i int, name string) int {
	return s.propertyDepth(i, name, 0)
}

func (s schemas) propertyDepth(i int, name string, depth int) int {
	sc := s.at(i)
	if sc == nil || depth > 8 {
		return 0
	}
	if p := sc.Properties[name]; p != 0 {
		return p
	}
	for _, m := range sc.AllOf {
		if p := s.propertyDepth(m, name, depth+1); p != 0 {
			return p
		}
	}
	return 0
}
