package seedflow_test

import (
	"context"
	"errors"
	"iter"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apipin/intercom"
	"github.com/apipin/intercom/intercomtest"
	"github.com/apipin/intercom/internal/seedflow"
)

// fakeClock is shared by the client (intercom.WithClock) and the server
// (intercomtest.WithClock): a wait moves both forward at once, so rate-limit
// windows pass without real sleeping.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// 1_800_000_000 is the start of a 10-second window.
func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_800_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return nil
}

// env is an intercomtest server and a typed client of one version for it.
type env struct {
	srv    *intercomtest.Server
	client seedflow.Client

	mu       sync.Mutex
	attempts []intercom.ResponseInfo
}

// setup starts a server with srvOpts and a client of v for it, recording
// every attempt the client makes.
func setup(t *testing.T, v seedflow.Version, srvOpts []intercomtest.Option, opts ...intercom.Option) *env {
	t.Helper()
	e := &env{srv: intercomtest.NewServer(t, srvOpts...)}
	base := []intercom.Option{
		intercom.WithToken(e.srv.Token()),
		intercom.WithBaseURL(e.srv.URL()),
		intercom.WithResponseHook(func(ri intercom.ResponseInfo) {
			e.mu.Lock()
			e.attempts = append(e.attempts, ri)
			e.mu.Unlock()
		}),
	}
	c, err := v.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	e.client = c
	return e
}

// answered counts the attempts the server answered with status.
func (e *env) answered(status int) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, a := range e.attempts {
		if a.StatusCode == status {
			n++
		}
	}
	return n
}

// collectIDs drains an iterator into the ids of its items.
func collectIDs[T any](t *testing.T, seq iter.Seq2[T, error], id func(T) string) []string {
	t.Helper()
	items, err := seedflow.Collect(seq)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = id(it)
	}
	return ids
}

// forEachVersion runs f for every version the seed flows support.
func forEachVersion(t *testing.T, f func(t *testing.T, v seedflow.Version)) {
	if len(seedflow.Versions) < 3 {
		t.Fatalf("the seed flows must cover at least 2.7, 2.11 and 2.16, not %d versions", len(seedflow.Versions))
	}
	for _, v := range seedflow.Versions {
		t.Run(v.Name, func(t *testing.T) { f(t, v) })
	}
}

func TestTourRunsInEveryVersion(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		srv := intercomtest.NewServer(t)
		var out strings.Builder
		err := seedflow.Tour{
			Version: v,
			// Strict decoding: the fake's answers must fit the version's
			// generated types as they are, not thanks to tolerance.
			Options: []intercom.Option{intercom.WithToken(srv.Token()), intercom.WithBaseURL(srv.URL()), intercom.WithStrictDecoding()},
			Fixture: seedflow.Seed(srv),
			Out:     &out,
		}.Run(context.Background())
		if err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		for _, want := range []string{"Intercom-Version " + v.Name, "contact_company_limit_exceeded", "updated 3, failed 1", "4 contacts"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
		// Every request carried the client's version.
		for _, r := range srv.Requests() {
			if got := r.Header.Get("Intercom-Version"); got != v.Name {
				t.Fatalf("%s %s sent Intercom-Version %q", r.Method, r.Path, got)
			}
		}
	})
}

func TestCreateOrUpdateCompanyKeysOnCompanyID(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		e := setup(t, v, nil)
		ctx := context.Background()
		first, err := e.client.UpsertCompany(ctx, seedflow.CompanyInput{CompanyID: "k-1", Name: "Kestrel", Plan: "basic", MonthlySpend: 155})
		if err != nil {
			t.Fatal(err)
		}
		if first.ID == "" || first.CompanyID != "k-1" || first.Name != "Kestrel" || first.MonthlySpend != 155 || first.Plan.Name != "basic" {
			t.Fatalf("created %+v", first)
		}
		// Same key, new values; plan not sent. monthly_spend beyond 2^31-1
		// is capped. (A fraction cannot be sent: the typed body's field is
		// an integer, so the truncation of 155.98 is the type's job here.)
		second, err := e.client.UpsertCompany(ctx, seedflow.CompanyInput{CompanyID: "k-1", Name: "Kestrel Ltd", MonthlySpend: 5_000_000_000})
		if err != nil {
			t.Fatal(err)
		}
		if second.ID != first.ID || second.Name != "Kestrel Ltd" || second.Plan.Name != "basic" || second.MonthlySpend != math.MaxInt32 {
			t.Fatalf("updated %+v, want id %s, the new name, the old plan and spend 2^31-1", second, first.ID)
		}
		stored, ok := e.srv.Company(first.ID)
		if !ok || stored.Name != "Kestrel Ltd" || stored.MonthlySpend != math.MaxInt32 {
			t.Fatalf("server has %+v", stored)
		}
		all, err := seedflow.Collect(e.client.Companies(ctx))
		if err != nil || len(all) != 1 {
			t.Fatalf("%d companies (%v), want 1: create-or-update must not duplicate", len(all), err)
		}
	})
}

