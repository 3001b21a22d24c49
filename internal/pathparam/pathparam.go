// Package pathparam keeps ids from rerouting requests. An id from an
// untrusted source (a webhook payload, a form field) must never change
// which endpoint a request reaches: "." and ".." would be resolved away as
// dot segments (GET /contacts/.. is GET /), and "" turns /contacts/{id}
// into /contacts/, the list endpoint. Everything else is one segment once
// escaped: url.PathEscape encodes "/", "?", "#" and "%".
//
// The generated request builders of every version check each path
// parameter with Problem; the transport checks every request of a known
// operation with Matches before it leaves, whatever built it.
package pathparam

import "strings"

// Problem says what is wrong with a path parameter's value as it will be
// written into the path (escaped), or "" when it is one segment that
// reaches the operation it was meant for.
func Problem(segment string) string {
	switch segment {
	case "":
		return "empty: a path parameter must name one resource"
	case ".", "..":
		return `"` + segment + `" is a dot segment and would send the request to another endpoint`
	}
	if strings.ContainsAny(segment, "/?#") {
		return `contains "/", "?" or "#" unescaped: it would change the path`
	}
	return ""
}

// Matches reports whether an escaped request path is the base path
// followed by the operation's path template, each {placeholder} standing
// for exactly one segment that Problem accepts. It does not allocate: the
// transport calls it for every request.
func Matches(path, basePath, template string) bool {
	rest, ok := strings.CutPrefix(path, strings.TrimSuffix(basePath, "/"))
	if !ok {
		return false
	}
	for template != "" {
		if template, ok = strings.CutPrefix(template, "/"); !ok {
			return false
		}
		if rest, ok = strings.CutPrefix(rest, "/"); !ok {
			return false
		}
		var tseg, pseg string
		tseg, template = cutSegment(template)
		pseg, rest = cutSegment(rest)
		if strings.HasPrefix(tseg, "{") && strings.HasSuffix(tseg, "}") {
			if Problem(pseg) != "" {
				return false
			}
		} else if tseg != pseg {
			return false
		}
	}
	return rest == ""
}

// cutSegment splits s before its first "/".
func cutSegment(s string) (seg, rest string) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}
