package intercom

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RetryPolicy says how a Client retries failed attempts. Zero fields take the
// defaults shown in brackets.
//
// What is retried, and why:
//   - 429 Too Many Requests, for every method: the request was refused, not
//     processed. The wait is Retry-After if present, else until
//     X-RateLimit-Reset; a reset already in the past gets a short backoff.
//     When the server asks for a longer wait than what is left of MaxWait,
//     the call gives up at once with the 429 error instead of sleeping.
//   - Connection errors before the request could be written (dial errors,
//     connection refused), for every method.
//   - 502, 503, 504 (honouring Retry-After) and other connection errors
//     (reset, closed early, timed out), only for GET, HEAD and OPTIONS: a
//     POST, PUT, PATCH or DELETE may have been processed, and repeating it
//     could create a duplicate. RetryUnsafe lifts that restriction.
//   - 500, only for GET, HEAD and OPTIONS (or with RetryUnsafe): an internal
//     error on a read is often transient, but on a write it may have
//     happened after the change was stored.
//
// Waits use jittered exponential backoff between BaseDelay and MaxDelay.
// Retries also draw on a retry budget shared by all calls of a Client (a token
// bucket, like aws-sdk-go-v2's standard retryer): each retry costs tokens and
// each success refunds some, so a failing server is not hammered by every
// goroutine retrying at once. Requests whose body cannot be replayed
// (no GetBody), certificate errors and unknown hosts are never retried. A
// context deadline closer than the next wait ends the call at once.
type RetryPolicy struct {
	MaxAttempts int           // total attempts including the first [4]; 1 disables retries
	MaxWait     time.Duration // total time a call may spend, waits included, before it stops retrying [60s]
	BaseDelay   time.Duration // first backoff [500ms]
	MaxDelay    time.Duration // cap on one backoff [20s]
	RetryUnsafe bool          // also retry POST/PUT/PATCH/DELETE when they may have been processed
}

const (
	defaultMaxAttempts = 4
	defaultMaxWait     = 60 * time.Second
	defaultBaseDelay   = 500 * time.Millisecond
	defaultMaxDelay    = 20 * time.Second

	// Retry budget, in the proportions of aws-sdk-go-v2 retry/standard.
	defaultRetryBudget = 500
	retryCost          = 5  // a retry after an error response
	connRetryCost      = 10 // a retry after a connection error: likelier to be an outage
	successRefund      = 1  // a first-attempt success
)

func (p RetryPolicy) validate() error {
	if p.MaxAttempts < 0 || p.MaxWait < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 {
		return errors.New("intercom: RetryPolicy: negative value")
	}
	if p.BaseDelay > 0 && p.MaxDelay > 0 && p.BaseDelay > p.MaxDelay {
		return fmt.Errorf("intercom: RetryPolicy: BaseDelay %s exceeds MaxDelay %s", p.BaseDelay, p.MaxDelay)
	}
	return nil
}

// over fills p's zero fields from base, so a per-request policy only has
// to name what it changes. RetryUnsafe is enabled if either enables it.
func (p RetryPolicy) over(base RetryPolicy) RetryPolicy {
	pick := func(v, b time.Duration) time.Duration {
		if v == 0 {
			return b
		}
		return v
	}
	if p.MaxAttempts == 0 {
		p.MaxAttempts = base.MaxAttempts
	}
	p.MaxWait = pick(p.MaxWait, base.MaxWait)
	p.BaseDelay = pick(p.BaseDelay, base.BaseDelay)
	p.MaxDelay = pick(p.MaxDelay, base.MaxDelay)
	p.RetryUnsafe = p.RetryUnsafe || base.RetryUnsafe
	return p
}

var defaultRetryPolicy = RetryPolicy{
	MaxAttempts: defaultMaxAttempts,
	MaxWait:     defaultMaxWait,
	BaseDelay:   defaultBaseDelay,
	MaxDelay:    defaultMaxDelay,
}

// backoff is the wait before retry number n (1-based): exponential, capped
// at MaxDelay, with "equal jitter" (half fixed, half random) so that
// clients that failed together do not retry together, yet never retry at once.
func (p RetryPolicy) backoff(n int, jitter float64) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n; i++ {
		if d > p.MaxDelay/2 { // doubling would pass the cap (or overflow)
			d = p.MaxDelay
			break
		}
		d *= 2
	}
	d = min(d, p.MaxDelay)
	return d/2 + time.Duration(jitter*float64(d/2))
}

