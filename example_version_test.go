package intercom_test

import (
	"context"
	"errors"
	"fmt"

	facade "github.com/apipin/intercom"
	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/intercomtest"
)

// These examples use a version package the way a program does: it imports
// exactly one, api/v2.16 here, under the name intercom. The in-memory
// intercomtest server stands in for the API so that they run as tests.

// A client is pinned to its package's Intercom-Version; the region picks
// the host.
func Example_pinVersionInTheEU() {
	c, err := intercom.New(
		intercom.WithToken("dG9rOmV4YW1wbGU="),
		intercom.WithRegion(intercom.RegionEU))
	if err != nil {
		panic(err)
	}
	fmt.Println(intercom.APIVersion, c.BaseURL())
	// Output: 2.16 https://api.eu.intercom.io
}

// Every answer other than 2xx is an *intercom.Error carrying the API's
// error code; the sentinels match it with errors.Is.
func Example_typedError() {
	srv := intercomtest.NewServer(nil)
	defer srv.Close()
	pat := srv.AddContact(intercomtest.Contact{Email: "pat@example.test"})
	c, err := intercom.New(intercom.WithToken(srv.Token()), intercom.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}

	_, err = c.AttachContactToACompany(context.Background(), pat.ID,
		intercom.AttachContactToACompanyRequest{ID: "no-such-company"}, nil)
	var apiErr *intercom.Error
	if errors.As(err, &apiErr) && apiErr.Code() == "company_not_found" {
		fmt.Println(apiErr.StatusCode, apiErr.Code(), errors.Is(err, intercom.ErrNotFound))
	}
	// Output: 404 company_not_found true
}

// The ...All iterators follow the pages for you, here the starting_after
// cursor of GET /contacts over pages of two.
func Example_iterateAllContacts() {
	srv := intercomtest.NewServer(nil, intercomtest.WithPageSize(2))
	defer srv.Close()
	for _, email := range []string{"ana@example.test", "ben@example.test", "cy@example.test"} {
		srv.AddContact(intercomtest.Contact{Email: email})
	}
	c, err := intercom.New(intercom.WithToken(srv.Token()), intercom.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}

	for contact, err := range c.ListContactsAll(context.Background(), nil) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(contact.Email)
	}
	fmt.Println(len(srv.Requests()), "requests")
	// Output:
	// ana@example.test
	// ben@example.test
	// cy@example.test
	// 2 requests
}

// A program that accepts a range of versions picks the newest shipped one
// that fits, then uses that version's package.
func Example_negotiateVersion() {
	v, err := facade.Negotiate(">=2.11,<2.14", facade.ShippedVersions())
	if err != nil {
		panic(err)
	}
	fmt.Println("use api/v" + v.String())

	_, err = facade.Negotiate(">=3.0", facade.ShippedVersions())
	fmt.Println(errors.Is(err, facade.ErrUnsupportedVersion))

	// "latest" is the newest numbered version: the one imported here.
	latest, err := facade.Negotiate("latest", facade.ShippedVersions())
	fmt.Println(latest.String() == intercom.APIVersion, err)
	// Output:
	// use api/v2.13
	// true
	// true <nil>
}

// LinkContacts attaches many contacts to one company, one request each,
// and reports per contact what failed.
func Example_linkContacts() {
	srv := intercomtest.NewServer(nil)
	defer srv.Close()
	acme := srv.AddCompany(intercomtest.Company{Name: "Acme"})
	ana := srv.AddContact(intercomtest.Contact{Email: "ana@example.test"})
	ben := srv.AddContact(intercomtest.Contact{Email: "ben@example.test"})
	c, err := intercom.New(intercom.WithToken(srv.Token()), intercom.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}

	res, err := c.LinkContacts(context.Background(), acme.ID, []string{ana.ID, "no-such-contact", ben.ID})
	if err != nil {
		panic(err)
	}
	fmt.Printf("updated %d, failed %d\n", res.Updated, res.Failed)
	for _, le := range res.Errors {
		var apiErr *intercom.Error
		if errors.As(le, &apiErr) {
			fmt.Println(le.ContactID, apiErr.Code())
		}
	}
	// Output:
	// updated 2, failed 1
	// no-such-contact not_found
}
