package tests

import (
	"context"
	"net/http"
	"testing"

	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/api/v2.16/raw"
	"github.com/apipin/intercom/intercomtest"
)

// The raw subpackage's ClientWithResponses sends through the typed client's
// transport (token, pinned version) and hands back every status.
func TestRawClientWithResponsesSharesTheTransport(t *testing.T) {
	srv := intercomtest.NewServer(t)
	c, err := intercom.New(intercom.WithToken(srv.Token()), intercom.WithBaseURL(srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	r := raw.FromClient(c)
	me, err := r.IdentifyAdminWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.StatusCode() != http.StatusOK || me.JSON200 == nil {
		t.Fatalf("GET /me: status %d, decoded %v", me.StatusCode(), me.JSON200 != nil)
	}
	missing, err := r.ShowContactWithResponse(context.Background(), "no-such-contact", nil)
	if err != nil {
		t.Fatal(err)
	}
	if missing.StatusCode() != http.StatusNotFound {
		t.Fatalf("unknown contact: status %d, want 404 returned, not an error", missing.StatusCode())
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests", len(reqs))
	}
	for _, rq := range reqs {
		if got := rq.Header.Get("Intercom-Version"); got != intercom.APIVersion {
			t.Errorf("%s %s sent Intercom-Version %q", rq.Method, rq.Path, got)
		}
	}
}
