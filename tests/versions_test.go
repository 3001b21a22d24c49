// Package tests holds the cross-version suites: every pinned version is
// checked against its own spec, loaded and verified at test time.
package tests

import "github.com/apipin/intercom/internal/allversions"

type (
	versionPkg = allversions.Package
	opInfo     = allversions.Operation
)

// packages lists every generated package, oldest first
// (internal/allversions checks that it is every pinned version).
var packages = allversions.Packages
