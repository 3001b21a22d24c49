package intercomtest

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
)

// CapturedRequest is one request as the server received it, kept so tests can
// assert on what a client actually sent.
type CapturedRequest struct {
	RequestID string      // the X-Request-Id the server answered with
	Method    string      // e.g. "POST"
	Path      string      // URL path, e.g. "/contacts/abc/companies"
	Query     url.Values  // parsed query string
	Header    http.Header // request headers; the Authorization credential is redacted
	Body      []byte      // raw request body (empty when none was sent)
}

// redacted replaces a credential in captured headers: tests need to see that
// a token was sent and with which scheme, never the token itself.
const redacted = "[redacted]"

func (s *Server) capture(r *http.Request, body []byte, requestID string) {
	if s.captureLimit == 0 {
		return
	}
	h := r.Header.Clone()
	if v := h.Get("Authorization"); v != "" {
		if scheme, _, ok := strings.Cut(v, " "); ok && strings.EqualFold(scheme, "Bearer") {
			h.Set("Authorization", scheme+" "+redacted)
		} else {
			h.Set("Authorization", redacted)
		}
	}
	c := CapturedRequest{
		RequestID: requestID,
		Method:    r.Method,
		Path:      r.URL.Path,
		Query:     r.URL.Query(),
		Header:    h,
		Body:      bytes.Clone(body),
	}
	s.mu.Lock()
	s.captured = append(s.captured, c)
	if s.captureLimit > 0 && len(s.captured) > s.captureLimit {
		n := copy(s.captured, s.captured[len(s.captured)-s.captureLimit:])
		clear(s.captured[n:])
		s.captured = s.captured[:n]
	}
	s.mu.Unlock()
}

// Requests returns copies of all requests received since the start or the
// last ResetRequests, oldest first.
func (s *Server) Requests() []CapturedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CapturedRequest, len(s.captured))
	for i, c := range s.captured {
		c.Header = c.Header.Clone()
		c.Query = cloneValues(c.Query)
		c.Body = bytes.Clone(c.Body)
		out[i] = c
	}
	return out
}

// ResetRequests forgets the captured requests (the stored data is kept).
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.captured = nil
	s.mu.Unlock()
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
