package intercom

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apipin/intercom/internal/engine"
)

func TestHeadersPinned(t *testing.T) {
	var got http.Header
	var query string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		got, query = r.Header.Clone(), r.URL.RawQuery
		ok200(w, r)
	})
	ctx := withRequestHeader(context.Background(), "x-trace", "abc")
	ctx = withRequestQuery(ctx, "per_page", "5")
	ctx = withRequestHeader(ctx, "intercom-version", "v2.11") // same version, other spelling: fine
	if _, err := e.do(ctx, http.MethodGet, "/contacts?starting_after=x", ""); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"Intercom-Version": "2.11",
		"Authorization":    "Bearer " + testToken,
		"Accept":           "application/json",
		"X-Trace":          "abc",
		"User-Agent":       "apipin-intercom-go/devel",
	} {
		if got.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, got.Get(k), want)
		}
	}
	if query != "per_page=5&starting_after=x" {
		t.Errorf("query %q", query)
	}
}

func TestVersionOverrideRefused(t *testing.T) {
	e := newEnv(t, ok200)
	ctx := context.Background()

	_, err := e.do(withRequestHeader(ctx, "Intercom-Version", "2.9"), http.MethodGet, "/x", "")
	if !errors.Is(err, ErrVersionOverride) || !strings.Contains(err.Error(), "2.9") || !strings.Contains(err.Error(), "2.11") {
		t.Errorf("per-request header: %v", err)
	}
	_, err = do[map[string]any](ctx, e.core, testOp, nil, func(ctx context.Context) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.core.BaseURL()+"/x", strings.NewReader("{}"))
		req.Header.Set("Intercom-Version", "Unstable")
		return e.core.Doer().Do(req)
	})
	if !errors.Is(err, ErrVersionOverride) {
		t.Errorf("header on the request: %v", err)
	}
	if n := e.hits.Load(); n != 0 {
		t.Errorf("refused requests reached the server %d times", n)
	}

	// A caller's transport below the chain can only be caught afterwards,
	// but its answer must not be used.
	ct := &countingTransport{base: e.srv.Client().Transport, edit: func(r *http.Request) { r.Header.Set("Intercom-Version", "2.8") }}
	c, err := newCore(v211, WithToken(testToken), WithBaseURL(e.srv.URL), WithHTTPClient(&http.Client{Transport: ct}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = do[map[string]any](ctx, c, testOp, nil, func(ctx context.Context) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL()+"/x", nil)
		return c.Doer().Do(req)
	})
	if !errors.Is(err, ErrVersionOverride) || !strings.Contains(err.Error(), "2.8") || ct.n != 1 {
		t.Errorf("caller's transport (%d attempts): %v", ct.n, err)
	}
}

func TestRedirectToOtherHostDropsCredentials(t *testing.T) {
	var other http.Header
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other = r.Header.Clone()
		ok200(w, r)
	}))
	defer elsewhere.Close()
	var sameHostAuth string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, elsewhere.URL+"/landing", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/landing", http.StatusFound)
		default:
			sameHostAuth = r.Header.Get("Authorization")
			ok200(w, r)
		}
	})
	ctx := withRequestHeader(context.Background(), "X-Secret-Tenant", "t1")
	if _, err := e.do(ctx, http.MethodGet, "/away", ""); err != nil {
		t.Fatal(err)
	}
	if other == nil {
		t.Fatal("redirect not followed")
	}
	for _, k := range []string{"Authorization", "X-Secret-Tenant", "Intercom-Version"} {
		if v := other.Get(k); v != "" {
			t.Errorf("%s sent to another host: %q", k, v)
		}
	}
	if _, err := e.do(ctx, http.MethodGet, "/here", ""); err != nil {
		t.Fatal(err)
	}
	if sameHostAuth != "Bearer "+testToken {
		t.Errorf("same-host redirect lost auth: %q", sameHostAuth)
	}
}

func TestTokenSourcePerAttempt(t *testing.T) {
	var calls atomic.Int32
	var seen []string
	e := newEnv(t, sequence(
		func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.Header.Get("Authorization"))
			writeJSON(w, http.StatusServiceUnavailable, "")
		},
		func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.Header.Get("Authorization"))
			ok200(w, r)
		},
	), WithTokenSource(func(ctx context.Context) (string, error) {
		return "rotated-" + string(rune('0'+calls.Add(1))), nil
	}))
	if _, err := e.do(context.Background(), http.MethodGet, "/x", ""); err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, ",") != "Bearer rotated-1,Bearer rotated-2" {
		t.Errorf("tokens sent: %v", seen)
	}

	boom := errors.New("vault sealed")
	e = newEnv(t, ok200, WithTokenSource(func(context.Context) (string, error) { return "", boom }))
	if _, err := e.do(context.Background(), http.MethodPost, "/x", "{}"); !errors.Is(err, boom) {
		t.Errorf("token source error: %v", err)
	}
	e = newEnv(t, ok200, WithTokenSource(func(context.Context) (string, error) { return "", nil }))
	if _, err := e.do(context.Background(), http.MethodGet, "/x", ""); !errors.Is(err, ErrNoToken) {
		t.Errorf("empty token from source: %v", err)
	}
	if e.hits.Load() != 0 {
		t.Error("request sent without a token")
	}
}

