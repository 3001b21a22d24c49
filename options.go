package intercom

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Option configures a Client (a version package's New and NewFromEnv take
// them). Options are applied in order, so a later option overrides an
// earlier one (NewFromEnv relies on this); invalid options make New fail
// rather than being silently ignored.
type Option func(*config) error

// config collects the options. It deliberately never holds a token in a
// field: WithToken captures it in a closure, so printing a config with %+v
// shows a function address, not the secret.
type config struct {
	tokenSource func(context.Context) (string, error)
	auth        string // "token" or "token source", for String
	baseURL     string
	httpClient  *http.Client
	logger      *slog.Logger
	hooks       []func(ResponseInfo)
	retry       RetryPolicy
	userAgent   string
	strict      bool
	clock       Clock
	budget      int            // retry budget capacity; tests shrink it
	jitter      func() float64 // returns [0,1); tests pin it
}

// WithToken authenticates every request with a fixed access token
// (Authorization: Bearer <token>). It replaces an earlier WithTokenSource.
func WithToken(token string) Option {
	return func(c *config) error {
		if err := checkToken(token); err != nil {
			return err
		}
		c.tokenSource = func(context.Context) (string, error) { return token, nil }
		c.auth = "token"
		return nil
	}
}

// WithTokenSource authenticates with a token obtained from src before every
// attempt, so rotating OAuth tokens (and tokens refreshed during a long
// rate-limit wait) are picked up. src must be safe for concurrent use; it
// receives the request's context. It replaces an earlier WithToken.
func WithTokenSource(src func(ctx context.Context) (string, error)) Option {
	return func(c *config) error {
		if src == nil {
			return errors.New("intercom: WithTokenSource: nil token source")
		}
		c.tokenSource = src
		c.auth = "token source"
		return nil
	}
}

// checkToken rejects tokens that cannot be a header value. The error never
// quotes the token, since it is a secret even when malformed.
func checkToken(token string) error {
	if token == "" {
		return ErrNoToken
	}
	for _, r := range token {
		if r <= ' ' || r == 0x7f {
			return errors.New("intercom: access token contains whitespace or control characters (a trailing newline from a file?)")
		}
	}
	return nil
}

// WithRegion sends requests to the region's host. The default is RegionUS.
func WithRegion(r Region) Option {
	return func(c *config) error {
		if r.baseURL == "" {
			return errors.New("intercom: WithRegion: zero Region; use RegionUS, RegionEU or RegionAU")
		}
		c.baseURL = r.baseURL
		return nil
	}
}

// WithBaseURL sends requests to u instead of a region host, for proxies and
// test servers. u must use https, except that plain http is allowed for a
// loopback host (localhost, 127.0.0.0/8, ::1) so that a token never crosses
// a network unencrypted. A path prefix is kept; a trailing slash is dropped.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		base, err := checkBaseURL(u)
		if err != nil {
			return err
		}
		c.baseURL = base
		return nil
	}
}

func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// Report the cause only: url.Error would repeat the raw string,
		// which may carry credentials.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return "", fmt.Errorf("intercom: invalid base URL: %w", err)
	}
	switch {
	case u.User != nil:
		return "", errors.New("intercom: base URL must not contain credentials; use WithToken")
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return "", fmt.Errorf("intercom: invalid base URL %q: want https://host[/prefix]", u.Redacted())
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return "", fmt.Errorf("intercom: refusing plain-http base URL %q: the token would travel unencrypted; use https (http is allowed only for loopback hosts)", u.Redacted())
	case u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("intercom: base URL %q must not have a query or fragment", u.Redacted())
	case hasDotSegment(u.EscapedPath()):
		// Requests resolve their paths against the base URL, which would
		// remove these segments, and the transport checks each request
		// against the prefix as written.
		return "", fmt.Errorf("intercom: base URL %q must not have \".\" or \"..\" path segments", u.Redacted())
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithHTTPClient sends requests through a copy of hc whose Transport is
// wrapped by the client's chain (auth, version, retries, hooks). hc's Timeout,
// Jar and CheckRedirect are kept; hc itself is never modified. A Timeout
// bounds the whole call including retry waits.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("intercom: WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLogger logs every attempt at Debug, retries at Info and giving up at
// Warn. The default discards everything. Tokens are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("intercom: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithResponseHook calls hook after every attempt (including each retry)
// with what was learned from it. Hooks run synchronously on the request's
// goroutine, possibly concurrently with each other, and must be quick.
// The option may be given several times; hooks run in order.
func WithResponseHook(hook func(ResponseInfo)) Option {
	return func(c *config) error {
		if hook == nil {
			return errors.New("intercom: WithResponseHook: nil hook")
		}
		c.hooks = append(c.hooks, hook)
		return nil
	}
}

// WithRetry replaces the default retry policy; zero fields keep their
// defaults (see RetryPolicy).
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// DisableRetries makes every request a single attempt.
func DisableRetries() Option {
	return func(c *config) error {
		c.retry = RetryPolicy{MaxAttempts: 1}
		return nil
	}
}

// WithUserAgent appends suffix (for example "myapp/1.2") to the library's
// User-Agent, so Intercom can tell integrations apart.
func WithUserAgent(suffix string) Option {
	return func(c *config) error {
		suffix = strings.TrimSpace(suffix)
		if strings.ContainsFunc(suffix, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return errors.New("intercom: WithUserAgent: suffix contains control characters")
		}
		c.userAgent = suffix
		return nil
	}
}

// WithStrictDecoding makes a response that does not fit its Go type an
// error (a *DecodeError naming the deviations) instead of being decoded
// tolerantly. Unknown fields are never an error: Intercom adds fields
// within a version. See WithDecodeReport for the tolerant mode's report.
func WithStrictDecoding() Option {
	return func(c *config) error {
		c.strict = true
		return nil
	}
}

// WithClock replaces the real clock used for rate-limit and backoff waits,
// for tests that must not sleep.
func WithClock(cl Clock) Option {
	return func(c *config) error {
		if cl == nil {
			return errors.New("intercom: WithClock: nil clock")
		}
		c.clock = cl
		return nil
	}
}

func hasDotSegment(path string) bool {
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// Ptr returns a pointer to v, for the optional fields of request bodies and
// params structs, which are pointers so that a field left nil is not sent
// and an explicit false, 0 or "" is: Name: intercom.Ptr("Acme").
func Ptr[T any](v T) *T { return &v }
