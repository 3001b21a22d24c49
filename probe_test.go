package intercom

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestProbe(t *testing.T) {
	var path string
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		writeJSON(w, 200, `{"type":"admin","id":991267,"email":"ops@example.com","name":"Ops","app":{"id_code":"abc123","region":"Europe","extra":true}}`)
	})
	ws, err := e.core.Probe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if path != "/me" || ws != (Workspace{AppID: "abc123", Region: "Europe", AdminID: "991267", Email: "ops@example.com", Name: "Ops"}) {
		t.Errorf("%s: %+v", path, ws)
	}
	if ri := e.Infos(); len(ri) != 1 || ri[0].Operation != "identifyAdmin" {
		t.Errorf("infos %+v", ri)
	}

	e = newEnv(t, status(200, `{"type":"admin","id":"a1","app":null}`))
	if ws, err := e.core.Probe(context.Background()); err != nil || ws != (Workspace{AdminID: "a1"}) {
		t.Errorf("%+v, %v", ws, err)
	}
}

func TestProbeUnauthorizedSuggestsRegions(t *testing.T) {
	unauthorized := status(http.StatusUnauthorized, fmt.Sprintf(errorList, "unauthorized", "Access Token Invalid"))

	// A custom base URL: no region to suggest.
	e := newEnv(t, unauthorized)
	_, err := e.core.Probe(context.Background())
	if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), e.srv.URL) {
		t.Errorf("custom base URL: %v", err)
	}

	// The EU host, served by a local TLS server.
	srv := httptest.NewTLSServer(unauthorized)
	defer srv.Close()
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
		},
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the test certificate is not for intercom.io
	}
	defer tr.CloseIdleConnections()
	c, err := newCore(v211, WithToken(testToken), WithRegion(RegionEU), WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Probe(context.Background())
	var apiErr *Error
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"unauthorized", "outside the EU region", "WithRegion(RegionUS)", "WithRegion(RegionAU)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "WithRegion(RegionEU)") {
		t.Errorf("suggests the region already used: %s", msg)
	}
}
