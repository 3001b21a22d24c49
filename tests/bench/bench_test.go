// Package bench compares the typed client of api/v2.16 (facade + generated
// code) with a hand-written net/http + encoding/json baseline
// (tests/bench/rawclient), both calling the same loopback server that
// serves the same bytes (tests/bench/fixtures). Each benchmark has a
// client=raw and a client=typed sub-benchmark so that benchstat -col
// /client puts them side by side; scripts/bench.sh runs them.
package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/tests/bench/fixtures"
	"github.com/apipin/intercom/tests/bench/rawclient"
)

// walkPages is the length of the listing walked by BenchmarkWalkPages.
const walkPages = 20

// clients are the two clients under test, for one server.
type clients struct {
	raw   *rawclient.Client
	typed *intercom.Client
}

func newClients(tb testing.TB, srv *fixtures.Server) clients {
	tb.Helper()
	typed, err := intercom.New(intercom.WithToken(fixtures.Token), intercom.WithBaseURL(srv.URL))
	if err != nil {
		tb.Fatal(err)
	}
	raw := rawclient.New(srv.URL, fixtures.Token)
	tb.Cleanup(func() {
		raw.CloseIdleConnections()
		typed.CloseIdleConnections()
	})
	return clients{raw: raw, typed: typed}
}

// call is one benchmarked operation, made by both clients.
type call struct {
	name  string
	pages int // pages of the server's listing
	raw   func(context.Context, *rawclient.Client) error
	typed func(context.Context, *intercom.Client) error
}

var calls = []call{
	{
		name: "GetContact",
		raw: func(ctx context.Context, c *rawclient.Client) error {
			_, err := c.GetContact(ctx, fixtures.ContactID)
			return err
		},
		typed: func(ctx context.Context, c *intercom.Client) error {
			_, err := c.ShowContact(ctx, fixtures.ContactID, nil)
			return err
		},
	},
	{
		name: "AttachContactToCompany",
		raw: func(ctx context.Context, c *rawclient.Client) error {
			_, err := c.AttachContactToCompany(ctx, fixtures.ContactID, fixtures.CompanyID)
			return err
		},
		typed: func(ctx context.Context, c *intercom.Client) error {
			_, err := c.AttachContactToACompany(ctx, fixtures.ContactID, intercom.AttachContactToACompanyRequest{ID: fixtures.CompanyID}, nil)
			return err
		},
	},
	{
		name:  "ListContacts150",
		pages: 1,
		raw: func(ctx context.Context, c *rawclient.Client) error {
			_, err := c.ListContacts(ctx, "")
			return err
		},
		typed: func(ctx context.Context, c *intercom.Client) error {
			_, err := c.ListContacts(ctx, nil)
			return err
		},
	},
	{
		name:  "WalkPages20",
		pages: walkPages,
		raw:   rawWalk,
		typed: typedWalk,
	},
}

// rawWalk follows starting_after through every page, as a hand-written
// loop would.
func rawWalk(ctx context.Context, c *rawclient.Client) error {
	cursor, n := "", 0
	for {
		page, err := c.ListContacts(ctx, cursor)
		if err != nil {
			return err
		}
		n += len(page.Data)
		if page.Pages.Next == nil || page.Pages.Next.StartingAfter == "" {
			return checkCount(n)
		}
		cursor = page.Pages.Next.StartingAfter
	}
}

func typedWalk(ctx context.Context, c *intercom.Client) error {
	n := 0
	for _, err := range c.ListContactsAll(ctx, nil) {
		if err != nil {
			return err
		}
		n++
	}
	return checkCount(n)
}

type countError int

func (n countError) Error() string { return "walked the wrong number of contacts" }

func checkCount(n int) error {
	if n != walkPages*fixtures.PageSize {
		return countError(n)
	}
	return nil
}

func (c call) bench(b *testing.B) {
	srv := fixtures.NewServer(b, c.pages)
	cl := newClients(b, srv)
	ctx := context.Background()
	b.Run("client=raw", func(b *testing.B) { loop(b, func() error { return c.raw(ctx, cl.raw) }) })
	b.Run("client=typed", func(b *testing.B) { loop(b, func() error { return c.typed(ctx, cl.typed) }) })
}

