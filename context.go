package intercom

import (
	"context"
	"net/http"
	"slices"

	"github.com/apipin/intercom/internal/engine"
)

// Context keys. Values stored under them are never mutated after being
// stored, so contexts can be shared between goroutines.
type ctxKey int

const (
	operationKey ctxKey = iota
	requestOptionsKey
)

// requestOptions are the per-request settings carried by a context.
type requestOptions struct {
	headers [][2]string // canonical key, value; applied in order
	query   [][2]string
	retry   *RetryPolicy
}

func withOperation(ctx context.Context, op *engine.Operation) context.Context {
	return context.WithValue(ctx, operationKey, op)
}

// operationFrom returns the operation being called, or nil for requests
// that did not come through Do (raw use of Core.Doer).
func operationFrom(ctx context.Context) *engine.Operation {
	op, _ := ctx.Value(operationKey).(*engine.Operation)
	return op
}

func requestOptionsFrom(ctx context.Context) requestOptions {
	o, _ := ctx.Value(requestOptionsKey).(requestOptions)
	return o
}

// withRequestOptions stores a modified copy of ctx's options. Clip makes
// the appends in the callers copy instead of writing into a slice that a
// parent context still uses.
func withRequestOptions(ctx context.Context, change func(*requestOptions)) context.Context {
	o := requestOptionsFrom(ctx)
	o.headers, o.query = slices.Clip(o.headers), slices.Clip(o.query)
	change(&o)
	return context.WithValue(ctx, requestOptionsKey, o)
}

// withRequestHeader makes requests made with ctx set header key to value
// (replacing any value the request had), on the Core's API host only.
func withRequestHeader(ctx context.Context, key, value string) context.Context {
	return withRequestOptions(ctx, func(o *requestOptions) {
		o.headers = append(o.headers, [2]string{http.CanonicalHeaderKey(key), value})
	})
}

// withRequestQuery makes requests made with ctx set query parameter key
// to value, on the Core's API host only.
func withRequestQuery(ctx context.Context, key, value string) context.Context {
	return withRequestOptions(ctx, func(o *requestOptions) {
		o.query = append(o.query, [2]string{key, value})
	})
}

// withRequestRetry makes requests made with ctx use p instead of the
// Core's retry policy; zero fields of p keep the Core's values.
func withRequestRetry(ctx context.Context, p RetryPolicy) context.Context {
	return withRequestOptions(ctx, func(o *requestOptions) { o.retry = &p })
}
