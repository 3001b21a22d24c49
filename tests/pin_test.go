package tests

import (
	"context"
	"errors"
	"reflect"
	"testing"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/intercomtest"
)

// Every package pins its own version: the request carries exactly that
// Intercom-Version, and a per-request attempt to send another one fails
// before anything is sent.
func TestEveryPackageSendsItsVersion(t *testing.T) {
	srv := intercomtest.NewServer(t)
	for _, p := range packages {
		t.Run(p.Version, func(t *testing.T) {
			srv.ResetRequests()
			c, err := p.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL()))
			if err != nil {
				t.Fatal(err)
			}
			identify := reflect.ValueOf(c).MethodByName("IdentifyAdmin")
			if !identify.IsValid() {
				t.Fatal("no IdentifyAdmin method")
			}
			// IdentifyAdmin(ctx, params, opts...): params nil, opts as given.
			call := func(opts ...facade.CallOption) error {
				args := []reflect.Value{reflect.ValueOf(context.Background()), reflect.Zero(identify.Type().In(1))}
				for _, o := range opts {
					args = append(args, reflect.ValueOf(o))
				}
				out := identify.Call(args)
				err, _ := out[1].Interface().(error)
				return err
			}
			if err := call(); err != nil {
				t.Fatal(err)
			}
			other := "2.7"
			if p.Version == "2.7" {
				other = "2.8"
			}
			err = call(facade.CallHeader("Intercom-Version", other))
			if !errors.Is(err, facade.ErrVersionOverride) {
				t.Fatalf("sending %s through the %s client: %v, want ErrVersionOverride", other, p.Version, err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("server saw %d requests, want 1 (the override must not be sent)", len(reqs))
			}
			if got := reqs[0].Header.Get("Intercom-Version"); got != p.Version {
				t.Fatalf("sent Intercom-Version %q, want %q", got, p.Version)
			}
		})
	}
}
