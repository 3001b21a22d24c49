package faults

// Hostile input: ids, servers and headers that try to reroute a request,
// exhaust memory, hang a call or smuggle text into logs. Each scenario runs
// against a loopback server (or intercomtest) for the versions named in its
// row, checks what the issue that found it asks for, and reports what it
// observed; writeReport adds the table to docs/reliability.md.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"go.uber.org/goleak"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/intercomtest"
	"github.com/apipin/intercom/internal/allversions"
	"github.com/apipin/intercom/internal/gensupport"
)

// hostileVersions are the versions every cross-version scenario runs on:
// the oldest, two recent ones and Preview, whose path parameter names and
// method signatures differ.
var hostileVersions = []string{"2.7", "2.14", "2.16", "Preview"}

type hostileScenario struct {
	name     string
	where    string // versions or component
	expected string
	// run performs the scenario, failing t on any breach, and describes
	// what it observed.
	run func(t *testing.T) string
}

var hostileScenarios = []hostileScenario{{
	name:     `"..", "." and "" as every path parameter of ShowContact, DeleteContact, AttachContactToACompany, DetachContactFromACompany, typed and Raw(), with and without a base-URL path prefix`,
	where:    "2.7, 2.14, 2.16, Preview",
	expected: "*ArgumentError naming the operation and parameter, before anything is sent",
	run:      dotSegmentIDs,
}, {
	name:     `ids that only look odd ("...", "a/b", "%2e%2e", "../x", " ", "?x=1#y")`,
	where:    "2.7, 2.14, 2.16, Preview",
	expected: "sent, each as one escaped segment of the operation's own path",
	run:      oddButValidIDs,
}, {
	name:     `DetachContactFromACompany(ctx, "..", companyID) against intercomtest`,
	where:    "2.7, 2.14, 2.16, Preview",
	expected: "refused; the company and the link still exist",
	run:      detachDotDotAgainstFake,
}, {
	name:     `LinkContacts with ".." and "." among the ids`,
	where:    "LinkContacts",
	expected: "*ArgumentError naming the id's index, no request sent",
	run:      linkDotIDs,
}, {
	name:     "Content-Length: 64 MiB announced, 7 bytes sent (a GET, so retried), 8 calls at once",
	where:    "2.16",
	expected: "memory follows the bytes received: a few MiB in all, not 128 MiB per call",
	run:      announcedButShortBodies,
}, {
	name:     "LinkContacts: X-RateLimit-Remaining: 0 with X-RateLimit-Reset centuries ahead",
	where:    "LinkContacts",
	expected: "stops at once with ErrRateLimited (the wait would pass RetryPolicy.MaxWait), never sleeps",
	run:      linkResetFarAhead,
}, {
	name:     "http.Client{Timeout: 500ms}, 200 whose body stalls (a GET)",
	where:    "2.16",
	expected: "the Timeout bounds the whole call: context.DeadlineExceeded in about 0.5 s, 1 request",
	run:      clientTimeoutCoversCall,
}, {
	name:     "429 with Retry-After or X-RateLimit-Reset past the int64 range (18446744074, 9223372036854775807, 10^30)",
	where:    "2.16",
	expected: "read as very long: gives up at once with the 429, no wrapped-around short wait, no immediate retry",
	run:      overflowingWaitHeaders,
}, {
	name:     "400 whose message, field and request id are 4 MiB each, with ESC, backspace, NUL and U+202E",
	where:    "2.16",
	expected: "Error() at most a few KiB with a marker, control and bidi characters escaped; the full texts and body still in the *Error",
	run:      hugeHostileErrorText,
}, {
	name:     "error bodies of 1 MiB without Content-Length (grown by doubling), directly and as 10 LinkContacts failures",
	where:    "2.16, LinkContacts",
	expected: "each Error.Body holds about its own size, not twice it",
	run:      errorBodiesTrimmed,
}, {
	name:     `Raw() request editor setting req.Header["intercom-version"] = "2.7" (a non-canonical key)`,
	where:    "2.7, 2.14, 2.16, Preview",
	expected: "ErrVersionOverride, nothing sent",
	run:      nonCanonicalVersionKey,
}, {
	name:     `2xx bodies "OK", 123, [] and true where ShowContact answers an object`,
	where:    "2.7, 2.14, 2.16, Preview",
	expected: "an error matching ErrWrongShape (not an empty contact), the deviation in the decode report",
	run:      wrongShaped2xx,
}}

