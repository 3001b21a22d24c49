package intercom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apipin/intercom/internal/engine"
	"github.com/apipin/intercom/internal/pathparam"
)

// MaxLinkContacts is the most contact ids one LinkContacts call accepts.
// Intercom has no bulk endpoint, so every id costs a request; the cap keeps
// one call within a fraction of a rate-limit window and its result small.
const MaxLinkContacts = 100

// defaultLinkConcurrency keeps a few requests in flight: enough to hide
// round-trip latency, few enough that a call never bursts through a window.
const defaultLinkConcurrency = 4

// defaultRateWindow is Intercom's documented rate-limit window, assumed
// when a response reports X-RateLimit-Remaining without X-RateLimit-Reset.
const defaultRateWindow = 10 * time.Second

// ErrInvalidArgument matches (errors.Is) every *ArgumentError.
var ErrInvalidArgument = errors.New("intercom: invalid argument")

// ArgumentError reports an argument refused before any request was sent.
type ArgumentError struct {
	Func    string // the function refusing it, e.g. "LinkContacts"
	Arg     string // the argument, e.g. "contactIDs[3]"
	Problem string
}

func (e *ArgumentError) Error() string {
	return "intercom: " + e.Func + ": " + e.Arg + ": " + e.Problem
}

// Is makes errors.Is(err, ErrInvalidArgument) true.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

// LinkResult is the outcome of LinkContacts. Updated+Failed is the number
// of distinct ids given.
type LinkResult struct {
	Updated int         // contacts now attached (including those already attached)
	Failed  int         // contacts that are not, or not known to be, attached
	Errors  []LinkError // one per failed id, in the order the ids were given
}

// Err returns the per-contact errors joined, or nil when every contact was
// attached.
func (r LinkResult) Err() error {
	errs := make([]error, len(r.Errors))
	for i, e := range r.Errors {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// LinkError is why one contact was not attached. Err is usually an *Error
// (not_found for an unknown contact, contact_company_limit_exceeded for one
// with 1000 companies already), or the context's error for contacts left
// unattached by a cancellation.
type LinkError struct {
	ContactID string
	Err       error
}

func (e LinkError) Error() string { return "contact " + e.ContactID + ": " + e.Err.Error() }

// Unwrap gives errors.Is and errors.As access to Err.
func (e LinkError) Unwrap() error { return e.Err }

// LinkOption configures one LinkContacts call.
type LinkOption func(*linkConfig) error

type linkConfig struct {
	concurrency int
}

// WithLinkConcurrency sets how many requests LinkContacts keeps in flight at
// most (default 4, at most MaxLinkContacts). It is a ceiling: the rate-limit
// headers of the answers lower it as the window runs out.
func WithLinkConcurrency(n int) LinkOption {
	return func(c *linkConfig) error {
		if n < 1 || n > MaxLinkContacts {
			return &ArgumentError{Func: "WithLinkConcurrency", Arg: "n", Problem: fmt.Sprintf("%d is outside 1..%d", n, MaxLinkContacts)}
		}
		c.concurrency = n
		return nil
	}
}

// linkOp names the attach requests in errors, logs and hooks. The path
// parameter is spelled {id} or {contact_id} depending on the version; the
// request is the same in every one.
var linkOp = engine.Operation{ID: "attachContactToACompany", Method: http.MethodPost, Path: "/contacts/{id}/companies"}

// LinkContacts is every version Client's LinkContacts: the generated
// method's documentation (gen/templates/client.go.tmpl) says what it does.
// The request is the same in every API version, so one implementation
// serves all of them.
func (c *core) LinkContacts(ctx context.Context, companyID string, contactIDs []string, opts ...LinkOption) (LinkResult, error) {
	cfg := linkConfig{concurrency: defaultLinkConcurrency}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return LinkResult{}, err
		}
	}
	ids, err := linkIDs(companyID, contactIDs)
	if err != nil {
		return LinkResult{}, err
	}
	body, err := json.Marshal(map[string]string{"id": companyID})
	if err != nil { // unreachable: a string map always marshals
		return LinkResult{}, err
	}
	l := &linker{core: c, body: body, pace: c.linkPacer()}
	errs := l.run(ctx, ids, cfg.concurrency)

	var res LinkResult
	for i, err := range errs {
		if err == nil {
			res.Updated++
			continue
		}
		res.Failed++
		res.Errors = append(res.Errors, LinkError{ContactID: ids[i], Err: err})
	}
	switch {
	case l.stopErr != nil:
		return res, fmt.Errorf("intercom: LinkContacts stopped: this failure would repeat for every contact: %w", l.stopErr)
	case ctx.Err() != nil && res.Failed > 0:
		return res, fmt.Errorf("intercom: LinkContacts interrupted: %w", context.Cause(ctx))
	}
	return res, nil
}

