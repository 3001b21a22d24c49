package main

import (
	"bytes"
	"go/format"
)

// The version packages import the library's copy of oapi-codegen's runtime
// (internal/oapiruntime) instead of github.com/oapi-codegen/runtime, whose
// go.mod would put 74 more modules into the module graph of every program
// that imports a version package (see internal/oapiruntime/doc.go).
// oapi-codegen's output and our templates name the upstream paths;
// useRuntimeCopy rewrites them in each generated file of a version package.
// The decoding baseline (tests/decode/defaultmodels) keeps the upstream
// runtime: it is oapi-codegen's default output, and lives in the tests
// module.
var runtimeImports = []struct{ from, to string }{
	{`"github.com/oapi-codegen/runtime"`, `runtime "` + modulePath + `/internal/oapiruntime"`},
	{`"github.com/oapi-codegen/runtime/types"`, `"` + modulePath + `/internal/oapiruntime/types"`},
}

func useRuntimeCopy(src []byte) ([]byte, error) {
	changed := false
	for _, r := range runtimeImports {
		if bytes.Contains(src, []byte(r.from)) {
			src = bytes.ReplaceAll(src, []byte(r.from), []byte(r.to))
			changed = true
		}
	}
	if !changed {
		return src, nil
	}
	return format.Source(src) // keeps the import block sorted
}