func TestHostile(t *testing.T) {
	if len(hostileScenarios) < 12 {
		t.Fatalf("only %d hostile scenarios", len(hostileScenarios))
	}
	for i := range hostileScenarios {
		h := &hostileScenarios[i]
		t.Run(h.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			var observed string
			// A subtest of its own, so that the servers and clients the
			// scenario registered for cleanup are closed before the leak check.
			t.Run("run", func(t *testing.T) {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("panic: %v", p)
						observed = "PANIC"
					}
				}()
				observed = h.run(t)
			})
			if err := goleak.Find(ignore); err != nil {
				t.Errorf("goroutine leak: %v", err)
				observed += "; GOROUTINE LEAK"
			}
			addHostileRow(hostileRow{num: i + 1, sc: h, observed: observed, failed: t.Failed()})
		})
	}
}

type hostileRow struct {
	num      int
	sc       *hostileScenario
	observed string
	failed   bool
}

var hostileRows []hostileRow

func addHostileRow(r hostileRow) {
	rowsMu.Lock()
	defer rowsMu.Unlock()
	hostileRows = append(hostileRows, r)
}

// pathRecorder is a loopback API server that answers every request with
// answer and records the escaped path of each request it sees.
type pathRecorder struct {
	srv   *httptest.Server
	mu    sync.Mutex
	paths []string
}

func newPathRecorder(t *testing.T, answer http.HandlerFunc) *pathRecorder {
	r := &pathRecorder{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.paths = append(r.paths, req.URL.EscapedPath())
		r.mu.Unlock()
		answer(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *pathRecorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.paths...)
}

func okJSON(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}
}

// versionClient is one version package's client, called by method name
// so that one scenario covers versions whose signatures differ.
type versionClient struct {
	version string
	ops     map[string]allversions.Operation // by Go method
	client  any
}

func newVersionClient(t *testing.T, version string, opts ...facade.Option) *versionClient {
	t.Helper()
	p, ok := allversions.Named(version)
	if !ok {
		t.Fatalf("no version %s", version)
	}
	c, err := p.New(append([]facade.Option{facade.WithToken(token)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.(interface{ CloseIdleConnections() }).CloseIdleConnections)
	ops := map[string]allversions.Operation{}
	for _, op := range p.Operations {
		ops[op.GoMethod] = op
	}
	return &versionClient{version: version, ops: ops, client: c}
}

// call calls the typed method (or, with raw, the Raw() client's method)
// with ids as its string (path) arguments in order, zero values for the
// rest, and editors as the raw call's request editors.
func (v *versionClient) call(ctx context.Context, method string, raw bool, ids []string, editors ...any) (any, error) {
	recv := reflect.ValueOf(v.client)
	if raw {
		recv = recv.MethodByName("Raw").Call(nil)[0]
	}
	m := recv.MethodByName(method)
	if !m.IsValid() {
		return nil, fmt.Errorf("%s: no method %s", v.version, method)
	}
	typ := m.Type()
	args := []reflect.Value{reflect.ValueOf(ctx)}
	last := typ.NumIn()
	if typ.IsVariadic() {
		last--
	}
	for i := 1; i < last; i++ {
		a := reflect.New(typ.In(i)).Elem()
		if a.Kind() == reflect.String {
			if len(ids) == 0 {
				return nil, fmt.Errorf("%s %s takes more string arguments than the %d given", v.version, method, len(ids))
			}
			a.SetString(ids[0])
			ids = ids[1:]
		}
		args = append(args, a)
	}
	if len(ids) > 0 {
		return nil, fmt.Errorf("%s %s: %d ids left over", v.version, method, len(ids))
	}
	var out []reflect.Value
	if typ.IsVariadic() {
		slice := reflect.MakeSlice(typ.In(last), 0, len(editors))
		for _, e := range editors {
			slice = reflect.Append(slice, reflect.ValueOf(e).Convert(typ.In(last).Elem()))
		}
		out = m.CallSlice(append(args, slice))
	} else {
		out = m.Call(args)
	}
	err, _ := out[len(out)-1].Interface().(error)
	if resp, ok := out[0].Interface().(*http.Response); ok && resp != nil {
		resp.Body.Close()
	}
	return out[0].Interface(), err
}

// pathParams returns the operation's path parameter names in path order.
func (v *versionClient) pathParams(method string) []string {
	var names []string
	rest := v.ops[method].Path
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return names
		}
		j := strings.IndexByte(rest[i:], '}')
		names = append(names, rest[i+1:i+j])
		rest = rest[i+j:]
	}
}

