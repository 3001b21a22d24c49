package pathparam

import (
	"net/url"
	"strings"
	"testing"
)

func TestProblem(t *testing.T) {
	for _, bad := range []string{"", ".", "..", "a/b", "a?b", "a#b"} {
		if Problem(bad) == "" {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, ok := range []string{"x", "...", ".a", "a..", "%2E%2E", url.PathEscape("../x"), url.PathEscape(" "), "6657"} {
		if p := Problem(ok); p != "" {
			t.Errorf("%q refused: %s", ok, p)
		}
	}
}

func TestMatches(t *testing.T) {
	cases := []struct {
		path, base, template string
		want                 bool
	}{
		{"/contacts/abc", "", "/contacts/{id}", true},
		{"/contacts/abc", "/", "/contacts/{id}", true},
		{"/proxy/intercom/contacts/abc", "/proxy/intercom", "/contacts/{id}", true},
		{"/proxy/intercom/contacts/abc", "/proxy/intercom/", "/contacts/{id}", true},
		{"/contacts/abc/companies/def", "", "/contacts/{contact_id}/companies/{id}", true},
		{"/contacts", "", "/contacts", true},
		{"/contacts/a%2Fb", "", "/contacts/{id}", true},

		{"/", "", "/contacts/{id}", false},                                     // ShowContact("..") resolved
		{"/companies/def", "", "/contacts/{contact_id}/companies/{id}", false}, // detach with ".."
		{"/contacts/", "", "/contacts/{id}", false},                            // empty id
		{"/contacts/..", "", "/contacts/{id}", false},                          // sent literally
		{"/contacts/./companies", "", "/contacts/{id}/companies", false},
		{"/contacts/a/b", "", "/contacts/{id}", false},
		{"/contacts/abc/", "", "/contacts/{id}", false},
		{"/other/contacts/abc", "/proxy/intercom", "/contacts/{id}", false}, // climbed out of the prefix
		{"/proxy/contacts/abc", "/proxy/intercom", "/contacts/{id}", false},
		{"/contactsx/abc", "", "/contacts/{id}", false},
	}
	for _, c := range cases {
		if got := Matches(c.path, c.base, c.template); got != c.want {
			t.Errorf("Matches(%q, %q, %q) = %v, want %v", c.path, c.base, c.template, got, c.want)
		}
	}
}

func TestMatchesDoesNotAllocate(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		Matches("/proxy/contacts/abc/companies/def", "/proxy", "/contacts/{contact_id}/companies/{id}")
	})
	if n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}

// Whatever id a caller passes, escaped as the builders escape it, either
// Problem refuses it or the path built from it matches its template: no id
// reaches another endpoint, with or without a base path.
func FuzzPathParam(f *testing.F) {
	for _, s := range []string{"", ".", "..", "../..", "a/../b", "%2e%2e", "abc", "a?b#c", "\x00", "..%2F"} {
		f.Add(s, "")
		f.Add(s, "/proxy/intercom")
	}
	f.Fuzz(func(t *testing.T, id, base string) {
		if strings.ContainsAny(base, "?#") || !strings.HasPrefix(base, "/") && base != "" {
			return
		}
		for seg := range strings.SplitSeq(base, "/") {
			if seg == "." || seg == ".." {
				return // WithBaseURL refuses these
			}
		}
		seg := url.PathEscape(id)
		if Problem(seg) != "" {
			return
		}
		const template = "/contacts/{contact_id}/companies/{id}"
		u, err := url.Parse("https://api.example.test" + strings.TrimSuffix(base, "/") + "/")
		if err != nil {
			return
		}
		// The builders resolve "./contacts/<seg>/companies/<seg>" against
		// the base URL, as oapi-codegen's do.
		ref, err := url.Parse("./contacts/" + seg + "/companies/" + seg)
		if err != nil {
			t.Fatalf("escaped id %q does not parse: %v", seg, err)
		}
		got := u.ResolveReference(ref)
		if !Matches(got.EscapedPath(), u.EscapedPath(), template) {
			t.Fatalf("id %q accepted but the request goes to %s (base %q)", id, got.EscapedPath(), u.EscapedPath())
		}
	})
}
