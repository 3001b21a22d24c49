package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/tests/bench/fixtures"
	"github.com/apipin/intercom/tests/internal/members"
)

// scenarios is the table. Expectations follow the facade's RetryPolicy:
// 429 is retried for every method (the request was refused); 5xx and
// dropped connections only for GET (a POST may have been applied); a
// failure to connect for every method (nothing was sent).
var scenarios = []scenario{
	// Rate limits.
	{
		name: "429 with X-RateLimit-Reset 5 s ahead, then OK",
		call: getContact, serve: firstThenOK(1, rateLimited(5*time.Second, "")),
		want: outcome{text: "waits exactly until the reset, then succeeds", err: errNone, attempts: 2, waits: secs(5), check: contactOK},
	},
	{
		name: "429 on a write, with X-RateLimit-Reset, then OK",
		call: attachCompany, serve: firstThenOK(1, rateLimited(5*time.Second, "")),
		want: outcome{text: "the refused POST is repeated once after the reset and applied once", err: errNone, attempts: 2, writes: 1, waits: secs(5), check: companyOK},
	},
	{
		name: "429 without X-RateLimit-Reset, then OK",
		call: getContact, serve: firstThenOK(1, rateLimited(0, "")),
		want: outcome{text: "backs off, then succeeds", err: errNone, attempts: 2, check: contactOK},
	},
	{
		name: "429 with X-RateLimit-Reset in the past, then OK",
		call: getContact, serve: firstThenOK(1, rateLimited(-30*time.Second, "")),
		want: outcome{text: "a short backoff instead of a negative wait, then succeeds", err: errNone, attempts: 2, check: contactOK},
	},
	{
		name: "429 with X-RateLimit-Reset an hour ahead",
		call: getContact, serve: rateLimited(time.Hour, ""),
		want: outcome{text: "gives up at once (beyond the 60 s retry time) with the 429 and its reset time", err: errAPI, status: 429, attempts: 1, waits: []time.Duration{}, check: rateLimitReset(time.Hour)},
	},
	{
		name: "429 with Retry-After: 3, then OK",
		call: getContact, serve: firstThenOK(1, rateLimited(0, "3")),
		want: outcome{text: "waits the 3 s asked for, then succeeds", err: errNone, attempts: 2, waits: secs(3), check: contactOK},
	},
	{
		name: "429 on every attempt",
		call: getContact, serve: rateLimited(0, ""),
		want: outcome{text: "4 attempts, then the 429 as *Error matching ErrRateLimited", err: errAPI, status: 429, attempts: 4, check: isSentinel(intercom.ErrRateLimited)},
	},

	// Server errors.
	{
		name: "500 on every attempt (read)",
		call: getContact, serve: status(500, errorList("server_error", "boom")),
		want: outcome{text: "a read is retried: 4 attempts, then *Error 500", err: errAPI, status: 500, attempts: 4},
	},
	{
		name: "500 once (read), then OK",
		call: getContact, serve: firstThenOK(1, status(500, errorList("server_error", "boom"))),
		want: outcome{text: "retried once, succeeds", err: errNone, attempts: 2, check: contactOK},
	},
	{
		name: "500 on a write",
		call: attachCompany, serve: status(500, errorList("server_error", "boom")),
		want: outcome{text: "not repeated (it may have been applied): *Error 500 after 1 attempt", err: errAPI, status: 500, attempts: 1, writes: 1},
	},
	{
		name: "502 on every attempt (read)",
		call: getContact, serve: status(502, errorList("bad_gateway", "upstream")),
		want: outcome{text: "4 attempts, then *Error 502", err: errAPI, status: 502, attempts: 4},
	},
	{
		name: "502 on a write",
		call: attachCompany, serve: status(502, errorList("bad_gateway", "upstream")),
		want: outcome{text: "not repeated: *Error 502 after 1 attempt", err: errAPI, status: 502, attempts: 1, writes: 1},
	},
	{
		name: "503 with Retry-After: 2 once (read), then OK",
		call: getContact, serve: firstThenOK(1, withHeader("Retry-After", "2", status(503, nil))),
		want: outcome{text: "waits the 2 s asked for, then succeeds", err: errNone, attempts: 2, waits: secs(2), check: contactOK},
	},
	{
		name: "503 on a write",
		call: attachCompany, serve: withHeader("Retry-After", "2", status(503, nil)),
		want: outcome{text: "not repeated, even with Retry-After: *Error 503 after 1 attempt", err: errAPI, status: 503, attempts: 1, writes: 1},
	},
	{
		name: "504 on every attempt (read)",
		call: getContact, serve: status(504, nil),
		want: outcome{text: "4 attempts, then *Error 504", err: errAPI, status: 504, attempts: 4},
	},
	{
		name: "504 on a write",
		call: attachCompany, serve: status(504, nil),
		want: outcome{text: "not repeated: *Error 504 after 1 attempt", err: errAPI, status: 504, attempts: 1, writes: 1},
	},

	// Bodies that are not what they should be.
	{
		name: "HTML error page with 502 (a proxy), every attempt",
		call: getContact, serve: html(502),
		want: outcome{text: "*Error 502 after 4 attempts, the page kept in Body, no error codes, and no HTML in the message", err: errAPI, status: 502, attempts: 4, check: htmlKept},
	},
	{
		name: "HTML page with 200",
		call: getContact, serve: html(200),
		want: outcome{text: "a decoding error, not retried", err: errDecode, attempts: 1},
	},
	{
		name: "truncated JSON (complete HTTP response)",
		call: getContact, serve: func(_ *env, _ int, w http.ResponseWriter, _ *http.Request) {
			c := fixtures.Contact()
			writeJSON(w, 200, c[:len(c)/2])
		},
		want: outcome{text: "a decoding error, not retried", err: errDecode, attempts: 1},
	},
	{
		name: "connection closed mid-body once (read), then OK",
		call: getContact, serve: firstThenOK(1, cutBody),
		want: outcome{text: "a read is retried like any dropped connection: succeeds after 2 attempts", err: errNone, attempts: 2, check: contactOK},
	},
	{
		name: "connection closed mid-body (write)",
		call: attachCompany, serve: cutBody,
		want: outcome{text: "not repeated: an error reading the body, applied once", err: errRead, attempts: 1, writes: 1},
	},
	{
		name: "body that never ends, 200 ms deadline",
		call: getContact, timeout: 200 * time.Millisecond,
		serve: func(e *env, _ int, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, []byte(`{"type":"contact","id":"`))
			http.NewResponseController(w).Flush()
			e.hang(r)
		},
		want: outcome{text: "the context deadline wins: context.DeadlineExceeded within 5 s", err: errDeadline, attempts: 1, check: returnedWithin(5 * time.Second)},
	},
	{
		name: "server slower than http.Client.Timeout (200 ms)",
		call: getContact,
		options: func(*env) []intercom.Option {
			return []intercom.Option{intercom.WithHTTPClient(&http.Client{Timeout: 200 * time.Millisecond})}
		},
		serve: func(e *env, _ int, _ http.ResponseWriter, r *http.Request) { e.hang(r) },
		want:  outcome{text: "context.DeadlineExceeded within 5 s, not retried (the timeout covers the whole call)", err: errDeadline, attempts: 1, check: returnedWithin(5 * time.Second)},
	},
	{
		name: "page 100× the usual size (15,000 contacts, ~17 MB)",
		call: listContacts, serve: func(_ *env, _ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, hugePage()) },
		want: outcome{text: "decoded in full", err: errNone, attempts: 1, check: hugePageOK},
	},
	{
		name: "body larger than the 64 MiB limit",
		call: getContact, serve: endless(65 << 20),
		want: outcome{text: "ErrResponseTooLarge after 1 attempt, without reading the rest", err: errTooLarge, attempts: 1},
	},

	// Connections.
	{
		name: "connection refused on the first dial, write",
		call: attachCompany,
		options: func(e *env) []intercom.Option {
			return []intercom.Option{intercom.WithHTTPClient(&http.Client{Transport: refuseFirstDial(e.t)})}
		},
		want: outcome{text: "nothing was sent, so even the POST is retried: success, applied once", err: errNone, attempts: 2, writes: 1, check: companyOK},
	},
	{
		name: "connection reset before the request was written (read)",
		call: getContact, resetConns: []int{1},
		want: outcome{text: "retried on a new connection, succeeds", err: errNone, attempts: 2, check: contactOK},
	},
	{
		name: "connection reset before the request was written (write)",
		call: attachCompany, resetConns: []int{1},
		want: outcome{text: "not repeated (net/http does not say whether bytes left): connection error, nothing applied", err: errConn, attempts: 1, writes: 0},
	},
	{
		name: "connection reset after the request was read (read)",
		call: getContact, serve: firstThenOK(1, resetAfterRead),
		want: outcome{text: "retried, succeeds", err: errNone, attempts: 2, check: contactOK},
	},
	{
		name: "connection reset after the request was read (write)",
		call: attachCompany, serve: resetAfterRead,
		want: outcome{text: "not repeated: connection error, applied once", err: errConn, attempts: 1, writes: 1},
	},
	{
		name: "302 redirect to another host (read)",
		call: getContact, redirect: true, serve: redirectTo(http.StatusFound),
		want: outcome{text: "follows it; the other host gets neither the token nor the version header", err: errNone, attempts: 2, check: redirectedWithoutToken},
	},
	{
		name: "307 redirect to another host (write)",
		call: attachCompany, redirect: true, serve: redirectTo(http.StatusTemporaryRedirect),
		want: outcome{text: "follows it with the body; no token to the other host; applied once", err: errNone, attempts: 2, writes: 1, check: redirectedWithoutToken},
	},

	// Error lists.
	{
		name: "error.list without request_id (404)",
		call: getContact, serve: status(404, []byte(`{"type":"error.list","errors":[{"code":"not_found","message":"No such contact"}]}`)),
		want: outcome{text: "*Error 404 matching ErrNotFound, code not_found, empty RequestID, no request id in the message, not retried", err: errAPI, status: 404, attempts: 1, check: noRequestID},
	},
	{
		name: "401 with error.list",
		call: getContact, serve: status(401, errorList("unauthorized", "Access Token Invalid")),
		want: outcome{text: "*Error 401 matching ErrUnauthorized, not retried", err: errAPI, status: 401, attempts: 1, check: isSentinel(intercom.ErrUnauthorized)},
	},

	// JSON that does not match the description.
	{
		name: "null in every nullable field of the contact (from the spec)",
		call: getContact, body: nullableNulled,
		want: outcome{text: "success; every nulled field is its zero value, the others intact, nothing reported", err: errNone, attempts: 1, check: nullsDecoded(nullableNulled, false)},
	},
	{
		name: "null in the contact's non-nullable fields (from the spec)",
		call: getContact, body: nonNullableNulled,
		want: outcome{text: "success, those fields zero, each reported (null to zero value): the description does not allow the null", err: errNone, attempts: 1, check: nullsDecoded(nonNullableNulled, true)},
	},
	{
		name: "a number sent as a string (created_at)",
		call: getContact, body: numberAsString,
		want: outcome{text: "success, the value coerced and $.created_at in the decoding report", err: errNone, attempts: 1, check: coercedAndReported},
	},
	{
		name: "a number sent as a string, with WithStrictDecoding",
		call: getContact, body: numberAsString,
		options: strict,
		want:    outcome{text: "a *DecodeError naming $.created_at, not retried", err: errDecode, attempts: 1, check: strictNamesCreatedAt},
	},
	{
		name: "pages: null in a listing",
		call: walkContacts, body: func(testing.TB) (map[string]any, []string) {
			m := fixtures.PageMap(1, walkPages, walkPageSize)
			m["pages"] = nil
			return m, nil
		},
		want: outcome{text: "the iterator yields that page and stops, no error", err: errNone, attempts: 1, check: walked(walkPageSize)},
	},
	{
		name: "unknown enum values",
		call: attachCompany, body: func(testing.TB) (map[string]any, []string) {
			m := fixtures.CompanyMap()
			m["type"] = "company.v3"
			m["tags"].(map[string]any)["type"] = "tag.collection"
			return m, nil
		},
		want: outcome{text: "success; the values kept verbatim, Valid() false", err: errNone, attempts: 1, writes: 1, check: unknownEnumKept},
	},
	{
		name: "unknown fields at every level",
		call: getContact, body: withUnknownFields,
		want: outcome{text: "ignored; the known fields decode as without them", err: errNone, attempts: 1, check: sameAsFixture},
	},
	{
		name: "unknown fields with WithStrictDecoding",
		call: getContact, body: withUnknownFields,
		options: strict,
		want:    outcome{text: "ignored even in strict mode (Intercom adds fields within a version)", err: errNone, attempts: 1, check: sameAsFixture},
	},
	{
		name: "JSON served as text/html",
		call: getContact, serve: func(_ *env, _ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			write(w, 200, fixtures.Contact())
		},
		want: outcome{text: "decoded anyway (the body is JSON)", err: errNone, attempts: 1, check: contactOK},
	},
	{
		name: "error.list served as text/plain (404)",
		call: getContact, serve: func(_ *env, _ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			write(w, 404, errorList("not_found", "No such contact"))
		},
		want: outcome{text: "*Error 404 with its code parsed", err: errAPI, status: 404, attempts: 1, check: hasCode("not_found")},
	},
	{
		name: "empty 200 body",
		call: getContact, serve: func(_ *env, _ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, nil) },
		want: outcome{text: "a zero contact, no error (documented for empty 2xx bodies)", err: errNone, attempts: 1, check: zeroContact},
	},

	// Pagination.
	{
		name: "503 on page 2 of 3 once, with Retry-After: 1",
		call: walkContacts, serve: func(e *env, n int, w http.ResponseWriter, r *http.Request) {
			if n == 2 {
				withHeader("Retry-After", "1", status(503, nil))(e, n, w, r)
				return
			}
			serveOK(e, n, w, r)
		},
		want: outcome{text: "the page is fetched again; every contact once", err: errNone, attempts: 4, waits: secs(1), check: walked(walkPages * walkPageSize)},
	},
	{
		name: "cursor that repeats",
		call: walkContacts, serve: func(_ *env, n int, w http.ResponseWriter, _ *http.Request) {
			m := fixtures.PageMap(min(n, walkPages), walkPages, walkPageSize)
			m["pages"].(map[string]any)["next"] = map[string]any{"starting_after": fixtures.Cursor(2)}
			writeJSON(w, 200, fixtures.JSON(m))
		},
		want: outcome{text: "ErrRepeatedCursor after the two pages, each contact once", err: errCursor, attempts: 2, check: walked(2 * walkPageSize)},
	},
}

