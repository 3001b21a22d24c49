package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type outcome struct {
	status int
	body   string
	got    *Notification
	failed []int // statuses reported to OnError
}

func serve(t *testing.T, secret []byte, method string, body []byte, signature string, fnErr error, opts ...HandlerOption) outcome {
	t.Helper()
	var out outcome
	opts = append(opts, OnError(func(_ *http.Request, status int, err error) {
		if err == nil {
			t.Error("OnError called without an error")
		}
		out.failed = append(out.failed, status)
	}))
	type ctxKey struct{}
	h := Handler(secret, func(ctx context.Context, n Notification) error {
		if ctx.Value(ctxKey{}) != "marker" {
			t.Error("fn did not get the request context")
		}
		out.got = &n
		return fnErr
	}, opts...)

	req := httptest.NewRequest(method, "/hooks/intercom", strings.NewReader(string(body)))
	req = req.WithContext(context.WithValue(req.Context(), ctxKey{}, "marker"))
	if signature != "" {
		req.Header.Set(SignatureHeader, signature)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out.status, out.body = rec.Code, rec.Body.String()
	return out
}

func TestHandlerStatuses(t *testing.T) {
	good := Sign(testSecret, testBody)
	notJSON := []byte(`{"type":`)
	wrongType := []byte(`{"type":"something_else","topic":"x"}`)
	cases := []struct {
		name      string
		secret    []byte
		method    string
		body      []byte
		signature string
		fnErr     error
		opts      []HandlerOption
		want      int
		fnCalled  bool
	}{
		{"genuine", testSecret, "POST", testBody, good, nil, nil, http.StatusOK, true},
		{"missing signature", testSecret, "POST", testBody, "", nil, nil, http.StatusUnauthorized, false},
		{"malformed signature", testSecret, "POST", testBody, "sha1=xyz", nil, nil, http.StatusUnauthorized, false},
		{"tampered body", testSecret, "POST", append(testBody[:len(testBody):len(testBody)], ' '), good, nil, nil, http.StatusUnauthorized, false},
		{"wrong secret", []byte("not-the-secret"), "POST", testBody, good, nil, nil, http.StatusUnauthorized, false},
		{"signed but not JSON", testSecret, "POST", notJSON, Sign(testSecret, notJSON), nil, nil, http.StatusBadRequest, false},
		{"signed but not a notification", testSecret, "POST", wrongType, Sign(testSecret, wrongType), nil, nil, http.StatusBadRequest, false},
		{"fn fails", testSecret, "POST", testBody, good, errors.New("database down at shard 7"), nil, http.StatusInternalServerError, true},
		{"oversized", testSecret, "POST", testBody, good, nil, []HandlerOption{MaxBodyBytes(int64(len(testBody) - 1))}, http.StatusRequestEntityTooLarge, false},
		{"exactly at the limit", testSecret, "POST", testBody, good, nil, []HandlerOption{MaxBodyBytes(int64(len(testBody)))}, http.StatusOK, true},
		{"not POST", testSecret, "GET", nil, good, nil, nil, http.StatusMethodNotAllowed, false},
		{"no secret configured", nil, "POST", testBody, good, nil, nil, http.StatusInternalServerError, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := serve(t, tc.secret, tc.method, tc.body, tc.signature, tc.fnErr, tc.opts...)
			if out.status != tc.want {
				t.Fatalf("status %d, want %d (body %q)", out.status, tc.want, out.body)
			}
			if (out.got != nil) != tc.fnCalled {
				t.Fatalf("fn called = %v, want %v", out.got != nil, tc.fnCalled)
			}
			if tc.want == http.StatusOK {
				if len(out.failed) != 0 || out.got.Topic != "contact.user.created" {
					t.Fatalf("OnError %v, notification %+v", out.failed, out.got)
				}
				return
			}
			if len(out.failed) != 1 || out.failed[0] != tc.want {
				t.Fatalf("OnError saw %v, want [%d]", out.failed, tc.want)
			}
			// The sender learns the status, never the reason.
			if strings.Contains(out.body, "shard") || strings.Contains(out.body, string(testSecret)) {
				t.Fatalf("answer leaks details: %q", out.body)
			}
		})
	}
}

func TestHandlerDefaultLimitIsOneMiB(t *testing.T) {
	big := make([]byte, DefaultMaxBodyBytes+1)
	out := serve(t, testSecret, "POST", big, Sign(testSecret, big), nil)
	if out.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", out.status)
	}
}
