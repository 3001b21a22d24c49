// Package runtime is a copy of the packages of github.com/oapi-codegen/runtime
// v1.8.0 that the generated version packages use (parameter styling and
// binding, JSON merging of union members, and the types package), under its
// Apache License 2.0 (LICENSE in this directory). The files are unchanged but
// for the import path of the types package; the ones no generated code
// reaches (form and JSON binding, the Duration type, strict-server
// middleware) are left out.
//
// Why a copy: a program that imports any package of a module has that
// module's go.mod requirements in its module graph, and the runtime's go.mod
// lists 74 (gin, echo, iris and theirs, for its server middleware). Through
// this copy a program that imports one version package lists 13 modules in
// `go list -m all` instead of 81 (docs/performance.md). The generator
// (gen/oapitemplates/imports.tmpl, oapi-codegen's imports template with
// these import paths) points generated code here; upgrading oapi-codegen
// means refreshing these files from the runtime version it expects.
package runtime
