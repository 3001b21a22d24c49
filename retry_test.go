package intercom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// resetIn returns an X-RateLimit-Reset value d after the fake clock's now.
func resetIn(c *fakeClock, d time.Duration) string {
	return strconv.FormatInt(c.Now().Add(d).Unix(), 10)
}

func rateLimited(headers ...string) http.HandlerFunc {
	return status(http.StatusTooManyRequests, fmt.Sprintf(errorList, "rate_limit_exceeded", "Exceeded rate limit"),
		append([]string{"X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "0"}, headers...)...)
}

func wantSleeps(t *testing.T, c *fakeClock, want ...time.Duration) {
	t.Helper()
	if got := c.Sleeps(); !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
}

func TestRateLimitWaitsUntilReset(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, sequence(rateLimited("X-RateLimit-Reset", resetIn(clock, 7*time.Second)), ok200), WithClock(clock))
	// A POST too: a 429 certainly was not processed.
	if _, err := e.do(context.Background(), http.MethodPost, "/x", `{"a":1}`); err != nil {
		t.Fatal(err)
	}
	wantSleeps(t, clock, 7*time.Second)
	if e.hits.Load() != 2 {
		t.Errorf("hits %d", e.hits.Load())
	}
}

func TestRetryAfter(t *testing.T) {
	clock := newFakeClock()
	date := clock.Now().Add(8 * time.Second).UTC().Format(http.TimeFormat) // 5s after the first wait
	e := newEnv(t, sequence(
		rateLimited("Retry-After", "3", "X-RateLimit-Reset", resetIn(clock, 9*time.Second)), // Retry-After wins
		rateLimited("Retry-After", date),
		status(http.StatusServiceUnavailable, "", "Retry-After", "2"),
		ok200,
	), WithClock(clock), WithRetry(RetryPolicy{MaxAttempts: 5}))
	if _, err := e.do(context.Background(), http.MethodGet, "/x", ""); err != nil {
		t.Fatal(err)
	}
	wantSleeps(t, clock, 3*time.Second, 5*time.Second, 2*time.Second)
}

func TestRateLimitResetBeyondMaxWait(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, rateLimited("X-RateLimit-Reset", resetIn(clock, 2*time.Minute)), WithClock(clock))
	_, err := e.do(context.Background(), http.MethodGet, "/x", "")
	var apiErr *Error
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrRateLimited) || apiErr.Code() != "rate_limit_exceeded" {
		t.Fatalf("err = %v", err)
	}
	if !apiErr.RateLimit.Known || apiErr.RateLimit.Remaining != 0 || !strings.Contains(err.Error(), "rate limit resets at 2023-11-14T22:15:20Z") {
		t.Errorf("rate limit in error: %+v / %v", apiErr.RateLimit, err)
	}
	wantSleeps(t, clock)
	if e.hits.Load() != 1 {
		t.Errorf("hits %d", e.hits.Load())
	}
	if !strings.Contains(e.logs.String(), "level=WARN msg=\"intercom: giving up\"") {
		t.Errorf("no warning logged:\n%s", e.logs)
	}
}

func TestRateLimitResetInPastBacksOff(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, sequence(rateLimited("X-RateLimit-Reset", resetIn(clock, -3*time.Second)), ok200), WithClock(clock))
	if _, err := e.do(context.Background(), http.MethodGet, "/x", ""); err != nil {
		t.Fatal(err)
	}
	wantSleeps(t, clock, defaultBaseDelay/2) // jitter pinned to 0
}

func TestUnsafeMethodsNotRepeated(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"500":     status(http.StatusInternalServerError, ""),
		"503":     status(http.StatusServiceUnavailable, ""),
		"dropped": dropConnection,
	} {
		for _, method := range []string{http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
			t.Run(name+"/"+method, func(t *testing.T) {
				e := newEnv(t, h)
				if _, err := e.do(context.Background(), method, "/x", `{"a":1}`); err == nil {
					t.Fatal("no error")
				}
				if n := e.hits.Load(); n != 1 {
					t.Errorf("server saw %d requests, want 1", n)
				}
			})
		}
	}
}

func TestSafeMethodsRetried(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"500":     status(http.StatusInternalServerError, ""),
		"502":     status(http.StatusBadGateway, "<html>bad gateway</html>"),
		"503":     status(http.StatusServiceUnavailable, ""),
		"504":     status(http.StatusGatewayTimeout, ""),
		"dropped": dropConnection,
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, sequence(h, ok200))
			if _, err := e.do(context.Background(), http.MethodGet, "/x", ""); err != nil {
				t.Fatal(err)
			}
			if n := e.hits.Load(); n != 2 {
				t.Errorf("server saw %d requests, want 2", n)
			}
		})
	}
}

