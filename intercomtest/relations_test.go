package intercomtest

import (
	"fmt"
	"net/http"
	"testing"
)

// contactCompanies is the list answer for a contact's companies, which
// carries the page under both "data" and "companies".
type contactCompanies struct {
	list[company]
	Companies []company `json:"companies"`
}

func TestAttachListDetach(t *testing.T) {
	srv := NewServer(t)
	ct := srv.AddContact(Contact{Email: "linker@rel.test"})
	co := srv.AddCompany(Company{CompanyID: "rel-1", Name: "Relay Co"})

	attached := ok[company](t, do(t, srv, "POST", "/contacts/"+ct.ID+"/companies", map[string]any{"id": co.ID}))
	if attached.ID != co.ID || attached.UserCount != 1 {
		t.Fatalf("attach answer %+v", attached)
	}
	// Attaching again changes nothing and still succeeds.
	ok[company](t, do(t, srv, "POST", "/contacts/"+ct.ID+"/companies", map[string]any{"id": co.ID}))

	l := ok[contactCompanies](t, do(t, srv, "GET", "/contacts/"+ct.ID+"/companies", nil))
	if l.TotalCount != 1 || len(l.Data) != 1 || len(l.Companies) != 1 || l.Data[0].ID != co.ID || l.Pages.Type != "pages" {
		t.Fatalf("contact's companies %+v", l)
	}
	if c := ok[contact](t, do(t, srv, "GET", "/contacts/"+ct.ID, nil)); c.Companies.TotalCount != 1 {
		t.Fatalf("contact embeds %d companies", c.Companies.TotalCount)
	}
	members := ok[list[contact]](t, do(t, srv, "GET", "/companies/"+co.ID+"/contacts", nil))
	if members.TotalCount != 1 || members.Data[0].ID != ct.ID {
		t.Fatalf("company's contacts %+v", members)
	}

	detached := ok[company](t, do(t, srv, "DELETE", "/contacts/"+ct.ID+"/companies/"+co.ID, nil))
	if detached.ID != co.ID || detached.UserCount != 0 {
		t.Fatalf("detach answer %+v", detached)
	}
	failure(t, do(t, srv, "DELETE", "/contacts/"+ct.ID+"/companies/"+co.ID, nil), http.StatusNotFound, "not_found")
	if l := ok[contactCompanies](t, do(t, srv, "GET", "/contacts/"+ct.ID+"/companies", nil)); l.TotalCount != 0 || len(l.Data) != 0 {
		t.Fatalf("after detach %+v", l)
	}
}

func TestAttachErrors(t *testing.T) {
	srv := NewServer(t)
	ct := srv.AddContact(Contact{Email: "errs@rel.test"})
	co := srv.AddCompany(Company{CompanyID: "rel-err"})

	failure(t, do(t, srv, "POST", "/contacts/no-such-contact/companies", map[string]any{"id": co.ID}), http.StatusNotFound, "not_found")
	failure(t, do(t, srv, "POST", "/contacts/"+ct.ID+"/companies", map[string]any{"id": "no-such-company"}), http.StatusNotFound, "company_not_found")
	// A contact id is not a company id, even though both look alike.
	failure(t, do(t, srv, "POST", "/contacts/"+ct.ID+"/companies", map[string]any{"id": ct.ID}), http.StatusNotFound, "company_not_found")
	failure(t, do(t, srv, "POST", "/contacts/"+ct.ID+"/companies", map[string]any{}), http.StatusBadRequest, "parameter_not_found")
	failure(t, do(t, srv, "POST", "/contacts/"+ct.ID+"/companies", `{"id":`), http.StatusBadRequest, "bad_request")
	failure(t, do(t, srv, "GET", "/contacts/no-such-contact/companies", nil), http.StatusNotFound, "not_found")
	failure(t, do(t, srv, "DELETE", "/contacts/no-such-contact/companies/"+co.ID, nil), http.StatusNotFound, "not_found")
	failure(t, do(t, srv, "DELETE", "/contacts/"+ct.ID+"/companies/no-such-company", nil), http.StatusNotFound, "company_not_found")
	failure(t, do(t, srv, "GET", "/companies/no-such-company/contacts", nil), http.StatusNotFound, "company_not_found")
}

