//go:build ignore

package intercom

// The generator drives oapi-codegen as a library (gen/); go.mod's tool line
// pins the same module version for its command, so `go tool oapi-codegen`
// matches what gen links. This file mirrors that line for readers and for
// tools that predate `tool` directives.
//
// Its build tag is "ignore", not the customary "tools": `go mod tidy` in a
// program that imports this library reads every build tag but "ignore",
// and a "tools" file in this package made it add oapi-codegen's 21 modules
// to the program's go.mod (4 without it; see docs/performance.md).
import _ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
