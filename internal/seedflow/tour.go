package seedflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/apipin/intercom"
	"github.com/apipin/intercom/intercomtest"
)

// Fixture is the workspace state the tour starts from.
type Fixture struct {
	People []Contact // contacts linked to no company
	Full   Contact   // a contact linked to 1000 companies, the API's limit
}

// Seed prepares srv for the tour: three people, and one contact at the
// 1000-company limit (set up directly in the store, not over HTTP).
func Seed(srv *intercomtest.Server) Fixture {
	var f Fixture
	for _, email := range []string{"pat@example.test", "sam@example.test", "lee@example.test"} {
		c := srv.AddContact(intercomtest.Contact{Email: email})
		f.People = append(f.People, Contact{ID: c.ID, Email: c.Email})
	}
	full := srv.AddContact(intercomtest.Contact{Email: "full@example.test"})
	f.Full = Contact{ID: full.ID, Email: full.Email}
	for i := range 1000 {
		co := srv.AddCompany(intercomtest.Company{CompanyID: "filler-" + strconv.Itoa(i), Name: "Filler " + strconv.Itoa(i)})
		srv.AttachCompany(full.ID, co.ID)
	}
	return f
}

// Tour runs every seed flow once against a workspace prepared by Seed,
// printing each step to Out. It checks what it prints: an answer that
// differs from what the API promises ends the tour with an error.
type Tour struct {
	Version Version
	Options []intercom.Option // where to send and how to authenticate
	Fixture Fixture
	Out     io.Writer
}

// The company the tour creates and updates; the names are the tour's own.
var (
	tourCompany = CompanyInput{CompanyID: "acme-001", Name: "Acme", Plan: "starter", MonthlySpend: 155}
	tourUpdate  = CompanyInput{CompanyID: "acme-001", Name: "Acme Holdings", MonthlySpend: 3_000_000_000}
)

