package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apipin/intercom/intercomtest"
)

func decodeID(t *testing.T, out string) string {
	t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.ID == "" {
		t.Fatalf("no id in %q: %v", out, err)
	}
	return v.ID
}

// TestStatefulFlow drives the operations intercomtest implements (contacts,
// companies, tags) through the command, in the oldest, a middle and the
// newest version: the same command names work in each.
func TestStatefulFlow(t *testing.T) {
	for _, version := range []string{"2.7", "2.11", "2.16"} {
		t.Run(version, func(t *testing.T) {
			s := intercomtest.NewServer(t)
			vars := map[string]string{"INTERCOM_TOKEN": s.Token(), "INTERCOM_VERSION": version}
			ic := func(stdin string, args ...string) result {
				t.Helper()
				res := run(t, vars, stdin, append([]string{"--base-url", s.URL()}, args...)...)
				if res.code != 0 {
					t.Fatalf("intercom %s: exit %d: %s", strings.Join(args, " "), res.code, res.stderr)
				}
				return res
			}
			company := decodeID(t, ic("", "companies", "create-or-update-company", "--body", `{"company_id":"c-1","name":"Acme"}`).stdout)
			contact := decodeID(t, ic(`{"email":"pat@example.test"}`, "contacts", "create", "--body", "-").stdout)
			ic("", "companies", "attach-contact-to-a-company", contact, "--body", fmt.Sprintf(`{"id":%q}`, company))

			lines := strings.Split(strings.TrimSpace(ic("", "companies", "list-attached-contacts", company, "--all").stdout), "\n")
			if len(lines) != 1 || decodeID(t, lines[0]) != contact {
				t.Fatalf("attached contacts: %q", lines)
			}

			tag := decodeID(t, ic("", "tags", "create", "--body", `{"name":"vip"}`).stdout)
			ic("", "tags", "attach-to-contact", contact, "--body", fmt.Sprintf(`{"id":%q}`, tag))
			if out := ic("", "contacts", "list-tags-for-a-contact", contact).stdout; !strings.Contains(out, `"name":"vip"`) {
				t.Fatalf("tags of the contact: %s", out)
			}

			ic("", "contacts", "delete", contact)
			res := run(t, vars, "", "--base-url", s.URL(), "contacts", "show", contact)
			if res.code != ExitNotFound || !strings.Contains(res.stderr, "not_found") || !strings.Contains(res.stderr, "request id") {
				t.Fatalf("show after delete: exit %d, stderr %q", res.code, res.stderr)
			}
		})
	}
}

// TestAllPagingStyles walks lists of each style the fake serves to the end,
// with small pages so that every cursor is followed.
func TestAllPagingStyles(t *testing.T) {
	s := intercomtest.NewServer(t, intercomtest.WithPageSize(7))
	for i := range 40 {
		s.AddContact(intercomtest.Contact{Email: fmt.Sprintf("p%d@example.test", i)})
	}
	for i := range 9 {
		s.AddCompany(intercomtest.Company{Name: fmt.Sprintf("Co %d", i)})
	}
	vars := map[string]string{"INTERCOM_TOKEN": s.Token()}
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"contacts", "list", "--all"}, 40},                     // cursor, undeclared in 2.16
		{[]string{"--version", "2.7", "contacts", "list", "--all"}, 40}, // the same in 2.7
		{[]string{"contacts", "search", "--all", "--body", `{"query":{"field":"role","operator":"=","value":"user"},"pagination":{"per_page":6}}`}, 40}, // search body cursor
		{[]string{"companies", "list-all-companies", "--all", "--param", "per_page=4"}, 9},                                                              // page numbers
		{[]string{"companies", "scroll-over-all-companies", "--all"}, 9},                                                                                // scroll
	} {
		res := run(t, vars, "", append([]string{"--base-url", s.URL()}, tc.args...)...)
		if res.code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, res.code, res.stderr)
		}
		lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
		seen := map[string]bool{}
		for _, l := range lines {
			seen[decodeID(t, l)] = true
		}
		if len(lines) != tc.want || len(seen) != tc.want {
			t.Errorf("%v: %d lines, %d distinct ids; want %d", tc.args, len(lines), len(seen), tc.want)
		}
	}
}

func TestFake(t *testing.T) {
	res := run(t, nil, "", "--fake", "--fake-contacts", "120", "contacts", "list", "--all")
	if res.code != 0 || strings.Count(res.stdout, "\n") != 120 {
		t.Fatalf("exit %d, %d lines: %s", res.code, strings.Count(res.stdout, "\n"), res.stderr)
	}
	res = run(t, nil, "", "--fake", "contacts", "show", "nobody")
	if res.code != ExitNotFound {
		t.Fatalf("show nobody: exit %d", res.code)
	}
	// intercomtest answers every operation, stateful or synthesized.
	res = run(t, nil, "", "--fake", "articles", "list")
	if res.code != 0 || !strings.Contains(res.stdout, `"type"`) {
		t.Fatalf("articles list on the fake: exit %d, %s%s", res.code, res.stdout, res.stderr)
	}
}