// strict is the options of the scenarios that decode with
// WithStrictDecoding.
func strict(*env) []intercom.Option { return []intercom.Option{intercom.WithStrictDecoding()} }

// Serve functions.

func firstThenOK(k int, f serveFunc) serveFunc {
	return func(e *env, n int, w http.ResponseWriter, r *http.Request) {
		if n <= k {
			f(e, n, w, r)
			return
		}
		serveOK(e, n, w, r)
	}
}

func status(code int, body []byte) serveFunc {
	return func(_ *env, _ int, w http.ResponseWriter, _ *http.Request) { writeJSON(w, code, body) }
}

func withHeader(key, value string, f serveFunc) serveFunc {
	return func(e *env, n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set(key, value)
		f(e, n, w, r)
	}
}

func errorList(code, message string) []byte {
	return fixtures.JSON(map[string]any{
		"type": "error.list", "request_id": "req-faults-1",
		"errors": []any{map[string]any{"code": code, "message": message}},
	})
}

// rateLimited answers 429 with the rate-limit headers; resetIn 0 leaves
// X-RateLimit-Reset out, retryAfter "" leaves Retry-After out.
func rateLimited(resetIn time.Duration, retryAfter string) serveFunc {
	return func(e *env, _ int, w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("X-RateLimit-Limit", "1000")
		h.Set("X-RateLimit-Remaining", "0")
		if resetIn != 0 {
			h.Set("X-RateLimit-Reset", strconv.FormatInt(e.clock.Now().Add(resetIn).Unix(), 10))
		}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		writeJSON(w, 429, errorList("rate_limit_exceeded", "Too many requests"))
	}
}

