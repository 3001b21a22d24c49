package intercom

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRegions(t *testing.T) {
	for r, host := range map[Region]string{
		RegionUS: "https://api.intercom.io",
		RegionEU: "https://api.eu.intercom.io",
		RegionAU: "https://api.au.intercom.io",
	} {
		if r.BaseURL() != host {
			t.Errorf("%s: %s", r, r.BaseURL())
		}
		got, err := ParseRegion(strings.ToUpper(r.String()))
		if err != nil || got != r {
			t.Errorf("ParseRegion(%s) = %v, %v", r, got, err)
		}
		c, err := newCore(v211, WithToken(testToken), WithRegion(r))
		if err != nil || c.BaseURL() != host {
			t.Errorf("WithRegion(%s): %v, %v", r, c, err)
		}
	}
	if _, err := ParseRegion("mars"); err == nil {
		t.Error("ParseRegion(mars) succeeded")
	}
	c, _ := newCore(v211, WithToken(testToken))
	if c.BaseURL() != RegionUS.BaseURL() {
		t.Errorf("default base URL %s", c.BaseURL())
	}
	if _, err := newCore(v211, WithToken(testToken), WithRegion(Region{})); err == nil {
		t.Error("zero Region accepted")
	}
}

func TestWithBaseURL(t *testing.T) {
	good := map[string]string{
		"https://api.intercom.io/":         "https://api.intercom.io",
		"https://proxy.example.com/ic//":   "https://proxy.example.com/ic",
		"http://127.0.0.1:8080":            "http://127.0.0.1:8080",
		"http://127.9.9.9":                 "http://127.9.9.9",
		"http://localhost:1234/":           "http://localhost:1234",
		"http://LocalHost":                 "http://LocalHost",
		"http://[::1]:9000":                "http://[::1]:9000",
		"https://api.eu.intercom.io:443/x": "https://api.eu.intercom.io:443/x",
	}
	for in, want := range good {
		c, err := newCore(v211, WithToken(testToken), WithBaseURL(in))
		if err != nil || c.BaseURL() != want {
			t.Errorf("WithBaseURL(%q): %v, %v; want %s", in, c, err, want)
		}
	}
	for _, in := range []string{
		"http://api.intercom.io", "http://10.0.0.1", "http://192.168.1.1:80", "http://localhost.evil.com",
		"ftp://api.intercom.io", "api.intercom.io", "", "https://", "https://h/?q=1", "https://h/#f",
		"https://user:hunter2@api.intercom.io", "https://api.intercom.io/%zz",
	} {
		_, err := newCore(v211, WithToken(testToken), WithBaseURL(in))
		if err == nil {
			t.Errorf("WithBaseURL(%q) accepted", in)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error leaks the URL password: %v", err)
		}
	}
}

func TestNewCoreErrors(t *testing.T) {
	if _, err := newCore(v211); !errors.Is(err, ErrNoToken) {
		t.Errorf("no token: %v", err)
	}
	if _, err := newCore(v211, WithToken("")); !errors.Is(err, ErrNoToken) {
		t.Errorf("empty token: %v", err)
	}
	if _, err := newCore(Version{}, WithToken(testToken)); err == nil {
		t.Error("zero version accepted")
	}
	_, err := newCore(v211, WithToken(testToken), WithTokenSource(nil), WithLogger(nil),
		WithHTTPClient(nil), WithResponseHook(nil), WithClock(nil), WithRetry(RetryPolicy{MaxAttempts: -1}),
		WithRetry(RetryPolicy{BaseDelay: time.Minute, MaxDelay: time.Second}), WithUserAgent("a\nb"))
	if err == nil || strings.Count(err.Error(), "\n") != 7 {
		t.Errorf("want the 8 option errors joined, got %v", err)
	}
	// Later options win: a token source replaces a token and vice versa.
	c, err := newCore(v211, WithToken(testToken), WithTokenSource(func(context.Context) (string, error) { return "x", nil }), nil)
	if err != nil || c.auth != "token source" {
		t.Errorf("later option must win: %v %v", c, err)
	}
}