// TestUsageErrors: each mistake is refused with exit 2 before anything is sent.
func TestUsageErrors(t *testing.T) {
	rec := newRecorder(t)
	vars := map[string]string{"INTERCOM_TOKEN": "tok"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"nosuchgroup"}, `unknown command "nosuchgroup"`},
		{[]string{"contacts", "nosuchop"}, `unknown command "nosuchop"`},
		{[]string{"contacts", "show"}, "takes 1 argument(s) <contact_id>, got 0"},
		{[]string{"contacts", "show", "a", "b"}, "got 2"},
		{[]string{"contacts", "show", ".."}, `<contact_id> must not be ".."`},
		{[]string{"contacts", "show", ""}, `must not be ""`},
		{[]string{"contacts", "show", "x", "--param", "nope=1"}, `has no parameter "nope"`},
		{[]string{"contacts", "show", "x", "--param", "include_merge_history=maybe"}, "is not true or false"},
		{[]string{"contacts", "show", "x", "--param", "include_merge_history"}, "want name=value"},
		{[]string{"contacts", "show", "x", "--param", "include_merge_history=true", "--param", "include_merge_history=false"}, "given twice"},
		{[]string{"companies", "list-all-companies", "--param", "page=two"}, "is not an integer"},
		{[]string{"audiences", "create"}, "needs a body"},
		{[]string{"tags", "create", "--body", "{not json"}, "not valid JSON"},
		{[]string{"contacts", "create", "--body", "@/nonexistent/body.json"}, "--body"},
		{[]string{"contacts", "show", "x", "--body", "{}"}, "unknown flag: --body"},
		{[]string{"contacts", "show", "x", "--all"}, "unknown flag: --all"},
		{[]string{"--version", "2.6", "contacts", "list"}, `unknown Intercom-Version "2.6"`},
		{[]string{"--region", "mars", "contacts", "list"}, "mars"},
		{[]string{"--base-url", "http://example.com", "contacts", "list"}, "plain-http"},
		{[]string{"--version", "2.7", "ai-content", "list-external-pages"}, `unknown command "ai-content"`},
	} {
		res := run(t, vars, "", append([]string{"--base-url", rec.srv.URL}, tc.args...)...)
		if tc.args[0] == "--base-url" {
			res = run(t, vars, "", tc.args...)
		}
		if res.code != ExitUsage || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, res.code, res.stderr, tc.want)
		}
		if n := len(rec.take()); n != 0 {
			t.Errorf("%v: %d requests sent", tc.args, n)
		}
	}
}

// TestExitStatusByClass: Intercom's code, message and request id go to
// stderr, and the exit status says what kind of failure it was.
func TestExitStatusByClass(t *testing.T) {
	rec := newRecorder(t)
	vars := map[string]string{"INTERCOM_TOKEN": "tok-secret-123"}
	for _, tc := range []struct {
		status int
		code   string
		want   int
	}{
		{401, "unauthorized", ExitAuth},
		{403, "forbidden", ExitAuth},
		{404, "not_found", ExitNotFound},
		{422, "parameter_invalid", ExitFailure},
		{429, "rate_limit_exceeded", ExitRateLimited},
		{503, "service_unavailable", ExitServer},
	} {
		rec.answer = func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-Id", "req-42")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(tc.status)
			fmt.Fprintf(w, `{"type":"error.list","request_id":"req-42","errors":[{"code":%q,"message":"said %d"}]}`, tc.code, tc.status)
		}
		// A POST: the library does not repeat an unsafe request after a
		// 5xx, which keeps this test fast.
		res := run(t, vars, "", "--base-url", rec.srv.URL, "notes", "create", "1", "--body", `{"body":"x"}`)
		if res.code != tc.want {
			t.Errorf("%d: exit %d, want %d (%s)", tc.status, res.code, tc.want, res.stderr)
		}
		for _, s := range []string{tc.code, fmt.Sprintf("said %d", tc.status), "request id: req-42"} {
			if !strings.Contains(res.stderr, s) {
				t.Errorf("%d: stderr %q lacks %q", tc.status, res.stderr, s)
			}
		}
		if strings.Contains(res.stderr+res.stdout, "tok-secret-123") {
			t.Errorf("%d: the token was printed", tc.status)
		}
		rec.take()
	}
	rec.answer = nil

	res := run(t, nil, "", "--base-url", rec.srv.URL, "contacts", "list")
	if res.code != ExitAuth || !strings.Contains(res.stderr, "INTERCOM_TOKEN") {
		t.Errorf("no token: exit %d, %q", res.code, res.stderr)
	}
	if n := len(rec.take()); n != 0 {
		t.Errorf("no token: %d requests sent", n)
	}
}

// A required parameter with a single allowed value is filled in.
func TestRequiredSingleValueParameter(t *testing.T) {
	rec := newRecorder(t)
	res := run(t, map[string]string{"INTERCOM_TOKEN": "t"}, "", "--base-url", rec.srv.URL, "reporting-data-export", "get-download-reporting-data-job-identifier", "job-1", "--param", "app_id=a1")
	if res.code != 0 {
		t.Fatal(res.stderr)
	}
	if got := rec.take()[0].Header.Get("Accept"); got != "application/octet-stream" {
		t.Fatalf("Accept %q", got)
	}
}

