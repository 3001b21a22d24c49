package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
	"github.com/apipin/intercom/gen/specdoc"
)

type versionOps struct {
	Name string
	Ops  []ops.Op
}

// loadVersion reads the facts of every operation of one pinned version.
func loadVersion(version string) ([]ops.Op, error) {
	d, err := specdoc.Load(version)
	if err != nil {
		return nil, err
	}
	d.StripProse()
	t, err := d.OpenAPI()
	if err != nil {
		return nil, err
	}
	var out []ops.Op
	for _, path := range t.Paths.InMatchingOrder() {
		item := t.Paths.Value(path)
		for method, op := range item.Operations() {
			o := ops.Op{
				Method: strings.ToUpper(method),
				Path:   path,
				ID:     op.OperationID,
			}
			if len(op.Tags) > 0 {
				o.Tag = op.Tags[0]
			}
			o.Params = params(item.Parameters, op.Parameters)
			o.Body = body(op.RequestBody)
			o.Paging = paging(&o, op)
			out = append(out, o)
		}
	}
	return out, nil
}

// params merges path-level and operation-level parameters (the operation's
// win) and keeps path, query and header ones.
func params(pathLevel, opLevel openapi3.Parameters) []ops.Param {
	byKey := map[string]ops.Param{}
	for _, list := range []openapi3.Parameters{pathLevel, opLevel} {
		for _, ref := range list {
			p := ref.Value
			if p == nil || (p.In != "path" && p.In != "query" && p.In != "header") {
				continue
			}
			q := ops.Param{Name: p.Name, In: p.In, Required: p.Required || p.In == "path"}
			if p.Schema != nil && p.Schema.Value != nil {
				s := p.Schema.Value
				q.Type = schemaType(s)
				q.Enum = enum(s)
				if q.Type == "array" && s.Items != nil && s.Items.Value != nil {
					q.Items = schemaType(s.Items.Value)
					q.Enum = enum(s.Items.Value)
				}
			}
			byKey[p.In+" "+p.Name] = q
		}
	}
	out := make([]ops.Param, 0, len(byKey))
	for _, p := range byKey {
		out = append(out, p)
	}
	order := map[string]int{"path": 0, "query": 1, "header": 2}
	sort.Slice(out, func(i, j int) bool {
		if out[i].In != out[j].In {
			return order[out[i].In] < order[out[j].In]
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func schemaType(s *openapi3.Schema) string {
	if s.Type == nil {
		return ""
	}
	for _, t := range s.Type.Slice() {
		if t != "null" {
			return t
		}
	}
	return ""
}

func enum(s *openapi3.Schema) []string {
	var out []string
	for _, v := range s.Enum {
		if v == nil {
			continue
		}
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// body describes the request body, preferring JSON when several content
// types are offered.
func body(ref *openapi3.RequestBodyRef) *ops.Body {
	if ref == nil || ref.Value == nil || len(ref.Value.Content) == 0 {
		return nil
	}
	rb := ref.Value
	types := make([]string, 0, len(rb.Content))
	for ct := range rb.Content {
		types = append(types, ct)
	}
	sort.Strings(types)
	ct := types[0]
	if slices.Contains(types, "application/json") {
		ct = "application/json"
	}
	b := &ops.Body{Required: rb.Required, ContentType: ct}
	if mt := rb.Content[ct]; mt != nil && mt.Schema != nil {
		b.Schema = schemaName(mt.Schema)
	}
	return b
}

func schemaName(ref *openapi3.SchemaRef) string {
	if ref.Ref != "" {
		return ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
	}
	s := ref.Value
	if s == nil {
		return ""
	}
	for _, alts := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if len(alts) == 0 {
			continue
		}
		names := make([]string, len(alts))
		for i, a := range alts {
			names[i] = schemaName(a)
		}
		return "one of " + strings.Join(names, " | ")
	}
	if t := schemaType(s); t != "" {
		if t == "array" && s.Items != nil {
			return "array of " + schemaName(s.Items)
		}
		return t
	}
	return "object"
}
