// Package faults runs the typed client of api/v2.16 against a loopback
// server that misbehaves on command (rate limits, 5xx, broken bodies,
// dropped connections, redirects, odd JSON) and checks, for every scenario,
// the kind of error, the number of attempts, the waits, and that no write
// was applied twice. Run with -report FILE to write the scenario table
// (docs/reliability.md is generated that way).
package faults

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	facade "github.com/apipin/intercom"
	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/tests/bench/fixtures"
)

var reportPath = flag.String("report", "", "write the scenario table, as Markdown, to this file")

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if *reportPath != "" {
		if err := writeReport(*reportPath); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	if err := goleak.Find(); err != nil {
		fmt.Fprintln(os.Stderr, "goroutine leak:", err)
		code = 1
	}
	os.Exit(code)
}

// withDecodeReport prepares ctx to collect what the facade coerced or
// dropped while decoding a response, and returns a function that reads
// the JSON paths it reported.
func withDecodeReport(ctx context.Context) (context.Context, func() []string) {
	ctx, rep := intercom.WithDecodeReport(ctx)
	return ctx, func() []string {
		var paths []string
		for _, d := range rep.Deviations() {
			paths = append(paths, d.Path)
		}
		return paths
	}
}

// callKind is what a scenario asks the client to do.
type callKind int

const (
	getContact    callKind = iota // GET /contacts/{id}: safe to repeat
	attachCompany                 // POST /contacts/{id}/companies: not safe to repeat
	listContacts                  // GET /contacts, one page
	walkContacts                  // GET /contacts, every page through the iterator
)

func (k callKind) String() string {
	return [...]string{"GET /contacts/{id}", "POST /contacts/{id}/companies", "GET /contacts", "GET /contacts (all pages)"}[k]
}

// serveFunc answers request number n (1-based, counted over both servers).
type serveFunc func(e *env, n int, w http.ResponseWriter, r *http.Request)

// scenario is one row of the table.
type scenario struct {
	name  string
	call  callKind
	serve serveFunc // nil: a healthy server, or body when set
	// body builds the JSON of a 200 answer to every request (on the test
	// goroutine, before the call) and returns the paths it altered.
	body func(testing.TB) (map[string]any, []string)
	// resetConns are the connections (numbered from 1 in the order they
	// are made) that the server resets as soon as it accepts them.
	resetConns []int
	options    func(e *env) []intercom.Option // extra client options
	redirect   bool                           // start a second server to redirect to
	timeout    time.Duration                  // deadline of the call; 0 gives a 20 s safety net

	want outcome
}

// errKind classifies what a call returned.
type errKind string

const (
	errNone     errKind = "no error"
	errAPI      errKind = "*intercom.Error"
	errDecode   errKind = "decoding error"
	errRead     errKind = "error reading the body"
	errDeadline errKind = "context.DeadlineExceeded"
	errTooLarge errKind = "ErrResponseTooLarge"
	errConn     errKind = "connection error"
	errCursor   errKind = "ErrRepeatedCursor"
	errOther    errKind = "other error"
)

