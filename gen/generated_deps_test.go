package main

// TestGoldenCompiles builds the golden package inside this module, so this
// module's go.mod must require what generated code imports at run time (the
// version packages live in the library's module, which requires the same).
// These imports keep `go mod tidy` from dropping them.
import (
	_ "github.com/oapi-codegen/runtime"
	_ "github.com/oapi-codegen/runtime/types"

	_ "github.com/apipin/intercom"
)