func TestTokenFileAndRegion(t *testing.T) {
	rec := newRecorder(t)
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("tok-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := run(t, map[string]string{"INTERCOM_TOKEN": "tok-env"}, "", "--base-url", rec.srv.URL, "--token-file", file, "admins", "identify")
	if res.code != 0 {
		t.Fatal(res.stderr)
	}
	if got := rec.take()[0].Header.Get("Authorization"); got != "Bearer tok-from-file" {
		t.Fatalf("Authorization %q", got)
	}
	res = run(t, nil, "", "--base-url", rec.srv.URL, "--token-file", filepath.Join(t.TempDir(), "missing"), "admins", "identify")
	if res.code != ExitAuth {
		t.Fatalf("missing token file: exit %d", res.code)
	}
	for region, host := range map[string]string{"us": "api.intercom.io", "eu": "api.eu.intercom.io", "au": "api.au.intercom.io"} {
		res := run(t, map[string]string{"INTERCOM_TOKEN": "tok-region"}, "", "--dry-run", "--region", region, "admins", "identify")
		if res.code != 0 || !strings.Contains(res.stdout, "'https://"+host+"/me'") {
			t.Errorf("region %s: %q %q", region, res.stdout, res.stderr)
		}
	}
}

// TestDryRun prints the request the core would send, the token masked, and
// sends nothing.
func TestDryRun(t *testing.T) {
	rec := newRecorder(t)
	vars := map[string]string{"INTERCOM_TOKEN": "tok-very-secret"}
	res := run(t, vars, "", "--base-url", rec.srv.URL, "--dry-run", "--version", "2.11",
		"contacts", "update", "it's/1", "--body", `{"name":"O'Brien"}`)
	if res.code != 0 {
		t.Fatal(res.stderr)
	}
	want := "curl -X PUT '" + rec.srv.URL + "/contacts/it%27s%2F1' \\\n" +
		"  -H 'Accept: application/json' \\\n" +
		"  -H \"Authorization: Bearer $INTERCOM_TOKEN\" \\\n" +
		"  -H 'Content-Type: application/json' \\\n" +
		"  -H 'Intercom-Version: 2.11' \\\n"
	if !strings.HasPrefix(res.stdout, want) || !strings.HasSuffix(res.stdout, `--data-binary '{"name":"O'\''Brien"}'`+"\n") {
		t.Fatalf("dry run:\n%s\nwant it to start with\n%s", res.stdout, want)
	}
	if strings.Contains(res.stdout+res.stderr, "tok-very-secret") {
		t.Fatal("the token was printed")
	}
	if n := len(rec.take()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	// No token is needed to see what would be sent.
	if res := run(t, nil, "", "--dry-run", "contacts", "list", "--all"); res.code != 0 || !strings.Contains(res.stdout, "'https://api.intercom.io/contacts'") {
		t.Fatalf("dry run without a token: %d %q %q", res.code, res.stdout, res.stderr)
	}
}

func TestVerbose(t *testing.T) {
	rec := newRecorder(t)
	rec.answer = func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Request-Id", "req-v")
		w.Header().Set("X-RateLimit-Limit", "1000")
		w.Header().Set("X-RateLimit-Remaining", "998")
		w.Header().Set("X-RateLimit-Reset", "1800000000")
		w.Write([]byte(`{"type":"admin"}`))
	}
	res := run(t, map[string]string{"INTERCOM_TOKEN": "tok-v"}, "", "--base-url", rec.srv.URL, "-v", "admins", "identify")
	if res.code != 0 {
		t.Fatal(res.stderr)
	}
	for _, s := range []string{"GET " + rec.srv.URL + "/me", "200 OK", "request id req-v", "rate limit 998/1000 left"} {
		if !strings.Contains(res.stderr, s) {
			t.Errorf("stderr %q lacks %q", res.stderr, s)
		}
	}
	if res.stdout != `{"type":"admin"}`+"\n" {
		t.Errorf("stdout %q", res.stdout)
	}
}

// TestOutputShape: indented for a terminal, compact when piped.
func TestOutputShape(t *testing.T) {
	rec := newRecorder(t)
	rec.answer = func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("{ \"type\" : \"admin\",\n \"id\": \"1\"}"))
	}
	res := run(t, map[string]string{"INTERCOM_TOKEN": "t"}, "", "--base-url", rec.srv.URL, "admins", "identify")
	if res.stdout != `{"type":"admin","id":"1"}`+"\n" {
		t.Errorf("piped: %q", res.stdout)
	}
	var out strings.Builder
	env := Env{Stdout: &out, Stderr: &strings.Builder{}, StdoutTTY: true, Getenv: func(k string) string { return map[string]string{"INTERCOM_TOKEN": "t"}[k] }}
	if code := Run(t.Context(), []string{"--base-url", rec.srv.URL, "admins", "identify"}, env); code != 0 {
		t.Fatal(code)
	}
	if out.String() != "{\n  \"type\": \"admin\",\n  \"id\": \"1\"\n}\n" {
		t.Errorf("terminal: %q", out.String())
	}
}
