package main

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
)

// paging decides whether and how an operation's results are paged. It
// applies, to the description, the rules by which the library's generator
// (gen/pager.go, analysePager) picks the iterator of each list and search, in
// the same order, so that `--all` walks exactly the lists that have a
// <Method>All iterator and in the same way; a test in this module checks the
// two agree for every operation of every version.
func paging(o *ops.Op, op *openapi3.Operation) *ops.Paging {
	result := successSchema(op, o)
	if result == nil {
		return nil
	}
	items := findItems(result, o.Path)
	if items == "" {
		return nil
	}
	query := map[string]ops.Param{}
	for _, p := range o.Params {
		if p.In == "query" {
			query[p.Name] = p
		}
	}
	hasCursor := isType(field(result, "pages", "next", "starting_after"), "string")
	hasPages := isInt(field(result, "pages", "page")) && isInt(field(result, "pages", "total_pages"))
	hasScroll := isType(field(result, "scroll_param"), "string")
	queryIs := func(name, typ string) bool {
		p, ok := query[name]
		return ok && p.Type == typ
	}
	_, declaresCursor := query["starting_after"]
	_, declaresPage := query["page"]

	style := ""
	switch {
	case hasScroll && query["scroll_param"].Name != "":
		if queryIs("scroll_param", "string") {
			style = ops.PagingScroll
		}
	case hasCursor && o.Body != nil && searchCursor(op):
		style = ops.PagingSearch
	case hasCursor && declaresCursor:
		if queryIs("starting_after", "string") {
			style = ops.PagingCursor
		}
	case hasPages && declaresPage:
		if queryIs("page", "integer") {
			style = ops.PagingPage
		}
	case o.Method == "GET" && hasCursor:
		style = ops.PagingCursorUndeclared
	case o.Method == "GET" && hasPages:
		style = ops.PagingPageUndeclared
	}
	if style == "" {
		return nil
	}
	return &ops.Paging{Style: style, Items: items}
}

// successSchema is the lowest 2xx JSON body's schema, as the typed methods
// return; it also sets o.Accept.
func successSchema(op *openapi3.Operation, o *ops.Op) *openapi3.Schema {
	o.Accept = "application/json"
	if op.Responses == nil {
		return nil
	}
	codes := []string{}
	for code := range op.Responses.Map() {
		if strings.HasPrefix(code, "2") {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	var other []string
	for _, code := range codes {
		r := op.Responses.Value(code)
		if r == nil || r.Value == nil {
			continue
		}
		for ct, mt := range r.Value.Content {
			if isJSON(ct) {
				if mt.Schema != nil {
					return mt.Schema.Value
				}
				return nil
			}
			other = append(other, ct)
		}
	}
	if len(other) > 0 {
		sort.Strings(other)
		o.Accept = strings.Join(other, ", ")
	}
	return nil
}

func isJSON(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

// properties collects an object schema's properties, through allOf.
func properties(s *openapi3.Schema) map[string]*openapi3.Schema {
	out := map[string]*openapi3.Schema{}
	var walk func(*openapi3.Schema, int)
	walk = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 16 {
			return
		}
		for _, a := range s.AllOf {
			if a != nil {
				walk(a.Value, depth+1)
			}
		}
		for name, p := range s.Properties {
			if p != nil && p.Value != nil {
				out[name] = p.Value
			}
		}
	}
	walk(s, 0)
	return out
}

func field(s *openapi3.Schema, path ...string) *openapi3.Schema {
	for _, name := range path {
		if s == nil {
			return nil
		}
		s = properties(s)[name]
	}
	return s
}

func isType(s *openapi3.Schema, t string) bool { return s != nil && schemaType(s) == t }

// isInt: the generator pages by number only when both figures are Go ints,
// which oapi-codegen gives for integers without a format.
func isInt(s *openapi3.Schema) bool { return isType(s, "integer") && s.Format == "" }

// findItems picks the list a page carries: "data" when it is an array, else
// the only array member (other than errors), else the array named after the
// path's last segment.
func findItems(s *openapi3.Schema, path string) string {
	props := properties(s)
	var arrays []string
	for name, p := range props {
		if name == "errors" || schemaType(p) != "array" {
			continue
		}
		if name == "data" {
			return name
		}
		arrays = append(arrays, name)
	}
	if len(arrays) == 1 {
		return arrays[0]
	}
	last := path[strings.LastIndex(path, "/")+1:]
	for _, name := range arrays {
		if strings.EqualFold(strings.ReplaceAll(name, "_", ""), strings.ReplaceAll(last, "_", "")) {
			return name
		}
	}
	return ""
}

// searchCursor: a JSON body with pagination.starting_after as a string.
func searchCursor(op *openapi3.Operation) bool {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return false
	}
	for ct, mt := range op.RequestBody.Value.Content {
		if !isJSON(ct) || mt.Schema == nil {
			continue
		}
		if isType(field(mt.Schema.Value, "pagination", "starting_after"), "string") {
			return true
		}
	}
	return false
}