var pathMethods = []string{"ShowContact", "DeleteContact", "AttachContactToACompany", "DetachContactFromACompany"}

func dotSegmentIDs(t *testing.T) string {
	rec := newPathRecorder(t, okJSON(`{}`))
	calls := 0
	for _, prefix := range []string{"", "/proxy/intercom"} {
		for _, vn := range hostileVersions {
			v := newVersionClient(t, vn, facade.WithBaseURL(rec.srv.URL+prefix), facade.DisableRetries())
			for _, method := range pathMethods {
				params := v.pathParams(method)
				for pos, name := range params {
					for _, bad := range []string{"..", ".", ""} {
						for _, raw := range []bool{false, true} {
							ids := make([]string, len(params))
							for i := range ids {
								ids[i] = "ok" + strconv.Itoa(i)
							}
							ids[pos] = bad
							_, err := v.call(context.Background(), method, raw, ids)
							calls++
							var argErr *facade.ArgumentError
							if !errors.As(err, &argErr) || !errors.Is(err, facade.ErrInvalidArgument) || argErr.Arg != name || argErr.Func != method {
								t.Errorf("%s %s(raw %v) with %s=%q (prefix %q): %v, want an *ArgumentError for %s", vn, method, raw, name, bad, prefix, err, name)
							}
						}
					}
				}
			}
		}
	}
	if got := rec.seen(); len(got) > 0 {
		t.Errorf("requests reached the server: %v", got)
	}
	return fmt.Sprintf("%d calls, each an *ArgumentError naming its parameter; %d requests reached the server", calls, len(rec.seen()))
}

func oddButValidIDs(t *testing.T) string {
	rec := newPathRecorder(t, okJSON(`{"type":"contact","id":"x"}`))
	odd := []string{"...", "a/b", "%2e%2e", "../x", " ", "?x=1#y"}
	n := 0
	for _, vn := range hostileVersions {
		v := newVersionClient(t, vn, facade.WithBaseURL(rec.srv.URL+"/proxy"), facade.DisableRetries())
		for _, id := range odd {
			before := len(rec.seen())
			if _, err := v.call(context.Background(), "ShowContact", false, []string{id}); err != nil {
				t.Errorf("%s ShowContact(%q): %v", vn, id, err)
				continue
			}
			seen := rec.seen()
			if len(seen) != before+1 {
				t.Errorf("%s ShowContact(%q): %d requests", vn, id, len(seen)-before)
				continue
			}
			want := "/proxy/contacts/" + strings.NewReplacer("%", "%25", "/", "%2F", " ", "%20", "?", "%3F", "#", "%23").Replace(id)
			if got := seen[len(seen)-1]; got != want {
				t.Errorf("%s ShowContact(%q) went to %s, want %s", vn, id, got, want)
			}
			n++
		}
	}
	return fmt.Sprintf("%d calls sent, each to /proxy/contacts/<the id as one escaped segment>", n)
}

func detachDotDotAgainstFake(t *testing.T) string {
	refused := 0
	for _, vn := range hostileVersions {
		srv := intercomtest.NewServer(t)
		contact := srv.AddContact(intercomtest.Contact{Email: "pat-" + vn + "@example.com"})
		company := srv.AddCompany(intercomtest.Company{CompanyID: "acme-" + vn, Name: "Acme"})
		srv.AttachCompany(contact.ID, company.ID)
		v := newVersionClient(t, vn, facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL()), facade.DisableRetries())
		_, err := v.call(context.Background(), "DetachContactFromACompany", false, []string{"..", company.ID})
		if !errors.Is(err, facade.ErrInvalidArgument) {
			t.Errorf("%s: %v, want ErrInvalidArgument", vn, err)
		} else {
			refused++
		}
		if _, ok := srv.Company(company.ID); !ok {
			t.Errorf("%s: the company was deleted", vn)
		}
		if got := srv.CompaniesOf(contact.ID); len(got) != 1 || got[0] != company.ID {
			t.Errorf("%s: the contact's companies are %v", vn, got)
		}
		srv.Close()
	}
	return fmt.Sprintf("%d of %d refused; every company and link still there", refused, len(hostileVersions))
}

