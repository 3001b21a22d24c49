// Package tests holds the cross-version suites: every pinned version is
// checked against its own spec, loaded and verified at test time.
package tests

import (
	"reflect"
	"testing"

	"github.com/apipin/intercom/internal/allversions"
	"github.com/apipin/intercom/spec"
)

type (
	versionPkg = allversions.Package
	opInfo     = allversions.Operation
)

// packages lists every generated package, oldest first.
var packages = allversions.Packages

func TestEveryPinnedVersionHasAPackage(t *testing.T) {
	var got []string
	for _, p := range packages {
		got = append(got, p.Version)
		if p.APIVersion != p.Version {
			t.Errorf("package for %s declares APIVersion %q", p.Version, p.APIVersion)
		}
	}
	if want := spec.Versions(); !reflect.DeepEqual(got, want) {
		t.Fatalf("packages cover %v, the lock pins %v", got, want)
	}
}
