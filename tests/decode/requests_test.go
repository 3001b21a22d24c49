package decode

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apipin/intercom/internal/allversions"
	"github.com/apipin/intercom/internal/union"
)

// Request side: a union request body serializes exactly as the schema says.
// For every operation whose JSON body is a oneOf/anyOf, and every branch,
// a minimal instance of the branch (its required properties only, built
// from the spec at test time) goes through the Go union: it decodes into a
// named variant (internal/union), which writes it back unchanged. A
// difference shows a union written as {} or null, a field the schema does
// not require written as a zero value, or a field lost.
func TestUnionRequestBodiesRoundTrip(t *testing.T) {
	// Request bodies that are unions: no type holds them for the decoder
	// to find them through. Registered here, not at init, so that the
	// benchmarks (-test.run '^$') run with the heap a program has.
	allversions.RegisterUnions()
	total := 0
	failing := map[string]bool{}
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			jsonBodies(loadSpec(t, v.name), func(key string, schema *openapi3.Schema) {
				branches := append(schema.OneOf, schema.AnyOf...)
				if len(branches) == 0 {
					return
				}
				errorf := func(format string, args ...any) {
					if _, known := brokenUnionBodies[key]; known {
						failing[key] = true
						return
					}
					t.Errorf(format, args...)
				}
				body := v.bodyType(t, key)
				if body == nil {
					t.Errorf("%s: the method takes no body", key)
					return
				}
				if b, _ := json.Marshal(reflect.New(body).Elem().Interface()); string(b) == "{}" && hasRawUnion(body) {
					errorf("%s: %v holds a union but has lost its methods: it is always written as {}", key, body)
					return
				}
				for i, br := range branches {
					total++
					inst, err := json.Marshal(instance(branch(schema, br.Value), 0))
					if err != nil {
						t.Fatal(err)
					}
					if diff := roundTripUnion(body, inst); diff != "" {
						errorf("%s branch %d into %v: %s", key, i, body, diff)
					}
				}
			})
		})
	}
	for key := range brokenUnionBodies {
		if !failing[key] {
			t.Errorf("%s is listed as broken but round-trips in every version: remove it from brokenUnionBodies", key)
		}
	}
	t.Logf("%d union body branches checked", total)
}

// brokenUnionBodies are the union bodies that the generated code cannot
// send, keyed by "METHOD path"; an entry that round-trips fails the test, so
// the list only shrinks. (It held eight entries until the body argument's
// type became the union itself, keeping MarshalJSON.)
var brokenUnionBodies = map[string]string{}

// bodyType is the type of the body parameter of the operation's method:
// the one parameter after the context that is neither a path value nor a
// *Params pointer.
func (v version) bodyType(t testing.TB, opKey string) reflect.Type {
	m := v.method(t, opKey)
	n := m.Type.NumIn()
	if m.Type.IsVariadic() {
		n-- // the call options
	}
	for i := 2; i < n; i++ {
		switch p := m.Type.In(i); {
		case p.Kind() == reflect.Struct, p.Kind() == reflect.Map, p.Kind() == reflect.Slice, union.Registered(p):
			return p
		}
	}
	return nil
}

// hasRawUnion reports whether t keeps a union's raw JSON in an unexported
// json.RawMessage, as oapi-codegen's unions do.
func hasRawUnion(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 1 && !t.Field(0).IsExported() &&
		t.Field(0).Type == reflect.TypeFor[json.RawMessage]()
}

// branch is the schema of one branch of a oneOf/anyOf, with what the
// parent object declares beside it (its properties and required list).
func branch(parent, br *openapi3.Schema) *openapi3.Schema {
	if len(parent.Properties) == 0 && len(parent.Required) == 0 {
		return br
	}
	s := *parent
	s.OneOf, s.AnyOf = nil, nil
	if len(br.OneOf) > 0 || len(br.AnyOf) > 0 {
		// a branch that is a union itself: its first branch, with the
		// parent's properties
		s.OneOf, s.AnyOf = br.OneOf, br.AnyOf
		return &s
	}
	s.Properties = openapi3.Schemas{}
	for _, from := range []*openapi3.Schema{parent, br} {
		for k, v := range from.Properties {
			s.Properties[k] = v
		}
	}
	s.Required = append(append([]string(nil), parent.Required...), br.Required...)
	s.AllOf = append(append(openapi3.SchemaRefs(nil), parent.AllOf...), br.AllOf...)
	if s.Type.IsEmpty() {
		s.Type = &openapi3.Types{"object"}
	}
	return &s
}