func TestNewFromEnv(t *testing.T) {
	t.Setenv("INTERCOM_TOKEN", "")
	t.Setenv("INTERCOM_REGION", "")
	if _, err := newFromEnv(v211); !errors.Is(err, ErrNoToken) {
		t.Errorf("no env: %v", err)
	}
	t.Setenv("INTERCOM_TOKEN", testToken)
	t.Setenv("INTERCOM_REGION", "eu")
	c, err := newFromEnv(v211)
	if err != nil || c.BaseURL() != RegionEU.BaseURL() || c.auth != "token" {
		t.Fatalf("env: %v, %v", c, err)
	}
	c, err = newFromEnv(v211, WithRegion(RegionAU))
	if err != nil || c.BaseURL() != RegionAU.BaseURL() {
		t.Errorf("explicit region must win: %v, %v", c, err)
	}
	t.Setenv("INTERCOM_REGION", "mars")
	if _, err := newFromEnv(v211); err == nil || !strings.Contains(err.Error(), "INTERCOM_REGION") {
		t.Errorf("bad region: %v", err)
	}
	t.Setenv("INTERCOM_REGION", "")
	t.Setenv("INTERCOM_TOKEN", testToken+"\n")
	if _, err := newFromEnv(v211); err == nil || !strings.Contains(err.Error(), "INTERCOM_TOKEN") {
		t.Errorf("bad token: %v", err)
	}
}

func TestAccessors(t *testing.T) {
	c, err := newCore(v211, WithToken(testToken))
	if err != nil {
		t.Fatal(err)
	}
	if c.Version() != v211 || c.StrictDecoding() || c.Logger() == nil || c.Doer() == nil {
		t.Errorf("defaults: %v", c)
	}
	c, _ = newCore(v211, WithToken(testToken), WithStrictDecoding())
	if !c.StrictDecoding() {
		t.Error("WithStrictDecoding not stored")
	}
}

// countingTransport stands for a caller's own transport.
type countingTransport struct {
	n    int
	base http.RoundTripper
	edit func(*http.Request)
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	if c.edit != nil {
		r = r.Clone(r.Context())
		c.edit(r)
	}
	return c.base.RoundTrip(r)
}

func TestWithHTTPClientWrapsWithoutMutating(t *testing.T) {
	var ua string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		ua = r.UserAgent()
		ok200(w, r)
	})
	ct := &countingTransport{base: http.DefaultTransport}
	hc := &http.Client{Transport: ct, Timeout: 42 * time.Second}
	c, err := newCore(v211, WithToken(testToken), WithBaseURL(e.srv.URL), WithHTTPClient(hc), WithUserAgent(" myapp/1.0 "))
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	if hc.Transport != ct {
		t.Fatal("the caller's client was modified")
	}
	if doer := c.Doer().(*http.Client); doer == hc || doer.Timeout != 42*time.Second {
		t.Errorf("want a copy keeping Timeout, got %+v", doer)
	}
	if _, err := do[map[string]any](context.Background(), c, testOp, nil, func(ctx context.Context) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL()+"/x", nil)
		return c.Doer().Do(req)
	}); err != nil {
		t.Fatal(err)
	}
	if ct.n != 1 {
		t.Errorf("caller's transport saw %d requests", ct.n)
	}
	if ua != "apipin-intercom-go/devel myapp/1.0" {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestBaseURLWithDotSegmentsRefused(t *testing.T) {
	for _, u := range []string{"https://proxy.example/a/../b", "https://proxy.example/./intercom", "http://127.0.0.1:8080/.."} {
		if _, err := newCore(MustParseVersion("2.11"), WithToken(testToken), WithBaseURL(u)); err == nil || !strings.Contains(err.Error(), `".."`) {
			t.Errorf("%s: %v", u, err)
		}
	}
	if _, err := newCore(MustParseVersion("2.11"), WithToken(testToken), WithBaseURL("https://proxy.example/a.b/..c/intercom")); err != nil {
		t.Errorf("dots inside segments are fine: %v", err)
	}
}
