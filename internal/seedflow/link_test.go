package seedflow_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/apipin/intercom"
	"github.com/apipin/intercom/intercomtest"
	"github.com/apipin/intercom/internal/seedflow"
)

// people adds n contacts and returns their ids.
func people(srv *intercomtest.Server, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = srv.AddContact(intercomtest.Contact{Email: "p" + strconv.Itoa(i) + "@example.test"}).ID
	}
	return ids
}

// linked counts the contacts among ids that the server links to company.
func linked(srv *intercomtest.Server, company string, ids []string) int {
	n := 0
	for _, id := range ids {
		if slices.Contains(srv.CompaniesOf(id), company) {
			n++
		}
	}
	return n
}

// posts counts the attach requests the server received.
func posts(srv *intercomtest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost {
			n++
		}
	}
	return n
}

func TestLinkContactsBatchSizes(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		e := setup(t, v, nil)
		ctx := context.Background()
		co := e.srv.AddCompany(intercomtest.Company{Name: "Acme"}).ID
		ids := people(e.srv, 101)

		for _, n := range []int{0, 101} {
			_, err := e.client.LinkContacts(ctx, co, ids[:n])
			var argErr *intercom.ArgumentError
			if !errors.Is(err, intercom.ErrInvalidArgument) || !errors.As(err, &argErr) || argErr.Arg != "contactIDs" {
				t.Fatalf("%d ids: err = %v, want an *ArgumentError", n, err)
			}
		}
		if n := len(e.srv.Requests()); n != 0 {
			t.Fatalf("%d requests sent for refused batches", n)
		}

		for _, batch := range [][]string{ids[:1], ids[1:101]} {
			res, err := e.client.LinkContacts(ctx, co, batch)
			if err != nil || res.Updated != len(batch) || res.Failed != 0 {
				t.Fatalf("%d ids: %+v, %v", len(batch), res, err)
			}
		}
		if n := linked(e.srv, co, ids); n != 101 {
			t.Fatalf("server links %d contacts, want 101", n)
		}
		if n := posts(e.srv); n != 101 {
			t.Fatalf("%d attach requests for 101 contacts", n)
		}
	})
}

func TestLinkContactsPartialFailureAndRerun(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		e := setup(t, v, nil)
		ctx := context.Background()
		co := e.srv.AddCompany(intercomtest.Company{Name: "Acme"}).ID
		good := people(e.srv, 5)
		full := e.srv.AddContact(intercomtest.Contact{Email: "full@example.test"}).ID
		for range 1000 {
			e.srv.AttachCompany(full, e.srv.AddCompany(intercomtest.Company{}).ID)
		}
		in := []string{good[0], "missing-1", good[1], full, good[2], good[0], "missing-2", good[3], good[4]}

		for run := range 2 { // the second run must be safe and give the same result
			res, err := e.client.LinkContacts(ctx, co, in)
			if err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
			if res.Updated != 5 || res.Failed != 3 {
				t.Fatalf("run %d: updated %d failed %d, want 5 and 3", run, res.Updated, res.Failed)
			}
			var got []string
			for _, le := range res.Errors {
				var apiErr *intercom.Error
				if !errors.As(le, &apiErr) {
					t.Fatalf("%s: %v", le.ContactID, le.Err)
				}
				got = append(got, le.ContactID+" "+apiErr.Code())
			}
			want := []string{"missing-1 not_found", full + " contact_company_limit_exceeded", "missing-2 not_found"}
			if !slices.Equal(got, want) {
				t.Fatalf("run %d: errors %q, want %q", run, got, want)
			}
		}
		if n := linked(e.srv, co, good); n != 5 {
			t.Fatalf("server links %d of the 5", n)
		}
		for _, id := range good {
			if n := len(e.srv.CompaniesOf(id)); n != 1 {
				t.Fatalf("contact %s has %d companies after two runs, want 1", id, n)
			}
		}
	})
}

func TestLinkContactsStopsAtAnUnknownCompany(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		e := setup(t, v, nil)
		ids := people(e.srv, 30)
		res, err := e.client.LinkContacts(context.Background(), "no-such-company", ids)
		var apiErr *intercom.Error
		if !errors.As(err, &apiErr) || apiErr.Code() != "company_not_found" {
			t.Fatalf("err = %v", err)
		}
		if res.Failed != 30 || res.Updated != 0 {
			t.Fatalf("%+v", res)
		}
		if n := posts(e.srv); n != 1 {
			t.Fatalf("%d requests sent; the first answer concerns every contact", n)
		}
	})
}

