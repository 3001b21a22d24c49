//go:build ignore

package intercom

// The generator (gen/, a module of its own) drives oapi-codegen as a library;
// gen/go.mod's tool line pins the same module version for its command, so
// `go -C gen tool oapi-codegen` matches what gen links. This file mirrors
// that line for readers and for tools that predate `tool` directives.
//
// Neither oapi-codegen nor the rest of the generator's dependencies are in
// this module's go.mod: a program that imports a version package gets only
// what the version package needs at run time (docs/performance.md). The
// build tag is "ignore", not the customary "tools": `go mod tidy` reads every
// build tag but "ignore", so a "tools" file here would pull oapi-codegen's
// modules back into this module's go.mod and every program's.
import _ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