const htmlPage = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream did not answer.</p></body></html>`

func html(code int) serveFunc {
	return func(_ *env, _ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		write(w, code, []byte(htmlPage))
	}
}

// endless answers 200 with a JSON string of size bytes, streamed.
func endless(size int) serveFunc {
	return func(_ *env, _ int, w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, []byte(`{"type":"contact","name":"`))
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for sent := 0; sent < size; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading, as it should
			}
		}
		w.Write([]byte(`"}`))
	}
}

// cutBody declares the full length of the answer, sends half and returns,
// which makes the server close the connection.
func cutBody(_ *env, _ int, w http.ResponseWriter, r *http.Request) {
	body := fixtures.Contact()
	if r.Method == http.MethodPost {
		body = fixtures.Company()
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	writeJSON(w, 200, body[:len(body)/2])
}

var hugePage = sync.OnceValue(func() []byte {
	return fixtures.JSON(fixtures.PageMap(1, 1, 100*fixtures.PageSize))
})

func resetAfterRead(_ *env, _ int, w http.ResponseWriter, _ *http.Request) {
	c, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err) // the recorder always reaches a hijackable writer
	}
	reset(c)
}

// dialBeforeReset is the client side of scenario.resetConns. The two sides
// take turns: the client finishes its dial, the server resets the
// connection, and only then does net/http write the request. Without the
// first turn the reset can arrive while the client is still connecting,
// which it sees as a failed dial (nothing sent): a different scenario.
func dialBeforeReset(e *env) intercom.Option {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{}
	var dials atomic.Int32
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil || !slices.Contains(e.sc.resetConns, int(dials.Add(1))) {
			return c, err
		}
		e.dialed <- struct{}{}
		select {
		case <-e.resetDone:
			return c, nil
		case <-ctx.Done():
			c.Close()
			return nil, ctx.Err()
		}
	}
	return intercom.WithHTTPClient(&http.Client{Transport: tr})
}

