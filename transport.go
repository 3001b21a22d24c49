package intercom

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/apipin/intercom/internal/pathparam"
)

const versionHeader = "Intercom-Version"

// ResponseInfo describes one attempt of a request, for WithResponseHook.
type ResponseInfo struct {
	Operation  string // operation id; "" for requests no typed method made
	Method     string
	URL        string // scheme, host and path: no query, no credentials
	Attempt    int    // 1 for the first attempt, 2 for the first retry, …
	StatusCode int    // 0 when no response arrived
	RequestID  string // X-Request-Id response header
	RateLimit  RateLimit
	Duration   time.Duration
	Err        error // transport error, if no response arrived
}

// transport is the RoundTripper behind Core.Doer. For each request it
//
//  1. refuses an Intercom-Version other than the pinned one,
//  2. sets Intercom-Version, User-Agent and the context's extra headers
//     and query parameters,
//  3. runs attempts, retrying as RetryPolicy describes; each attempt
//  4. sets Authorization from the token source (per attempt, so a token
//     refreshed during a long wait is used),
//  5. reports to the logger and hooks, and
//  6. goes out through the caller's transport.
//
// Everything but the User-Agent is added only to requests for the API's
// own scheme and host. That keeps the token (and the caller's per-request
// headers) away from any other host a redirect may point to: net/http
// copies only headers it was given, and those never include ours.
type transport struct {
	version     Version
	versionText string // version.String(), sent with every request
	origin      origin // the base URL's scheme, host and port
	basePath    string // the base URL's path, escaped, without a trailing "/"
	tokenSource func(context.Context) (string, error)
	userAgent   string
	retry       RetryPolicy // with defaults filled in
	budget      *retryBudget
	clock       Clock
	jitter      func() float64
	logger      *slog.Logger
	hooks       []func(ResponseInfo)
	base        http.RoundTripper
}

// RoundTrip implements http.RoundTripper. Like every RoundTripper it does
// not modify req and always closes its body.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r, p, own, err := t.prepare(req)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	return t.withRetries(r, p, own)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// underlying transport.
func (t *transport) CloseIdleConnections() {
	if ci, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// prepare returns the clone of req that attempts are made from, the retry
// policy for it, and whether it goes to the API's own origin.
func (t *transport) prepare(req *http.Request) (*http.Request, RetryPolicy, bool, error) {
	ctx := req.Context()
	o := requestOptionsFrom(ctx)
	p := t.retry
	if o.retry != nil {
		if err := o.retry.validate(); err != nil {
			return nil, p, false, err
		}
		p = o.retry.over(t.retry)
	}
	asked := req.Header.Values(versionHeader)
	for _, h := range o.headers {
		if h[0] == versionHeader {
			asked = append(asked, h[1])
		}
	}
	for _, a := range asked {
		if err := t.checkVersion(a, "the request sets"); err != nil {
			return nil, p, false, err
		}
	}

	if err := checkVersionKeys(req.Header); err != nil {
		return nil, p, false, err
	}
	own := t.origin.matches(req.URL)
	if op := operationFrom(ctx); op != nil && own && req.Response == nil && !pathparam.Matches(req.URL.EscapedPath(), t.basePath, op.Path) {
		// The generated builders refuse such ids with a clearer error;
		// this catches any other way a request of a known operation was
		// rerouted (dot segments resolved, an empty id) before it leaves.
		// A redirect (req.Response set) goes where the server said.
		return nil, p, false, &ArgumentError{Func: op.Name(), Arg: "path",
			Problem: fmt.Sprintf("%s is not %s under the base URL: a path parameter was empty, a dot segment or more than one segment", req.URL.EscapedPath(), op.Path)}
	}

	r := req.Clone(ctx)
	r.Header.Set("User-Agent", t.userAgent)
	if own {
		if r.Header.Get("Accept") == "" {
			r.Header.Set("Accept", "application/json")
		}
		for _, h := range o.headers {
			r.Header.Set(h[0], h[1])
		}
		if len(o.query) > 0 {
			q := r.URL.Query()
			for _, kv := range o.query {
				q.Set(kv[0], kv[1])
			}
			r.URL.RawQuery = q.Encode()
		}
		// Last, so that nothing above can replace it.
		r.Header.Set(versionHeader, t.versionText)
	}
	return r, p, own, nil
}

// checkVersionKeys refuses a version header under any key but the
// canonical one: net/http sends every key of the map, so
// req.Header["intercom-version"] would go out beside the pinned
// Intercom-Version, and the server would pick one of the two.
func checkVersionKeys(h http.Header) error {
	for k := range h {
		if k != versionHeader && strings.EqualFold(k, versionHeader) {
			return fmt.Errorf("%w: the request sets the header under the key %q; only %q is allowed, and the client sets it",
				ErrVersionOverride, k, versionHeader)
		}
	}
	return nil
}

// checkVersion refuses a header value that names another version. Equal
// spellings ("Unstable" for Preview) are accepted and normalised.
func (t *transport) checkVersion(value, who string) error {
	if value == t.versionText {
		return nil
	}
	if v, err := ParseVersion(value); err == nil && v == t.version {
		return nil
	}
	return fmt.Errorf("%w: %s %s %q, but this client is pinned to %s; use the package for that version instead",
		ErrVersionOverride, who, versionHeader, value, t.version)
}

// origin is a URL's scheme, host and port, compared as browsers compare
// origins: scheme and host without regard to case, the port made explicit.
type origin struct{ scheme, host, port string }

func originOf(u *url.URL) origin {
	return origin{strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), portOf(u)}
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch {
	case strings.EqualFold(u.Scheme, "https"):
		return "443"
	case strings.EqualFold(u.Scheme, "http"):
		return "80"
	}
	return ""
}

