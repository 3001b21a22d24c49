package main

import (
	"fmt"
	"go/ast"
	"reflect"
	"strconv"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// analysePager decides whether an operation's results are paged, and how
// the description says they are, from what the spec declares (query
// parameters, the search body) and the shape of the generated result type.
// Intercom pages in four ways:
//
//   - cursor:  ?starting_after=<pages.next.starting_after>
//   - search:  POST body {"pagination":{"starting_after":...}}
//   - page:    ?page=<n> until pages.page reaches pages.total_pages
//   - scroll:  ?scroll_param=<scroll_param> until a page comes back empty
//
// GET operations whose result pages but which declare no paging parameter
// (GET /contacts in some versions) are the "-undeclared" styles.
//
// The style is a label (the Paging column of the operations table) and
// decides one thing only: a search sends its cursor in the body, every
// other iterator sends its token as a query parameter (intercom.CallQuery,
// which replaces what params set). Which token to send is read from each
// page the server answers (internal/paging), not from the description:
// Intercom answers some lists described with a cursor with page numbers
// only, and sends pages.next as a URL string where an object is declared.
func analysePager(op *codegen.OperationDefinition, o *opGlue, result ast.Expr, idx *sourceIndex,
	defineType func(name, typ string) (string, error)) (*pagerGlue, error) {

	itemsHops, itemType := findItems(result, idx, op.Path)
	if itemsHops == nil {
		return nil, nil
	}
	query := map[string]codegen.ParameterDefinition{}
	for _, p := range op.QueryParams {
		query[p.ParamName] = p
	}
	cursorHops, hasCursor := idx.fieldPath(result, "json", "pages", "next", "starting_after")
	hasCursor = hasCursor && isIdent(cursorHops[2].Type, "string")
	pageHops, hasPage := idx.fieldPath(result, "json", "pages", "page")
	totalHops, hasTotal := idx.fieldPath(result, "json", "pages", "total_pages")
	hasPages := hasPage && hasTotal && isIdent(pageHops[1].Type, "int") && isIdent(totalHops[1].Type, "int")
	scrollHops, hasScroll := idx.fieldPath(result, "json", "scroll_param")
	hasScroll = hasScroll && isIdent(scrollHops[0].Type, "string")

	p := &pagerGlue{}
	switch {
	case hasScroll && has(query, "scroll_param"):
		p.Style = "scroll"
	case hasCursor && strings.Contains(o.Params, "body ") && setSearchCursor(p, op, idx):
		p.Style = "search"
	case hasCursor && has(query, "starting_after"):
		p.Style = "cursor"
	case hasPages && has(query, "page"):
		p.Style = "page"
	case op.Method == "GET" && hasCursor:
		p.Style = "cursor-undeclared"
	case op.Method == "GET" && hasPages:
		p.Style = "page-undeclared"
	default:
		return nil, nil
	}

	p.Item = idx.expr(itemType)
	expr, cond := access("r", itemsHops)
	ret := "return " + expr
	if _, anonymous := itemType.(*ast.StructType); anonymous {
		// An inline object: the item gets a defined type of its own (an
		// alias to an anonymous struct would change with every added
		// field), and each page's items are converted to it.
		name, err := defineType(o.Name+"Item", p.Item)
		if err != nil {
			return nil, err
		}
		p.Item = name
		ret = fmt.Sprintf("items := make([]%s, len(%s))\nfor i := range items {\nitems[i] = %s(%s[i])\n}\nreturn items", name, expr, name, expr)
	}
	if cond != "" {
		p.Items = fmt.Sprintf("if %s {\nreturn nil\n}\n%s", cond, ret)
	} else {
		p.Items = ret
	}
	return p, nil
}

func has(m map[string]codegen.ParameterDefinition, k string) bool {
	_, ok := m[k]
	return ok
}

// findItems picks the list a page carries: "data" when it is an array, else
// the only array field (other than errors), else the array named after the
// path's last segment.
func findItems(result ast.Expr, idx *sourceIndex, path string) ([]hop, ast.Expr) {
	st := idx.structOf(result)
	if st == nil {
		return nil, nil
	}
	var arrays [][]hop
	for _, f := range st.Fields.List {
		if len(f.Names) != 1 || f.Tag == nil {
			continue
		}
		name := jsonName(f)
		if name == "" || name == "errors" {
			continue
		}
		hops, ok := idx.fieldPath(result, "json", name)
		if !ok {
			continue
		}
		if _, isArray := idx.underlying(hops[0].Type).(*ast.ArrayType); isArray {
			if name == "data" {
				return hops, idx.underlying(hops[0].Type).(*ast.ArrayType).Elt
			}
			arrays = append(arrays, hops)
		}
	}
	pick := func(h []hop) ([]hop, ast.Expr) { return h, idx.underlying(h[0].Type).(*ast.ArrayType).Elt }
	if len(arrays) == 1 {
		return pick(arrays[0])
	}
	last := path[strings.LastIndex(path, "/")+1:]
	for _, h := range arrays {
		if strings.EqualFold(h[0].Go, goName(last)) {
			return pick(h)
		}
	}
	return nil, nil
}

func jsonName(f *ast.Field) string {
	tag, err := strconv.Unquote(f.Tag.Value)
	if err != nil {
		return ""
	}
	name, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
	return name
}

// setSearchCursor handles a POST body with pagination.starting_after: the
// statements that set it to cursor (a copy of a pointed-to pagination, so
// the caller's body is never written to).
func setSearchCursor(p *pagerGlue, op *codegen.OperationDefinition, idx *sourceIndex) bool {
	typ := ""
	for _, b := range op.Bodies {
		if b.IsSupportedByClient() && b.IsJSON() && (typ == "" || b.Default) {
			typ = b.Schema.TypeDecl()
		}
	}
	if typ == "" {
		return false
	}
	hops, ok := idx.fieldPath(&ast.Ident{Name: typ}, "json", "pagination", "starting_after")
	if !ok || !isIdent(hops[1].Type, "string") {
		return false
	}
	pag := idx.expr(hops[0].Type)
	amp := ""
	if hops[1].Ptr {
		amp = "&"
	}
	// A per_page the description requires (a plain int) would go out as
	// 0 when the caller set none: keep the page size the server reported.
	perPage := ""
	if pp, ok := idx.fieldPath(&ast.Ident{Name: typ}, "json", "pagination", "per_page"); ok && !pp[1].Ptr && isIdent(pp[1].Type, "int") {
		perPage = fmt.Sprintf("\nif pg.%s == 0 {\npg.%s = next.PerPage\n}", pp[1].Go, pp[1].Go)
	}
	if hops[0].Ptr {
		p.SetBodyCursor = fmt.Sprintf("var pg %s\nif body.%s != nil {\npg = *body.%s\n}\npg.%s = %scursor%s\nbody.%s = &pg",
			pag, hops[0].Go, hops[0].Go, hops[1].Go, amp, perPage, hops[0].Go)
	} else {
		p.SetBodyCursor = fmt.Sprintf("pg := body.%s\npg.%s = %scursor%s\nbody.%s = pg", hops[0].Go, hops[1].Go, amp, perPage, hops[0].Go)
	}
	return true
}

// goName turns snake_case into CamelCase (for matching field names).
func goName(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' })
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}
