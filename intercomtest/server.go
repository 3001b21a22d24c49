package intercomtest

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// DefaultToken is the bearer token a Server accepts unless WithToken says otherwise.
const DefaultToken = "test-token"

// WorkspaceID is the app id code of the imaginary workspace. It appears as
// app_id on companies, workspace_id on contacts and id_code in GET /me.
const WorkspaceID = "wsp7e5t1"

// defaultVersions are the Intercom-Version values the project generates
// clients for; Preview and Unstable are two names for the same track.
var defaultVersions = []string{
	"2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16",
	"Preview", "Unstable",
}

const (
	requestIDHeader = "X-Request-Id"
	maxBodyBytes    = 16 << 20 // generous: the fake should never be the bottleneck
	maxPerPage      = 150      // the API's upper bound for per_page
)

// Server is a running fake Intercom API. All methods are safe for concurrent use.
type Server struct {
	t        testing.TB
	hs       *httptest.Server
	token    string
	versions map[string]bool
	clock    func() time.Time

	reqSeq    atomic.Uint64
	conns     atomic.Int64
	closeOnce sync.Once

	// mu guards everything below; handlers hold it only while touching state,
	// never while writing to the network.
	mu           sync.Mutex
	st           *store
	limiter      *limiter // nil when rate limiting is off
	captured     []CapturedRequest
	faults       []*injected            // InjectFault, oldest first
	templates    map[string]handlerFunc // stateful routes ServeMux cannot hold (routes.go)
	mux          *http.ServeMux         // the stateful routes (routes.go)
	captureLimit int                    // -1: keep every request
}

// Option configures a Server.
type Option func(*config)

type config struct {
	token      string
	versions   []string
	clock      func() time.Time
	rateLimit  int
	rateWindow time.Duration
	pageSize   int
	implicit   bool
	capture    int
	listenAddr string
}

// WithToken sets the only bearer token the server accepts.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithVersions replaces the accepted Intercom-Version values. A request
// without the header is always accepted, as the real API then applies the
// workspace default.
func WithVersions(versions ...string) Option {
	return func(c *config) { c.versions = append([]string(nil), versions...) }
}

// WithRateLimit allows limit requests per fixed window (Intercom uses
// 10-second windows). Once enabled, every answer carries X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset, and requests beyond the limit
// get 429 rate_limit_exceeded. Every request counts, refused ones included,
// because the limit is checked before authentication. It panics on a
// non-positive limit or window.
func WithRateLimit(limit int, window time.Duration) Option {
	if limit < 1 || window <= 0 {
		panic("intercomtest: WithRateLimit needs a positive limit and window")
	}
	return func(c *config) { c.rateLimit, c.rateWindow = limit, window }
}

// WithClock replaces time.Now for timestamps, rate-limit windows and scroll
// expiry, so tests can move time forward without sleeping.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithPageSize sets the per_page used when a list request names none
// (default 50). It panics outside 1..150, the range the API accepts.
func WithPageSize(n int) Option {
	if n < 1 || n > maxPerPage {
		panic(fmt.Sprintf("intercomtest: WithPageSize(%d) is outside 1..%d", n, maxPerPage))
	}
	return func(c *config) { c.pageSize = n }
}

// WithImplicitObjects makes every contact, company or tag id the server
// does not know name an object that is created, with default fields, the
// first time a request uses it, so a test can call any route without
// seeding first. Without it (the default) an unknown id is a 404, as in the
// API. Other resources are synthesized from the answer schema either way.
func WithImplicitObjects() Option { return func(c *config) { c.implicit = true } }

// WithCaptureLimit keeps only the n most recent requests for Requests (0
// keeps none), so a long-running server's memory does not grow with its
// traffic. By default every request is kept.
func WithCaptureLimit(n int) Option {
	if n < 0 {
		panic("intercomtest: WithCaptureLimit needs n >= 0")
	}
	return func(c *config) { c.capture = n }
}

// WithListenAddr serves on addr ("127.0.0.1:8080", ":0") instead of a
// free loopback port; NewServer fails when it cannot listen there.
func WithListenAddr(addr string) Option { return func(c *config) { c.listenAddr = addr } }

