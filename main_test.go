package intercom

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/apipin/intercom/internal/engine"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testToken is recognisable so that redaction tests can search for it.
const testToken = "tok_SeCrEt_9f8e7d6c5b4a"

var v211 = MustParseVersion("2.11")

// fakeClock records waits instead of sleeping. With block set, Sleep
// announces itself on sleeping and then waits for the context, so a test
// can cancel in the middle of a wait without any real sleep.
type fakeClock struct {
	mu       sync.Mutex
	now      time.Time
	sleeps   []time.Duration
	sleeping chan time.Duration // nil: return at once
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	block := c.sleeping
	c.mu.Unlock()
	if block != nil {
		block <- d
		<-ctx.Done()
	}
	return ctx.Err()
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// Test-only options for unexported knobs.
func withRetryBudget(n int) Option {
	return func(c *config) error { c.budget = n; return nil }
}

func withJitter(f float64) Option {
	return func(c *config) error { c.jitter = func() float64 { return f }; return nil }
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is a Core talking to a test server, with its fake clock, captured
// logs and captured hook calls.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	core  *core
	clock *fakeClock
	logs  *syncBuffer
	hits  atomic.Int32

	mu    sync.Mutex
	infos []ResponseInfo
}

// newEnv starts a server running h (counting requests) and a Core for it.
func newEnv(t *testing.T, h http.HandlerFunc, opts ...Option) *env {
	t.Helper()
	e := &env{t: t, clock: newFakeClock(), logs: &syncBuffer{}}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(e.srv.Close)
	base := []Option{
		WithToken(testToken),
		WithBaseURL(e.srv.URL),
		WithClock(e.clock),
		withJitter(0),
		WithLogger(slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		WithResponseHook(func(ri ResponseInfo) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.infos = append(e.infos, ri)
		}),
	}
	c, err := newCore(v211, append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewCore: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	e.core = c
	return e
}

func (e *env) Infos() []ResponseInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ResponseInfo(nil), e.infos...)
}

var testOp = &engine.Operation{ID: "testOp", Method: http.MethodGet, Path: "/{id}"}

// sender returns an engine.SendFunc making a raw request through the Core, the way
// a generated raw client does.
func (e *env) sender(method, path, body string) engine.SendFunc {
	return func(ctx context.Context) (*http.Response, error) {
		var r io.Reader
		if body != "" {
			r = strings.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, e.core.BaseURL()+path, r)
		if err != nil {
			return nil, err
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		return e.core.Doer().Do(req)
	}
}

// do runs an operation with method and path through Do into a map.
func (e *env) do(ctx context.Context, method, path, body string) (*map[string]any, error) {
	template, _, _ := strings.Cut(path, "?")
	op := &engine.Operation{ID: "testOp", Method: method, Path: template}
	return do[map[string]any](ctx, e.core, op, nil, e.sender(method, path, body))
}

// writeJSON answers with status, headers (alternating key, value) and body.
func writeJSON(w http.ResponseWriter, status int, body string, headers ...string) {
	for i := 0; i+1 < len(headers); i += 2 {
		w.Header().Set(headers[i], headers[i+1])
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

const errorList = `{"type":"error.list","request_id":"req-body-1","errors":[{"code":"%s","message":"%s"}]}`

// dropConnection reads the request and closes the connection without
// answering, as a crashing proxy would.
func dropConnection(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.Close()
}

// sequence answers the n-th request with handlers[n], repeating the last.
func sequence(handlers ...http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		handlers[min(i, len(handlers)-1)](w, r)
	}
}

func status(code int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { writeJSON(w, code, body, headers...) }
}

var ok200 = status(http.StatusOK, `{"ok":true}`)
