package intercom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// attachHandler answers attach requests the way the API does: 200 with a
// company, or the error a function of the contact id picks.
func attachHandler(fail func(contactID string) (status int, code string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutPrefix(r.URL.Path, "/contacts/")
		id, ok2 := strings.CutSuffix(id, "/companies")
		if !ok || !ok2 || r.Method != http.MethodPost {
			writeJSON(w, http.StatusNotImplemented, fmt.Sprintf(errorList, "unexpected", r.Method+" "+r.URL.Path))
			return
		}
		if st, code := fail(id); st != 0 {
			writeJSON(w, st, fmt.Sprintf(errorList, code, "refused"))
			return
		}
		writeJSON(w, http.StatusOK, `{"type":"company","id":"co1"}`)
	}
}

func succeed(string) (int, string) { return 0, "" }

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "c" + strconv.Itoa(i)
	}
	return out
}

func TestLinkContactsRefusesBadArgumentsBeforeSending(t *testing.T) {
	e := newEnv(t, attachHandler(succeed))
	for _, tc := range []struct {
		name    string
		company string
		ids     []string
		opts    []LinkOption
		arg     string
	}{
		{"no ids", "co1", nil, nil, "contactIDs"},
		{"101 ids", "co1", ids(101), nil, "contactIDs"},
		{"empty company", " ", ids(1), nil, "companyID"},
		{"empty id", "co1", []string{"a", "", "b"}, nil, "contactIDs[1]"},
		{"zero concurrency", "co1", ids(1), []LinkOption{WithLinkConcurrency(0)}, "n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := e.core.LinkContacts(context.Background(), tc.company, tc.ids, tc.opts...)
			var argErr *ArgumentError
			if !errors.Is(err, ErrInvalidArgument) || !errors.As(err, &argErr) || argErr.Arg != tc.arg {
				t.Fatalf("err = %v, want an *ArgumentError on %s", err, tc.arg)
			}
			if res.Updated+res.Failed != 0 {
				t.Errorf("result %+v for refused arguments", res)
			}
		})
	}
	if n := e.hits.Load(); n != 0 {
		t.Fatalf("%d requests sent for refused arguments", n)
	}
}

func TestLinkContactsSendsOneAttachPerDistinctID(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []string
	)
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s %s %s %s", r.Method, r.URL.EscapedPath(), r.Header.Get("Content-Type"), body))
		mu.Unlock()
		attachHandler(succeed)(w, r)
	})
	res, err := e.core.LinkContacts(context.Background(), "co1", []string{"a", "b/c", "a", "d"}, WithLinkConcurrency(1))
	if err != nil || res.Updated != 3 || res.Failed != 0 || len(res.Errors) != 0 || res.Err() != nil {
		t.Fatalf("res %+v, err %v", res, err)
	}
	want := []string{
		`POST /contacts/a/companies application/json {"id":"co1"}`,
		`POST /contacts/b%2Fc/companies application/json {"id":"co1"}`,
		`POST /contacts/d/companies application/json {"id":"co1"}`,
	}
	if !slices.Equal(seen, want) {
		t.Fatalf("requests:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}
}

func TestLinkContactsReportsPerContactFailuresInOrder(t *testing.T) {
	e := newEnv(t, attachHandler(func(id string) (int, string) {
		switch {
		case strings.HasPrefix(id, "gone"):
			return http.StatusNotFound, "not_found"
		case strings.HasPrefix(id, "full"):
			return http.StatusBadRequest, "contact_company_limit_exceeded"
		}
		return 0, ""
	}))
	in := []string{"full1", "a", "gone1", "b", "gone2", "c"}
	res, err := e.core.LinkContacts(context.Background(), "co1", in, WithLinkConcurrency(3))
	if err != nil {
		t.Fatalf("per-contact failures must not fail the call: %v", err)
	}
	if res.Updated != 3 || res.Failed != 3 {
		t.Fatalf("updated %d failed %d, want 3 and 3", res.Updated, res.Failed)
	}
	var got []string
	for _, le := range res.Errors {
		var apiErr *Error
		if !errors.As(le, &apiErr) {
			t.Fatalf("%s: %v is not an *Error", le.ContactID, le.Err)
		}
		got = append(got, le.ContactID+":"+apiErr.Code())
	}
	if want := []string{"full1:contact_company_limit_exceeded", "gone1:not_found", "gone2:not_found"}; !slices.Equal(got, want) {
		t.Fatalf("errors %v, want %v", got, want)
	}
	if joined := res.Err(); !errors.Is(joined, ErrNotFound) || !strings.Contains(joined.Error(), "contact gone2: ") {
		t.Errorf("Err() = %v", joined)
	}
	if n := e.hits.Load(); n != int32(len(in)) {
		t.Errorf("%d requests for %d ids", n, len(in))
	}
}

func TestLinkContactsStopsOnFailuresThatConcernEveryContact(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
		is     error
	}{
		{http.StatusNotFound, "company_not_found", ErrNotFound},
		{http.StatusUnauthorized, "unauthorized", ErrUnauthorized},
		{http.StatusBadRequest, "intercom_version_invalid", ErrVersionInvalid},
	} {
		t.Run(tc.code, func(t *testing.T) {
			e := newEnv(t, attachHandler(func(string) (int, string) { return tc.status, tc.code }))
			res, err := e.core.LinkContacts(context.Background(), "co1", ids(20))
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.Code() != tc.code || !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want the %s *Error", err, tc.code)
			}
			if res.Updated != 0 || res.Failed != 20 || len(res.Errors) != 20 {
				t.Fatalf("updated %d failed %d errors %d", res.Updated, res.Failed, len(res.Errors))
			}
			for _, le := range res.Errors {
				if !errors.Is(le, tc.is) {
					t.Fatalf("%s: %v", le.ContactID, le.Err)
				}
			}
			// The first request goes alone (nothing is known about the rate
			// limit yet), and its answer stops the call.
			if n := e.hits.Load(); n != 1 {
				t.Fatalf("%d requests sent, want 1", n)
			}
		})
	}
}