// refuseFirstDial is a transport whose first dial goes to a port where
// nothing listens, so that it fails with a real "connection refused".
func refuseFirstDial(t *testing.T) http.RoundTripper {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	var dialed atomic.Bool
	tr := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if !dialed.Swap(true) {
			addr = closed
		}
		return d.DialContext(ctx, network, addr)
	}
	return tr
}

func redirectTo(code int) serveFunc {
	return func(e *env, n int, w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Host, "localhost:") { // the other host
			serveOK(e, n, w, r)
			return
		}
		http.Redirect(w, r, e.otherURL(r.URL.Path), code)
	}
}

// Checks.

func secs(n ...int) []time.Duration {
	out := make([]time.Duration, len(n))
	for i, s := range n {
		out[i] = time.Duration(s) * time.Second
	}
	return out
}

func contactOK(t *testing.T, _ *env, r *result) string {
	c, _ := r.value.(*intercom.ShowContactResult)
	if r.err != nil || c == nil || c.ID != fixtures.ContactID {
		t.Errorf("contact not decoded: %+v, %v", c, r.err)
		return ""
	}
	return "contact decoded"
}

func companyOK(t *testing.T, e *env, r *result) string {
	c, _ := r.value.(*intercom.Company)
	if r.err != nil || c == nil || c.ID != fixtures.CompanyID {
		t.Errorf("company not decoded: %+v, %v", c, r.err)
		return ""
	}
	for _, q := range e.Requests() {
		if q.Applied() && string(q.Body) != `{"id":"`+fixtures.CompanyID+`"}` {
			t.Errorf("applied body %s", q.Body)
		}
	}
	return "company decoded"
}