func TestContactCompanyLimit(t *testing.T) {
	srv := NewServer(t)
	ct := srv.AddContact(Contact{Email: "collector@rel.test"})
	var ids []string
	for i := range 1001 {
		ids = append(ids, srv.AddCompany(Company{CompanyID: fmt.Sprintf("lim-%04d", i)}).ID)
	}
	for _, id := range ids[:1000] {
		srv.AttachCompany(ct.ID, id)
	}

	failure(t, do(t, srv, "POST", "/contacts/"+ct.ID+"/companies", map[string]any{"id": ids[1000]}),
		http.StatusBadRequest, "contact_company_limit_exceeded")
	// Re-attaching one that is already linked is still fine at the limit.
	ok[company](t, do(t, srv, "POST", "/contacts/"+ct.ID+"/companies", map[string]any{"id": ids[0]}))

	seen := 0
	for page := 1; ; page++ {
		l := ok[contactCompanies](t, do(t, srv, "GET", fmt.Sprintf("/contacts/%s/companies?per_page=150&page=%d", ct.ID, page), nil))
		if l.TotalCount != 1000 || l.Pages.TotalPages != 7 {
			t.Fatalf("page %d: total %d, pages %+v", page, l.TotalCount, l.Pages)
		}
		if len(l.Data) == 0 {
			break
		}
		seen += len(l.Data)
	}
	if seen != 1000 {
		t.Fatalf("listed %d companies, want 1000", seen)
	}

	// The contact itself embeds only the first few links and says there are more.
	embedded := ok[contact](t, do(t, srv, "GET", "/contacts/"+ct.ID, nil)).Companies
	if embedded.TotalCount != 1000 || !embedded.HasMore || len(embedded.Data) != 10 ||
		embedded.URL != "/contacts/"+ct.ID+"/companies" || embedded.Data[0].URL != "/companies/"+ids[0] {
		t.Fatalf("embedded companies: total %d, has_more %v, %d shown, url %q",
			embedded.TotalCount, embedded.HasMore, len(embedded.Data), embedded.URL)
	}

	// Freeing one slot makes room again.
	ok[company](t, do(t, srv, "DELETE", "/contacts/"+ct.ID+"/companies/"+ids[5], nil))
	ok[company](t, do(t, srv, "POST", "/contacts/"+ct.ID+"/companies", map[string]any{"id": ids[1000]}))
	if n := len(srv.CompaniesOf(ct.ID)); n != 1000 {
		t.Fatalf("%d companies linked", n)
	}
}

func TestDeletingEitherSideUnlinks(t *testing.T) {
	srv := NewServer(t)
	ct := srv.AddContact(Contact{Email: "gone@rel.test"})
	co := srv.AddCompany(Company{CompanyID: "rel-gone"})
	srv.AttachCompany(ct.ID, co.ID)
	ok[map[string]any](t, do(t, srv, "DELETE", "/companies/"+co.ID, nil))
	if n := len(srv.CompaniesOf(ct.ID)); n != 0 {
		t.Fatalf("contact still linked to %d companies", n)
	}

	co2 := srv.AddCompany(Company{CompanyID: "rel-gone-2"})
	srv.AttachCompany(ct.ID, co2.ID)
	ok[map[string]any](t, do(t, srv, "DELETE", "/contacts/"+ct.ID, nil))
	if c := ok[company](t, do(t, srv, "GET", "/companies/"+co2.ID, nil)); c.UserCount != 0 {
		t.Fatalf("company still counts %d users", c.UserCount)
	}
}

type tag struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

func TestContactTags(t *testing.T) {
	srv := NewServer(t)
	ct := srv.AddContact(Contact{Email: "tagged@rel.test"})

	vip := ok[tag](t, do(t, srv, "POST", "/tags", map[string]any{"name": "vip"}))
	if vip.Type != "tag" || vip.ID == "" {
		t.Fatalf("tag %+v", vip)
	}
	if again := ok[tag](t, do(t, srv, "POST", "/tags", map[string]any{"name": "vip"})); again.ID != vip.ID {
		t.Fatal("creating a tag twice made two tags")
	}
	failure(t, do(t, srv, "POST", "/tags", map[string]any{}), http.StatusBadRequest, "parameter_not_found")
	if l := ok[list[tag]](t, do(t, srv, "GET", "/tags", nil)); len(l.Data) != 1 {
		t.Fatalf("tags %+v", l)
	}

	ok[tag](t, do(t, srv, "POST", "/contacts/"+ct.ID+"/tags", map[string]any{"id": vip.ID}))
	failure(t, do(t, srv, "POST", "/contacts/"+ct.ID+"/tags", map[string]any{"id": "999999"}), http.StatusNotFound, "tag_not_found")
	failure(t, do(t, srv, "POST", "/contacts/nobody/tags", map[string]any{"id": vip.ID}), http.StatusNotFound, "not_found")
	if l := ok[list[tag]](t, do(t, srv, "GET", "/contacts/"+ct.ID+"/tags", nil)); len(l.Data) != 1 || l.Data[0].Name != "vip" {
		t.Fatalf("contact tags %+v", l)
	}
	ok[tag](t, do(t, srv, "DELETE", "/contacts/"+ct.ID+"/tags/"+vip.ID, nil))
	failure(t, do(t, srv, "DELETE", "/contacts/"+ct.ID+"/tags/"+vip.ID, nil), http.StatusNotFound, "not_found")
	if l := ok[list[tag]](t, do(t, srv, "GET", "/contacts/"+ct.ID+"/tags", nil)); len(l.Data) != 0 {
		t.Fatalf("contact tags after removal %+v", l)
	}
}
