// Package intercom is the version-agnostic core of the typed Intercom API
// clients: authentication, regions, the pinned Intercom-Version header and
// version negotiation, retries and rate limits, typed errors, pagination and
// hooks.
//
// Programs import one version package, not this one:
//
//	import intercom "github.com/apipin/intercom/api/v2.11"
//
// Every package under api/ is generated from Intercom's OpenAPI description
// of that version (go generate ./... runs the generator, gen/) and delegates everything that
// versions share to this package. This package never imports a version
// package, so importing one version compiles no other.
package intercom

// The generator is a module of its own (gen/go.mod), so that its
// dependencies stay out of this module's go.mod: go -C runs it there.
//
//go:generate go -C gen run .