// matches reports whether u points at this origin, without allocating: it
// runs for every request.
func (o origin) matches(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, o.scheme) && strings.EqualFold(u.Hostname(), o.host) && portOf(u) == o.port
}

// withRetries runs attempts until one is final; see RetryPolicy. own says
// whether r goes to the API's origin (and so gets credentials).
func (t *transport) withRetries(r *http.Request, p RetryPolicy, own bool) (*http.Response, error) {
	ctx := r.Context()
	start := t.clock.Now()
	spent := 0
	for attempt := 1; ; attempt++ {
		ar, err := t.attemptRequest(r, attempt, own)
		if err != nil {
			if attempt == 1 {
				closeBody(r)
			}
			return nil, err
		}
		resp, err := t.send(ar, attempt, own)
		v := classify(ar, resp, err, p, t.clock.Now())
		if !v.retry {
			if err == nil && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
				t.budget.refund(max(spent, successRefund))
			}
			return resp, err
		}

		wait := v.wait
		if wait == 0 {
			wait = p.backoff(attempt, t.jitter())
		}
		left := p.MaxWait - t.clock.Now().Sub(start)
		giveUp := ""
		switch {
		case attempt >= p.MaxAttempts:
			giveUp = fmt.Sprintf("no attempts left (%d made)", attempt)
		case r.Body != nil && r.Body != http.NoBody && r.GetBody == nil:
			giveUp = "request body cannot be replayed"
		case wait > left:
			giveUp = fmt.Sprintf("retry would wait %s, more than the %s left of the retry time", wait, max(left, 0))
		case waitBeyondDeadline(ctx, wait):
			last := t.discard(resp, err, ar)
			return nil, fmt.Errorf("intercom: waiting %s to retry would pass the context deadline: %w; last attempt: %w",
				wait, context.DeadlineExceeded, last)
		case !t.budget.take(v.cost):
			giveUp = "retry budget exhausted (the server has been failing)"
		}
		if giveUp != "" {
			if p.MaxAttempts == 1 {
				return resp, err // retries are off: nothing to warn about
			}
			t.log(ar, slog.LevelWarn, "intercom: giving up", slog.String("reason", v.reason), slog.String("why", giveUp), slog.Int("attempt", attempt))
			return resp, err
		}
		spent += v.cost
		last := t.discard(resp, err, ar)
		t.log(ar, slog.LevelInfo, "intercom: retrying", slog.String("reason", v.reason), slog.Int("attempt", attempt), slog.Duration("wait", wait))
		if err := t.clock.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("intercom: interrupted while waiting %s to retry: %w; last attempt: %w", wait, err, last)
		}
	}
}

// attemptRequest makes the request for one attempt, with credentials for
// the API host. The first attempt sends r itself: prepare made it, so
// nothing else holds it. A retry sends a fresh clone of r (the base
// transport may still hold the previous attempt's request) with the body
// replayed; r has not changed since the first attempt went out.
func (t *transport) attemptRequest(r *http.Request, attempt int, own bool) (*http.Request, error) {
	ar := r
	if attempt > 1 {
		ar = r.Clone(r.Context())
	}
	if own {
		token, err := t.tokenSource(r.Context())
		if err == nil {
			err = checkToken(token)
		}
		if err != nil {
			return nil, fmt.Errorf("intercom: token source: %w", err)
		}
		ar.Header.Set("Authorization", "Bearer "+token)
	}
	if attempt > 1 && r.GetBody != nil {
		body, err := r.GetBody()
		if err != nil {
			return nil, fmt.Errorf("intercom: replaying request body: %w", err)
		}
		ar.Body = body
	}
	return ar, nil
}