// A thousand links in ten calls, against a server that allows 50 requests
// per 10-second window, on a clock both share: the calls must wait for
// each reset instead of running into the limit.
func TestLinkContactsThousandWithinTheRateLimit(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		clock := newFakeClock()
		start := clock.Now()
		const limit, window = 50, 10 * time.Second
		e := setup(t, v, []intercomtest.Option{intercomtest.WithRateLimit(limit, window), intercomtest.WithClock(clock.Now)},
			intercom.WithClock(clock))
		co := e.srv.AddCompany(intercomtest.Company{Name: "Acme"}).ID
		ids := people(e.srv, 1000)
		ctx := context.Background()
		for b := range 10 {
			res, err := e.client.LinkContacts(ctx, co, ids[b*100:(b+1)*100], intercom.WithLinkConcurrency(8))
			if err != nil || res.Updated != 100 {
				t.Fatalf("batch %d: %+v, %v", b, res, err)
			}
		}
		if n := e.answered(http.StatusTooManyRequests); n != 0 {
			t.Fatalf("%d answers were 429: requests went beyond the advertised limit", n)
		}
		if n := len(e.srv.Requests()); n != 1000 {
			t.Fatalf("the server received %d requests for 1000 links", n)
		}
		if n := linked(e.srv, co, ids); n != 1000 {
			t.Fatalf("server links %d contacts", n)
		}
		// 1000 requests at 50 per window take 20 windows: 19 waits.
		if spent := clock.Now().Sub(start); spent < 19*window {
			t.Fatalf("only %v passed on the shared clock", spent)
		}
	})
}

// Another client of the workspace uses up the window in the middle of a
// call: the refused requests are retried after the reset, once each.
func TestLinkContactsRecoversFromA429InTheMiddle(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		clock := newFakeClock()
		const conc = 4
		g := &gate{base: http.DefaultTransport.(*http.Transport).Clone()}
		var (
			burn sync.Once
			srv  *intercomtest.Server
			mu   sync.Mutex
			oks  int
		)
		burner := func(ri intercom.ResponseInfo) {
			mu.Lock()
			if ri.StatusCode == http.StatusOK {
				oks++
			}
			n := oks
			mu.Unlock()
			if n == 10 {
				// Exclusive, so that the window runs out between two of the
				// call's requests rather than in step with them (which the
				// pacer would notice from their answers).
				burn.Do(func() { g.exclusive(func() { exhaust(t, srv) }) })
			}
		}
		e := setup(t, v, []intercomtest.Option{intercomtest.WithRateLimit(30, 10*time.Second), intercomtest.WithClock(clock.Now)},
			intercom.WithClock(clock), intercom.WithResponseHook(burner), intercom.WithHTTPClient(&http.Client{Transport: g}))
		srv = e.srv
		co := srv.AddCompany(intercomtest.Company{Name: "Acme"}).ID
		ids := people(srv, 60)

		res, err := e.client.LinkContacts(context.Background(), co, ids, intercom.WithLinkConcurrency(conc))
		if err != nil || res.Updated != 60 || res.Failed != 0 {
			t.Fatalf("%+v, %v", res, err)
		}
		refused := e.answered(http.StatusTooManyRequests)
		if refused < 1 || refused > conc {
			t.Fatalf("%d attach attempts were refused, want 1 to %d (those sent before the pacer saw the window run out)", refused, conc)
		}
		if n := posts(srv); n != 60+refused {
			t.Fatalf("%d attach requests for 60 contacts and %d refusals: something was sent twice", n, refused)
		}
		if n := linked(srv, co, ids); n != 60 {
			t.Fatalf("server links %d contacts", n)
		}
	})
}

// gate lets a test run something while no request of the client is on
// the wire.
type gate struct {
	mu   sync.RWMutex
	base *http.Transport
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.base.RoundTrip(r)
}

func (g *gate) CloseIdleConnections() { g.base.CloseIdleConnections() }

func (g *gate) exclusive(f func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f()
}

// exhaust spends the server's current window with plain requests, as
// another program using the same workspace would.
func exhaust(t *testing.T, srv *intercomtest.Server) {
	for range 100 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/me", nil)
		req.Header.Set("Authorization", "Bearer "+srv.Token())
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			return
		}
	}
	t.Error("the window never ran out")
}

func TestLinkContactsCancellation(t *testing.T) {
	forEachVersion(t, func(t *testing.T, v seedflow.Version) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		const conc = 4
		var (
			mu  sync.Mutex
			oks int
		)
		e := setup(t, v, nil, intercom.WithResponseHook(func(ri intercom.ResponseInfo) {
			mu.Lock()
			defer mu.Unlock()
			if oks++; oks == 5 {
				cancel()
			}
		}))
		co := e.srv.AddCompany(intercomtest.Company{Name: "Acme"}).ID
		ids := people(e.srv, 40)

		res, err := e.client.LinkContacts(ctx, co, ids, intercom.WithLinkConcurrency(conc))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if res.Updated+res.Failed != 40 || len(res.Errors) != res.Failed {
			t.Fatalf("%+v does not account for 40 ids", res)
		}
		for _, le := range res.Errors {
			if !errors.Is(le, context.Canceled) {
				t.Fatalf("%s: %v", le.ContactID, le.Err)
			}
		}
		// Updated never claims a link the server lacks; at most the
		// requests in flight at the cancellation went through unreported.
		sent, done := posts(e.srv), linked(e.srv, co, ids)
		if done < res.Updated || done > res.Updated+conc || sent > 5+conc {
			t.Fatalf("updated %d, linked on the server %d, requests %d", res.Updated, done, sent)
		}
	})
}