func TestResponseHook(t *testing.T) {
	e := newEnv(t, sequence(
		status(http.StatusServiceUnavailable, "", "X-Request-Id", "r1"),
		status(http.StatusOK, `{}`, "X-Request-Id", "r2", "X-RateLimit-Limit", "1000", "X-RateLimit-Remaining", "998", "X-RateLimit-Reset", "1700000010"),
	))
	op := &engine.Operation{ID: "listThings", Method: http.MethodGet, Path: "/things"}
	if _, err := do[map[string]any](context.Background(), e.core, op, nil, e.sender(http.MethodGet, "/things?starting_after=secretish", "")); err != nil {
		t.Fatal(err)
	}
	infos := e.Infos()
	if len(infos) != 2 {
		t.Fatalf("hook calls: %+v", infos)
	}
	for i, ri := range infos {
		if ri.Attempt != i+1 || ri.Operation != "listThings" || ri.Method != "GET" || ri.URL != e.srv.URL+"/things" || ri.Err != nil {
			t.Errorf("info %d: %+v", i, ri)
		}
	}
	if infos[0].StatusCode != 503 || infos[0].RequestID != "r1" || infos[0].RateLimit.Known {
		t.Errorf("first attempt: %+v", infos[0])
	}
	rl := infos[1].RateLimit
	if infos[1].StatusCode != 200 || infos[1].RequestID != "r2" || !rl.Known || rl.Limit != 1000 || rl.Remaining != 998 || rl.Reset.Unix() != 1700000010 {
		t.Errorf("second attempt: %+v", infos[1])
	}
	logs := e.logs.String()
	for _, want := range []string{"level=DEBUG", "op=listThings", "path=/things", "status=503", "request_id=r2", "ratelimit_remaining=998", "level=INFO msg=\"intercom: retrying\""} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

func TestRawRequestWithoutOperation(t *testing.T) {
	e := newEnv(t, ok200)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/raw", nil)
	resp, err := e.core.Doer().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ri := e.Infos(); len(ri) != 1 || ri[0].Operation != "" || ri[0].StatusCode != 200 {
		t.Errorf("infos: %+v", ri)
	}
}

// stubTransport answers without a network, with a bare Request in the
// response, as test doubles often do.
type stubTransport struct{}

func (stubTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: &http.Request{Method: r.Method}}, nil
}

func TestStubTransportAccepted(t *testing.T) {
	c, err := newCore(v211, WithToken(testToken), WithHTTPClient(&http.Client{Transport: stubTransport{}}))
	if err != nil {
		t.Fatal(err)
	}
	err = c.CallEmpty(context.Background(), testOp, nil, func(ctx context.Context) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL()+"/x", nil)
		return c.Doer().Do(req)
	})
	if err != nil {
		t.Error(err)
	}
}

// Credentials go to the API's origin whatever the spelling of its scheme
// and host and whether the default port is written, and nowhere else.
func TestOriginMatches(t *testing.T) {
	base, _ := url.Parse("https://api.intercom.io")
	o := originOf(base)
	for raw, want := range map[string]bool{
		"https://api.intercom.io/contacts":         true,
		"HTTPS://API.Intercom.IO/contacts":         true,
		"https://api.intercom.io:443/contacts":     true,
		"http://api.intercom.io/contacts":          false,
		"https://api.intercom.io:8443/contacts":    false,
		"https://api.eu.intercom.io/contacts":      false,
		"https://api.intercom.io.evil.test/x":      false,
		"https://user@api.intercom.io.evil.test/x": false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := o.matches(u); got != want {
			t.Errorf("%s: matches = %v, want %v", raw, got, want)
		}
	}
	plain, _ := url.Parse("http://127.0.0.1:8080")
	if o := originOf(plain); !o.matches(plain) || o.matches(base) {
		t.Error("a loopback base URL with a port must match itself only")
	}
}

func TestOriginMatchesDoesNotAllocate(t *testing.T) {
	base, _ := url.Parse("https://api.intercom.io")
	o := originOf(base)
	u, _ := url.Parse("https://API.intercom.io/contacts/1")
	if n := testing.AllocsPerRun(100, func() { o.matches(u) }); n != 0 {
		t.Errorf("%v allocations per match, want 0 (it runs for every request)", n)
	}
}
