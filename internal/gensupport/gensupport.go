// Package gensupport is what the generated version packages (and this
// module's tools and tests) call to reach the root package's engine. It
// is internal so that the root package's API holds only what programs
// use: options, regions, versions, errors and reports.
package gensupport

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/engine"
)

// Operation and SendFunc are the engine's; the aliases spare generated
// code a second import.
type (
	Operation = engine.Operation
	SendFunc  = engine.SendFunc
)

// Core is the root package's engine as generated clients hold it: one per
// Client, safe for concurrent use.
type Core interface {
	// Call sends op and decodes a 2xx JSON body into out, a pointer to a
	// zero value; any other answer is an *intercom.Error.
	Call(ctx context.Context, op *Operation, opts []facade.CallOption, send SendFunc, out any) error
	// CallEmpty sends op and discards a 2xx body.
	CallEmpty(ctx context.Context, op *Operation, opts []facade.CallOption, send SendFunc) error
	// CallBytes sends op asking for accept and returns the 2xx body as sent.
	CallBytes(ctx context.Context, op *Operation, accept string, opts []facade.CallOption, send SendFunc) ([]byte, error)

	Version() facade.Version
	BaseURL() string
	Doer() interface {
		Do(*http.Request) (*http.Response, error)
	}
	StrictDecoding() bool
	Logger() *slog.Logger
	CloseIdleConnections()
	Probe(ctx context.Context) (facade.Workspace, error)
	LinkContacts(ctx context.Context, companyID string, contactIDs []string, opts ...facade.LinkOption) (facade.LinkResult, error)
}

// NewCore returns an engine pinned to v: what a version package's New
// builds its Client on.
func NewCore(v facade.Version, opts ...facade.Option) (Core, error) {
	return newCore(v, opts, false)
}

// NewFromEnv is NewCore with the token and region read from the
// environment first (INTERCOM_TOKEN, INTERCOM_REGION); opts override both.
func NewFromEnv(v facade.Version, opts ...facade.Option) (Core, error) {
	return newCore(v, opts, true)
}

func newCore(v facade.Version, opts []facade.Option, fromEnv bool) (Core, error) {
	c, err := engine.Registered().NewCore(v, opts, fromEnv)
	if err != nil {
		return nil, err
	}
	core, ok := c.(Core)
	if !ok {
		return nil, fmt.Errorf("intercom: internal error: the engine is a %T", c)
	}
	return core, nil
}

// Do sends op and decodes a 2xx JSON body into a new T; an empty 2xx body
// gives a pointer to the zero T. The generated methods spell it out
// (new, Call) instead of calling it: one instance of Do per result type
// was ~230 functions per version package, compiled and linked; the suites
// use it.
func Do[T any](ctx context.Context, c Core, op *Operation, opts []facade.CallOption, send SendFunc) (*T, error) {
	v := new(T)
	if err := c.Call(ctx, op, opts, send, v); err != nil {
		return nil, err
	}
	return v, nil
}

// DoEmpty sends op, which has no JSON success body.
func DoEmpty(ctx context.Context, c Core, op *Operation, opts []facade.CallOption, send SendFunc) error {
	return c.CallEmpty(ctx, op, opts, send)
}

// DoBytes sends op, whose success body is not JSON, asking for accept.
func DoBytes(ctx context.Context, c Core, op *Operation, accept string, opts []facade.CallOption, send SendFunc) ([]byte, error) {
	return c.CallBytes(ctx, op, accept, opts, send)
}

// Unmarshal decodes data into v, which should point to a zero value, with
// the strict step of response decoding: the value, or the error, is the
// one encoding/json gives, obtained faster. data is copied first.
func Unmarshal(data []byte, v any) error {
	return engine.Registered().Unmarshal(data, v)
}

// UnmarshalTolerant decodes data into v the way typed methods decode a
// response by default: strictly when the body fits v, else tolerantly,
// returning what was coerced or dropped.
func UnmarshalTolerant(data []byte, v any) ([]facade.Deviation, error) {
	devs, err := engine.Registered().UnmarshalTolerant(data, v)
	d, _ := devs.([]facade.Deviation)
	return d, err
}
