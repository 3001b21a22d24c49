package faults

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	facade "github.com/apipin/intercom"
	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/tests/bench/fixtures"
)

const token = "tok_faults_5e3c"

// epoch is where the fake clock starts: a whole second, so that
// X-RateLimit-Reset (Unix seconds) converts to exact waits.
var epoch = time.Unix(1_800_000_000, 0)

// fakeClock drives the client's rate-limit and backoff waits and the
// server's X-RateLimit-Reset values: a wait records its length and moves
// the time on, without sleeping.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// received is one request as a server saw it.
type received struct {
	Server string // "api" or "other" (the redirect target)
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
	Status int // status written; 0 when the handler wrote none (hijacked, blocked)
}

// Applied is the conservative server-side view of whether a POST took
// effect: every request the server read in full counts, except those it
// refused (429) or sent elsewhere (3xx). A 500 or a dropped connection
// counts, because from the outside nobody can tell that it did not happen.
func (q received) Applied() bool {
	return q.Method == http.MethodPost && q.Status != http.StatusTooManyRequests && (q.Status < 300 || q.Status > 399)
}

// env is one scenario's world: the misbehaving API server, an optional
// second host to redirect to, the fake clock and a typed client that
// records every attempt through its response hook.
type env struct {
	t         *testing.T
	sc        *scenario
	clock     *fakeClock
	api       *httptest.Server
	other     *httptest.Server
	quit      chan struct{} // closed at the end: releases handlers that hang
	closeOnce sync.Once
	// dialed and resetDone pass turns between client and server for
	// the connections in resetConns; see dialBeforeReset.
	dialed, resetDone chan struct{}
	client            *intercom.Client
	body              []byte // the scenario's body, built before the call
	duplicated        bool   // verify saw a write applied more than once

	requests atomic.Int32 // requests that reached a handler, both servers
	conns    atomic.Int32 // connections accepted by the API server

	mu    sync.Mutex
	reqs  []received
	infos []intercom.ResponseInfo
}

func newEnv(t *testing.T, sc *scenario) *env {
	t.Helper()
	e := &env{t: t, sc: sc, clock: &fakeClock{now: epoch}, quit: make(chan struct{}), dialed: make(chan struct{}, 1), resetDone: make(chan struct{}, 1)}
	if sc.body != nil {
		m, _ := sc.body(t)
		e.body = fixtures.JSON(m)
	}
	e.api = httptest.NewUnstartedServer(e.handler("api"))
	e.api.Listener = &faultListener{Listener: e.api.Listener, e: e}
	e.api.Start()
	t.Cleanup(e.api.Close)
	if sc.redirect {
		e.other = httptest.NewServer(e.handler("other"))
		t.Cleanup(e.other.Close)
	}
	// Registered last so that it runs first: handlers that hang are
	// released before the servers wait for them to finish.
	t.Cleanup(func() { e.closeOnce.Do(func() { close(e.quit) }) })

	opts := []intercom.Option{
		intercom.WithToken(token),
		intercom.WithBaseURL(e.api.URL),
		facade.WithClock(e.clock),
		intercom.WithResponseHook(func(ri intercom.ResponseInfo) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.infos = append(e.infos, ri)
		}),
	}
	if len(sc.resetConns) > 0 {
		opts = append(opts, dialBeforeReset(e))
	}
	if sc.options != nil {
		opts = append(opts, sc.options(e)...)
	}
	c, err := intercom.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	e.client = c
	t.Cleanup(c.CloseIdleConnections)
	return e
}

// handler records each request (its body read in full first, so a handler
// that drops the connection does so after the request arrived) and hands
// it to the scenario's serve function.
func (e *env) handler(server string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		n := int(e.requests.Add(1))
		rec := &recorder{ResponseWriter: w}
		// Recorded before serving, status filled in after: a hijacked
		// connection no longer holds up the server's Close, so the test
		// may count requests while this handler is still running.
		e.mu.Lock()
		i := len(e.reqs)
		e.reqs = append(e.reqs, received{
			Server: server, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: body,
		})
		e.mu.Unlock()
		defer func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.reqs[i].Status = rec.status
		}()
		switch {
		case e.sc.serve != nil:
			e.sc.serve(e, n, rec, r)
		case e.body != nil:
			writeJSON(rec, http.StatusOK, e.body)
		default:
			serveOK(e, n, rec, r)
		}
	})
}

// recorder notes the status a handler wrote. Unwrap lets
// http.ResponseController reach the real writer to flush or hijack.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// faultListener resets the connections a scenario lists in resetConns
// before the HTTP server reads anything from them.
type faultListener struct {
	net.Listener
	e *env
}

func (l *faultListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		n := int(l.e.conns.Add(1))
		if !slices.Contains(l.e.sc.resetConns, n) {
			return c, nil
		}
		select { // the client's turn: finish dialing (see dialBeforeReset)
		case <-l.e.dialed:
		case <-l.e.quit:
		}
		reset(c)
		l.e.resetDone <- struct{}{}
	}
}

// reset aborts a TCP connection: with a zero linger, Close sends RST
// instead of FIN, which the peer sees as "connection reset by peer".
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// Requests returns what the servers received, in order.
func (e *env) Requests() []received {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]received(nil), e.reqs...)
}

// Attempts returns what the client's response hook saw, one per attempt.
func (e *env) Attempts() []intercom.ResponseInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]intercom.ResponseInfo(nil), e.infos...)
}

// otherURL is the redirect target's URL for path, spelled with the host
// name "localhost" so that it differs from the API's 127.0.0.1 in host,
// not only in port.
func (e *env) otherURL(path string) string {
	return strings.Replace(e.other.URL, "127.0.0.1", "localhost", 1) + path
}

// hang blocks a handler until the client goes away or the scenario ends.
func (e *env) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-e.quit:
	}
}

// walkPages is the length of the listing the walk scenarios follow.
const (
	walkPages    = 3
	walkPageSize = 5
)

// walkPage is page n of that listing.
func walkPage(n int) []byte { return fixtures.JSON(fixtures.PageMap(n, walkPages, walkPageSize)) }

// serveOK answers as a healthy API does: the contact, the company for a
// POST, and the pages of the listing by their cursor.
func serveOK(_ *env, _ int, w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost:
		writeJSON(w, http.StatusOK, fixtures.Company())
	case r.URL.Path == "/contacts":
		n := 1
		if c := r.URL.Query().Get("starting_after"); c != "" {
			n = fixtures.PageOf(c)
		}
		if n < 1 || n > walkPages {
			writeJSON(w, http.StatusNotFound, []byte(`{"type":"error.list","errors":[{"code":"not_found","message":"no such page"}]}`))
			return
		}
		writeJSON(w, http.StatusOK, walkPage(n))
	default:
		writeJSON(w, http.StatusOK, fixtures.Contact())
	}
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	write(w, status, body)
}

func write(w http.ResponseWriter, status int, body []byte) {
	w.WriteHeader(status)
	w.Write(body)
}
