package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/gen/specdoc"
)

var summaryFile = flag.String("summary", "", "also write the conformance summary (Markdown) to this file")

const (
	// prismInstances bounds how many versions are served at once: each
	// Prism is a Node process holding a parsed spec.
	prismInstances = 3
	// callWorkers is how many calls run at once against one Prism.
	callWorkers = 8
)

// responseAllowList holds operations whose upstream 2xx example breaks
// the response schema so that the generated type cannot decode it; keyed
// "METHOD path", for every version where it happens, with the reason found
// by reading the example against the schema. Examples that break their
// schema in ways the types tolerate (a required property missing, a format
// not met) are not listed: they decode, and are counted in the summary. An
// entry that matches no failing answer fails the test, so the list only
// shrinks.
var responseAllowList = map[string]string{}

// versionResult is the tally of one version.
type versionResult struct {
	Version                                               string
	Operations, Called, Accepted, Decoded, Listed, Failed int
	Requests, BrokenExamples, Negative, NegativePassed    int
	PrismMissed                                           int // operations only kin-openapi found invalid
	listedOps                                             []string
	broken                                                map[string]string // operation -> first answer violation
	replay                                                *replayer         // nil without -prism-replay
}

// Every operation of every version, called through the version package
// with arguments synthesized from the spec, is accepted by Prism, and its
// answer decodes into the generated type (or is allow-listed).
func TestConformance(t *testing.T) {
	bin := prismPath(t)
	start := time.Now()
	results := make([]*versionResult, len(packages))
	sem := make(chan struct{}, prismInstances)
	t.Cleanup(func() {
		if n := prismResets.Load(); n > 0 {
			t.Logf("Prism reset the connection of %d calls before answering; each was sent once more", n)
		}
	})
	t.Run("version", func(t *testing.T) {
		for i, p := range packages {
			t.Run(p.Version, func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				results[i] = runVersion(t, bin, p)
			})
		}
	})
	used := map[string]bool{}
	ran := results[:0]
	for _, r := range results {
		if r == nil {
			continue // filtered out with -run, or stopped by t.Fatal
		}
		ran = append(ran, r)
		for _, k := range r.listedOps {
			used[k] = true
		}
	}
	results = ran
	if len(results) < len(packages) {
		t.Logf("%d of %d versions ran: the allow-list is not checked for stale entries", len(results), len(packages))
	} else {
		for k := range responseAllowList {
			if !used[k] {
				t.Errorf("response allow-list entry %q matches no answer that fails to decode: remove it", k)
			}
		}
	}
	summary := renderSummary(results)
	fmt.Printf("%s\n(%d versions in %v; %s)\n", summary, len(results), time.Since(start).Round(time.Second), replaySummary(results))
	// The record of a run that passed whole replaces the last one.
	if *replayDir != "" && !t.Failed() && len(results) == len(packages) {
		for _, r := range results {
			if r.replay != nil {
				if err := r.replay.save(); err != nil {
					t.Error(err)
				}
			}
		}
	}
	switch {
	case *summaryFile == "":
	case len(results) < len(packages):
		t.Errorf("-summary %s: not written, since not every version ran", *summaryFile)
	default:
		if err := os.WriteFile(*summaryFile, []byte(summary), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func runVersion(t *testing.T, bin string, p versionPkg) *versionResult {
	began := time.Now()
	d, err := specdoc.Load(p.Version)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := d.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	data, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	rp, err := openReplayer(p.Version, data, bin)
	if err != nil {
		t.Fatal(err)
	}
	var prism func() (string, error)
	if rp == nil || rp.known == nil {
		// Every answer may have to come from Prism: start it now, as
		// before any record existed.
		srv, err := startPrism(t, bin, d, data)
		if err != nil {
			t.Fatal(err)
		}
		host := strings.TrimPrefix(srv.URL, "http://")
		prism = func() (string, error) { return host, nil }
	} else {
		// Started for the first request the record does not answer.
		prism = sync.OnceValues(func() (string, error) {
			srv, err := startPrism(t, bin, d, data)
			if err != nil {
				return "", err
			}
			return strings.TrimPrefix(srv.URL, "http://"), nil
		})
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// One connection per call. Prism's server (Node's http) closes a
	// keep-alive connection after 5 s idle by its own clock, which starts
	// when it has written a response, before the client has read it; a POST
	// written on such a connection just then fails with "connection reset
	// by peer", which the transport may not retry (not idempotent). Keeping
	// idle connections under 3 s was not enough on a loaded machine (2.11
	// POST /help_center/collections, twice). A new loopback connection per
	// call costs little next to Prism's own work per request.
	transport.DisableKeepAlives = true
	t.Cleanup(transport.CloseIdleConnections)
	client, err := newClient(p, facade.WithToken("test"), facade.WithBaseURL("http://"+clientHost), facade.DisableRetries(),
		facade.WithHTTPClient(&http.Client{Transport: recorder{base: transport, host: clientHost, server: prism, replay: rp}}))
	if err != nil {
		t.Fatal(err)
	}

	res := &versionResult{Version: p.Version, Operations: len(p.Operations), broken: map[string]string{}, replay: rp}
	type job struct {
		op      operation
		variant variant
	}
	var jobs []job
	ops := make([]operation, 0, len(p.Operations))
	for _, info := range p.Operations {
		o, err := lookup(p.Version, doc, client, info)
		if err != nil {
			t.Errorf("%s %s: %v", info.Method, info.Path, err)
			res.Failed++
			continue
		}
		ops = append(ops, o)
		for _, v := range o.variants() {
			jobs = append(jobs, job{o, v})
		}
	}

	outcomes := make([]callOutcome, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range callWorkers {
		wg.Go(func() {
			for i := range next {
				outcomes[i] = call(t.Context(), jobs[i].op, jobs[i].variant)
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()

	byOp := map[string][]callOutcome{}
	for i, j := range jobs {
		byOp[j.op.key()] = append(byOp[j.op.key()], outcomes[i])
	}
	for _, o := range ops {
		agg := aggregate(byOp[o.key()])
		res.Requests += agg.sent
		if agg.sent > 0 {
			res.Called++
		}
		if agg.accepted {
			res.Accepted++
		}
		if agg.decoded {
			res.Decoded++
		}
		if agg.listed {
			res.Listed++
			res.listedOps = append(res.listedOps, o.key())
		}
		if agg.prismMissed {
			res.PrismMissed++
		}
		if agg.brokenExample != "" {
			res.BrokenExamples++
			res.broken[o.key()] = agg.brokenExample
		}
		if len(agg.failures) > 0 {
			res.Failed++
			t.Errorf("%s (%s): %s", o.key(), o.info.GoMethod, strings.Join(agg.failures, "\n\t"))
		}
	}
	res.Negative, res.NegativePassed = runNegative(t, ops)
	t.Logf("%s: %d operations, %d requests in %v; %d operations invalid where only kin-openapi noticed; %s", p.Version,
		len(ops), res.Requests, time.Since(began).Round(time.Millisecond), res.PrismMissed, rp.summary())
	return res
}

// callOutcome is the verdict on one call.
type callOutcome struct {
	sent, accepted, decoded, listed bool
	brokenExample                   string // the answer's first violation of its schema
	prismMissed                     bool   // kin-openapi rejects a request Prism accepted
	failure                         string
}

type opOutcome struct {
	sent                                   int
	accepted, decoded, listed, prismMissed bool
	brokenExample                          string
	failures                               []string
}

func aggregate(cs []callOutcome) opOutcome {
	out := opOutcome{accepted: true, decoded: true}
	for _, c := range cs {
		if c.sent {
			out.sent++
		}
		out.accepted = out.accepted && c.accepted
		out.decoded = out.decoded && c.decoded
		out.listed = out.listed || c.listed
		out.prismMissed = out.prismMissed || c.prismMissed
		if out.brokenExample == "" {
			out.brokenExample = c.brokenExample
		}
		if c.failure != "" {
			out.failures = append(out.failures, c.failure)
		}
	}
	return out
}

// call makes one call of o and judges it.
func call(parent context.Context, o operation, v variant) callOutcome {
	r, err := o.build(v)
	if err != nil {
		return callOutcome{failure: fmt.Sprintf("%s: cannot build the call: %v", v, err)}
	}
	ctx, cancel := waitCtx(parent)
	defer cancel()
	ex := &exchange{}
	err = o.invoke(context.WithValue(ctx, exchangeKey{}, ex), r)
	out := judge(o, r, ex, err)
	if ex.sent {
		// A second opinion on the request, whatever Prism said.
		if probs := o.kinProblems(ctx, r, ex); len(probs) > 0 {
			out.accepted, out.decoded = false, false
			out.prismMissed = out.failure == ""
			out.failure += fmt.Sprintf("\n\t%s: kin-openapi rejects the request: %s", v, strings.Join(probs, "; "))
		}
	}
	return out
}

// judge classifies a call from what went over the wire and what the
// method returned: the request must be the one asked for and valid, and a
// 2xx answer must decode (or be allow-listed).
func judge(o operation, r request, ex *exchange, err error) callOutcome {
	fail := func(format string, args ...any) callOutcome {
		return callOutcome{sent: ex.sent, failure: fmt.Sprintf("%s: ", r.variant) + fmt.Sprintf(format, args...)}
	}
	if !ex.sent {
		return fail("%v: %v", errNotSent, err)
	}
	if probs := o.wireProblems(r, ex); len(probs) > 0 {
		return fail("the request sent is not the one asked for: %s", strings.Join(probs, "; "))
	}
	reqV, respV := violations(ex)
	if len(reqV) > 0 {
		return fail("Prism rejects the request (%d): %s", ex.status, strings.Join(reqV, "; "))
	}
	if ex.leakedToken {
		return fail("the token went along with a redirect to %v", ex.elsewhere)
	}
	out := callOutcome{sent: true, accepted: true}
	if len(respV) > 0 {
		// The message alone: it names the property already.
		_, msg, _ := strings.Cut(respV[0], "] ")
		out.brokenExample = msg
	}
	switch {
	case ex.status >= 200 && ex.status <= 299 && err == nil:
		out.decoded = true
	case ex.status >= 300 && ex.status <= 399 && err == nil && len(ex.elsewhere) > 0:
		out.decoded = true // a redirect the spec declares, followed
	case ex.status >= 200 && ex.status <= 299:
		if _, ok := responseAllowList[o.key()]; ok {
			out.listed = true
			return out
		}
		out.failure = fmt.Sprintf("%s: the answer does not decode: %v", r.variant, err)
	default:
		var apiErr *facade.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != ex.status {
			return fail("status %d did not surface as an *intercom.Error: %v", ex.status, err)
		}
		return fail("status %d for a valid request: %s", ex.status, short(string(ex.respBody)))
	}
	return out
}

// prismProblem is Prism's problem+json answer.
type prismProblem struct {
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Validation []violation `json:"validation"`
}

type violation struct {
	Location []string `json:"location"`
	Severity string   `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
}

func (v violation) String() string {
	return fmt.Sprintf("%s [%s] %s", strings.Join(v.Location, "."), v.Severity, v.Message)
}

// violations reads Prism's verdicts: the sl-violations header, and the
// problem body of an error Prism made itself (an invalid request for which
// the spec declares no 4xx answer, a failed security check), whose entries
// are the request's. Violations at "response…" are the answer's; any
// other is the request's.
func violations(ex *exchange) (req, resp []string) {
	var all []violation
	if h := ex.respHeader.Get("sl-violations"); h != "" {
		if err := json.Unmarshal([]byte(h), &all); err != nil {
			req = append(req, "unreadable sl-violations header: "+h)
		}
	}
	var prob prismProblem
	if strings.Contains(ex.respHeader.Get("Content-Type"), "problem+json") &&
		json.Unmarshal(ex.respBody, &prob) == nil && strings.Contains(prob.Type, "stoplight.io/prism") {
		all = append(all, prob.Validation...)
		if len(prob.Validation) == 0 {
			req = append(req, prob.Title)
		}
	}
	seen := map[string]bool{}
	for _, v := range all {
		s := v.String()
		if seen[s] {
			continue
		}
		seen[s] = true
		if len(v.Location) > 0 && v.Location[0] == "response" {
			resp = append(resp, s)
		} else {
			req = append(req, s)
		}
	}
	return req, resp
}

// replaySummary counts the answers replayed and those Prism gave.
func replaySummary(results []*versionResult) string {
	var replayed, live int64
	for _, r := range results {
		if r.replay == nil {
			return "every answer from Prism"
		}
		replayed += r.replay.replayed.Load()
		live += r.replay.live.Load()
	}
	return fmt.Sprintf("%d answers replayed from %s, %d from Prism", replayed, *replayDir, live)
}

func renderSummary(results []*versionResult) string {
	var b strings.Builder
	b.WriteString(`# Conformance

Every operation of every version package, called through its typed method with arguments
synthesized from the version's spec (required inputs only, then every optional input as well),
against the Prism mock server, which validates each request and answers from the spec's
examples. Written by ` + "`make conformance`" + `; the harness is tests/conformance.

- called: at least one request reached Prism; accepted: Prism found every request valid and
  it carried exactly the arguments given; decoded: every 2xx answer decoded into the generated
  type; allow-listed: the answer does not decode because the spec's example breaks its own
  schema (reasons in tests/conformance); failed: anything else.
- examples off-schema: answers Prism flags as breaking their schema but that decode anyway.
- negative: invalid calls that surface as typed errors (see tests/conformance/negative_test.go).

`)
	b.WriteString("| version | operations | called | accepted | decoded | allow-listed | failed | requests | examples off-schema | negative |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	row := func(name string, r versionResult) {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d (%.1f%%) | %d | %d | %d | %d/%d |\n", name, r.Operations, r.Called,
			r.Accepted, r.Decoded, r.Listed, pct(r.Listed, r.Operations), r.Failed, r.Requests, r.BrokenExamples,
			r.NegativePassed, r.Negative)
	}
	var tot versionResult
	broken := map[string][]string{} // operation -> versions
	sample := map[string]string{}
	for _, r := range results {
		row(r.Version, *r)
		tot.Operations += r.Operations
		tot.Called += r.Called
		tot.Accepted += r.Accepted
		tot.Decoded += r.Decoded
		tot.Listed += r.Listed
		tot.Failed += r.Failed
		tot.Requests += r.Requests
		tot.BrokenExamples += r.BrokenExamples
		tot.Negative += r.Negative
		tot.NegativePassed += r.NegativePassed
		for op, v := range r.broken {
			broken[op] = append(broken[op], r.Version)
			sample[op] = v
		}
	}
	row("**all**", tot)
	if len(responseAllowList) > 0 {
		b.WriteString("\n## Allow-listed answers\n\n")
		for _, k := range slices.Sorted(maps.Keys(responseAllowList)) {
			fmt.Fprintf(&b, "- `%s`: %s\n", k, responseAllowList[k])
		}
	}
	if len(broken) > 0 {
		b.WriteString("\n## Examples off their schema (decoded anyway)\n\n")
		b.WriteString("Upstream defects to report: the first violation Prism finds, and the versions.\n\n")
		for _, op := range slices.Sorted(maps.Keys(broken)) {
			fmt.Fprintf(&b, "- `%s` (%s): %s\n", op, strings.Join(broken[op], ", "), sample[op])
		}
	}
	return b.String()
}

func pct(n, of int) float64 { return 100 * float64(n) / float64(max(of, 1)) }