// loop runs fn b.N times and reports, besides time and allocations, the
// process's CPU time per call (client and server together) as cpu-ns/op.
func loop(b *testing.B, fn func() error) {
	b.ReportAllocs()
	start, ok := cpuTime()
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	if end, _ := cpuTime(); ok {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkGetContact(b *testing.B)             { calls[0].bench(b) }
func BenchmarkAttachContactToCompany(b *testing.B) { calls[1].bench(b) }
func BenchmarkListContacts150(b *testing.B)        { calls[2].bench(b) }
func BenchmarkWalkPages20(b *testing.B)            { calls[3].bench(b) }

// goroutines is how many goroutines share one client in the concurrency
// measurements.
const goroutines = 64

// hammer makes n calls of fn from goroutines goroutines sharing it and
// returns the wall time taken. Errors fail tb.
func hammer(tb testing.TB, n int, fn func() error) time.Duration {
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		fail atomic.Value
	)
	start := time.Now()
	for range goroutines {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := fn(); err != nil {
					fail.CompareAndSwap(nil, err)
					return
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	if err, _ := fail.Load().(error); err != nil {
		tb.Fatal(err)
	}
	return took
}

// BenchmarkConcurrent64 runs GetContact from 64 goroutines sharing one
// client and reports requests per second and the TCP connections the
// server accepted (a fresh server per run, so conns counts only this run).
func BenchmarkConcurrent64(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, fn func(clients) func() error) {
		srv := fixtures.NewServer(b, 1)
		f := fn(newClients(b, srv))
		b.ReportAllocs()
		b.ResetTimer()
		took := hammer(b, b.N, f)
		b.ReportMetric(float64(b.N)/took.Seconds(), "req/s")
		b.ReportMetric(float64(srv.Conns()), "conns")
	}
	b.Run("client=raw", func(b *testing.B) {
		run(b, func(c clients) func() error { return func() error { return calls[0].raw(ctx, c.raw) } })
	})
	b.Run("client=typed", func(b *testing.B) {
		run(b, func(c clients) func() error { return func() error { return calls[0].typed(ctx, c.typed) } })
	})
}

// TestClientsAgree checks that the two clients do the same work in every
// benchmarked call (same server answers, same values read), so that the
// comparison is fair, and that both share nothing but the server.
func TestClientsAgree(t *testing.T) {
	ctx := context.Background()
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			srv := fixtures.NewServer(t, max(c.pages, 1))
			cl := newClients(t, srv)
			if err := c.raw(ctx, cl.raw); err != nil {
				t.Fatalf("raw: %v", err)
			}
			if err := c.typed(ctx, cl.typed); err != nil {
				t.Fatalf("typed: %v", err)
			}
		})
	}
	srv := fixtures.NewServer(t, 1)
	cl := newClients(t, srv)
	raw, err := cl.raw.GetContact(ctx, fixtures.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	typed, err := cl.typed.ShowContact(ctx, fixtures.ContactID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if typed.ID != raw.ID || typed.Email != raw.Email || typed.Name != raw.Name ||
		int64(typed.CreatedAt) != raw.CreatedAt || typed.Location.City != raw.Location.City ||
		len(typed.CustomAttributes) != len(raw.CustomAttributes) || raw.ID != fixtures.ContactID {
		t.Errorf("the clients read different contacts:\nraw   %+v\ntyped %+v", raw, typed)
	}
	rawPage, err := cl.raw.ListContacts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	typedPage, err := cl.typed.ListContacts(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rawPage.Data) != fixtures.PageSize || len(typedPage.Data) != fixtures.PageSize {
		t.Errorf("pages of %d and %d contacts, want %d", len(rawPage.Data), len(typedPage.Data), fixtures.PageSize)
	}
}

// TestFixtureSizes keeps the fixtures at the sizes the issue asks for: a
// contact of about 1 KB and a page of about 170 KB.
func TestFixtureSizes(t *testing.T) {
	t.Logf("contact %d bytes, page of %d contacts %d bytes", len(fixtures.Contact()), fixtures.PageSize, len(fixtures.Page(1, 1)))
	if n := len(fixtures.Contact()); n < 900 || n > 1400 {
		t.Errorf("contact is %d bytes, want about 1 KB", n)
	}
	if n := len(fixtures.Page(1, 1)); n < 150_000 || n > 200_000 {
		t.Errorf("page is %d bytes, want about 170 KB", n)
	}
}