// Run performs the tour.
func (t Tour) Run(ctx context.Context) error {
	c, err := t.Version.New(t.Options...)
	if err != nil {
		return err
	}
	defer c.CloseIdleConnections()
	p := &printer{w: t.Out}
	pat := t.Fixture.People[0]

	p.step("Client for Intercom-Version %s, sending to %s", c.Version(), c.BaseURL())
	ws, err := c.Probe(ctx)
	if err != nil {
		return err
	}
	p.detail("GET /me: workspace %s, admin %s", ws.AppID, ws.Name)

	p.step("Create or update a company, keyed on company_id %q", tourCompany.CompanyID)
	first, err := c.UpsertCompany(ctx, tourCompany)
	if err != nil {
		return err
	}
	p.detail("created: id %s, name %q, plan %q, monthly_spend %d", first.ID, first.Name, first.Plan.Name, first.MonthlySpend)
	second, err := c.UpsertCompany(ctx, tourUpdate)
	if err != nil {
		return err
	}
	p.detail("sent again with name %q and monthly_spend %d", tourUpdate.Name, tourUpdate.MonthlySpend)
	p.detail("updated: id %s (same), name %q, plan %q (kept), monthly_spend %d (capped at 2^31-1)",
		second.ID, second.Name, second.Plan.Name, second.MonthlySpend)
	if second.ID != first.ID || second.Name != tourUpdate.Name || second.Plan.Name != tourCompany.Plan || second.MonthlySpend != math.MaxInt32 {
		return fmt.Errorf("create-or-update did not update in place: first %+v, then %+v", first, second)
	}

	p.step("Attach %s to %s", pat.Email, second.Name)
	if _, err := c.Attach(ctx, pat.ID, second.ID); err != nil {
		return err
	}
	if err := p.companiesOf(ctx, c, pat, []string{second.Name}); err != nil {
		return err
	}

	p.step("Failures arrive as *intercom.Error with the API's code")
	cases := []struct {
		what      string
		want      string
		contactID string
		companyID string
	}{
		{"unknown contact", "not_found", "no-such-contact", second.ID},
		{"unknown company", "company_not_found", pat.ID, "no-such-company"},
		{"contact already at 1000 companies", "contact_company_limit_exceeded", t.Fixture.Full.ID, second.ID},
	}
	for _, tc := range cases {
		_, err := c.Attach(ctx, tc.contactID, tc.companyID)
		if err := p.failure("attach, "+tc.what, err, tc.want); err != nil {
			return err
		}
	}
	stranger, err := t.Version.New(append(t.Options, intercom.WithToken("not-the-token"))...)
	if err != nil {
		return err
	}
	_, err = stranger.Probe(ctx)
	stranger.CloseIdleConnections()
	if err := p.failure("GET /me with a wrong token", err, "unauthorized"); err != nil {
		return err
	}

	p.step("Detach %s from %s", pat.Email, second.Name)
	if _, err := c.Detach(ctx, pat.ID, second.ID); err != nil {
		return err
	}
	if err := p.companiesOf(ctx, c, pat, nil); err != nil {
		return err
	}

	ids := []string{"no-such-contact"}
	for _, person := range t.Fixture.People {
		ids = append(ids, person.ID)
	}
	p.step("LinkContacts: attach %d contacts to %s in one call (Intercom has no bulk endpoint)", len(ids), second.Name)
	for _, run := range []string{"first run", "second run (re-running is safe)"} {
		res, err := c.LinkContacts(ctx, second.ID, ids)
		if err != nil {
			return err
		}
		p.detail("%s: updated %d, failed %d", run, res.Updated, res.Failed)
		for _, le := range res.Errors {
			p.detail("  %s: %s", le.ContactID, code(le.Err))
		}
		if res.Updated != len(t.Fixture.People) || res.Failed != 1 {
			return fmt.Errorf("LinkContacts: %+v", res)
		}
	}
	_, err = c.LinkContacts(ctx, second.ID, make([]string, intercom.MaxLinkContacts+1))
	if !errors.Is(err, intercom.ErrInvalidArgument) {
		return fmt.Errorf("LinkContacts with %d ids: %v", intercom.MaxLinkContacts+1, err)
	}
	p.detail("%d ids: refused before any request: %v", intercom.MaxLinkContacts+1, err)

	p.step("Every contact, through the ListContactsAll iterator")
	all, err := Collect(c.Contacts(ctx))
	if err != nil {
		return err
	}
	emails := make([]string, len(all))
	for i, ct := range all {
		emails[i] = ct.Email
	}
	p.detail("%d contacts: %s", len(all), strings.Join(emails, ", "))
	return nil
}

// printer numbers steps and indents their details.
type printer struct {
	w io.Writer
	n int
}

func (p *printer) step(format string, a ...any) {
	p.n++
	fmt.Fprintf(p.w, "%d. %s\n", p.n, fmt.Sprintf(format, a...))
}

func (p *printer) detail(format string, a ...any) {
	fmt.Fprintf(p.w, "   %s\n", fmt.Sprintf(format, a...))
}

// companiesOf prints a contact's companies and checks they are want.
func (p *printer) companiesOf(ctx context.Context, c Client, who Contact, want []string) error {
	cs, err := Collect(c.CompaniesOf(ctx, who.ID))
	if err != nil {
		return err
	}
	got := Names(cs)
	p.detail("%s's companies: [%s]", who.Email, strings.Join(got, ", "))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		return fmt.Errorf("companies of %s: %q, want %q", who.Email, got, want)
	}
	return nil
}

// failure prints an expected failure and checks its code.
func (p *printer) failure(what string, err error, want string) error {
	var apiErr *intercom.Error
	if !errors.As(err, &apiErr) || apiErr.Code() != want {
		return fmt.Errorf("%s: got %v, want the error code %s", what, err, want)
	}
	p.detail("%-42s -> %d %s", what, apiErr.StatusCode, apiErr.Code())
	return nil
}

// code is an error's API code, or its text for other errors.
func code(err error) string {
	var apiErr *intercom.Error
	if errors.As(err, &apiErr) {
		return strconv.Itoa(apiErr.StatusCode) + " " + apiErr.Code()
	}
	return err.Error()
}
