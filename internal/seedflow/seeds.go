// Package seedflow runs the seed flows of the project (create or update a
// company, attach a contact to it, list a contact's companies, detach, and
// the bulk LinkContacts) through the typed client of one Intercom-Version.
//
// The version packages differ in signatures (2.11 takes list parameters
// where 2.7 and 2.16 take none) and in field shapes (pointers or values), so
// each supported version gets a thin adapter to the Client interface, which
// speaks in small version-neutral views. The flows and their tests are then
// written once. The demo program (cmd/intercom-demo) runs the same flows.
package seedflow

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/apipin/intercom"
)

// Client is what the seed flows use from one version package.
type Client interface {
	Version() string
	BaseURL() string
	CloseIdleConnections()
	Probe(ctx context.Context) (intercom.Workspace, error)
	UpsertCompany(ctx context.Context, in CompanyInput) (Company, error)
	Attach(ctx context.Context, contactID, companyID string) (Company, error)
	Detach(ctx context.Context, contactID, companyID string) (Company, error)
	CompaniesOf(ctx context.Context, contactID string) iter.Seq2[Company, error]
	Contacts(ctx context.Context) iter.Seq2[Contact, error]
	Companies(ctx context.Context) iter.Seq2[Company, error]
	LinkContacts(ctx context.Context, companyID string, contactIDs []string, opts ...intercom.LinkOption) (intercom.LinkResult, error)
}

// CompanyInput is a create-or-update body: company_id is the key.
type CompanyInput struct {
	CompanyID    string `json:"company_id,omitempty"`
	Name         string `json:"name,omitempty"`
	Plan         string `json:"plan,omitempty"`
	MonthlySpend int    `json:"monthly_spend,omitempty"`
}

// Company is the part of a company the flows print and check.
type Company struct {
	ID           string `json:"id"`
	CompanyID    string `json:"company_id"`
	Name         string `json:"name"`
	MonthlySpend int    `json:"monthly_spend"`
	UserCount    int    `json:"user_count"`
	Plan         struct {
		Name string `json:"name"`
	} `json:"plan"`
}

// Contact is the part of a contact the flows print and check.
type Contact struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// Version is one supported version package.
type Version struct {
	Name string
	New  func(opts ...intercom.Option) (Client, error)
}

// Versions are the version packages the flows (and the demo) support,
// newest first. Each adds a generated package to what imports seeds
// compiles, so the list stays short: the oldest, a middle and the newest
// numbered version, whose shapes differ the most.
var Versions = []Version{
	{"2.16", newV2_16},
	{"2.11", newV2_11},
	{"2.7", newV2_7},
}

// Lookup returns the supported version named name ("2.16", "v2.16").
func Lookup(name string) (Version, error) {
	v, err := intercom.ParseVersion(name)
	if err != nil {
		return Version{}, err
	}
	for _, s := range Versions {
		if s.Name == v.String() {
			return s, nil
		}
	}
	names := make([]string, len(Versions))
	for i, s := range Versions {
		names[i] = s.Name
	}
	return Version{}, fmt.Errorf("version %s is not one the seed flows support (%s); the library itself has a package for each of %v",
		v, strings.Join(names, ", "), intercom.ShippedVersions())
}

// The adapters below convert between a version's generated types and the
// views through JSON: the field names are the API's and the same in every
// version, while the Go shapes (pointer or value, extra fields) are not.
// The typed method has already decoded the answer into the version's own
// type, so a shape the version cannot read still fails the flow.

// view converts a typed result into a view.
func view[V any, T any](v *T, err error) (V, error) {
	var out V
	if err != nil {
		return out, err
	}
	return out, convert(v, &out)
}

// views converts a typed iterator into one of views.
func views[V any, T any](seq iter.Seq2[T, error]) iter.Seq2[V, error] {
	return func(yield func(V, error) bool) {
		for item, err := range seq {
			v, cerr := view[V](&item, err)
			if cerr != nil {
				var zero V
				yield(zero, cerr)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// body builds a version's request body from an input view.
func body[T any](in any) T {
	var out T
	if err := convert(in, &out); err != nil {
		// The inputs are flat views whose fields exist in every version:
		// only a broken adapter gets here.
		panic(fmt.Sprintf("seeds: building %T: %v", out, err))
	}
	return out
}

func convert(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// Collect drains an iterator, stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Names lists the companies' names, sorted, for printing and comparing.
func Names(cs []Company) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	slices.Sort(out)
	return out
}