func apiError(t *testing.T, r *result) *intercom.Error {
	var e *intercom.Error
	if !errors.As(r.err, &e) {
		t.Errorf("want an *Error, got %v", r.err)
		return &intercom.Error{}
	}
	return e
}

func isSentinel(target error) func(*testing.T, *env, *result) string {
	return func(t *testing.T, _ *env, r *result) string {
		if !errors.Is(r.err, target) {
			t.Errorf("errors.Is(%v, %v) is false", r.err, target)
		}
		return "errors.Is " + strings.TrimPrefix(target.Error(), "intercom: ")
	}
}

func rateLimitReset(ahead time.Duration) func(*testing.T, *env, *result) string {
	return func(t *testing.T, _ *env, r *result) string {
		e := apiError(t, r)
		if want := epoch.Add(ahead); !e.RateLimit.Reset.Equal(want) {
			t.Errorf("RateLimit.Reset %v, want %v", e.RateLimit.Reset, want)
		}
		if !errors.Is(r.err, intercom.ErrRateLimited) || !strings.Contains(e.Error(), "rate limit resets at") {
			t.Errorf("error %q does not say when the limit resets", e.Error())
		}
		return "reset time in the error"
	}
}

func htmlKept(t *testing.T, _ *env, r *result) string {
	e := apiError(t, r)
	if string(e.Body) != htmlPage || len(e.Errors) != 0 || e.Code() != "" {
		t.Errorf("Body %q, Errors %v", e.Body, e.Errors)
	}
	if strings.Contains(e.Error(), "<") {
		t.Errorf("message carries the page: %q", e.Error())
	}
	return "page in Body, not in the message"
}

