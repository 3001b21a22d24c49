package intercomtest

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestRateLimitWindow(t *testing.T) {
	// 1_800_000_003 is 3 s into a 10 s window that ends at 1_800_000_010.
	clock := &fakeClock{now: time.Unix(1_800_000_003, 0)}
	srv := NewServer(t, WithRateLimit(10, 10*time.Second), WithClock(clock.Now))

	for i := range 10 {
		a := do(t, srv, "GET", "/me", nil)
		if a.status != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, a.status)
		}
		if got := a.header.Get("X-RateLimit-Remaining"); got != strconv.Itoa(9-i) {
			t.Fatalf("request %d: remaining %s", i+1, got)
		}
	}
	over := do(t, srv, "GET", "/me", nil)
	failure(t, over, http.StatusTooManyRequests, "rate_limit_exceeded")
	for k, want := range map[string]string{
		"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1800000010",
	} {
		if got := over.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}

	// Errors count too: an unauthenticated request in a full window is still refused.
	failure(t, do(t, srv, "GET", "/me", nil, noAuth()), http.StatusTooManyRequests, "rate_limit_exceeded")

	clock.Advance(7 * time.Second) // now 1_800_000_010: a new window
	next := do(t, srv, "GET", "/me", nil)
	if next.status != http.StatusOK || next.header.Get("X-RateLimit-Remaining") != "9" ||
		next.header.Get("X-RateLimit-Reset") != "1800000020" {
		t.Fatalf("new window: status %d, headers %v", next.status, next.header)
	}
}

func TestNoRateLimitHeadersByDefault(t *testing.T) {
	srv := NewServer(t)
	if h := do(t, srv, "GET", "/me", nil).header.Get("X-RateLimit-Limit"); h != "" {
		t.Fatalf("unexpected X-RateLimit-Limit %q", h)
	}
}