func linkDotIDs(t *testing.T) string {
	rec := newPathRecorder(t, okJSON(`{}`))
	core, err := gensupport.NewCore(facade.MustParseVersion("2.16"), facade.WithToken(token), facade.WithBaseURL(rec.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, ids := range [][]string{{"c1", ".."}, {"."}, {"c1", "c2", "../companies"}} {
		_, err := core.LinkContacts(context.Background(), "co1", ids)
		var argErr *facade.ArgumentError
		if !errors.As(err, &argErr) || !strings.HasPrefix(argErr.Arg, "contactIDs[") {
			if ids[len(ids)-1] == "../companies" && err == nil {
				continue // escaped into one segment: allowed, checked below
			}
			t.Errorf("%q: %v, want an *ArgumentError naming the id", ids, err)
			continue
		}
		texts = append(texts, argErr.Arg)
	}
	for _, p := range rec.seen() {
		if !strings.HasPrefix(p, "/contacts/") || strings.Count(p, "/") != 3 {
			t.Errorf("LinkContacts sent %s", p)
		}
	}
	return fmt.Sprintf("refused %s; %d requests sent, all to /contacts/{id}/companies", strings.Join(texts, ", "), len(rec.seen()))
}

func announcedButShortBodies(t *testing.T) string {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(64<<20))
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"id":1`))
		// Returning with fewer bytes than announced closes the connection.
	}))
	defer srv.Close()
	v := newVersionClient(t, "2.16", facade.WithBaseURL(srv.URL), facade.DisableRetries())
	const calls = 8
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	errs := make([]error, calls)
	for i := range calls {
		wg.Go(func() { _, errs[i] = v.call(context.Background(), "ShowContact", false, []string{"c1"}) })
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	for i, err := range errs {
		if err == nil {
			t.Errorf("call %d: a 7-byte body of 64 MiB announced decoded without error", i)
		}
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	const budget = 32 << 20 // 8 calls x 2 attempts x the 1 MiB trusted up front, with room
	if alloc > budget {
		t.Errorf("%d calls allocated %.1f MiB, want at most %d MiB", calls, float64(alloc)/(1<<20), budget>>20)
	}
	srv.CloseClientConnections()
	v.client.(interface{ CloseIdleConnections() }).CloseIdleConnections()
	// Rounded up to 4 MiB, so that the generated report does not change
	// from run to run.
	return fmt.Sprintf("%d calls, %d requests (reads retried), at most %d MiB allocated in all, each call an error", calls, requests.Load(), (alloc>>20)/4*4+4)
}

func linkResetFarAhead(t *testing.T) string {
	clock := &fakeClock{now: epoch}
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("X-RateLimit-Limit", "1000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(clock.Now().Unix()+8_200_000_000, 10)) // 260 years
		okJSON(`{"type":"company","id":"co1"}`)(w, nil)
	}))
	defer srv.Close()
	core, err := gensupport.NewCore(facade.MustParseVersion("2.16"), facade.WithToken(token), facade.WithBaseURL(srv.URL), facade.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer core.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	res, err := core.LinkContacts(ctx, "co1", []string{"c1", "c2", "c3", "c4", "c5"})
	took := time.Since(start)
	if !errors.Is(err, facade.ErrRateLimited) || ctx.Err() != nil {
		t.Errorf("err %v (context %v), want ErrRateLimited before the deadline", err, ctx.Err())
	}
	if res.Updated != 1 || res.Failed != 4 {
		t.Errorf("updated %d, failed %d; want the first attach done and the rest failed", res.Updated, res.Failed)
	}
	if s := clock.Sleeps(); len(s) > 0 {
		t.Errorf("slept %v", s)
	}
	if took > 5*time.Second {
		t.Errorf("took %s", took)
	}
	return fmt.Sprintf("returned at once with ErrRateLimited; %d request, %d updated, %d failed; slept %d times", requests.Load(), res.Updated, res.Failed, len(clock.Sleeps()))
}

func clientTimeoutCoversCall(t *testing.T) string {
	release := make(chan struct{})
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"type":"contact",`))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	v := newVersionClient(t, "2.16", facade.WithBaseURL(srv.URL), facade.WithHTTPClient(&http.Client{Timeout: 500 * time.Millisecond}))
	start := time.Now()
	_, err := v.call(context.Background(), "ShowContact", false, []string{"c1"})
	took := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) && !isTimeout(err) {
		t.Errorf("err %v, want a deadline error", err)
	}
	if took > 900*time.Millisecond || requests.Load() != 1 {
		t.Errorf("took %s and %d requests; want about 500ms and 1", took, requests.Load())
	}
	v.client.(interface{ CloseIdleConnections() }).CloseIdleConnections()
	return fmt.Sprintf("deadline error after about %s, %d request", took.Round(100*time.Millisecond), requests.Load())
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

