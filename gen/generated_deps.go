//go:build generateddeps

package main

// TestGoldenCompiles builds the golden package inside this module, so this
// module's go.mod must require what generated code imports at run time (the
// version packages live in the library's module, which requires the same):
// the library and, through its copy of oapi-codegen's runtime, the
// runtime's own dependencies.
// These imports keep `go mod tidy` (which reads files of every build tag
// but "ignore") from dropping them. The build tag keeps them out of the
// generator and its tests, which do not run the library's code: so that
// the steps of `make test` that run them are keyed on the library's API,
// not its code (api: inputs in scripts/unchanged.sh).
import (
	_ "github.com/apipin/intercom"
	_ "github.com/apipin/intercom/internal/oapiruntime"
	_ "github.com/apipin/intercom/internal/oapiruntime/types"
)
