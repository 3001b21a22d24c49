package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
)

// request is an operation call, checked and ready to send: everything a
// bad argument could break was checked before anything is sent.
type request struct {
	op     *ops.Op
	path   string     // the path with its arguments filled in, escaped
	query  url.Values // declared query parameters
	header http.Header
	body   []byte // nil when none
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// buildRequest checks args (the path arguments, in path order), params
// (name=value, repeatable for arrays) and the body source against the
// operation's facts.
func buildRequest(op *ops.Op, args, params []string, bodySrc string, stdin io.Reader) (*request, error) {
	r := &request{op: op, query: url.Values{}, header: http.Header{}}

	pathParams := op.PathParams()
	if len(args) != len(pathParams) {
		names := make([]string, len(pathParams))
		for i, p := range pathParams {
			names[i] = "<" + p.Name + ">"
		}
		return nil, usagef("%s %s takes %d argument(s) %s, got %d", op.Group, op.Command, len(pathParams), strings.Join(names, " "), len(args))
	}
	path := op.Path
	for i, p := range pathParams {
		v := args[i]
		// A path argument is one segment: "", "." and ".." would name
		// another endpoint once the URL is cleaned.
		if v == "" || v == "." || v == ".." {
			return nil, usagef("<%s> must not be %q", p.Name, v)
		}
		if err := checkValue(p, v); err != nil {
			return nil, err
		}
		path = strings.Replace(path, "{"+p.Name+"}", url.PathEscape(v), 1)
	}
	r.path = path

	given := map[string]bool{}
	for _, kv := range params {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return nil, usagef("--param %q: want name=value", kv)
		}
		p, found := findOption(op, name)
		if !found {
			return nil, usagef("%s %s has no parameter %q (parameters: %s)", op.Group, op.Command, name, optionNames(op))
		}
		if p.Type != "array" && given[name] {
			return nil, usagef("--param %s given twice; it takes one value", name)
		}
		given[name] = true
		if err := checkValue(p, value); err != nil {
			return nil, err
		}
		switch {
		case p.In == "query" && p.Type == "object":
			// An object in the query is sent form-exploded (OpenAPI's
			// default, and what Intercom declares): each member is a
			// parameter of its own.
			if err := addObject(r.query, p.Name, value); err != nil {
				return nil, err
			}
		case p.In == "query":
			r.query.Add(name, value)
		case p.In == "header":
			r.header.Add(name, value)
		}
	}
	for _, p := range op.OptionParams() {
		if p.Required && !given[p.Name] && len(p.Enum) == 1 && p.Type != "array" {
			// The only value it can have (the Accept of a download, say).
			if p.In == "query" {
				r.query.Set(p.Name, p.Enum[0])
			} else {
				r.header.Set(p.Name, p.Enum[0])
			}
			continue
		}
		if p.Required && !given[p.Name] {
			return nil, usagef("%s %s needs --param %s=<%s>", op.Group, op.Command, p.Name, typeName(p))
		}
	}

	if bodySrc != "" && op.Body == nil {
		return nil, usagef("%s %s takes no body", op.Group, op.Command)
	}
	if op.Body != nil {
		if bodySrc == "" && op.Body.Required {
			return nil, usagef("%s %s needs a body: --body @file, --body - (stdin) or --body '<json>'", op.Group, op.Command)
		}
		if bodySrc != "" {
			b, err := readBody(bodySrc, stdin)
			if err != nil {
				return nil, err
			}
			if isJSONType(op.Body.ContentType) && !json.Valid(b) {
				return nil, usagef("--body is not valid JSON")
			}
			r.body = b
			r.header.Set("Content-Type", op.Body.ContentType)
		}
	}
	return r, nil
}

// addObject adds the members of a JSON object as query parameters.
func addObject(q url.Values, name, value string) error {
	var obj map[string]any
	if err := json.Unmarshal([]byte(value), &obj); err != nil || obj == nil {
		return usagef("%s: want a JSON object, e.g. %s='{\"key\":\"value\"}'", name, name)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch v := obj[k].(type) {
		case string:
			q.Add(k, v)
		case float64, bool:
			q.Add(k, fmt.Sprint(v))
		default:
			return usagef("%s: member %q must be a string, number or boolean", name, k)
		}
	}
	return nil
}

func findOption(op *ops.Op, name string) (ops.Param, bool) {
	for _, p := range op.Params {
		if p.Name == name && p.In != "path" {
			return p, true
		}
	}
	return ops.Param{}, false
}

func optionNames(op *ops.Op) string {
	var names []string
	for _, p := range op.OptionParams() {
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// checkValue refuses a value that cannot be of the parameter's type.
func checkValue(p ops.Param, v string) error {
	t := p.Type
	if t == "array" {
		t = p.Items
	}
	switch t {
	case "integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return usagef("%s: %q is not an integer", p.Name, v)
		}
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return usagef("%s: %q is not a number", p.Name, v)
		}
	case "boolean":
		if v != "true" && v != "false" {
			return usagef("%s: %q is not true or false", p.Name, v)
		}
	}
	if len(p.Enum) > 0 && !slices.Contains(p.Enum, v) {
		return usagef("%s: %q is not one of %s", p.Name, v, strings.Join(p.Enum, ", "))
	}
	return nil
}

func typeName(p ops.Param) string {
	switch {
	case p.Type == "array" && p.Items != "":
		return p.Items + ", repeatable"
	case p.Type == "":
		return "value"
	}
	return p.Type
}

// readBody reads --body: @file, - for stdin, or the JSON itself.
func readBody(src string, stdin io.Reader) ([]byte, error) {
	switch {
	case src == "-":
		if stdin == nil {
			return nil, usagef("--body -: no standard input")
		}
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("reading the body from standard input: %w", err)
		}
		return b, nil
	case strings.HasPrefix(src, "@"):
		b, err := os.ReadFile(src[1:])
		if err != nil {
			return nil, usagef("--body: %v", err)
		}
		return b, nil
	}
	return []byte(src), nil
}

func isJSONType(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

// send sends the request once; extraQuery adds a paging token (set, not
// added), body replaces the request body when not nil.
func (r *request) send(ctx context.Context, c *client, extraQuery url.Values, body []byte) ([]byte, error) {
	if body == nil {
		body = r.body
	}
	q := url.Values{}
	for k, vs := range r.query {
		q[k] = vs
	}
	for k, vs := range extraQuery {
		q[k] = vs
	}
	u := c.baseURL() + r.path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	accept := r.op.Accept
	if a := r.header.Get("Accept"); a != "" {
		accept = a // a declared Accept parameter
	}
	return c.call(ctx, r.op.ID, r.op.Method, r.op.Path, accept, func(ctx context.Context) (*http.Request, error) {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, r.op.Method, u, rd)
		if err != nil {
			return nil, err
		}
		for k, vs := range r.header {
			req.Header[k] = slices.Clone(vs)
		}
		return req, nil
	})
}