func TestRetryUnsafeReplaysBody(t *testing.T) {
	var bodies []string
	record := func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			bodies = append(bodies, string(b))
			next(w, r)
		}
	}
	e := newEnv(t, sequence(record(status(http.StatusInternalServerError, "")), record(rateLimited()), record(ok200)),
		WithRetry(RetryPolicy{RetryUnsafe: true}))
	if _, err := e.do(context.Background(), http.MethodPost, "/x", `{"a":1}`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(bodies, "|") != `{"a":1}|{"a":1}|{"a":1}` {
		t.Errorf("bodies %q", bodies)
	}

	// Per request, through the context.
	e = newEnv(t, sequence(status(http.StatusServiceUnavailable, ""), ok200))
	ctx := withRequestRetry(context.Background(), RetryPolicy{RetryUnsafe: true})
	if _, err := e.do(ctx, http.MethodPost, "/x", `{}`); err != nil || e.hits.Load() != 2 {
		t.Errorf("per-request RetryUnsafe: %v, %d hits", err, e.hits.Load())
	}
}

func TestUnreplayableBodyNotRetried(t *testing.T) {
	e := newEnv(t, rateLimited())
	_, err := do[map[string]any](context.Background(), e.core, testOp, nil, func(ctx context.Context) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.core.BaseURL()+"/x", io.NopCloser(strings.NewReader("{}")))
		return e.core.Doer().Do(req)
	})
	if !errors.Is(err, ErrRateLimited) || e.hits.Load() != 1 {
		t.Errorf("%v, %d hits", err, e.hits.Load())
	}
}

func TestDialErrorRetriedEvenForPOST(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens: connection refused, nothing was sent
	e := newEnv(t, ok200, WithBaseURL("http://"+addr))
	_, err = e.do(context.Background(), http.MethodPost, "/x", "{}")
	if !isDialError(err) {
		t.Fatalf("err = %v", err)
	}
	var attempts []int
	for _, ri := range e.Infos() {
		attempts = append(attempts, ri.Attempt)
	}
	if !slices.Equal(attempts, []int{1, 2, 3, 4}) {
		t.Errorf("attempts %v", attempts)
	}
	wantSleeps(t, e.clock, 250*time.Millisecond, 500*time.Millisecond, time.Second)
}

func TestMaxAttemptsAndBackoff(t *testing.T) {
	e := newEnv(t, status(http.StatusServiceUnavailable, ""), WithRetry(RetryPolicy{MaxAttempts: 6, BaseDelay: time.Second, MaxDelay: 4 * time.Second}))
	_, err := e.do(context.Background(), http.MethodGet, "/x", "")
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || e.hits.Load() != 6 {
		t.Fatalf("%v, %d hits", err, e.hits.Load())
	}
	s := time.Second
	wantSleeps(t, e.clock, s/2, s, 2*s, 2*s, 2*s)
}

func TestMaxWaitBoundsTotal(t *testing.T) {
	e := newEnv(t, status(http.StatusServiceUnavailable, "", "Retry-After", "3"), WithRetry(RetryPolicy{MaxAttempts: 10, MaxWait: 5 * time.Second}))
	if _, err := e.do(context.Background(), http.MethodGet, "/x", ""); err == nil {
		t.Fatal("no error")
	}
	wantSleeps(t, e.clock, 3*time.Second) // a second wait would end at 6s > 5s
	if e.hits.Load() != 2 {
		t.Errorf("hits %d", e.hits.Load())
	}
}

func TestDisableRetries(t *testing.T) {
	for name, opt := range map[string]Option{"option": DisableRetries(), "context": nil} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, status(http.StatusServiceUnavailable, ""), opt)
			ctx := context.Background()
			if opt == nil {
				ctx = withRequestRetry(ctx, RetryPolicy{MaxAttempts: 1})
			}
			if _, err := e.do(ctx, http.MethodGet, "/x", ""); err == nil || e.hits.Load() != 1 {
				t.Errorf("%v, %d hits", err, e.hits.Load())
			}
		})
	}
	e := newEnv(t, ok200)
	ctx := withRequestRetry(context.Background(), RetryPolicy{MaxAttempts: -1})
	if _, err := e.do(ctx, http.MethodGet, "/x", ""); err == nil || e.hits.Load() != 0 {
		t.Errorf("invalid per-request policy: %v", err)
	}
}

func TestContextCancelStopsWait(t *testing.T) {
	clock := newFakeClock()
	clock.sleeping = make(chan time.Duration)
	e := newEnv(t, rateLimited("X-RateLimit-Reset", resetIn(clock, 30*time.Second)), WithClock(clock))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-clock.sleeping
		cancel()
	}()
	_, err := e.do(ctx, http.MethodGet, "/x", "")
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrRateLimited) {
		t.Errorf("err = %v", err)
	}
	if e.hits.Load() != 1 {
		t.Errorf("hits %d", e.hits.Load())
	}
}

