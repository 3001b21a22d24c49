// Package engine holds what the root package and the code generated from
// it share without either exporting it to users: the description of an
// operation, the function that sends it, and the one registration point
// through which the root package hands its (unexported) engine to
// package gensupport.
//
// It imports nothing of this module, so that the root package can import
// it; package gensupport, which imports both, gives the registered
// function back its types.
package engine

import (
	"context"
	"net/http"
)

// Operation identifies an API operation. Generated packages declare one per
// operation; the transport reads it from the context to name the operation
// in errors, logs and hooks, and checks the request path against Path.
type Operation struct {
	ID     string // operationId, e.g. "getContact"
	Method string // HTTP method
	Path   string // path template, e.g. "/contacts/{contact_id}"
	// NullableItems is set when the JSON success body is itself an array
	// or a map whose elements the description types and does not allow to
	// be null: the word list a struct field holding it would carry as its
	// nullableitems tag (one word per level, "false" for a level that
	// takes no null; gen/specdoc/nullable.go). No field holds the body, so
	// the operation carries it, and decoding reports a null element there
	// ($[0]) as it does in a tagged field. Empty for every other body.
	NullableItems string
}

// Name is how errors and logs name the operation: its operationId, or
// "METHOD path" when the spec gives none.
func (op *Operation) Name() string {
	if op.ID != "" {
		return op.ID
	}
	return op.Method + " " + op.Path
}

// SendFunc performs the HTTP call of an operation, normally through a raw
// generated client built on the engine's HTTP client. It must use the
// context it is given.
type SendFunc func(ctx context.Context) (*http.Response, error)

// Root is what the root package registers in its init: the constructor of
// its engine and its decoders. The arguments and results are typed
// in package gensupport; here they are empty interfaces because this
// package cannot import the root package.
type Root struct {
	// NewCore builds an engine pinned to version (a Version) with opts
	// (a []Option), reading the environment first when fromEnv is set.
	NewCore func(version any, opts any, fromEnv bool) (any, error)
	// Unmarshal is the strict response decoder.
	Unmarshal func(data []byte, v any) error
	// UnmarshalTolerant is the default response decoder; its first result
	// is a []Deviation.
	UnmarshalTolerant func(data []byte, v any) (any, error)
	// NotedPaths, for tests, decodes data into v and names the paths of
	// the nulls and enum values the engine noted both ways: scanned (the
	// scan of the body, ok when it did not fall back to the walk) and
	// walked (the tolerant pass's walk, which it replaces), both
	// []Deviation; noted is false when the engine failed or noted nothing.
	// nullableItems is what an Operation's NullableItems says of the body.
	NotedPaths func(data []byte, v any, nullableItems string) (scanned, walked any, ok, noted bool)
}

var root Root

// Register is called once, by the root package's init.
func Register(r Root) { root = r }

// Registered returns what the root package registered. Every package
// that calls it imports the root package, whose init has run by then.
func Registered() Root {
	if root.NewCore == nil {
		panic("intercom/internal/engine: the root package did not register its engine")
	}
	return root
}
