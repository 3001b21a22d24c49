package intercom

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
)

// core is the version-agnostic engine that every generated client wraps:
// it holds the pinned version, the base URL and the HTTP client whose
// transport adds authentication, the version header, retries and hooks.
// A core is safe for concurrent use and should be reused: its retry budget
// and connection pool are shared by all its calls. Generated code reaches
// it through package internal/gensupport; its exported methods are for
// that package, users call them on a version package's Client.
type core struct {
	version Version
	baseURL string
	auth    string // "token" or "token source"; the secret itself is not kept here
	client  *http.Client
	strict  bool
	logger  *slog.Logger

	deviations *deviationLog // which decoding deviations were logged
	links      *linkPacing   // rate-limit figures shared by LinkContacts calls
}

// newCore returns a core pinned to v. The default region is RegionUS. It
// fails when options are invalid (the errors of all of them, joined) or when
// no token or token source was given (ErrNoToken).
func newCore(v Version, opts ...Option) (*core, error) {
	if v.isZero() {
		return nil, errors.New("intercom: zero Version; use ParseVersion")
	}
	cfg := config{
		baseURL: RegionUS.baseURL,
		logger:  slog.New(slog.DiscardHandler),
		retry:   defaultRetryPolicy,
		clock:   systemClock{},
		budget:  defaultRetryBudget,
		jitter:  rand.Float64,
	}
	var errs []error
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			errs = append(errs, err)
		}
	}
	if cfg.tokenSource == nil && len(errs) == 0 {
		errs = append(errs, ErrNoToken)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	origin, err := url.Parse(cfg.baseURL)
	if err != nil { // unreachable: the base URL was validated
		return nil, err
	}
	client := &http.Client{}
	if cfg.httpClient != nil {
		cp := *cfg.httpClient // keep Timeout, Jar, CheckRedirect; never touch the caller's client
		client = &cp
	}
	base := client.Transport
	if base == nil {
		base = defaultTransport()
	}
	client.Transport = &transport{
		version:     v,
		versionText: v.String(),
		origin:      originOf(origin),
		basePath:    strings.TrimSuffix(origin.EscapedPath(), "/"),
		tokenSource: cfg.tokenSource,
		userAgent:   userAgent(cfg.userAgent),
		retry:       cfg.retry.over(defaultRetryPolicy),
		budget:      newRetryBudget(cfg.budget),
		clock:       cfg.clock,
		jitter:      cfg.jitter,
		logger:      cfg.logger,
		hooks:       cfg.hooks,
		base:        base,
	}
	return &core{
		version: v,
		baseURL: cfg.baseURL,
		auth:    cfg.auth,
		client:  client,
		strict:  cfg.strict,
		logger:  cfg.logger,

		deviations: &deviationLog{},
		links:      &linkPacing{},
	}, nil
}

// defaultTransport is a private copy of http.DefaultTransport, so that
// Cores do not share (or close) each other's idle connections.
func defaultTransport() http.RoundTripper {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		c := t.Clone()
		// net/http keeps 2 idle connections per host by default: a client
		// shared by many goroutines, all talking to one API host, would
		// close and reopen connections on almost every call.
		c.MaxIdleConnsPerHost = maxIdleConnsPerHost
		return c
	}
	return http.DefaultTransport
}

// maxIdleConnsPerHost is the idle pool of the core's own transport: enough
// for a busy client against one host, well within Intercom's rate limits.
const maxIdleConnsPerHost = 64

// newFromEnv is newCore with the token from INTERCOM_TOKEN and the region
// from INTERCOM_REGION (us, eu or au) when they are set. Options given
// explicitly take precedence over the environment.
func newFromEnv(v Version, opts ...Option) (*core, error) {
	var env []Option
	if tok := os.Getenv("INTERCOM_TOKEN"); tok != "" {
		env = append(env, func(c *config) error {
			if err := WithToken(tok)(c); err != nil {
				return fmt.Errorf("INTERCOM_TOKEN: %w", err)
			}
			return nil
		})
	}
	if name := os.Getenv("INTERCOM_REGION"); name != "" {
		r, err := ParseRegion(name)
		if err != nil {
			return nil, fmt.Errorf("INTERCOM_REGION: %w", err)
		}
		env = append(env, WithRegion(r))
	}
	return newCore(v, append(env, opts...)...)
}

// Version returns the pinned API version.
func (c *core) Version() Version { return c.version }

// BaseURL returns the API root, without a trailing slash.
func (c *core) BaseURL() string { return c.baseURL }

// Doer returns the HTTP client that generated raw clients send through.
func (c *core) Doer() interface {
	Do(*http.Request) (*http.Response, error)
} {
	return c.client
}

// StrictDecoding reports whether WithStrictDecoding was given: whether a
// response that does not fit its Go type is an error (a *DecodeError)
// instead of being decoded tolerantly.
func (c *core) StrictDecoding() bool { return c.strict }

// Logger returns the logger given with WithLogger, or one that discards.
func (c *core) Logger() *slog.Logger { return c.logger }

// CloseIdleConnections closes idle connections of the underlying
// transport (the caller's one, with WithHTTPClient).
func (c *core) CloseIdleConnections() { c.client.CloseIdleConnections() }

// String describes the core without its credentials; %v, %+v and %#v all
// use it, so printing a core can never reveal a token.
func (c *core) String() string {
	return fmt.Sprintf("intercom.Client{version: %s, baseURL: %s, auth: %s}", c.version, c.baseURL, c.auth)
}

// GoString is String, for %#v.
func (c *core) GoString() string { return c.String() }

// LogValue describes the core to slog without its credentials.
func (c *core) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("version", c.version.String()),
		slog.String("base_url", c.baseURL),
		slog.String("auth", c.auth),
	)
}

const modulePath = "github.com/apipin/intercom"

// moduleVersion is this module's version from the build info, or "devel"
// when built from a work tree.
var moduleVersion = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path == modulePath && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
		for _, d := range bi.Deps {
			if d.Path == modulePath && d.Version != "" && d.Version != "(devel)" {
				return d.Version
			}
		}
	}
	return "devel"
})

// userAgent is "apipin-intercom-go/<version>", then the caller's suffix.
func userAgent(suffix string) string {
	ua := "apipin-intercom-go/" + moduleVersion()
	if suffix != "" {
		ua += " " + suffix
	}
	return ua
}
