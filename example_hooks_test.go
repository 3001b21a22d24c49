package intercom_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/intercomtest"
)

// A response hook sees every attempt (retries too) with its operation,
// status, request id and rate-limit figures: the place for metrics.
func Example_responseHook() {
	srv := intercomtest.NewServer(nil)
	defer srv.Close()
	pat := srv.AddContact(intercomtest.Contact{Email: "pat@example.test"})
	c, err := intercom.New(intercom.WithToken(srv.Token()), intercom.WithBaseURL(srv.URL()),
		intercom.WithResponseHook(func(info intercom.ResponseInfo) {
			fmt.Println(info.Operation, info.Method, info.StatusCode, "attempt", info.Attempt, "request id set:", info.RequestID != "")
		}))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	if _, err := c.ShowContact(ctx, pat.ID, nil); err != nil {
		panic(err)
	}
	_, err = c.ShowContact(ctx, "no-such-contact", nil)
	fmt.Println(err != nil)
	// Output:
	// ShowContact GET 200 attempt 1 request id set: true
	// ShowContact GET 404 attempt 1 request id set: true
	// true
}

// A GET that meets a 503 is sent again after a backoff; a POST is not,
// since the server may have applied it (RetryUnsafe opts in).
func Example_retries() {
	var gets, posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if gets.Add(1) == 1 { // the first GET fails
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"type":"contact","id":"c1"}`)
	}))
	defer srv.Close()
	c, err := intercom.New(intercom.WithToken("tok"), intercom.WithBaseURL(srv.URL),
		intercom.WithRetry(intercom.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	contact, err := c.ShowContact(ctx, "c1", nil)
	fmt.Println(contact.ID, err, "GET sent", gets.Load(), "times")
	_, err = c.AttachContactToACompany(ctx, "c1", intercom.AttachContactToACompanyRequest{ID: "co1"}, nil)
	fmt.Println(err != nil, "POST sent", posts.Load(), "time")
	// Output:
	// c1 <nil> GET sent 2 times
	// true POST sent 1 time
}

// A response that does not fit its type (here a timestamp sent as a
// string) still decodes; WithDecodeReport tells what was repaired.
// WithStrictDecoding makes it an error instead.
func Example_decodeReport() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"type":"contact","id":"c1","created_at":"1718012345"}`)
	}))
	defer srv.Close()
	c, err := intercom.New(intercom.WithToken("tok"), intercom.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	ctx, report := intercom.WithDecodeReport(context.Background())
	contact, err := c.ShowContact(ctx, "c1", nil)
	fmt.Println(contact.CreatedAt, err)
	for _, d := range report.Deviations() {
		fmt.Println(d.Operation, d.Path, d.Expected, d.Found, d.Action)
	}

	strict, err := intercom.New(intercom.WithToken("tok"), intercom.WithBaseURL(srv.URL), intercom.WithStrictDecoding())
	if err != nil {
		panic(err)
	}
	_, err = strict.ShowContact(context.Background(), "c1", nil)
	var decErr *intercom.DecodeError
	fmt.Println(errors.As(err, &decErr))
	// Output:
	// 1718012345 <nil>
	// ShowContact $.created_at integer string coerced
	// true
}