func TestWaitBeyondDeadlineReturnsAtOnce(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, rateLimited("X-RateLimit-Reset", resetIn(clock, 30*time.Second)), WithClock(clock))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	began := time.Now()
	_, err := e.do(ctx, http.MethodGet, "/x", "")
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrRateLimited) {
		t.Errorf("err = %v", err)
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
		t.Errorf("the 429 must stay reachable: %v", err)
	}
	if time.Since(began) > 5*time.Second {
		t.Error("waited for the deadline")
	}
	wantSleeps(t, clock)
}

func TestRetryBudget(t *testing.T) {
	e := newEnv(t, status(http.StatusServiceUnavailable, ""), withRetryBudget(2*retryCost), WithRetry(RetryPolicy{MaxAttempts: 10}))
	ctx := context.Background()
	e.do(ctx, http.MethodGet, "/x", "")
	if n := e.hits.Load(); n != 3 { // the budget pays for two retries
		t.Fatalf("first call: %d hits", n)
	}
	e.do(ctx, http.MethodGet, "/x", "")
	if n := e.hits.Load(); n != 4 { // empty: no retry
		t.Fatalf("second call: %d hits", n)
	}
	if !strings.Contains(e.logs.String(), "retry budget exhausted") {
		t.Errorf("exhaustion not logged:\n%s", e.logs)
	}
	// Successes refill it.
	b := e.core.client.Transport.(*transport).budget
	for range retryCost {
		b.refund(successRefund)
	}
	if !b.take(retryCost) || b.take(1) {
		t.Error("refund arithmetic")
	}
	b.refund(1000)
	if b.tokens != b.capacity {
		t.Error("refund must not exceed capacity")
	}
}

func TestClassify(t *testing.T) {
	req := func(method string) *http.Request { r, _ := http.NewRequest(method, "http://x", nil); return r }
	resp := func(code int) *http.Response { return &http.Response{StatusCode: code, Header: http.Header{}} }
	dial := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	reset := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	unknownHost := &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", IsNotFound: true}}
	for _, c := range []struct {
		method string
		resp   *http.Response
		err    error
		unsafe bool
		want   bool
	}{
		{"GET", resp(429), nil, false, true},
		{"POST", resp(429), nil, false, true},
		{"GET", resp(500), nil, false, true},
		{"POST", resp(500), nil, false, false},
		{"POST", resp(500), nil, true, true},
		{"DELETE", resp(503), nil, false, false},
		{"HEAD", resp(504), nil, false, true},
		{"GET", resp(501), nil, false, false},
		{"GET", resp(404), nil, false, false},
		{"GET", resp(200), nil, false, false},
		{"POST", nil, dial, false, true},
		{"POST", nil, reset, false, false},
		{"POST", nil, reset, true, true},
		{"GET", nil, reset, false, true},
		{"GET", nil, unknownHost, false, false},
		{"GET", nil, fmt.Errorf("read: %w", io.ErrUnexpectedEOF), false, true},
		{"GET", nil, errors.New(`net/http: invalid header field name "a b"`), false, false},
		{"GET", nil, fmt.Errorf("x: %w", ErrVersionOverride), false, false},
	} {
		got := classify(req(c.method), c.resp, c.err, RetryPolicy{RetryUnsafe: c.unsafe}, time.Now())
		if got.retry != c.want {
			code := 0
			if c.resp != nil {
				code = c.resp.StatusCode
			}
			t.Errorf("%s %d %v unsafe=%v: retry=%v", c.method, code, c.err, c.unsafe, got.retry)
		}
	}
}

func TestSystemClockSleepCancels(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (systemClock{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if err := (systemClock{}).Sleep(context.Background(), time.Microsecond); err != nil {
		t.Errorf("err = %v", err)
	}
}

func TestBackoff(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n, want := range map[int]time.Duration{1: 50 * time.Millisecond, 2: 100 * time.Millisecond, 4: 400 * time.Millisecond, 5: 500 * time.Millisecond, 60: 500 * time.Millisecond} {
		if got := p.backoff(n, 0); got != want {
			t.Errorf("backoff(%d) = %s, want %s", n, got, want)
		}
	}
	if got := p.backoff(5, 0.999); got <= 500*time.Millisecond || got > time.Second {
		t.Errorf("jittered backoff %s", got)
	}
	huge := RetryPolicy{BaseDelay: time.Second, MaxDelay: time.Duration(1<<63 - 1)}
	if got := huge.backoff(200, 1); got <= 0 {
		t.Errorf("overflow: %s", got)
	}
}
