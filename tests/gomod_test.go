package tests

import (
	"encoding/json"
	"os/exec"
	"slices"
	"testing"

	"github.com/apipin/intercom/spec"
)

// The library's go.mod requires only what the version packages need at run
// time, and goleak for its own tests (oapi-codegen's runtime is copied under
// internal/oapiruntime for this reason): every requirement it lists reaches
// the go.mod of each program that imports a version package (go list -m all
// of such a program counts them; docs/performance.md). The generator, the
// suites and the commands are modules of their own for that reason; a
// requirement added here must earn its place in every user's build.
func TestLibraryRequirements(t *testing.T) {
	root, err := spec.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "mod", "edit", "-json")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod edit -json: %v", err)
	}
	var mod struct {
		Require []struct{ Path string }
		Tool    []struct{ Path string }
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		t.Fatal(err)
	}
	allowed := []string{
		"github.com/apapsch/go-jsonmerge/v2", // internal/oapiruntime's (union bodies)
		"github.com/google/uuid",             // internal/oapiruntime's (uuid parameters)
		"go.uber.org/goleak",                 // the root package's tests
		"github.com/stretchr/testify",        // indirect: goleak's tests
	}
	for _, r := range mod.Require {
		if !slices.Contains(allowed, r.Path) {
			t.Errorf("the library's go.mod requires %s: programs that import a version package would pay for it; move its user into a module of its own (like gen/ or tests/)", r.Path)
		}
	}
	for _, tool := range mod.Tool {
		t.Errorf("the library's go.mod has a tool directive for %s: tools go in the module that runs them (gen/go.mod)", tool.Path)
	}
}