// roundTripUnion reads inst into body (through each variant, for a union)
// and describes what is not written back unchanged.
func roundTripUnion(body reflect.Type, inst []byte) string {
	var want any
	if err := json.Unmarshal(inst, &want); err != nil {
		return err.Error()
	}
	if union.Registered(body) {
		// A sealed union: the instance decodes into a named variant,
		// which writes it back unchanged.
		v, _, err := union.DecodeAs(body, inst)
		if err != nil {
			return err.Error()
		}
		if rv := reflect.ValueOf(v); !rv.IsValid() || rv.Type().Name() == "UnknownVariant" {
			return fmt.Sprintf("no variant reads %s", inst)
		}
		b, _ := json.Marshal(v)
		var got any
		_ = json.Unmarshal(b, &got)
		if !reflect.DeepEqual(got, want) {
			return fmt.Sprintf("instance %s read as %T, written as %s", inst, v, b)
		}
		return ""
	}
	if !hasRawUnion(body) {
		// Generated as a plain struct (the branches merged): it must carry
		// each branch as it is.
		v := reflect.New(body)
		if err := json.Unmarshal(inst, v.Interface()); err != nil {
			return err.Error()
		}
		b, _ := json.Marshal(v.Elem().Interface())
		var got any
		_ = json.Unmarshal(b, &got)
		if !reflect.DeepEqual(got, want) {
			return fmt.Sprintf("instance %s written as %s", inst, b)
		}
		return ""
	}
	var tried []string
	ptr := reflect.PointerTo(body)
	for i := range body.NumMethod() {
		as := body.Method(i)
		name, ok := strings.CutPrefix(as.Name, "As")
		from, hasFrom := ptr.MethodByName("From" + name)
		if !ok || !hasFrom || as.Type.NumOut() != 2 {
			continue
		}
		u := reflect.New(body)
		if err := json.Unmarshal(inst, u.Interface()); err != nil {
			return err.Error()
		}
		out := as.Func.Call([]reflect.Value{u.Elem()})
		if !out[1].IsNil() {
			continue // not this variant
		}
		w := reflect.New(body)
		if res := from.Func.Call([]reflect.Value{w, out[0]}); !res[0].IsNil() {
			return fmt.Sprintf("From%s: %v", name, res[0].Interface())
		}
		b, err := json.Marshal(w.Elem().Interface())
		if err != nil {
			return err.Error()
		}
		var got any
		_ = json.Unmarshal(b, &got)
		if reflect.DeepEqual(got, want) {
			return ""
		}
		tried = append(tried, fmt.Sprintf("%s writes %s", name, b))
	}
	if len(tried) == 0 {
		return fmt.Sprintf("no variant reads %s", inst)
	}
	return fmt.Sprintf("instance %s: %s", inst, strings.Join(tried, "; "))
}

// instance builds a minimal value of a schema: required properties only
// (with those written beside a oneOf, anyOf or allOf), the first enum
// value, the first branch of a oneOf or anyOf, and values
// that satisfy the common formats and bounds.
func instance(s *openapi3.Schema, depth int) any {
	if s == nil || depth > 12 {
		return nil
	}
	switch {
	case len(s.Enum) > 0:
		return s.Enum[0]
	case len(s.OneOf) > 0:
		return instance(branch(s, s.OneOf[0].Value), depth+1)
	case len(s.AnyOf) > 0:
		return instance(branch(s, s.AnyOf[0].Value), depth+1)
	case len(s.AllOf) > 0:
		merged := map[string]any{}
		own := *s
		own.AllOf = nil
		for _, part := range append(s.AllOf, openapi3.NewSchemaRef("", &own)) {
			if m, ok := instance(part.Value, depth+1).(map[string]any); ok {
				for k, v := range m {
					merged[k] = v
				}
			}
		}
		return merged
	}
	switch {
	case s.Type.Is("object") || s.Type.IsEmpty() && len(s.Properties) > 0:
		obj := map[string]any{}
		required := append([]string(nil), s.Required...)
		sort.Strings(required)
		for _, name := range required {
			if p := s.Properties[name]; p != nil {
				obj[name] = instance(p.Value, depth+1)
			}
		}
		return obj
	case s.Type.Is("array"):
		items := []any{}
		if s.MinItems > 0 && s.Items != nil {
			items = append(items, instance(s.Items.Value, depth+1))
		}
		return items
	case s.Type.Is("integer"):
		if s.Min != nil {
			return int(*s.Min) + 1
		}
		return 1
	case s.Type.Is("number"):
		if s.Min != nil {
			return *s.Min + 1
		}
		return 1.5
	case s.Type.Is("boolean"):
		return true
	case s.Type.Is("string"):
		switch s.Format {
		case "date-time":
			return "2024-05-06T07:08:09Z"
		case "date":
			return "2024-05-06"
		case "uuid":
			return "123e4567-e89b-12d3-a456-426614174000"
		case "email":
			return "someone@example.com"
		case "uri", "url":
			return "https://example.com/x"
		}
		return strings.Repeat("x", max(1, int(s.MinLength)))
	}
	return nil
}

