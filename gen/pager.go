package main

import (
	"fmt"
	"go/ast"
	"reflect"
	"strconv"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// analysePager decides whether and how an operation's results are paged,
// from what the spec declares (query parameters, the search body) and the
// shape of the generated result type. Intercom pages in four ways:
//
//   - cursor:  ?starting_after=<pages.next.starting_after>
//   - search:  POST body {"pagination":{"starting_after":...}}
//   - page:    ?page=<n> until pages.page reaches pages.total_pages
//   - scroll:  ?scroll_param=<scroll_param> until a page comes back empty
//
// GET operations whose result pages but which declare no paging parameter
// (GET /contacts in some versions) are walked by adding the parameter to the
// query through the facade (the "-undeclared" styles).
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
	p.CallArgs = o.Args
	paramsType := op.OperationId + "Params"
	setParam := func(jsonName string, isInt bool) bool {
		hops, ok := idx.fieldPath(&ast.Ident{Name: paramsType}, "json", jsonName)
		if !ok || !isIdent(hops[0].Type, map[bool]string{true: "int", false: "string"}[isInt]) {
			return false
		}
		p.Prepare = "var p " + paramsType + "\nif params != nil {\n p = *params\n}"
		amp := ""
		if hops[0].Ptr {
			amp = "&"
		}
		if isInt {
			p.SetToken = fmt.Sprintf("if token != \"\" {\nn, err := facade.PageNumber(token)\nif err != nil {\nreturn nil, err\n}\np.%s = %sn\n}", hops[0].Go, amp)
		} else {
			p.SetToken = fmt.Sprintf("if token != \"\" {\np.%s = %stoken\n}", hops[0].Go, amp)
		}
		p.CallArgs = strings.TrimSuffix(o.Args, "params") + "&p" // params is always last
		return true
	}
	viaQuery := func(name string) {
		p.SetToken = fmt.Sprintf("if token != \"\" {\ncallOpts = append(callOpts, facade.CallQuery(%q, token))\n}", name)
	}

	switch {
	case hasScroll && has(query, "scroll_param"):
		if !setParam("scroll_param", false) {
			return nil, nil
		}
		p.Style, p.Scroll = "scroll", true
		p.Next = returnString(scrollHops)
	case hasCursor && strings.Contains(o.Params, "body ") && setSearchCursor(p, op, idx):
		p.Style = "search"
		p.Next = returnString(cursorHops)
	case hasCursor && has(query, "starting_after"):
		if !setParam("starting_after", false) {
			return nil, nil
		}
		p.Style = "cursor"
		p.Next = returnString(cursorHops)
	case hasPages && has(query, "page"):
		if !setParam("page", true) {
			return nil, nil
		}
		p.Style = "page"
		p.Next = nextPage(pageHops, totalHops)
	case op.Method == "GET" && hasCursor && !has(query, "starting_after"):
		p.Style = "cursor-undeclared"
		viaQuery("starting_after")
		p.Next = returnString(cursorHops)
	case op.Method == "GET" && hasPages && !has(query, "page"):
		p.Style = "page-undeclared"
		viaQuery("page")
		p.Next = nextPage(pageHops, totalHops)
	default:
		return nil, nil
	}
	if op.Method == "GET" && hasCursor && hasPages && !p.Scroll {
		// The answer has room for both signals: follow whichever a page
		// carries (the Paging label stays what the spec declares).
		p.Prepare = ""
		p.CallArgs = o.Args
		p.SetToken = "if token != \"\" {\nq, err := facade.PageTokenQuery(token)\nif err != nil {\nreturn nil, err\n}\ncallOpts = append(callOpts, q)\n}"
		p.Next = nextPageToken(cursorHops, pageHops, totalHops)
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

// setSearchCursor handles a POST body with pagination.starting_after.
func setSearchCursor(p *pagerGlue, op *codegen.OperationDefinition, idx *sourceIndex) bool {
	bodyType := ""
	for _, b := range op.Bodies {
		if b.IsSupportedByClient() && b.IsJSON() && (bodyType == "" || b.Default) {
			bodyType = op.OperationId + b.NameTag + "RequestBody"
		}
	}
	if bodyType == "" {
		return false
	}
	hops, ok := idx.fieldPath(&ast.Ident{Name: bodyType}, "json", "pagination", "starting_after")
	if !ok || !isIdent(hops[1].Type, "string") {
		return false
	}
	pag := idx.expr(hops[0].Type)
	amp, star := "", ""
	if hops[1].Ptr {
		amp = "&"
	}
	if hops[0].Ptr {
		p.SetToken = fmt.Sprintf("if token != \"\" {\nvar pg %s\nif body.%s != nil {\npg = *body.%s\n}\npg.%s = %stoken\nbody.%s = &pg\n}",
			pag, hops[0].Go, hops[0].Go, hops[1].Go, amp, hops[0].Go)
	} else {
		p.SetToken = fmt.Sprintf("if token != \"\" {\nbody.%s.%s = %stoken%s\n}", hops[0].Go, hops[1].Go, amp, star)
	}
	return true
}

func returnString(hops []hop) string {
	expr, cond := access("r", hops)
	if cond == "" {
		return "return " + expr
	}
	return fmt.Sprintf("if %s {\nreturn \"\"\n}\nreturn %s", cond, expr)
}

func nextPage(page, total []hop) string {
	pe, pc := access("r", page)
	te, tc := access("r", total)
	var conds []string
	seen := map[string]bool{}
	for _, c := range strings.Split(pc+" || "+tc, " || ") {
		if c != "" && !seen[c] {
			seen[c] = true
			conds = append(conds, c)
		}
	}
	out := ""
	if len(conds) > 0 {
		out = fmt.Sprintf("if %s {\nreturn \"\"\n}\n", strings.Join(conds, " || "))
	}
	return out + fmt.Sprintf("return facade.NextPageNumber(%s, %s)", pe, te)
}

// goName turns snake_case into CamelCase (for matching field names).
func goName(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == '-' })
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}

// nextPageToken renders a Next that returns facade.NextPageToken of the
// page's cursor and page numbers, each read only when the pointers on its
// way are set.
func nextPageToken(cursor, page, total []hop) string {
	var b strings.Builder
	b.WriteString("cursor, page, total := \"\", 0, 0\n")
	for _, v := range []struct {
		name string
		hops []hop
	}{{"cursor", cursor}, {"page", page}, {"total", total}} {
		expr, cond := access("r", v.hops)
		if cond == "" {
			fmt.Fprintf(&b, "%s = %s\n", v.name, expr)
		} else {
			fmt.Fprintf(&b, "if !(%s) {\n%s = %s\n}\n", cond, v.name, expr)
		}
	}
	b.WriteString("return facade.NextPageToken(cursor, page, total)")
	return b.String()
}