// NewServer starts a fake Intercom API on a loopback address. When t is not
// nil the server is closed by t.Cleanup and seeding mistakes fail the test;
// with a nil t the caller must Close it and mistakes panic.
func NewServer(t testing.TB, opts ...Option) *Server {
	if t != nil {
		t.Helper()
	}
	cfg := config{token: DefaultToken, versions: defaultVersions, clock: time.Now, pageSize: 50, capture: -1}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		t:        t,
		token:    cfg.token,
		versions: make(map[string]bool, len(cfg.versions)),
		clock:    cfg.clock,
		st:       newStore(cfg.clock, cfg.pageSize),
	}
	s.st.implicit = cfg.implicit
	s.captureLimit = cfg.capture
	for _, v := range cfg.versions {
		s.versions[v] = true
	}
	if cfg.rateLimit > 0 {
		s.limiter = &limiter{limit: cfg.rateLimit, window: cfg.rateWindow}
	}
	s.hs = httptest.NewUnstartedServer(s.handler())
	if cfg.listenAddr != "" {
		l, err := net.Listen("tcp", cfg.listenAddr)
		if err != nil {
			s.fail("listening on %s: %v", cfg.listenAddr, err)
			return nil
		}
		_ = s.hs.Listener.Close()
		s.hs.Listener = l
	}
	s.hs.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.hs.Start()
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// URL is the base URL to give a client, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.hs.URL }

// Token is the bearer token the server accepts.
func (s *Server) Token() string { return s.token }

// Client returns an *http.Client that talks to the server.
func (s *Server) Client() *http.Client { return s.hs.Client() }

// Close stops the server and waits for in-flight requests. It is idempotent.
func (s *Server) Close() { s.closeOnce.Do(s.hs.Close) }

// ConnectionCount reports how many TCP connections the server has accepted,
// which lets tests check that a client reuses connections.
func (s *Server) ConnectionCount() int { return int(s.conns.Load()) }

// fail reports a misuse of a seeding helper: through the test when there is
// one, otherwise by panicking so the mistake cannot go unnoticed.
func (s *Server) fail(format string, args ...any) {
	if s.t != nil {
		s.t.Helper()
		s.t.Fatalf("intercomtest: "+format, args...)
		return
	}
	panic(fmt.Sprintf("intercomtest: "+format, args...))
}

// handler applies, in order, the checks every Intercom request goes through,
// then hands over to the route table.
func (s *Server) handler() http.Handler {
	mux := s.routes()
	s.mux = mux
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(requestIDHeader, s.nextRequestID())

		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeError(w, errf(http.StatusRequestEntityTooLarge, "request_too_large",
					"the request body exceeds %d bytes", maxBodyBytes))
				return
			}
			writeError(w, errf(http.StatusBadRequest, "bad_request", "reading the request body failed"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.capture(r, body, w.Header().Get(requestIDHeader))
		if serveRedirected(w, r) {
			return
		}

		if e := s.checkRateLimit(w); e != nil {
			writeError(w, e)
			return
		}
		if e := s.checkAuth(r); e != nil {
			writeError(w, e)
			return
		}
		if e := s.checkVersion(r); e != nil {
			writeError(w, e)
			return
		}
		s.serveOperation(w, r, body, mux)
	})
}

// nextRequestID returns a UUID-shaped id built from a counter, so it is both
// fresh per request and the same from one run to the next.
func (s *Server) nextRequestID() string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012x", s.reqSeq.Add(1))
}

func (s *Server) checkAuth(r *http.Request) *apiError {
	h := r.Header.Get("Authorization")
	if h == "" {
		return errf(http.StatusUnauthorized, "unauthorized", "no access token was sent")
	}
	scheme, tok, ok := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return errf(http.StatusUnauthorized, "unauthorized", "the Authorization header must read \"Bearer <token>\"")
	}
	if subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) != 1 {
		return errf(http.StatusUnauthorized, "unauthorized", "the access token is not recognised")
	}
	return nil
}

func (s *Server) checkVersion(r *http.Request) *apiError {
	vals, present := r.Header[http.CanonicalHeaderKey("Intercom-Version")]
	if !present {
		return nil
	}
	v := ""
	if len(vals) > 0 {
		v = vals[0]
	}
	if len(vals) != 1 || !s.versions[v] {
		return errf(http.StatusBadRequest, "intercom_version_invalid",
			"Intercom-Version %q is not one this server accepts", v)
	}
	return nil
}

// checkRateLimit charges the request to the current window and stamps the
// rate-limit headers; it returns an error once the window is used up.
func (s *Server) checkRateLimit(w http.ResponseWriter) *apiError {
	if s.limiter == nil {
		return nil
	}
	s.mu.Lock()
	remaining, reset, ok := s.limiter.take(s.clock())
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limiter.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
	if !ok {
		return errf(http.StatusTooManyRequests, "rate_limit_exceeded",
			"more than %d requests in one window; retry after the reset time", s.limiter.limit)
	}
	return nil
}