func overflowingWaitHeaders(t *testing.T) string {
	cases := [][2]string{
		{"Retry-After", "18446744074"},
		{"Retry-After", "9223372036854775807"},
		{"Retry-After", "1000000000000000000000000000000"},
		{"X-RateLimit-Reset", "9223372036854775807"},
		{"X-RateLimit-Reset", "18446744073709551615"},
		{"X-RateLimit-Reset", "1000000000000000000000000000000"},
	}
	var notes []string
	for _, h := range cases {
		clock := &fakeClock{now: epoch}
		var requests atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			requests.Add(1)
			w.Header().Set(h[0], h[1])
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"slow down"}]}`)
		}))
		v := newVersionClient(t, "2.16", facade.WithBaseURL(srv.URL), facade.WithClock(clock))
		_, err := v.call(context.Background(), "ShowContact", false, []string{"c1"})
		if !errors.Is(err, facade.ErrRateLimited) || requests.Load() != 1 || len(clock.Sleeps()) != 0 {
			t.Errorf("%s: %s: err %v, %d requests, slept %v; want the 429 after 1 request and no wait", h[0], h[1], err, requests.Load(), clock.Sleeps())
		}
		notes = append(notes, fmt.Sprintf("%s %s: %d request", h[0], h[1], requests.Load()))
		v.client.(interface{ CloseIdleConnections() }).CloseIdleConnections()
		srv.Close()
	}
	return "429 error at once in all " + strconv.Itoa(len(cases)) + " cases, no wait (" + strings.Join(notes, "; ") + ")"
}

func hugeHostileErrorText(t *testing.T) string {
	nasty := "\x1b[2J\x08\x00\u202e"
	big := nasty + strings.Repeat("m", 4<<20)
	body := fmt.Sprintf(`{"type":"error.list","request_id":%q,"errors":[{"code":"parameter_invalid","message":%q,"field":%q}]}`, big, big, big)
	// %q writes \x1b and \x08 as Go escapes, which JSON does not have.
	body = strings.NewReplacer(`\x1b`, `\u001b`, `\b`, `\u0008`, `\x00`, `\u0000`).Replace(body)
	rec := newPathRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, body)
	})
	v := newVersionClient(t, "2.16", facade.WithBaseURL(rec.srv.URL))
	_, err := v.call(context.Background(), "ShowContact", false, []string{"c1"})
	var apiErr *facade.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err %v, want *Error", err)
	}
	msg := apiErr.Error()
	if len(msg) > 4<<10 {
		t.Errorf("Error() is %d bytes", len(msg))
	}
	if !strings.Contains(msg, "more bytes]") {
		t.Errorf("Error() has no truncation marker: %.200q", msg)
	}
	for _, r := range msg {
		if unicode.IsControl(r) || r == '\u202e' {
			t.Errorf("Error() contains %U raw", r)
			break
		}
	}
	if len(apiErr.Errors) != 1 || apiErr.Errors[0].Message != big || apiErr.Errors[0].Field != big || len(apiErr.Body) != len(body) {
		t.Errorf("the full texts are not kept in the *Error")
	}
	return fmt.Sprintf("Error() %d bytes, escaped (`%.50s…`), full message (%d bytes) and body (%d bytes) kept", len(msg), msg[strings.Index(msg, "parameter_invalid"):], len(apiErr.Errors[0].Message), len(apiErr.Body))
}

func errorBodiesTrimmed(t *testing.T) string {
	page := bytes.Repeat([]byte("x"), 1<<20)
	rec := newPathRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnprocessableEntity)
		// Two writes with a flush between: chunked, no Content-Length.
		w.Write(page[:1000])
		w.(http.Flusher).Flush()
		w.Write(page[1000:])
	})
	slack := func(b []byte) bool { return cap(b) <= len(b)+len(b)/8+4<<10 }
	v := newVersionClient(t, "2.16", facade.WithBaseURL(rec.srv.URL))
	_, err := v.call(context.Background(), "ShowContact", false, []string{"c1"})
	var apiErr *facade.Error
	if !errors.As(err, &apiErr) || len(apiErr.Body) != len(page) || !slack(apiErr.Body) {
		t.Fatalf("err %v; want an *Error holding the 1 MiB body in about 1 MiB", err)
	}
	direct := cap(apiErr.Body)

	core, err := gensupport.NewCore(facade.MustParseVersion("2.16"), facade.WithToken(token), facade.WithBaseURL(rec.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer core.CloseIdleConnections()
	ids := make([]string, 10)
	for i := range ids {
		ids[i] = "c" + strconv.Itoa(i)
	}
	res, _ := core.LinkContacts(context.Background(), "co1", ids)
	total := 0
	for _, le := range res.Errors {
		var e *facade.Error
		if !errors.As(le.Err, &e) || !slack(e.Body) {
			t.Errorf("%s: %v: body len %d cap %d", le.ContactID, le.Err, len(e.Body), cap(e.Body))
			continue
		}
		total += cap(e.Body)
	}
	if len(res.Errors) != len(ids) {
		t.Errorf("%d failures, want %d", len(res.Errors), len(ids))
	}
	return fmt.Sprintf("one error: Body %d bytes in a %d-byte buffer; LinkContacts: %d failures hold %.1f MiB", len(page), direct, len(res.Errors), float64(total)/(1<<20))
}

func nonCanonicalVersionKey(t *testing.T) string {
	rec := newPathRecorder(t, okJSON(`{}`))
	editor := func(_ context.Context, req *http.Request) error {
		req.Header["intercom-version"] = []string{"2.7"}
		return nil
	}
	refused := 0
	for _, vn := range hostileVersions {
		v := newVersionClient(t, vn, facade.WithBaseURL(rec.srv.URL))
		_, err := v.call(context.Background(), "ShowContact", true, []string{"c1"}, editor)
		if !errors.Is(err, facade.ErrVersionOverride) {
			t.Errorf("%s: %v, want ErrVersionOverride", vn, err)
			continue
		}
		refused++
	}
	if n := len(rec.seen()); n > 0 {
		t.Errorf("%d requests sent", n)
	}
	return fmt.Sprintf("%d of %d refused with ErrVersionOverride; %d requests sent", refused, len(hostileVersions), len(rec.seen()))
}

func wrongShaped2xx(t *testing.T) string {
	n := 0
	for _, body := range []string{`"OK"`, `123`, `[]`, `true`} {
		rec := newPathRecorder(t, okJSON(body))
		for _, vn := range hostileVersions {
			v := newVersionClient(t, vn, facade.WithBaseURL(rec.srv.URL))
			ctx, report := facade.WithDecodeReport(context.Background())
			got, err := v.call(ctx, "ShowContact", false, []string{"c1"})
			if !errors.Is(err, facade.ErrWrongShape) || !reflect.ValueOf(got).IsNil() {
				t.Errorf("%s %s: %v (value %v), want ErrWrongShape and no value", vn, body, err, got)
				continue
			}
			devs := report.Deviations()
			if len(devs) != 1 || devs[0].Path != "$" || devs[0].Action != facade.Dropped {
				t.Errorf("%s %s: report %v", vn, body, devs)
				continue
			}
			n++
		}
	}
	return fmt.Sprintf("%d of 16 calls: ErrWrongShape, no value, the $ deviation reported", n)
}