// classify names the kind of err. The order matters: a deadline shows up
// as a net.Error too, and every error mentions the operation.
func classify(err error) errKind {
	var apiErr *intercom.Error
	var decodeErr *intercom.DecodeError
	var netErr net.Error
	switch {
	case err == nil:
		return errNone
	case errors.As(err, &apiErr):
		return errAPI
	case errors.As(err, &decodeErr):
		return errDecode
	case errors.Is(err, context.DeadlineExceeded):
		return errDeadline
	case errors.Is(err, facade.ErrResponseTooLarge):
		return errTooLarge
	case errors.Is(err, intercom.ErrRepeatedCursor):
		return errCursor
	case strings.Contains(err.Error(), ": decoding response: "):
		return errDecode
	case strings.Contains(err.Error(), ": reading response: "):
		return errRead
	case errors.As(err, &netErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errConn
	}
	return errOther
}

// outcome is what a scenario expects.
type outcome struct {
	text     string // the expectation in words, for the report
	err      errKind
	status   int // the *Error's status, for errAPI
	attempts int // requests the client sent (response hook calls)
	writes   int // POSTs the servers may have applied
	// waits are the exact fake-clock waits when the server dictates them
	// (X-RateLimit-Reset, Retry-After); nil means one jittered backoff,
	// longer than zero, before each retry.
	waits []time.Duration
	// check makes scenario-specific assertions and describes what it
	// verified, for the report.
	check func(t *testing.T, e *env, r *result) string
}

// result is what a call returned.
type result struct {
	value    any // the *T of the method, or []Contact for a walk
	err      error
	panicked any
	elapsed  time.Duration
	report   []string // JSON paths of the decoding deviations the facade reported
}

func TestFaults(t *testing.T) {
	if len(scenarios) < 30 {
		t.Fatalf("only %d scenarios; the suite promises at least 30", len(scenarios))
	}
	for i := range scenarios {
		sc := &scenarios[i]
		t.Run(sc.name, func(t *testing.T) { run(t, i+1, sc) })
	}
}

func run(t *testing.T, num int, sc *scenario) {
	ignore := goleak.IgnoreCurrent()
	e := newEnv(t, sc)
	r := e.do()
	// Closing the servers waits for their handlers, so every request is
	// recorded before verify counts them; and closing now rather than in
	// Cleanup lets a leak show in this scenario's row.
	e.close()
	rw := row{num: num, sc: sc}
	var notes []string
	if r.panicked != nil {
		t.Errorf("panic: %v", r.panicked)
		notes, rw.panicked = append(notes, "PANIC"), true
	} else {
		notes = append(notes, e.verify(t, sc.want, &r)...)
	}
	if err := goleak.Find(ignore); err != nil {
		t.Errorf("goroutine leak: %v", err)
		notes, rw.leaked = append(notes, "GOROUTINE LEAK"), true
	}
	rw.observed, rw.duplicated, rw.failed = strings.Join(notes, "; "), e.duplicated, t.Failed()
	addRow(rw)
}

// do makes the scenario's call, turning a panic into a result.
func (e *env) do() (r result) {
	ctx, cancel := context.WithTimeout(context.Background(), cmp.Or(e.sc.timeout, 20*time.Second))
	defer cancel()
	ctx, report := withDecodeReport(ctx)
	start := time.Now()
	defer func() {
		r.panicked = recover()
		r.elapsed = time.Since(start)
		r.report = report()
	}()
	c := e.client
	switch e.sc.call {
	case getContact:
		r.value, r.err = c.ShowContact(ctx, fixtures.ContactID, nil)
	case attachCompany:
		r.value, r.err = c.AttachContactToACompany(ctx, fixtures.ContactID, intercom.AttachContactToACompanyRequest{ID: fixtures.CompanyID}, nil)
	case listContacts:
		r.value, r.err = c.ListContacts(ctx, nil)
	case walkContacts:
		var items []intercom.Contact
		for it, err := range c.ListContactsAll(ctx, nil) {
			if err != nil {
				r.err = err
				break
			}
			items = append(items, it)
		}
		r.value = items
	}
	return r
}

// verify checks r against want and describes what was observed.
func (e *env) verify(t *testing.T, want outcome, r *result) []string {
	t.Helper()
	var notes []string
	kind := classify(r.err)
	switch {
	case kind == errAPI:
		var apiErr *intercom.Error
		errors.As(r.err, &apiErr)
		notes = append(notes, fmt.Sprintf("%s %d", kind, apiErr.StatusCode))
		if want.err == errAPI && apiErr.StatusCode != want.status {
			t.Errorf("status %d, want %d (%v)", apiErr.StatusCode, want.status, r.err)
		}
	case kind == errNone:
		notes = append(notes, "success")
	default:
		notes = append(notes, string(kind))
	}
	if kind != want.err {
		t.Errorf("got %s (%v), want %s", kind, r.err, want.err)
	}

	attempts := e.Attempts()
	notes = append(notes, plural(len(attempts), "attempt"))
	if len(attempts) != want.attempts {
		t.Errorf("%d attempts, want %d", len(attempts), want.attempts)
	}

	writes := 0
	for _, q := range e.Requests() {
		if q.Applied() {
			writes++
		}
	}
	if e.sc.call == attachCompany {
		notes = append(notes, plural(writes, "write")+" applied")
	}
	if writes > 1 {
		t.Errorf("a non-idempotent write was applied %d times", writes)
		e.duplicated = true
	}
	if writes != want.writes {
		t.Errorf("%d writes applied, want %d", writes, want.writes)
	}

	notes = append(notes, e.verifyWaits(t, want, attempts)...)
	if want.check != nil {
		if note := want.check(t, e, r); note != "" {
			notes = append(notes, note)
		}
	}
	return notes
}

// verifyWaits checks the fake-clock waits: exactly want.waits when the
// server dictated them, otherwise one positive backoff per retry.
func (e *env) verifyWaits(t *testing.T, want outcome, attempts []intercom.ResponseInfo) []string {
	t.Helper()
	sleeps := e.clock.Sleeps()
	if want.waits != nil {
		if !slices.Equal(sleeps, want.waits) {
			t.Errorf("waited %v, want %v", sleeps, want.waits)
		}
		return []string{"waited " + durations(sleeps)}
	}
	retries := 0
	for _, a := range attempts {
		if a.Attempt > 1 {
			retries++
		}
	}
	if len(sleeps) != retries {
		t.Errorf("%d waits for %d retries: %v", len(sleeps), retries, sleeps)
	}
	for _, d := range sleeps {
		if d <= 0 {
			t.Errorf("retried without waiting: %v", sleeps)
		}
	}
	if len(sleeps) == 0 {
		return nil
	}
	return []string{plural(len(sleeps), "backoff wait")}
}

func durations(ds []time.Duration) string {
	if len(ds) == 0 {
		return "nothing"
	}
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, ", ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// close ends the scenario's client and servers; Cleanup would do it too,
// but later than the leak check.
func (e *env) close() {
	e.client.CloseIdleConnections()
	e.closeOnce.Do(func() { close(e.quit) })
	e.api.Close()
	if e.other != nil {
		e.other.Close()
	}
}

// row is one line of the report.
type row struct {
	num      int
	sc       *scenario
	observed string
	failed   bool

	duplicated, leaked, panicked bool
}

var (
	rowsMu sync.Mutex
	rows   []row
)

func addRow(r row) {
	rowsMu.Lock()
	defer rowsMu.Unlock()
	rows = append(rows, r)
}

// writeReport writes the Markdown table of the scenarios that ran.
func writeReport(path string) error {
	rowsMu.Lock()
	defer rowsMu.Unlock()
	if len(rows) == 0 {
		return errors.New("faults: -report given but no scenario ran (use -run TestFaults)")
	}
	slices.SortFunc(rows, func(a, b row) int { return a.num - b.num })
	var b strings.Builder
	var failed, duplicated, leaked, panicked int
	count := func(n *int, b bool) {
		if b {
			*n++
		}
	}
	for _, r := range rows {
		count(&failed, r.failed)
		count(&duplicated, r.duplicated)
		count(&leaked, r.leaked)
		count(&panicked, r.panicked)
	}
	b.WriteString("# Reliability: fault injection\n\n")
	b.WriteString("Generated by `cd tests && go test ./faults -run 'TestFaults|TestHostile' -report ../../docs/reliability.md` (`make reliability`); do not edit by hand.\n\n")
	b.WriteString("Each scenario runs the typed client of `api/v2.16` (default retry policy, waits on a fake clock) against a loopback server that misbehaves as described. ")
	b.WriteString("*Attempts* are the requests the client sent (one response-hook call each, redirects included); ")
	b.WriteString("*writes applied* are the POSTs a server read and did not refuse with 429 or redirect, which must never exceed one. ")
	b.WriteString("Every scenario also checks that nothing panicked and that no goroutine outlived it.\n\n")
	fmt.Fprintf(&b, "%d scenarios: %d passed, %d failed. Scenarios with a write applied twice: %d; with a goroutine leak: %d; with a panic: %d.\n\n",
		len(rows), len(rows)-failed, failed, duplicated, leaked, panicked)
	b.WriteString("| # | scenario | call | expected | observed | result |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		result := "pass"
		if r.failed {
			result = "**FAIL**"
		}
		fmt.Fprintf(&b, "| %d | %s | `%s` | %s | %s | %s |\n", r.num, cell(r.sc.name), r.sc.call, cell(r.sc.want.text), cell(r.observed), result)
	}
	if len(hostileRows) > 0 {
		writeHostileTable(&b)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// writeHostileTable adds the hostile-input scenarios (hostile_test.go).
func writeHostileTable(b *strings.Builder) {
	slices.SortFunc(hostileRows, func(a, b hostileRow) int { return a.num - b.num })
	failed := 0
	for _, r := range hostileRows {
		if r.failed {
			failed++
		}
	}
	b.WriteString("\n## Hostile input\n\n")
	b.WriteString("Ids, servers and headers that try to reroute a request, exhaust memory, hang a call or smuggle text into logs (`TestHostile`). ")
	b.WriteString("Each scenario runs the typed clients of the versions named, or LinkContacts, against a loopback server or intercomtest, and checks that no goroutine outlived it.\n\n")
	fmt.Fprintf(b, "%d scenarios: %d passed, %d failed.\n\n", len(hostileRows), len(hostileRows)-failed, failed)
	b.WriteString("| # | scenario | where | expected | observed | result |\n|---|---|---|---|---|---|\n")
	for _, r := range hostileRows {
		result := "pass"
		if r.failed {
			result = "**FAIL**"
		}
		fmt.Fprintf(b, "| H%d | %s | %s | %s | %s | %s |\n", r.num, cell(r.sc.name), r.sc.where, cell(r.sc.expected), cell(r.observed), result)
	}
}

// cell keeps text from breaking a Markdown table row.
func cell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
