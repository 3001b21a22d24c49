// Package conformance calls every operation of every version package against
// Prism, a mock server that validates each request against the version's
// spec (as repaired by the generator) and answers from the spec's examples.
// The arguments are synthesized from the spec's schemas at test time; nothing
// of the specs is committed here.
package conformance

import (
	"reflect"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/allversions"
)

type (
	versionPkg = allversions.Package
	opInfo     = allversions.Operation
)

// packages lists every generated package, oldest first
// (internal/allversions checks that it is every pinned version).
var packages = allversions.Packages

// newClient is p.New with its *Client as a reflect.Value, which the suite
// calls methods on.
func newClient(p versionPkg, opts ...facade.Option) (reflect.Value, error) {
	c, err := p.New(opts...)
	return reflect.ValueOf(c), err
}