// Request side: a request body sends what the caller set and nothing else.
// For every operation whose JSON body is an object, in every version, the
// zero value of its Go type writes required properties only; and each
// optional property, set to its zero value (false, 0, "", an empty object),
// is written: the Go field is a pointer, so "not set" and "zero" stay
// distinct. Nested objects are checked the same way, three levels deep.
// This is what keeps a partial update from overwriting a field the caller
// did not set, whatever the generator does to response models.
func TestRequestBodiesSendOnlyWhatIsSet(t *testing.T) {
	bodies := 0
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			jsonBodies(loadSpec(t, v.name), func(key string, schema *openapi3.Schema) {
				body := v.bodyType(t, key)
				if body == nil || body.Kind() != reflect.Struct || hasRawUnion(body) {
					return // unions: TestUnionRequestBodiesRoundTrip
				}
				bodies++
				for _, p := range sendsOnlyWhatIsSet(body, schema, "$", 0) {
					t.Errorf("%s: %s", key, p)
				}
			})
		})
	}
	t.Logf("%d object request bodies checked", bodies)
}

// sendsOnlyWhatIsSet checks one object type against its schema and returns
// what is wrong, as JSON paths.
func sendsOnlyWhatIsSet(typ reflect.Type, s *openapi3.Schema, path string, depth int) []string {
	props, required := objectSchema(s)
	if len(props) == 0 || typ.Kind() != reflect.Struct || hasRawUnion(typ) {
		return nil
	}
	var problems []string
	zero, err := marshalToMap(reflect.New(typ).Elem())
	if err != nil {
		return []string{fmt.Sprintf("%s: the zero %v does not encode: %v", path, typ, err)}
	}
	for k := range zero {
		if !required[k] {
			problems = append(problems, fmt.Sprintf("%s.%s is written although not set", path, k))
		}
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, ok := fieldByJSONName(typ, name)
		if required[name] || !ok {
			continue
		}
		v := reflect.New(typ).Elem()
		switch {
		case f.Type.Kind() == reflect.Pointer:
			v.FieldByIndex(f.Index).Set(reflect.New(f.Type.Elem()))
		case f.Type.Kind() == reflect.Interface || hasRawUnion(f.Type):
			continue // any value, nil included, is the caller's to choose
		default:
			problems = append(problems, fmt.Sprintf("%s.%s is a %v, not a pointer: its zero value cannot be sent", path, name, f.Type))
			continue
		}
		m, err := marshalToMap(v)
		if _, written := m[name]; err != nil || !written {
			problems = append(problems, fmt.Sprintf("%s.%s set to its zero value is not written (%v)", path, name, err))
		}
		if ps := props[name]; depth < 3 && ps != nil && ps.Value != nil {
			problems = append(problems, sendsOnlyWhatIsSet(f.Type.Elem(), ps.Value, path+"."+name, depth+1)...)
		}
	}
	return problems
}

// objectSchema returns the properties of s, with those of its allOf
// members, and the names it requires.
func objectSchema(s *openapi3.Schema) (openapi3.Schemas, map[string]bool) {
	props, required := openapi3.Schemas{}, map[string]bool{}
	for _, sub := range s.AllOf {
		if sub.Value != nil {
			p, r := objectSchema(sub.Value)
			for k, v := range p {
				props[k] = v
			}
			for k := range r {
				required[k] = true
			}
		}
	}
	for k, v := range s.Properties {
		props[k] = v
	}
	for _, r := range s.Required {
		required[r] = true
	}
	return props, required
}

func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func marshalToMap(v reflect.Value) (map[string]any, error) {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, err
	}
	var m map[string]any
	err = json.Unmarshal(b, &m)
	return m, err
}

// jsonBodies calls fn for every operation of doc with a JSON request body,
// with its "METHOD path" and the body's schema.
func jsonBodies(doc *openapi3.T, fn func(key string, schema *openapi3.Schema)) {
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			mt := op.RequestBody.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
				continue
			}
			fn(method+" "+path, mt.Schema.Value)
		}
	}
}
