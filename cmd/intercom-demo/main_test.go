package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/apipin/intercom/intercomtest"
)

// demo runs the command with args and INTERCOM_* variables from env.
func demo(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	code = run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestWithoutATokenItRunsTheTourOnTheBuiltInServer(t *testing.T) {
	for _, v := range []string{"", "2.11", "v2.7"} {
		args := []string{}
		if v != "" {
			args = []string{"-version", v}
		}
		code, out, errOut := demo(t, nil, args...)
		if code != 0 {
			t.Fatalf("version %q: exit %d: %s\n%s", v, code, errOut, out)
		}
		for _, want := range []string{"built-in test server", "company_not_found", "contact_company_limit_exceeded", "401 unauthorized", "updated 3, failed 1"} {
			if !strings.Contains(out, want) {
				t.Errorf("version %q: output lacks %q:\n%s", v, want, out)
			}
		}
	}
}

func TestUnsupportedArgumentsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-version", "2.9"}, nil, "2.16, 2.11, 2.7"},
		{[]string{"-version", "3"}, nil, "invalid API version"},
		{[]string{"-region", "mars"}, map[string]string{"INTERCOM_TOKEN": "t"}, "unknown region"},
		{[]string{"extra"}, nil, "unexpected arguments"},
	} {
		code, _, errOut := demo(t, tc.env, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// liveServer stands in for the real API in token mode.
func liveServer(t *testing.T) (*intercomtest.Server, []intercomtest.Contact) {
	srv := intercomtest.NewServer(t)
	var people []intercomtest.Contact
	for _, email := range []string{"ana@example.test", "ben@example.test", "cy@example.test", "dee@example.test"} {
		people = append(people, srv.AddContact(intercomtest.Contact{Email: email}))
	}
	srv.AddCompany(intercomtest.Company{CompanyID: "k-1", Name: "Kestrel"})
	return srv, people
}

func TestWithATokenItOnlyReadsUnlessAskedToWrite(t *testing.T) {
	srv, _ := liveServer(t)
	env := map[string]string{"INTERCOM_TOKEN": srv.Token()}
	code, out, errOut := demo(t, env, "-base-url", srv.URL(), "-limit", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "ana@example.test") || strings.Contains(out, "cy@example.test") || !strings.Contains(out, "Kestrel") {
		t.Errorf("want the first 2 contacts and the company:\n%s", out)
	}
	if !strings.Contains(out, "Nothing was changed") {
		t.Errorf("no word about -write:\n%s", out)
	}
	for _, r := range srv.Requests() {
		// POST /companies/list is a listing; anything else non-GET writes.
		if r.Method != http.MethodGet && r.Path != "/companies/list" {
			t.Errorf("read-only run sent %s %s", r.Method, r.Path)
		}
	}
}

func TestWriteLinksAndDetachesAgain(t *testing.T) {
	srv, people := liveServer(t)
	env := map[string]string{"INTERCOM_TOKEN": srv.Token()}
	code, out, errOut := demo(t, env, "-base-url", srv.URL(), "-write")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	if !strings.Contains(out, "LinkContacts: updated 3, failed 0") {
		t.Errorf("output:\n%s", out)
	}
	attached := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/companies") && strings.HasPrefix(r.Path, "/contacts/") {
			attached++
		}
	}
	if attached != 3 {
		t.Errorf("%d contacts attached, want 3", attached)
	}
	for _, p := range people {
		if cs := srv.CompaniesOf(p.ID); len(cs) != 0 {
			t.Errorf("%s still has companies %v", p.Email, cs)
		}
	}
}
