package intercomtest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// matchKey carries the matched operation to the stateful handlers, which
// shape their answers to its version.
type matchKey struct{}

type matched struct {
	api   *api
	route *route
}

// redirectPrefix is where the fake sends operations whose success is a
// redirect (a recording's download, say): it serves a small file there.
const redirectPrefix = "/intercomtest/redirected"

// serveRedirected answers the target of a redirect the fake gave: like a
// signed storage URL, it needs no token. It reports whether it answered.
func serveRedirected(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, redirectPrefix+"/") || r.Method != http.MethodGet {
		return false
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("intercomtest download\n"))
	return true
}

// serveOperation matches the request to an operation of its version,
// checks it, and answers it: statefully when a handler of mux covers the
// route, otherwise from the answer schema.
func (s *Server) serveOperation(w http.ResponseWriter, r *http.Request, body []byte, mux *http.ServeMux) {
	version := r.Header.Get("Intercom-Version")
	if version == "" {
		version = newestVersion()
	}
	a := apiFor(version)
	if a == nil {
		a = apiFor(newestVersion()) // a name WithVersions added: the newest shapes
	}
	rt, params, known := a.match(r.Method, r.URL.Path)
	if f, ok := s.faultFor(r, rt); ok && s.applyFault(w, r, f) {
		return
	}
	if rt == nil {
		if known {
			writeError(w, errf(http.StatusMethodNotAllowed, "method_not_allowed",
				"%s is not allowed on %s in version %s", r.Method, r.URL.Path, a.version))
			return
		}
		writeError(w, errf(http.StatusNotFound, "not_found", "there is no %s %s in version %s", r.Method, r.URL.Path, a.version))
		return
	}
	decoded, e := a.check(rt, r, params, body)
	if e != nil {
		writeError(w, e)
		return
	}
	if h := s.templates[rt.op.Method+" "+rt.op.Path]; h != nil {
		for k, v := range params {
			r.SetPathValue(k, v)
		}
		s.locked(h).ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), matchKey{}, &matched{api: a, route: rt})))
		return
	}
	if _, pattern := mux.Handler(r); pattern != "" && patternFits(pattern, rt.op.Path) {
		mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), matchKey{}, &matched{api: a, route: rt})))
		return
	}
	if s.serveSeeded(w, r, a, rt, params, decoded) {
		return
	}
	if rt.resource.kind != kindNone {
		status, answer, e := s.serveResource(a, rt, r, params, decoded)
		if e != nil {
			writeError(w, e)
			return
		}
		if rt.op.Media == "" {
			w.WriteHeader(status) // the version answers without a body
			return
		}
		b, err := json.Marshal(answer)
		if err != nil {
			writeError(w, errf(http.StatusInternalServerError, "server_error", "intercomtest could not encode its answer: %v", err))
			return
		}
		writeBytes(w, status, b)
		return
	}
	st := rt.op.Status
	switch {
	case st >= 300 && st < 400:
		w.Header().Set("Location", redirectPrefix+r.URL.Path)
		w.WriteHeader(st)
	case rt.op.Media == "":
		w.WriteHeader(st)
	default:
		w.Header().Set("Content-Type", rt.op.Media)
		w.WriteHeader(st)
		_, _ = w.Write(a.synthesizedFor(rt, params))
	}
}

// patternFits reports whether a ServeMux pattern ("GET /contacts/{id}") is
// for the operation path the request matched: /contacts/activities, a
// route of its own, matches the pattern too but is not a contact.
func patternFits(pattern, opPath string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	ps := strings.Split(strings.TrimPrefix(path, "/"), "/")
	os := strings.Split(strings.TrimPrefix(opPath, "/"), "/")
	if len(ps) != len(os) {
		return false
	}
	for i := range ps {
		if isPlaceholder(ps[i]) != isPlaceholder(os[i]) || (!isPlaceholder(ps[i]) && ps[i] != os[i]) {
			return false
		}
	}
	return true
}