// verdict is the retry classification of one attempt.
type verdict struct {
	retry  bool
	cost   int           // retry budget tokens a retry takes
	wait   time.Duration // wait the server asked for; 0 = use backoff
	reason string        // for logs
}

// classify decides whether an attempt may be retried; see RetryPolicy.
func classify(req *http.Request, resp *http.Response, err error, p RetryPolicy, now time.Time) verdict {
	safe := p.RetryUnsafe || isSafeMethod(req.Method)
	if err != nil {
		switch {
		case req.Context().Err() != nil, isPermanent(err):
			return verdict{}
		case isDialError(err):
			return verdict{retry: true, cost: connRetryCost, reason: "connection failed before the request was sent"}
		case safe && isConnectionError(err):
			return verdict{retry: true, cost: connRetryCost, reason: "connection error"}
		}
		return verdict{}
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		return verdict{retry: true, cost: retryCost, wait: serverWait(resp.Header, now, true), reason: "rate limited"}
	case safe && (code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout || code == http.StatusInternalServerError):
		return verdict{retry: true, cost: retryCost, wait: serverWait(resp.Header, now, false), reason: "server error " + strconv.Itoa(code)}
	}
	return verdict{}
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// isDialError reports a failure to connect (to the host or to a proxy):
// nothing of the request left the machine, so even a POST can be repeated.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect")
}

// isConnectionError reports a connection that failed (reset, closed early,
// timed out), as opposed to a request net/http refused to send (an invalid
// header, say), which a retry would only repeat.
func isConnectionError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// isPermanent reports failures that a retry cannot fix: our own refusals
// and certificate or unknown-host errors.
func isPermanent(err error) bool {
	var (
		dns      *net.DNSError
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
	)
	return errors.Is(err, ErrVersionOverride) ||
		(errors.As(err, &dns) && dns.IsNotFound) ||
		errors.As(err, &verify) || errors.As(err, &unknown) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

// serverWait returns how long the server asked the client to wait: the
// Retry-After header (seconds or an HTTP date), or for 429 the time until
// X-RateLimit-Reset. Zero means no usable hint, including a reset that has
// already passed. A wait too long to represent is the longest Duration,
// which every bound refuses, never a wrapped-around short one.
func serverWait(h http.Header, now time.Time, useReset bool) time.Duration {
	var d time.Duration
	if ra := h.Get("Retry-After"); ra != "" {
		if secs, ok := parseSeconds(ra); ok {
			d = secondsDuration(secs)
		} else if t, err := http.ParseTime(ra); err == nil {
			d = t.Sub(now) // Sub saturates instead of overflowing
		}
	} else if rl := parseRateLimit(h); useReset && !rl.Reset.IsZero() {
		d = rl.Reset.Sub(now)
	}
	return max(d, 0)
}

// parseSeconds reads a non-negative decimal number of seconds of any
// length: digits beyond what uint64 holds still mean "very long".
func parseSeconds(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil { // out of range: only digits, so too large
		return math.MaxUint64, true
	}
	return n, true
}

// secondsDuration converts seconds to a Duration, saturating at the
// longest Duration.
func secondsDuration(secs uint64) time.Duration {
	if secs > uint64(math.MaxInt64/int64(time.Second)) {
		return math.MaxInt64
	}
	return time.Duration(secs) * time.Second
}

// retryBudget is a token bucket shared by all calls of a Core.
type retryBudget struct {
	mu       sync.Mutex
	capacity int
	tokens   int
}

func newRetryBudget(capacity int) *retryBudget {
	return &retryBudget{capacity: capacity, tokens: capacity}
}

func (b *retryBudget) take(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens < n {
		return false
	}
	b.tokens -= n
	return true
}

func (b *retryBudget) refund(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(b.capacity, b.tokens+n)
}

// waitBeyondDeadline reports whether sleeping d would outlast ctx's
// deadline. Deadlines are wall-clock times, so this uses the real clock
// even when a fake Clock drives the waits.
func waitBeyondDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < d
}