func returnedWithin(limit time.Duration) func(*testing.T, *env, *result) string {
	return func(t *testing.T, _ *env, r *result) string {
		if r.elapsed > limit {
			t.Errorf("returned after %v, want under %v", r.elapsed, limit)
		}
		return "returned within " + limit.String()
	}
}

func hugePageOK(t *testing.T, _ *env, r *result) string {
	l, _ := r.value.(*intercom.ContactList)
	if r.err != nil || l == nil || len(l.Data) == 0 {
		t.Errorf("page not decoded: %v", r.err)
		return ""
	}
	ids := map[string]bool{}
	for _, c := range l.Data {
		if c.ID != "" {
			ids[c.ID] = true
		}
	}
	if len(ids) != 100*fixtures.PageSize {
		t.Errorf("%d distinct contacts, want %d", len(ids), 100*fixtures.PageSize)
	}
	return fmt.Sprintf("%d contacts", len(ids))
}

func redirectedWithoutToken(t *testing.T, e *env, _ *result) string {
	hosts := map[string]int{}
	for _, q := range e.Requests() {
		hosts[q.Server]++
		auth, version := q.Header.Get("Authorization"), q.Header.Get("Intercom-Version")
		switch q.Server {
		case "api":
			if auth != "Bearer "+token {
				t.Errorf("the API host got Authorization %q", auth)
			}
		default:
			if auth != "" || version != "" {
				t.Errorf("the other host got Authorization %q, Intercom-Version %q", auth, version)
			}
		}
	}
	if hosts["api"] != 1 || hosts["other"] != 1 {
		t.Errorf("requests per host %v, want one each", hosts)
	}
	return "neither token nor version at the other host"
}

func noRequestID(t *testing.T, _ *env, r *result) string {
	e := apiError(t, r)
	if e.RequestID != "" || e.Code() != "not_found" || !errors.Is(r.err, intercom.ErrNotFound) {
		t.Errorf("RequestID %q, code %q, Is(ErrNotFound) %v", e.RequestID, e.Code(), errors.Is(r.err, intercom.ErrNotFound))
	}
	if strings.Contains(e.Error(), "request_id") {
		t.Errorf("message %q mentions a request id", e.Error())
	}
	return "code not_found, RequestID empty"
}