// linkIDs checks the arguments and returns the distinct ids in the order
// they were given: a repeated id would only repeat a request.
func linkIDs(companyID string, contactIDs []string) ([]string, error) {
	bad := func(arg, format string, a ...any) error {
		return &ArgumentError{Func: "LinkContacts", Arg: arg, Problem: fmt.Sprintf(format, a...)}
	}
	switch n := len(contactIDs); {
	case strings.TrimSpace(companyID) == "":
		return nil, bad("companyID", "empty")
	case n == 0:
		return nil, bad("contactIDs", "no ids: give 1 to %d", MaxLinkContacts)
	case n > MaxLinkContacts:
		return nil, bad("contactIDs", "%d ids, more than the %d one call takes: split them into batches", n, MaxLinkContacts)
	}
	seen := make(map[string]bool, len(contactIDs))
	ids := make([]string, 0, len(contactIDs))
	for i, id := range contactIDs {
		if strings.TrimSpace(id) == "" {
			return nil, bad("contactIDs["+strconv.Itoa(i)+"]", "empty id")
		}
		if p := pathparam.Problem(url.PathEscape(id)); p != "" {
			return nil, bad("contactIDs["+strconv.Itoa(i)+"]", "%s", p)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// errNotSent marks ids no request was made for; run replaces it with the
// reason before returning.
var errNotSent = errors.New("intercom: not sent")

// linker runs one LinkContacts call.
type linker struct {
	core *core
	body []byte
	pace *pacer

	mu      sync.Mutex
	stopErr error // the first failure that concerns every contact
}

// run links ids with at most n requests in flight and returns one error
// (nil for success) per id.
func (l *linker) run(ctx context.Context, ids []string, n int) []error {
	errs := make([]error, len(ids))
	for i := range errs {
		errs[i] = errNotSent
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(n, len(ids)) {
		wg.Go(func() {
			for i := range jobs {
				errs[i] = l.link(ctx, ids[i])
			}
		})
	}
dispatch:
	for i := range ids {
		if l.stopped() != nil {
			break
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(jobs)
	wg.Wait()

	reason := l.stopErr
	if reason == nil {
		reason = context.Cause(ctx)
	}
	if reason == nil { // unreachable: ids go unsent only after a stop or ctx's end
		reason = errNotSent
	}
	for i, err := range errs {
		if err == errNotSent {
			errs[i] = reason
		}
	}
	return errs
}

func (l *linker) stopped() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stopErr
}

// link attaches one contact, once the pacer allows a request.
func (l *linker) link(ctx context.Context, contactID string) error {
	done, err := l.pace.acquire(ctx)
	if err != nil {
		if ctx.Err() == nil {
			l.stop(err) // a reset too far ahead: the same for every contact
		}
		return err
	}
	// The call may have been stopped while this goroutine waited.
	if l.stopped() != nil {
		done(RateLimit{}, false)
		return errNotSent
	}
	var (
		rl      RateLimit
		replied bool
	)
	err = l.core.CallEmpty(retryUnsafe(ctx), &linkOp, nil, func(ctx context.Context) (*http.Response, error) {
		u := l.core.baseURL + "/contacts/" + url.PathEscape(contactID) + "/companies"
		req, err := http.NewRequestWithContext(ctx, linkOp.Method, u, bytes.NewReader(l.body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := l.core.client.Do(req)
		if resp != nil {
			rl, replied = parseRateLimit(resp.Header), true
		}
		return resp, err
	})
	// Record a stop before releasing the pacer, which wakes the goroutines
	// that would otherwise send the next requests.
	if err != nil && affectsEveryContact(err) {
		l.stop(err)
	}
	done(rl, replied)
	return err
}

// stop records the first failure that ends the call.
func (l *linker) stop(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopErr == nil {
		l.stopErr = err
	}
}

// retryUnsafe lets the transport retry the attach POST as it would a GET
// (attaching is idempotent), keeping any per-request policy of the caller.
func retryUnsafe(ctx context.Context) context.Context {
	p := RetryPolicy{}
	if o := requestOptionsFrom(ctx); o.retry != nil {
		p = *o.retry
	}
	p.RetryUnsafe = true
	return withRequestRetry(ctx, p)
}

// affectsEveryContact reports failures that do not depend on the contact:
// sending the remaining ids would only collect the same error again.
func affectsEveryContact(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden ||
			e.HasCode("company_not_found") || e.HasCode(codeVersionInvalid)
	}
	return errors.Is(err, ErrVersionOverride)
}

// linkPacing holds the pacer of a Core's LinkContacts calls. It is shared
// so that consecutive calls (batches) start from what the last one learned
// about the window instead of probing a window it may have used up, and so
// that concurrent calls count each other's requests in flight.
type linkPacing struct {
	once sync.Once
	p    *pacer
}

func (c *core) linkPacer() *pacer {
	c.links.once.Do(func() {
		clock, maxWait := Clock(systemClock{}), defaultMaxWait
		if t, ok := c.client.Transport.(*transport); ok {
			// LinkContacts' waits follow the transport's (possibly fake)
			// clock and its bound on waits.
			clock, maxWait = t.clock, t.retry.MaxWait
		}
		c.links.p = newPacer(clock, maxWait)
	})
	return c.links.p
}

// pacer keeps a LinkContacts call within the rate-limit window the server
// reports. Intercom counts requests per fixed window; every answer carries
// the requests left (X-RateLimit-Remaining) and the window's end
// (X-RateLimit-Reset). Answers arrive out of order, so the pacer keeps the
// lowest remaining figure reported for the newest window and subtracts the
// requests still in flight: that estimate can only be below the truth, so
// the call never sends a request the window has no room for.
type pacer struct {
	clock   Clock
	maxWait time.Duration // the longest wait for a reset (RetryPolicy.MaxWait)

	mu        sync.Mutex
	known     bool // remaining and reset describe a window that has not ended
	unlimited bool // answers carry no rate-limit headers: nothing to pace
	remaining int
	reset     time.Time
	inFlight  int
	sleeping  bool          // one goroutine waits for the reset on behalf of all
	changed   chan struct{} // closed (and replaced) whenever the state changes
}

func newPacer(c Clock, maxWait time.Duration) *pacer {
	return &pacer{clock: c, maxWait: maxWait, changed: make(chan struct{})}
}

// acquire waits until a request may be sent and returns the function to
// call with what its answer reported.
func (p *pacer) acquire(ctx context.Context) (done func(rl RateLimit, replied bool), err error) {
	p.mu.Lock()
	for {
		if err := ctx.Err(); err != nil {
			p.mu.Unlock()
			return nil, err
		}
		now := p.clock.Now()
		if p.known && !now.Before(p.reset) {
			p.known = false // the window has rolled over; its figures are stale
		}
		var ok bool
		switch {
		case p.known:
			ok = p.remaining-p.inFlight > 0
		case p.unlimited:
			ok = true
		default:
			// Nothing known about the current window: one request alone
			// finds out without risking a burst into a spent window.
			ok = p.inFlight == 0
		}
		if ok {
			p.inFlight++
			p.mu.Unlock()
			return p.done, nil
		}
		if p.known && p.inFlight == 0 && !p.sleeping {
			// The window is spent and nothing is in flight that could
			// report otherwise: wait for the reset.
			wait := p.reset.Sub(now)
			if wait > p.maxWait {
				// The one bound on every wait the library decides: a reset
				// further ahead than the retry time is not waited for,
				// as the transport does not wait for such a 429.
				p.mu.Unlock()
				return nil, fmt.Errorf("%w: the rate-limit window resets in %s, more than the %s a call may wait (RetryPolicy.MaxWait)",
					ErrRateLimited, wait, p.maxWait)
			}
			p.sleeping = true
			p.mu.Unlock()
			err := p.clock.Sleep(ctx, wait)
			p.mu.Lock()
			p.sleeping = false // the next loop finds the window over (or ctx done)
			p.broadcast()
			if err != nil {
				p.mu.Unlock()
				return nil, err
			}
			continue
		}
		ch := p.changed
		p.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		p.mu.Lock()
	}
}

// done records the answer to a request acquire allowed; replied is false
// when no answer arrived. Figures without a reset time count only when
// they show room left: a lone X-RateLimit-Limit parses as "0 remaining",
// which must not stop the call for a whole window.
func (p *pacer) done(rl RateLimit, replied bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inFlight--
	switch {
	case !replied:
	case !rl.Known:
		if !p.known {
			p.unlimited = true
		}
	case rl.Reset.IsZero() && rl.Remaining == 0:
		// No information, e.g. a lone X-RateLimit-Limit.
	default:
		p.unlimited = false
		reset := rl.Reset
		if reset.IsZero() {
			// Without a reset time, the figures are taken to be the known
			// window's, or to start one of the documented length.
			reset = p.reset
			if !p.known {
				reset = p.clock.Now().Add(defaultRateWindow)
			}
		}
		switch {
		case !p.known || reset.After(p.reset): // a newer window
			p.known, p.remaining, p.reset = true, rl.Remaining, reset
		case reset.Equal(p.reset):
			p.remaining = min(p.remaining, rl.Remaining)
		} // an older window's figures say nothing about the current one
	}
	p.broadcast()
}

// broadcast wakes every goroutine waiting in acquire; p.mu must be held.
func (p *pacer) broadcast() {
	close(p.changed)
	p.changed = make(chan struct{})
}
