package faults

import (
	"context"
	"net/http"
	"sync"
	"testing"

	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/tests/bench/fixtures"
)

// goroutines share one client in TestConnectionsReused, as a worker pool
// would; rounds is how many calls each makes.
const (
	goroutines = 64
	rounds     = 20
)

// TestConnectionsReused checks that a client shared by 64 goroutines keeps
// its connections open between calls, so that the server sees no more
// connections than there are calls in flight. Against api.intercom.io
// every extra connection is a TCP and TLS handshake.
func TestConnectionsReused(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []intercom.Option
	}{
		{name: "default transport"},
		{name: "WithHTTPClient", opts: []intercom.Option{intercom.WithHTTPClient(&http.Client{})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fixtures.NewServer(t, 1)
			c, err := intercom.New(append([]intercom.Option{intercom.WithToken(fixtures.Token), intercom.WithBaseURL(srv.URL)}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			var wg sync.WaitGroup
			errs := make(chan error, goroutines)
			for range goroutines {
				wg.Go(func() {
					for range rounds {
						if _, err := c.ShowContact(context.Background(), fixtures.ContactID, nil); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			// One connection per call in flight, and a few more: net/http
			// dials for a waiting call and keeps the new connection even
			// when another one frees up first. Without reuse the count
			// grows with the number of calls instead.
			if n, limit := srv.Conns(), int64(2*goroutines); n > limit {
				t.Errorf("%d calls from %d goroutines opened %d connections; want at most %d: idle connections are being closed instead of reused",
					goroutines*rounds, goroutines, n, limit)
			}
		})
	}
}
