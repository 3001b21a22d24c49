package intercomtest

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is a failure the server injects for users' resilience tests. Set
// the fields that apply: Delay alone slows the answer; with Status the
// answer is that error instead; Reset drops the connection without an
// answer; Malformed sends a success whose body is cut short.
type Fault struct {
	// Delay waits before answering (or before the other fault). The wait
	// ends early when the client gives up.
	Delay time.Duration
	// Status answers with this error status instead: 429 comes with
	// rate_limit_exceeded and the X-RateLimit-* headers (RetryAfter sets
	// the reset), 5xx with server_error or service_unavailable.
	Status     int
	RetryAfter time.Duration
	// Reset closes the connection without answering, as a crashed proxy would.
	Reset bool
	// Malformed answers 200 with a JSON body cut in the middle.
	Malformed bool
	// Times limits the fault to the next n matching requests; 0 means every one.
	Times int
}

type injected struct {
	route string
	fault Fault
	left  int // requests still to fail; -1: unlimited
}

// InjectFault makes requests to route fail as f says. route is "*" for
// every route, an operationId ("ShowContact", any case), or a method and
// path template as the version's description spells it ("GET
// /contacts/{contact_id}"); a literal path ("GET /contacts/abc") works too.
// Faults stack: the most recently injected matching one applies. It
// returns a function that removes this fault.
func (s *Server) InjectFault(route string, f Fault) (remove func()) {
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		s.fail("InjectFault: status %d is not an error status", f.Status)
		return func() {}
	}
	in := &injected{route: strings.TrimSpace(route), fault: f, left: -1}
	if f.Times > 0 {
		in.left = f.Times
	}
	s.mu.Lock()
	s.faults = append(s.faults, in)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i, x := range s.faults {
			if x == in {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
				return
			}
		}
	}
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// faultFor returns the fault that applies to the request, charging it.
func (s *Server) faultFor(r *http.Request, rt *route) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.faults) - 1; i >= 0; i-- {
		in := s.faults[i]
		if in.left == 0 || !faultMatches(in.route, r, rt) {
			continue
		}
		if in.left > 0 {
			in.left--
		}
		return in.fault, true
	}
	return Fault{}, false
}

func faultMatches(pattern string, r *http.Request, rt *route) bool {
	if pattern == "*" {
		return true
	}
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return rt != nil && strings.EqualFold(rt.op.ID, pattern)
	}
	if !strings.EqualFold(method, r.Method) {
		return false
	}
	path = strings.TrimSpace(path)
	return path == r.URL.Path || rt != nil && path == rt.op.Path
}

// applyFault carries out f; it reports whether the request is answered.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	switch {
	case f.Reset:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				if tcp, ok := conn.(*net.TCPConn); ok {
					_ = tcp.SetLinger(0) // RST, not an orderly close
				}
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // no hijacking (HTTP/2): abort the stream
	case f.Status == http.StatusTooManyRequests:
		reset := s.clock().Add(max(f.RetryAfter, time.Second))
		h := w.Header()
		h.Set("X-RateLimit-Limit", "1000")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		h.Set("Retry-After", strconv.Itoa(int(max(f.RetryAfter, time.Second)/time.Second)))
		writeError(w, errf(f.Status, "rate_limit_exceeded", "injected fault: rate limit exceeded"))
		return true
	case f.Status >= 500:
		code := "server_error"
		if f.Status == http.StatusServiceUnavailable {
			code = "service_unavailable"
		}
		writeError(w, errf(f.Status, code, "injected fault: status %d", f.Status))
		return true
	case f.Status != 0:
		writeError(w, errf(f.Status, "injected_fault", "injected fault: status %d", f.Status))
		return true
	case f.Malformed:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = fmt.Fprint(w, `{"type":"list","data":[{"id":"1","ty`)
		return true
	}
	return false // a delay only: answer as usual
}