func hasCode(code string) func(*testing.T, *env, *result) string {
	return func(t *testing.T, _ *env, r *result) string {
		if e := apiError(t, r); e.Code() != code {
			t.Errorf("code %q, want %q", e.Code(), code)
		}
		return "code " + code
	}
}

func zeroContact(t *testing.T, _ *env, r *result) string {
	c, _ := r.value.(*intercom.ShowContactResult)
	if c == nil || !reflect.ValueOf(*c).IsZero() {
		t.Errorf("want a zero contact, got %+v", c)
	}
	return "zero value"
}

func walked(n int) func(*testing.T, *env, *result) string {
	return func(t *testing.T, _ *env, r *result) string {
		items, _ := r.value.([]intercom.Contact)
		seen := map[string]bool{}
		for _, c := range items {
			if c.ID == "" || seen[c.ID] {
				t.Errorf("contact %v missing an id or yielded twice", c.ID)
				continue
			}
			seen[c.ID] = true
		}
		if len(items) != n {
			t.Errorf("%d contacts, want %d", len(items), n)
		}
		return plural(len(items), "contact") + ", none twice"
	}
}

func unknownEnumKept(t *testing.T, _ *env, r *result) string {
	c, _ := r.value.(*intercom.Company)
	if c == nil || c.Type != "company.v3" || c.Type.Valid() ||
		c.Tags.Type != "tag.collection" || c.Tags.Type.Valid() {
		t.Errorf("enum values not kept: %+v", c)
	}
	return "values kept, Valid() false"
}

// fixtureContact is the contact fixture decoded into the result type.
func fixtureContact(t *testing.T) *intercom.ShowContactResult {
	var c intercom.ShowContactResult
	if err := json.Unmarshal(fixtures.Contact(), &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func sameAsFixture(t *testing.T, _ *env, r *result) string {
	c, _ := r.value.(*intercom.ShowContactResult)
	if c == nil || !reflect.DeepEqual(members.Without(c), members.Without(fixtureContact(t))) {
		t.Errorf("decoded %+v, want the fixture", c)
	}
	return "same value as without them"
}

func withUnknownFields(testing.TB) (map[string]any, []string) {
	m := fixtures.ContactMap(0)
	m["lifecycle_stage"] = map[string]any{"type": "stage", "name": "customer", "since": 1729000000}
	m["location"].(map[string]any)["postal_code"] = "69002"
	m["tags"].(map[string]any)["data"].([]any)[0].(map[string]any)["applied_by"] = map[string]any{"type": "admin", "id": "31"}
	m["avatar"].(map[string]any)["sizes"] = []any{48, 96, 192}
	return m, nil
}

// numberAsString is the contact fixture with created_at written as a
// string, as Intercom sometimes sends numeric fields.
func numberAsString(testing.TB) (map[string]any, []string) {
	m := fixtures.ContactMap(0)
	m["created_at"] = strconv.Itoa(int(m["created_at"].(float64)))
	return m, []string{"created_at"}
}

// names reports whether one of the JSON paths (e.g. "$.data[0].id") ends
// in field.
func names(paths []string, field string) bool {
	return slices.ContainsFunc(paths, func(p string) bool { return p == field || strings.HasSuffix(p, "."+field) })
}

func coercedAndReported(t *testing.T, e *env, r *result) string {
	sameAsFixture(t, e, r) // the coerced value equals the number the fixture had
	if !names(r.report, "created_at") {
		t.Errorf("decoding report %v does not name created_at", r.report)
	}
	return "value coerced; report names " + strings.Join(r.report, ", ")
}

func strictNamesCreatedAt(t *testing.T, _ *env, r *result) string {
	var de *intercom.DecodeError
	if !errors.As(r.err, &de) {
		t.Errorf("want a *DecodeError, got %v", r.err)
		return ""
	}
	var paths []string
	for _, d := range de.Deviations {
		paths = append(paths, d.Path)
	}
	if !names(paths, "created_at") {
		t.Errorf("DecodeError names %v, not created_at", paths)
	}
	return "names " + strings.Join(paths, ", ")
}
