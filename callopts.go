package intercom

import (
	"context"
	"fmt"
	"time"
)

// CallOption changes one call of a typed method, which takes them last:
//
//	c.ShowContact(ctx, id, nil, intercom.CallTimeout(5*time.Second))
//
// They apply to that call only (every page of an iterator, every attempt
// of a retried request), never to other calls made with the same context.
type CallOption func(*callSettings)

type callSettings struct {
	headers [][2]string
	query   [][2]string
	retry   *RetryPolicy
	timeout time.Duration
	err     error // the first invalid option
}

// CallHeader sets header key to value on the call's requests, replacing
// any value the operation sets (an Idempotency-Key, a tracing header). It
// is sent to the API host only, never to a host a redirect points to. An
// Intercom-Version other than the pinned one makes the call fail with
// ErrVersionOverride.
func CallHeader(key, value string) CallOption {
	return func(s *callSettings) { s.headers = append(s.headers, [2]string{key, value}) }
}

// CallQuery sets query parameter key to value on the call's requests: for
// a parameter the operation's description lacks.
func CallQuery(key, value string) CallOption {
	return func(s *callSettings) { s.query = append(s.query, [2]string{key, value}) }
}

// CallRetry retries the call's requests by p instead of the client's
// policy; zero fields of p keep the client's values.
func CallRetry(p RetryPolicy) CallOption {
	return func(s *callSettings) { s.retry = &p }
}

// CallTimeout bounds the whole call, retries and waits included (and, for
// an iterator, each page's call).
func CallTimeout(d time.Duration) CallOption {
	return func(s *callSettings) {
		if d <= 0 && s.err == nil {
			s.err = &ArgumentError{Func: "CallTimeout", Arg: "d", Problem: fmt.Sprintf("%s is not a positive duration", d)}
		}
		s.timeout = d
	}
}

// applyCallOptions returns ctx carrying opts for the transport, and the
// cancel function of the timeout (a no-op without one).
func applyCallOptions(ctx context.Context, opts []CallOption) (context.Context, context.CancelFunc, error) {
	if len(opts) == 0 {
		return ctx, func() {}, nil
	}
	var s callSettings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if s.err != nil {
		return ctx, func() {}, s.err
	}
	if s.retry != nil {
		if err := s.retry.validate(); err != nil {
			return ctx, func() {}, err
		}
	}
	for _, h := range s.headers {
		ctx = withRequestHeader(ctx, h[0], h[1])
	}
	for _, q := range s.query {
		ctx = withRequestQuery(ctx, q[0], q[1])
	}
	if s.retry != nil {
		ctx = withRequestRetry(ctx, *s.retry)
	}
	if s.timeout > 0 {
		ctx, cancel := context.WithTimeout(ctx, s.timeout)
		return ctx, cancel, nil
	}
	return ctx, func() {}, nil
}
