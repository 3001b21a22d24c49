package allversions

import (
	"reflect"
	"testing"

	"github.com/apipin/intercom/spec"
)

// The table covers exactly the pinned versions, oldest first, and each
// entry is the package of its version: the cross-version suites that range
// over it (tests/, tests/conformance, tests/decode) then cover every
// version too.
func TestPackagesAreThePinnedVersions(t *testing.T) {
	var got []string
	for _, p := range Packages {
		got = append(got, p.Version)
		if p.APIVersion != p.Version {
			t.Errorf("package for %s declares APIVersion %q", p.Version, p.APIVersion)
		}
		if len(p.Operations) == 0 || p.Client == nil || p.New == nil {
			t.Errorf("package for %s: %d operations, client type %v", p.Version, len(p.Operations), p.Client)
		}
	}
	if want := spec.Versions(); !reflect.DeepEqual(got, want) {
		t.Fatalf("packages cover %v, the lock pins %v", got, want)
	}
}
