package intercomtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// searchBody is POST /contacts/search: a query tree and a cursor that travels
// in the body rather than the query string.
type searchBody struct {
	Query      json.RawMessage `json:"query"`
	Pagination *struct {
		PerPage       *int   `json:"per_page"`
		StartingAfter string `json:"starting_after"`
	} `json:"pagination"`
}

// queryNode is either a comparison (field, operator, value) or a group
// (operator AND/OR, value = list of nodes).
type queryNode struct {
	Field    string          `json:"field"`
	Operator string          `json:"operator"`
	Value    json.RawMessage `json:"value"`
}

type matcher func(*contactRec) bool

// searchFields are the contact fields this fake can filter on; the real API
// knows many more, and asking for one of those is reported rather than
// silently matching nothing.
var searchFields = map[string]func(*contactRec) string{
	"id":          func(r *contactRec) string { return r.ID },
	"email":       func(r *contactRec) string { return strings.ToLower(r.Email) },
	"external_id": func(r *contactRec) string { return r.ExternalID },
	"role":        func(r *contactRec) string { return r.Role },
	"name":        func(r *contactRec) string { return r.Name },
	"phone":       func(r *contactRec) string { return r.Phone },
}

// numberFields are the contact timestamps (Unix seconds) a search can
// compare with =, !=, <, <=, > and >=.
var numberFields = map[string]func(*contactRec) int64{
	"created_at": func(r *contactRec) int64 { return r.CreatedAt.Unix() },
	"updated_at": func(r *contactRec) int64 { return r.UpdatedAt.Unix() },
}

var numberTests = map[string]func(have, want int64) bool{
	"=":  func(h, w int64) bool { return h == w },
	"!=": func(h, w int64) bool { return h != w },
	"<":  func(h, w int64) bool { return h < w },
	"<=": func(h, w int64) bool { return h <= w },
	">":  func(h, w int64) bool { return h > w },
	">=": func(h, w int64) bool { return h >= w },
}

// stringTests implement the single-value operators.
var stringTests = map[string]func(have, want string) bool{
	"=":  func(h, w string) bool { return h == w },
	"!=": func(h, w string) bool { return h != w },
	"~":  strings.Contains,
	"!~": func(h, w string) bool { return !strings.Contains(h, w) },
	"^":  strings.HasPrefix,
	"$":  strings.HasSuffix,
}

// maxQueryDepth bounds nesting so a hostile body cannot recurse without end.
const maxQueryDepth = 4

func (st *store) searchContacts(_ *http.Request, body []byte) (any, *apiError) {
	var in searchBody
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if len(in.Query) == 0 || string(in.Query) == "null" {
		return nil, errf(http.StatusBadRequest, "parameter_not_found", "a search needs a query").on("query")
	}
	match, e := compileQuery(in.Query, "query", 0)
	if e != nil {
		return nil, e
	}
	perPage, cursor := st.pageSize, ""
	if p := in.Pagination; p != nil {
		if p.PerPage != nil {
			if *p.PerPage < 1 || *p.PerPage > maxPerPage {
				return nil, errf(http.StatusBadRequest, "parameter_invalid",
					"pagination.per_page must be from 1 to %d", maxPerPage).on("pagination.per_page")
			}
			perPage = *p.PerPage
		}
		cursor = p.StartingAfter
	}
	after, e := decodeCursor(cursor)
	if e != nil {
		return nil, e.on("pagination.starting_after")
	}
	hits := slices.DeleteFunc(slices.Clone(st.contacts), func(r *contactRec) bool { return !match(r) })
	page, pg := cursorPage(hits, after, perPage)
	return wireList{Type: "list", Data: contactsData(page), TotalCount: len(hits), Pages: pg}, nil
}

func compileQuery(raw json.RawMessage, path string, depth int) (matcher, *apiError) {
	invalid := func(format string, args ...any) *apiError {
		return errf(http.StatusBadRequest, "parameter_invalid", format, args...).on(path)
	}
	if depth > maxQueryDepth {
		return nil, invalid("the query nests more than %d levels", maxQueryDepth)
	}
	var n queryNode
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, invalid("%s must be an object with field, operator and value", path)
	}
	switch op := strings.ToUpper(n.Operator); op {
	case "AND", "OR":
		var parts []json.RawMessage
		if err := json.Unmarshal(n.Value, &parts); err != nil || len(parts) == 0 {
			return nil, invalid("an %s group needs a non-empty list of queries as its value", op)
		}
		subs := make([]matcher, len(parts))
		for i, p := range parts {
			m, e := compileQuery(p, fmt.Sprintf("%s.value[%d]", path, i), depth+1)
			if e != nil {
				return nil, e
			}
			subs[i] = m
		}
		if op == "AND" {
			return func(r *contactRec) bool {
				return !slices.ContainsFunc(subs, func(m matcher) bool { return !m(r) })
			}, nil
		}
		return func(r *contactRec) bool {
			return slices.ContainsFunc(subs, func(m matcher) bool { return m(r) })
		}, nil
	}

	if get, ok := numberFields[n.Field]; ok {
		test, ok := numberTests[n.Operator]
		if !ok {
			return nil, invalid("operator %q is not supported for %s", n.Operator, n.Field).on(path + ".operator")
		}
		var want int64
		if err := json.Unmarshal(n.Value, &want); err != nil {
			return nil, invalid("operator %s on %s needs a whole number (Unix seconds) as its value", n.Operator, n.Field)
		}
		return func(r *contactRec) bool { return test(get(r), want) }, nil
	}
	get, ok := searchFields[n.Field]
	if !ok {
		names := make([]string, 0, len(searchFields)+len(numberFields))
		for k := range searchFields {
			names = append(names, k)
		}
		for k := range numberFields {
			names = append(names, k)
		}
		sort.Strings(names)
		return nil, invalid("intercomtest cannot search contacts by %q; it supports %s",
			n.Field, strings.Join(names, ", ")).on(path + ".field")
	}
	// Emails compare case-insensitively, like addresses do in practice.
	norm := func(s string) string {
		if n.Field == "email" {
			return strings.ToLower(s)
		}
		return s
	}
	switch n.Operator {
	case "IN", "NIN":
		var want []string
		if err := json.Unmarshal(n.Value, &want); err != nil {
			return nil, invalid("operator %s needs a list of strings as its value", n.Operator)
		}
		for i := range want {
			want[i] = norm(want[i])
		}
		in := n.Operator == "IN"
		return func(r *contactRec) bool { return slices.Contains(want, get(r)) == in }, nil
	}
	test, ok := stringTests[n.Operator]
	if !ok {
		return nil, invalid("operator %q is not supported for %s", n.Operator, n.Field).on(path + ".operator")
	}
	var want string // JSON null leaves it empty, which matches an unset field
	if err := json.Unmarshal(n.Value, &want); err != nil {
		return nil, invalid("operator %s needs a string as its value", n.Operator)
	}
	want = norm(want)
	return func(r *contactRec) bool { return test(get(r), want) }, nil
}
