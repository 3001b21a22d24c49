package main

// TestGoldenCompiles builds the golden package inside this module, so this
// module's go.mod must require what generated code imports at run time (the
// version packages live in the library's module, which requires the same):
// the library and, through its copy of oapi-codegen's runtime, the
// runtime's own dependencies.
// These imports keep `go mod tidy` from dropping them.
import (
	_ "github.com/apipin/intercom"
	_ "github.com/apipin/intercom/internal/oapiruntime"
	_ "github.com/apipin/intercom/internal/oapiruntime/types"
)
