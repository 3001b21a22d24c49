package intercom_test

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/apipin/intercom"
	v2_16 "github.com/apipin/intercom/api/v2.16"
)

func ExampleParseVersion() {
	for _, s := range []string{"2.11", "v2.7", "Unstable", "2.x"} {
		v, err := intercom.ParseVersion(s)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(v, v.IsPreview())
	}
	// Output:
	// 2.11 false
	// 2.7 false
	// Preview true
	// error: intercom: invalid API version "2.x": want MAJOR.MINOR such as "2.11" (a leading "v" is allowed) or "Preview"
}

func ExampleNegotiate() {
	shipped := intercom.ShippedVersions()
	for _, accept := range []string{"latest", ">=2.9,<2.14", "2.11", "Preview", ">=3.0"} {
		v, err := intercom.Negotiate(accept, shipped)
		fmt.Printf("%-12s -> %v %v\n", accept, v, errors.Is(err, intercom.ErrUnsupportedVersion))
	}
	// Output:
	// latest       -> 2.16 false
	// >=2.9,<2.14  -> 2.13 false
	// 2.11         -> 2.11 false
	// Preview      -> Preview false
	// >=3.0        ->  true
}

func ExampleVersion_Compare() {
	a, b := intercom.MustParseVersion("2.9"), intercom.MustParseVersion("2.10")
	fmt.Println(a.Compare(b), b.Compare(intercom.MustParseVersion("Preview")))
	// Output: -1 -1
}

// Options from this package configure a client of any version package.
func ExampleWithRegion() {
	c, err := v2_16.New(
		intercom.WithToken("dG9rOmV4YW1wbGU="),
		intercom.WithRegion(intercom.RegionEU))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.BaseURL())
	fmt.Println(c) // never shows the token
	// Output:
	// https://api.eu.intercom.io
	// intercom.Client{version: 2.16, baseURL: https://api.eu.intercom.io, auth: token}
}

func ExampleWithBaseURL() {
	_, err := v2_16.New(
		intercom.WithToken("dG9rOmV4YW1wbGU="),
		intercom.WithBaseURL("http://intercom-proxy.internal"))
	fmt.Println(err)
	// Output: intercom: refusing plain-http base URL "http://intercom-proxy.internal": the token would travel unencrypted; use https (http is allowed only for loopback hosts)
}

func ExampleError() {
	// An *Error as a 404 from Intercom produces it.
	var err error = &intercom.Error{
		StatusCode: http.StatusNotFound,
		RequestID:  "9a3d0816",
		Errors:     []intercom.ErrorDetail{{Code: "company_not_found", Message: "Company Not Found"}},
		Operation:  "attachContactToACompany",
		Method:     http.MethodPost,
	}
	var apiErr *intercom.Error
	if errors.As(err, &apiErr) && apiErr.Code() == "company_not_found" {
		fmt.Println(errors.Is(err, intercom.ErrNotFound))
		fmt.Println(err)
	}
	// Output:
	// true
	// intercom: attachContactToACompany: POST 404 Not Found: company_not_found: Company Not Found [request_id 9a3d0816]
}
