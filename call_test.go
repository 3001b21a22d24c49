package intercom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/apipin/intercom/internal/engine"
)

type contact struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

func TestDoDecodes(t *testing.T) {
	e := newEnv(t, status(http.StatusOK, `{"id":"c1","email":"a@b.c","extra":1}`))
	c, err := do[contact](context.Background(), e.core, testOp, nil, e.sender(http.MethodGet, "/c1", ""))
	if err != nil || *c != (contact{"c1", "a@b.c"}) {
		t.Errorf("%+v, %v", c, err)
	}
}

func TestDoEmptyBodies(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"204":       func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
		"200 empty": status(http.StatusOK, ""),
		"202 space": status(http.StatusAccepted, " \n"),
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, h)
			c, err := do[contact](context.Background(), e.core, testOp, nil, e.sender(http.MethodGet, "/x", ""))
			if err != nil || c == nil || *c != (contact{}) {
				t.Errorf("%+v, %v", c, err)
			}
			if err := e.core.CallEmpty(context.Background(), testOp, nil, e.sender(http.MethodGet, "/x", "")); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestDoError(t *testing.T) {
	e := newEnv(t, status(http.StatusNotFound,
		`{"type":"error.list","request_id":"body-id","errors":[{"code":"not_found","message":"Contact\nNot Found","field":"id"},{"code":"other"}]}`,
		"X-Request-Id", "hdr-id", "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "9"))
	op := &engine.Operation{ID: "getContact", Method: http.MethodGet, Path: "/contacts/{id}"}
	_, err := do[contact](context.Background(), e.core, op, nil, e.sender(http.MethodGet, "/contacts/c1", ""))
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %#v", err)
	}
	if apiErr.StatusCode != 404 || apiErr.RequestID != "hdr-id" || len(apiErr.Errors) != 2 || apiErr.Operation != "getContact" ||
		apiErr.Method != "GET" || apiErr.Version != "2.11" || apiErr.RateLimit.Remaining != 9 || !bytes.Contains(apiErr.Body, []byte("body-id")) {
		t.Errorf("%+v", *apiErr)
	}
	want := "intercom: getContact: GET 404 Not Found: not_found: Contact Not Found (field id) (+1 more) [request_id hdr-id]"
	if err.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", err, want)
	}
	if apiErr.Code() != "not_found" || !apiErr.HasCode("other") || apiErr.HasCode("nope") {
		t.Error("Code/HasCode")
	}
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrRateLimited) || errors.Is(err, ErrVersionInvalid) {
		t.Error("errors.Is")
	}
	if err := e.core.CallEmpty(context.Background(), op, nil, e.sender(http.MethodDelete, "/contacts/c1", "")); !errors.Is(err, ErrNotFound) {
		t.Errorf("DoEmpty: %v", err)
	}
}

func TestErrorSentinels(t *testing.T) {
	for _, c := range []struct {
		status int
		code   string
		want   error
	}{
		{401, "unauthorized", ErrUnauthorized},
		{404, "company_not_found", ErrNotFound},
		{429, "rate_limit_exceeded", ErrRateLimited},
		{400, codeVersionInvalid, ErrVersionInvalid},
	} {
		e := newEnv(t, status(c.status, fmt.Sprintf(errorList, c.code, "msg")), DisableRetries())
		_, err := e.do(context.Background(), http.MethodGet, "/x", "")
		if !errors.Is(err, c.want) {
			t.Errorf("%d %s: %v is not %v", c.status, c.code, err, c.want)
		}
		var apiErr *Error
		if errors.As(err, &apiErr) && apiErr.RequestID != "req-body-1" {
			t.Errorf("request id from the body: %q", apiErr.RequestID)
		}
		if c.want == ErrVersionInvalid && !strings.Contains(err.Error(), `Intercom-Version sent: "2.11"`) {
			t.Errorf("version-invalid message must name the version sent: %v", err)
		}
	}
}

func TestDoNonJSONError(t *testing.T) {
	html := "<html><body><h1>502 Bad Gateway</h1></body></html>"
	e := newEnv(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, html)
	})
	err := e.core.CallEmpty(context.Background(), testOp, nil, e.sender(http.MethodPost, "/x", "{}"))
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 || string(apiErr.Body) != html || apiErr.Errors != nil {
		t.Fatalf("err = %v", err)
	}
	if err.Error() != "intercom: testOp: POST 502 Bad Gateway" {
		t.Errorf("Error() = %s", err)
	}
}

func TestDoFailures(t *testing.T) {
	// Strict: by default a type mismatch is decoded tolerantly.
	e := newEnv(t, status(http.StatusOK, `{"id": 5}`), WithStrictDecoding())
	if _, err := do[contact](context.Background(), e.core, testOp, nil, e.sender(http.MethodGet, "/x", "")); err == nil || !strings.Contains(err.Error(), "testOp: decoding") {
		t.Errorf("decode error: %v", err)
	}
	boom := errors.New("boom")
	_, err := do[contact](context.Background(), e.core, testOp, nil, func(context.Context) (*http.Response, error) { return nil, boom })
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "testOp") {
		t.Errorf("send error: %v", err)
	}
	if _, err := do[contact](context.Background(), e.core, testOp, nil, func(context.Context) (*http.Response, error) { return nil, nil }); err == nil {
		t.Error("nil response accepted")
	}
	if _, err := do[contact](context.Background(), nil, testOp, nil, nil); err == nil {
		t.Error("nil Core accepted")
	}
	// Do must hand the operation to the transport through the context.
	var seen *engine.Operation
	do[contact](context.Background(), e.core, testOp, nil, func(ctx context.Context) (*http.Response, error) {
		seen = operationFrom(ctx)
		return nil, boom
	})
	if seen != testOp {
		t.Errorf("operation in context: %v", seen)
	}
}

func TestReadBodyLimit(t *testing.T) {
	// size: unknown, announced right, announced short, announced long.
	for _, size := range []int64{-1, 5, 3, 9} {
		data, err := readBody(strings.NewReader("12345"), 4, size)
		if !errors.Is(err, ErrResponseTooLarge) || string(data) != "1234" {
			t.Errorf("size %d: %q, %v", size, data, err)
		}
		data, err = readBody(strings.NewReader("1234"), 4, size)
		if err != nil || string(data) != "1234" {
			t.Errorf("size %d: %q, %v", size, data, err)
		}
	}
	long := strings.Repeat("x", 3000)
	data, err := readBody(strings.NewReader(long), 1<<20, 10)
	if err != nil || string(data) != long {
		t.Errorf("a body longer than announced: %d bytes, %v", len(data), err)
	}
}

func TestContextOptionsDoNotLeakBetweenContexts(t *testing.T) {
	base := withRequestHeader(context.Background(), "A", "1")
	a := withRequestHeader(base, "B", "2")
	b := withRequestHeader(base, "C", "3")
	if got := requestOptionsFrom(a).headers; len(got) != 2 || got[1][0] != "B" {
		t.Errorf("a: %v", got)
	}
	if got := requestOptionsFrom(b).headers; len(got) != 2 || got[1][0] != "C" {
		t.Errorf("b: %v", got)
	}
	if got := requestOptionsFrom(base).headers; len(got) != 1 {
		t.Errorf("base: %v", got)
	}
}
