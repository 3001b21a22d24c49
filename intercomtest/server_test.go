package intercomtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestAuthentication(t *testing.T) {
	srv := NewServer(t, WithToken("s3cr3t-fixture"))
	cases := []struct {
		name string
		opt  reqOpt
	}{
		{"missing header", noAuth()},
		{"wrong scheme", header("Authorization", "Basic czNjcjN0LWZpeHR1cmU=")},
		{"scheme without token", header("Authorization", "Bearer ")},
		{"wrong token", header("Authorization", "Bearer test-token")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			failure(t, do(t, srv, "GET", "/me", nil, tc.opt), http.StatusUnauthorized, "unauthorized")
		})
	}
	me := ok[map[string]any](t, do(t, srv, "GET", "/me", nil, header("Authorization", "bearer s3cr3t-fixture")))
	if me["type"] != "admin" {
		t.Fatalf("GET /me type = %v", me["type"])
	}
	app := me["app"].(map[string]any)
	if app["type"] != "app" || app["id_code"] != WorkspaceID || app["region"] != "US" {
		t.Fatalf("GET /me app = %v", app)
	}
}

func TestIntercomVersionHeader(t *testing.T) {
	srv := NewServer(t)
	for _, v := range []string{"2.7", "2.11", "2.16", "Preview", "Unstable"} {
		ok[map[string]any](t, do(t, srv, "GET", "/me", nil, header("Intercom-Version", v)))
	}
	ok[map[string]any](t, do(t, srv, "GET", "/me", nil)) // absent: workspace default
	for _, v := range []string{"1.4", "2.6", "3.0", "preview", ""} {
		failure(t, do(t, srv, "GET", "/me", nil, header("Intercom-Version", v)),
			http.StatusBadRequest, "intercom_version_invalid")
	}

	pinned := NewServer(t, WithVersions("2.11"))
	failure(t, do(t, pinned, "GET", "/me", nil, header("Intercom-Version", "2.16")),
		http.StatusBadRequest, "intercom_version_invalid")
	ok[map[string]any](t, do(t, pinned, "GET", "/me", nil, header("Intercom-Version", "2.11")))
}

// A path no operation of the version has is 404 not_found; a known path
// with another method is 405; both name the request.
func TestUnknownRoutes(t *testing.T) {
	srv := NewServer(t)
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/no_such_resource", http.StatusNotFound, "not_found"},
		{"GET", "/contacts/", http.StatusNotFound, "not_found"},
		{"GET", "/contacts/a/b/c/d", http.StatusNotFound, "not_found"},
		{"PATCH", "/contacts/abc", http.StatusMethodNotAllowed, "method_not_allowed"},
		{"POST", "/me", http.StatusMethodNotAllowed, "method_not_allowed"},
	} {
		el := failure(t, do(t, srv, tc.method, tc.path, nil), tc.status, tc.code)
		if !strings.Contains(el.Errors[0].Message, tc.path) {
			t.Errorf("message %q does not name %q", el.Errors[0].Message, tc.path)
		}
	}
}

func TestRequestIDsAreFreshAndOnEveryAnswer(t *testing.T) {
	srv := NewServer(t)
	seen := map[string]bool{}
	for _, a := range []answer{
		do(t, srv, "GET", "/me", nil),
		do(t, srv, "GET", "/me", nil, noAuth()),
		do(t, srv, "GET", "/nope", nil),
		do(t, srv, "GET", "/contacts/missing", nil),
	} {
		id := a.header.Get("X-Request-Id")
		if id == "" || seen[id] {
			t.Fatalf("request id %q missing or repeated", id)
		}
		seen[id] = true
	}
}

func TestMalformedAndMissingBodies(t *testing.T) {
	srv := NewServer(t)
	failure(t, do(t, srv, "POST", "/contacts", `{"email":`), http.StatusBadRequest, "bad_request")
	failure(t, do(t, srv, "POST", "/contacts", `[1,2]`), http.StatusBadRequest, "bad_request")
	failure(t, do(t, srv, "POST", "/contacts", `{"email":"a@b.test"} {}`), http.StatusBadRequest, "bad_request")
	failure(t, do(t, srv, "POST", "/contacts", nil), http.StatusBadRequest, "bad_request")
	el := failure(t, do(t, srv, "POST", "/contacts", `{"email":42}`), http.StatusBadRequest, "parameter_invalid")
	if el.Errors[0].Field != "email" {
		t.Fatalf("field = %q, want email", el.Errors[0].Field)
	}
	failure(t, do(t, srv, "POST", "/contacts", `{"name":"Only A Name"}`), http.StatusBadRequest, "parameter_not_found")
}

func TestRequestsAreCapturedWithTheTokenRedacted(t *testing.T) {
	srv := NewServer(t)
	do(t, srv, "POST", "/companies?trace=1", map[string]any{"company_id": "cap-1"}, header("Intercom-Version", "2.13"))
	do(t, srv, "GET", "/me", nil, header("Authorization", "Token abc"))

	got := srv.Requests()
	if len(got) != 2 {
		t.Fatalf("captured %d requests, want 2", len(got))
	}
	first := got[0]
	if first.Method != "POST" || first.Path != "/companies" || first.Query.Get("trace") != "1" {
		t.Fatalf("captured %+v", first)
	}
	if string(first.Body) != `{"company_id":"cap-1"}` {
		t.Fatalf("body %q", first.Body)
	}
	if h := first.Header.Get("Authorization"); h != "Bearer [redacted]" {
		t.Fatalf("Authorization captured as %q", h)
	}
	if first.Header.Get("Intercom-Version") != "2.13" || first.RequestID == "" {
		t.Fatalf("headers %v, request id %q", first.Header, first.RequestID)
	}
	if h := got[1].Header.Get("Authorization"); h != "[redacted]" {
		t.Fatalf("odd Authorization captured as %q", h)
	}

	got[0].Body[0] = 'X' // copies: mutating them must not reach the server's record
	if srv.Requests()[0].Body[0] != '{' {
		t.Fatal("Requests returned shared memory")
	}
	srv.ResetRequests()
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests after reset", n)
	}
}

func TestConnectionCountAndClose(t *testing.T) {
	srv := NewServer(nil)
	for range 3 {
		res, err := srv.Client().Get(srv.URL() + "/me")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body) // a drained body lets the connection be reused
		res.Body.Close()
	}
	if n := srv.ConnectionCount(); n != 1 {
		t.Errorf("keep-alive client used %d connections, want 1", n)
	}
	srv.Close()
	srv.Close() // idempotent
	if _, err := http.Get(srv.URL() + "/me"); err == nil {
		t.Fatal("server still answers after Close")
	}
}

func TestConcurrentWritesGetDistinctIDs(t *testing.T) {
	srv := NewServer(t)
	const n = 40
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { // no t.Fatal here: it must only run on the test goroutine
			defer wg.Done()
			body := fmt.Sprintf(`{"email":"worker%02d@para.test"}`, i)
			req, _ := http.NewRequest("POST", srv.URL()+"/contacts", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+srv.Token())
			res, err := srv.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			var c contact
			if err := json.NewDecoder(res.Body).Decode(&c); err != nil || res.StatusCode != 200 {
				t.Errorf("status %d, decode error %v", res.StatusCode, err)
			}
			ids[i] = c.ID
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			t.Fatalf("id %q empty or repeated", id)
		}
		seen[id] = true
	}
	if got := ok[list[contact]](t, do(t, srv, "GET", "/contacts", nil)).TotalCount; got != n {
		t.Fatalf("total_count %d, want %d", got, n)
	}
}