// send makes one attempt through the base transport and reports it.
func (t *transport) send(ar *http.Request, attempt int, own bool) (*http.Response, error) {
	began := time.Now()
	resp, err := t.base.RoundTrip(ar)
	if err == nil && resp == nil {
		err = errors.New("intercom: transport returned neither a response nor an error")
	}
	if len(t.hooks) > 0 || t.logger.Enabled(ar.Context(), slog.LevelDebug) {
		t.report(ar, attempt, time.Since(began), resp, err)
	}
	if err == nil && own {
		if verr := t.checkSentVersion(ar, resp); verr != nil {
			resp.Body.Close()
			return nil, verr
		}
	}
	return resp, err
}

// report tells the hooks and the debug log about one attempt.
func (t *transport) report(ar *http.Request, attempt int, took time.Duration, resp *http.Response, err error) {
	info := ResponseInfo{
		Method:   ar.Method,
		URL:      redactURL(ar.URL),
		Attempt:  attempt,
		Duration: took,
		Err:      err,
	}
	if op := operationFrom(ar.Context()); op != nil {
		info.Operation = op.Name()
	}
	if err == nil {
		info.StatusCode = resp.StatusCode
		info.RequestID = resp.Header.Get("X-Request-Id")
		info.RateLimit = parseRateLimit(resp.Header)
	}
	t.logAttempt(ar, info)
	for _, h := range t.hooks {
		h(info)
	}
}

// checkSentVersion catches a caller's transport (below this one) that
// changed the version header, in place or on its own clone of the request
// (which net/http reports as resp.Request). That request has gone out, but
// its answer is for the wrong version and must not be used. A clone without
// the header is given the benefit of the doubt: stub transports often
// return a bare Request.
func (t *transport) checkSentVersion(ar *http.Request, resp *http.Response) error {
	values := []string{ar.Header.Get(versionHeader)}
	if resp.Request != nil && resp.Request != ar {
		if v := resp.Request.Header.Get(versionHeader); v != "" {
			values = append(values, v)
		}
	}
	for _, v := range values {
		if err := t.checkVersion(v, "the HTTP client's transport sent"); err != nil {
			return err
		}
	}
	return nil
}

// discard closes the response of an attempt that will be retried (or
// abandoned) and returns what went wrong with it, for error messages.
func (t *transport) discard(resp *http.Response, err error, ar *http.Request) error {
	if resp == nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := readBody(resp.Body, maxBodySize, resp.ContentLength)
	return newError(resp, body, operationFrom(ar.Context()), t.versionText)
}

func (t *transport) logAttempt(ar *http.Request, info ResponseInfo) {
	if !t.logger.Enabled(ar.Context(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.Int("attempt", info.Attempt),
		slog.Int("status", info.StatusCode),
		slog.Duration("duration", info.Duration),
	}
	if info.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", info.RequestID))
	}
	if info.RateLimit.Known {
		attrs = append(attrs, slog.Int("ratelimit_remaining", info.RateLimit.Remaining))
	}
	if info.Err != nil {
		attrs = append(attrs, slog.String("error", info.Err.Error()))
	}
	t.log(ar, slog.LevelDebug, "intercom: attempt", attrs...)
}

// log adds the request's identity to attrs. It logs the path template when
// the operation is known rather than the actual path, which may hold ids.
func (t *transport) log(ar *http.Request, level slog.Level, msg string, attrs ...slog.Attr) {
	ctx := ar.Context()
	if !t.logger.Enabled(ctx, level) {
		return
	}
	path := ar.URL.Path
	id := ""
	if op := operationFrom(ctx); op != nil {
		path, id = op.Path, op.Name()
	}
	base := []slog.Attr{slog.String("op", id), slog.String("method", ar.Method), slog.String("path", path)}
	t.logger.LogAttrs(ctx, level, msg, append(base, attrs...)...)
}

// redactURL keeps scheme, host and path: query strings and user info may
// carry secrets.
func redactURL(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String()
}

func closeBody(r *http.Request) {
	if r.Body != nil {
		r.Body.Close()
	}
}