func TestAttachListDetachAcrossPages(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		e := setup(t, v, nil)
		ctx := context.Background()
		who := e.srv.AddContact(intercomtest.Contact{Email: "pat@example.test"})
		// 60 companies already linked: two pages of the default 50.
		for i := range 60 {
			co := e.srv.AddCompany(intercomtest.Company{Name: "Old " + strconv.Itoa(i)})
			e.srv.AttachCompany(who.ID, co.ID)
		}
		co, err := e.client.UpsertCompany(ctx, seedflow.CompanyInput{CompanyID: "new-1", Name: "New"})
		if err != nil {
			t.Fatal(err)
		}
		attached, err := e.client.Attach(ctx, who.ID, co.ID)
		if err != nil || attached.ID != co.ID {
			t.Fatalf("attach: %+v, %v", attached, err)
		}
		want := e.srv.CompaniesOf(who.ID)
		if len(want) != 61 || want[60] != co.ID {
			t.Fatalf("server links %d companies", len(want))
		}

		e.srv.ResetRequests()
		ids := collectIDs(t, e.client.CompaniesOf(ctx, who.ID), func(c seedflow.Company) string { return c.ID })
		if !slices.Equal(ids, want) {
			t.Fatalf("iterator yielded %d companies, want the server's %d in order", len(ids), len(want))
		}
		if pages := len(e.srv.Requests()); pages != 2 {
			t.Errorf("%d requests for 61 companies, want 2 pages", pages)
		}

		detached, err := e.client.Detach(ctx, who.ID, co.ID)
		if err != nil || detached.ID != co.ID {
			t.Fatalf("detach: %+v, %v", detached, err)
		}
		if after := e.srv.CompaniesOf(who.ID); len(after) != 60 || slices.Contains(after, co.ID) {
			t.Fatalf("after detaching, the server links %d companies", len(after))
		}
		_, err = e.client.Detach(ctx, who.ID, co.ID)
		if !errors.Is(err, intercom.ErrNotFound) {
			t.Fatalf("detaching twice: %v, want a 404", err)
		}
	})
}

func TestErrorCasesAreTypedErrors(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		ctx := context.Background()
		e := setup(t, v, nil)
		who := e.srv.AddContact(intercomtest.Contact{Email: "pat@example.test"})
		co := e.srv.AddCompany(intercomtest.Company{Name: "Acme"})
		full := e.srv.AddContact(intercomtest.Contact{Email: "full@example.test"})
		for range 1000 {
			e.srv.AttachCompany(full.ID, e.srv.AddCompany(intercomtest.Company{}).ID)
		}
		wrongToken := setup(t, v, nil, intercom.WithToken("not-the-token"))
		var others []string
		for _, s := range intercom.ShippedVersions() {
			if s.String() != v.Name {
				others = append(others, s.String())
			}
		}
		wrongVersion := setup(t, v, []intercomtest.Option{intercomtest.WithVersions(others...)})

		for _, tc := range []struct {
			name   string
			call   func() error
			status int
			code   string
			is     error
		}{
			{"unknown contact", func() error { _, err := e.client.Attach(ctx, "no-such-contact", co.ID); return err },
				http.StatusNotFound, "not_found", intercom.ErrNotFound},
			{"unknown company", func() error { _, err := e.client.Attach(ctx, who.ID, "no-such-company"); return err },
				http.StatusNotFound, "company_not_found", intercom.ErrNotFound},
			{"over the 1000 limit", func() error { _, err := e.client.Attach(ctx, full.ID, co.ID); return err },
				http.StatusBadRequest, "contact_company_limit_exceeded", nil},
			{"wrong token", func() error { _, err := wrongToken.client.Attach(ctx, who.ID, co.ID); return err },
				http.StatusUnauthorized, "unauthorized", intercom.ErrUnauthorized},
			{"version the server refuses", func() error { _, err := seedflow.Collect(wrongVersion.client.Contacts(ctx)); return err },
				http.StatusBadRequest, "intercom_version_invalid", intercom.ErrVersionInvalid},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.call()
				var apiErr *intercom.Error
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want an *intercom.Error", err)
				}
				if apiErr.StatusCode != tc.status || apiErr.Code() != tc.code || apiErr.RequestID == "" || apiErr.Version != v.Name {
					t.Fatalf("got %d %q (request id %q, version %q), want %d %q", apiErr.StatusCode, apiErr.Code(), apiErr.RequestID, apiErr.Version, tc.status, tc.code)
				}
				if tc.is != nil && !errors.Is(err, tc.is) {
					t.Errorf("errors.Is(%v, %v) is false", err, tc.is)
				}
			})
		}
		if n := len(e.srv.CompaniesOf(full.ID)); n != 1000 {
			t.Errorf("the contact at the limit has %d companies", n)
		}
	})
}

func TestListContactsAllWalksEveryPage(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		e := setup(t, v, nil)
		var want []string
		for i := range 120 {
			want = append(want, e.srv.AddContact(intercomtest.Contact{Email: "p" + strconv.Itoa(i) + "@example.test"}).ID)
		}
		ids := collectIDs(t, e.client.Contacts(context.Background()), func(c seedflow.Contact) string { return c.ID })
		if !slices.Equal(ids, want) {
			t.Fatalf("got %d contacts, want the 120 in creation order", len(ids))
		}
		reqs := e.srv.Requests()
		if len(reqs) != 3 || reqs[0].Query.Has("starting_after") || !reqs[1].Query.Has("starting_after") {
			t.Fatalf("%d requests; the 2nd and 3rd must follow the cursor", len(reqs))
		}
	})
}
