// Package conformance calls every operation of every version package against
// Prism, a mock server that validates each request against the version's
// spec (as repaired by the generator) and answers from the spec's examples.
// The arguments are synthesized from the spec's schemas at test time; nothing
// of the specs is committed here.
package conformance

import (
	"reflect"
	"sync"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/allversions"
	"github.com/apipin/intercom/internal/gensupport"
)

type (
	versionPkg = allversions.Package
	opInfo     = allversions.Operation
)

// packages lists every generated package, oldest first
// (internal/allversions checks that it is every pinned version).
var packages = allversions.Packages

// The suite decodes request bodies that are unions (the fake's and Prism's
// sides of every call), which no type holds for the decoder to find them
// through: every union of every version is registered first.
func init() { allversions.RegisterUnions() }

// newClient is p.New with its *Client as a reflect.Value, which the suite
// calls methods on.
func newClient(p versionPkg, opts ...facade.Option) (reflect.Value, error) {
	c, err := p.New(opts...)
	if err != nil {
		return reflect.Value{}, err
	}
	// An engine with the same options, for sending hand-made bodies the
	// way generated methods send theirs (sendRaw).
	core, err := gensupport.NewCore(facade.MustParseVersion(p.Version), opts...)
	if err != nil {
		return reflect.Value{}, err
	}
	v := reflect.ValueOf(c)
	cores.Store(v.Pointer(), core)
	return v, nil
}

// cores maps a client (its pointer) to the engine newClient made beside it.
var cores sync.Map

func coreOf(client reflect.Value) gensupport.Core {
	core, _ := cores.Load(client.Pointer())
	return core.(gensupport.Core)
}