// barrier releases its waiters in groups of n; a group that never fills
// fails the test instead of hanging it.
type barrier struct {
	t     *testing.T
	n     int
	mu    sync.Mutex
	count int
	gen   chan struct{}
}

func (b *barrier) wait() {
	b.mu.Lock()
	b.count++
	if b.count == b.n {
		close(b.gen)
		b.gen, b.count = make(chan struct{}), 0
		b.mu.Unlock()
		return
	}
	ch := b.gen
	b.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		b.t.Errorf("only %d requests in flight; want groups of %d", b.count, b.n)
	}
}

func TestLinkContactsKeepsConcurrencyRequestsInFlight(t *testing.T) {
	const conc = 4
	b := &barrier{t: t, n: conc, gen: make(chan struct{})}
	var (
		mu             sync.Mutex
		inFlight, peak int
		first          = true
	)
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		probe := first
		first = false
		mu.Unlock()
		if !probe { // the probe goes alone; then groups of conc
			b.wait()
		}
		attachHandler(succeed)(w, r)
		mu.Lock()
		inFlight--
		mu.Unlock()
	})
	res, err := e.core.LinkContacts(context.Background(), "co1", ids(1+3*conc), WithLinkConcurrency(conc))
	if err != nil || res.Updated != 1+3*conc {
		t.Fatalf("res %+v, err %v", res, err)
	}
	if peak != conc {
		t.Fatalf("peak concurrency %d, want %d", peak, conc)
	}
}

// windowServer imitates Intercom's fixed-window rate limit on the fake
// clock of e, counting the requests it refuses.
type windowServer struct {
	clock  *fakeClock
	limit  int
	window time.Duration

	mu      sync.Mutex
	start   time.Time
	used    int
	refused int
}

func (s *windowServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.clock.Now()
	if start := now.Truncate(s.window); !start.Equal(s.start) {
		s.start, s.used = start, 0
	}
	ok := s.used < s.limit
	if ok {
		s.used++
	} else {
		s.refused++
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.limit-s.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.start.Add(s.window).Unix(), 10))
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusTooManyRequests, fmt.Sprintf(errorList, "rate_limit_exceeded", "slow down"))
		return
	}
	attachHandler(succeed)(w, r)
}

func TestLinkContactsStaysWithinTheRateLimitWindow(t *testing.T) {
	srv := &windowServer{limit: 7, window: 10 * time.Second}
	e := newEnv(t, srv.ServeHTTP)
	srv.clock = e.clock
	res, err := e.core.LinkContacts(context.Background(), "co1", ids(30), WithLinkConcurrency(5))
	if err != nil || res.Updated != 30 {
		t.Fatalf("res %+v, err %v", res, err)
	}
	if srv.refused != 0 {
		t.Fatalf("%d requests went beyond the advertised limit", srv.refused)
	}
	if n := e.hits.Load(); n != 30 {
		t.Fatalf("%d requests for 30 ids", n)
	}
	// 30 requests at 7 per window span 5 windows: 4 waits for a reset,
	// each ending exactly at a window boundary.
	sleeps := e.clock.Sleeps()
	if len(sleeps) != 4 {
		t.Fatalf("waits %v, want 4", sleeps)
	}
	if end := e.clock.Now(); end.Truncate(srv.window) != end {
		t.Errorf("waits ended at %v, not on a window boundary", end)
	}
}

