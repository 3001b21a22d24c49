package tests

import (
	"os/exec"
	"strings"
	"testing"
)

// Importing one version package compiles no other, and the facade compiles
// no version package.
func TestVersionPackagesAreIndependent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, pkg := range []string{"github.com/apipin/intercom", "github.com/apipin/intercom/api/v2.11", "github.com/apipin/intercom/api/preview"} {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "github.com/apipin/intercom/api/") && dep != pkg {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}
