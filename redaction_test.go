package intercom

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestTokenNeverLeaks drives every failure path with a recognisable token
// and searches every error string, every formatting of the Core, the config,
// the errors and hook data, and every captured log line for it.
func TestTokenNeverLeaks(t *testing.T) {
	var texts []string
	add := func(vs ...any) {
		for _, v := range vs {
			for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
				texts = append(texts, fmt.Sprintf(f, v))
			}
		}
	}
	addErr := func(err error) {
		if err != nil {
			texts = append(texts, err.Error())
			add(err)
		}
	}

	// The server echoes the credentials in the body, as a debugging proxy
	// might: the body is kept in Error.Body but never printed. (Fields that
	// are printed, such as request_id and message, are shown as the server
	// sent them.)
	echo := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, code, fmt.Sprintf(`{"type":"error.list","request_id":"r1","debug":%q,"errors":[{"code":"unauthorized","message":"bad"}]}`, r.Header.Get("Authorization")))
		}
	}
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/401":
			echo(401)(w, r)
		case "/html":
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html><pre>%s</pre></html>", r.Header)
		case "/429":
			rateLimited("X-RateLimit-Reset", "9999999999")(w, r)
		case "/503":
			echo(503)(w, r)
		case "/drop":
			dropConnection(w, r)
		case "/redirect":
			http.Redirect(w, r, "http://localhost:1/elsewhere", http.StatusFound)
		default:
			ok200(w, r)
		}
	})
	ctx := context.Background()
	for _, path := range []string{"/ok", "/401", "/html", "/429", "/503", "/drop", "/redirect"} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			_, err := e.do(ctx, method, path, "{}")
			addErr(err)
		}
	}
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, err := e.do(withRequestHeader(short, "Intercom-Version", "2.1"), http.MethodGet, "/ok", "")
	addErr(err)
	ws, err := e.core.Probe(ctx)
	add(ws)
	addErr(err)

	c, err := newCore(v211, WithToken(testToken))
	addErr(err)
	add(c, *c, e.core)
	_, err = newCore(v211, WithToken(testToken+"\n"))
	addErr(err)
	_, err = newCore(v211, WithToken("x"+testToken+" y"), WithBaseURL("https://u:"+testToken+"@h"))
	addErr(err)
	t.Setenv("INTERCOM_TOKEN", " "+testToken)
	_, err = newFromEnv(v211)
	addErr(err)

	var cfg config
	WithToken(testToken)(&cfg)
	add(cfg, &cfg)
	for _, ri := range e.Infos() {
		add(ri)
	}

	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("core", "core", e.core)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("core", "core", c)
	texts = append(texts, logged.String(), e.logs.String())

	if len(e.Infos()) < 12 || !strings.Contains(e.logs.String(), "giving up") {
		t.Fatalf("the scenarios did not run: %d infos", len(e.Infos()))
	}
	for _, s := range texts {
		if strings.Contains(s, testToken) {
			t.Errorf("token leaked in: %s", s)
		}
	}
	if !strings.Contains(logged.String(), `"auth":"token"`) {
		t.Errorf("LogValue not used: %s", logged.String())
	}
}