func TestLinkContactsRetriesServerErrorsUnlessTheCallerSaysNot(t *testing.T) {
	flaky := func() http.HandlerFunc {
		return sequence(status(http.StatusServiceUnavailable, fmt.Sprintf(errorList, "service_unavailable", "busy")), attachHandler(succeed))
	}
	e := newEnv(t, flaky())
	res, err := e.core.LinkContacts(context.Background(), "co1", ids(1))
	if err != nil || res.Updated != 1 || e.hits.Load() != 2 {
		t.Fatalf("res %+v, err %v, %d requests: an idempotent attach should be retried", res, err, e.hits.Load())
	}

	e = newEnv(t, flaky())
	ctx := withRequestRetry(context.Background(), RetryPolicy{MaxAttempts: 1})
	res, err = e.core.LinkContacts(ctx, "co1", ids(1))
	if err != nil || res.Failed != 1 || e.hits.Load() != 1 {
		t.Fatalf("res %+v, err %v, %d requests: the caller's MaxAttempts 1 must hold", res, err, e.hits.Load())
	}
}

func TestLinkContactsStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int32
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 3 {
			// Cancel while the third request is on the server, and wait for
			// the client to give up on it, so its outcome is certain.
			// (The server notices a client leaving only once the body is read.)
			io.Copy(io.Discard, r.Body)
			cancel()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
				t.Error("the client did not give up on the request")
			}
			return
		}
		attachHandler(succeed)(w, r)
	})
	res, err := e.core.LinkContacts(ctx, "co1", ids(10), WithLinkConcurrency(1))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res.Updated != 2 || res.Failed != 8 || len(res.Errors) != 8 {
		t.Fatalf("updated %d failed %d errors %d, want 2, 8, 8", res.Updated, res.Failed, len(res.Errors))
	}
	for i, le := range res.Errors {
		if le.ContactID != "c"+strconv.Itoa(i+2) || !errors.Is(le, context.Canceled) {
			t.Fatalf("error %d: %s %v", i, le.ContactID, le.Err)
		}
	}
	if got := e.hits.Load(); got != 3 {
		t.Fatalf("%d requests sent, want 3", got)
	}
}

func TestPacerIgnoresFiguresOfAnOlderWindow(t *testing.T) {
	clock := newFakeClock()
	p := newPacer(clock, time.Minute)
	reset := clock.Now().Add(5 * time.Second)
	rl := func(remaining int, reset time.Time) RateLimit {
		return RateLimit{Limit: 10, Remaining: remaining, Reset: reset, Known: true}
	}
	acquire := func() func(RateLimit, bool) {
		done, err := p.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return done
	}
	acquire()(rl(6, reset), true)
	done1, done2 := acquire(), acquire()
	done1(rl(4, reset), true)                          // the later answer arrives first
	done2(rl(5, reset), true)                          // the earlier one must not raise the estimate
	acquire()(rl(9, reset.Add(-10*time.Second)), true) // a previous window's answer
	if p.remaining != 4 || !p.reset.Equal(reset) {
		t.Fatalf("remaining %d reset %v, want 4 at %v", p.remaining, p.reset, reset)
	}

	q := newPacer(clock, time.Minute)
	if done, err := q.acquire(context.Background()); err != nil {
		t.Fatal(err)
	} else {
		done(RateLimit{}, true) // an answer without rate-limit headers
	}
	for range 3 { // no limit known: no waiting for answers
		if _, err := q.acquire(context.Background()); err != nil || !q.unlimited {
			t.Fatalf("err %v, unlimited %v", err, q.unlimited)
		}
	}
}

func TestPacerWithoutAResetTime(t *testing.T) {
	clock := newFakeClock()
	p := newPacer(clock, time.Minute)
	step := func(rl RateLimit) {
		done, err := p.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		done(rl, true)
	}
	step(RateLimit{Limit: 10, Known: true}) // a lone X-RateLimit-Limit: nothing learned
	if p.known || p.unlimited {
		t.Fatalf("known %v unlimited %v after a lone limit header", p.known, p.unlimited)
	}
	step(RateLimit{Limit: 10, Remaining: 6, Known: true})
	step(RateLimit{Limit: 10, Remaining: 8, Known: true}) // same assumed window: the lower figure stays
	if want := clock.Now().Add(defaultRateWindow); !p.known || p.remaining != 6 || !p.reset.Equal(want) {
		t.Fatalf("known %v remaining %d reset %v, want 6 until %v", p.known, p.remaining, p.reset, want)
	}
}
