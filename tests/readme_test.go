package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apipin/intercom/internal/allversions"
	"github.com/apipin/intercom/spec"
)

// The README's program compiles against every version package with only
// its import path changed: what it teaches is the same in every version.
func TestReadmeProgramCompilesAgainstEveryVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds eleven programs")
	}
	root, err := spec.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## Pin a version\n\n```go\n")
	program, _, ok2 := strings.Cut(rest, "\n```\n")
	const imp = `intercom "github.com/apipin/intercom/api/v2.11"`
	if !ok || !ok2 || !strings.Contains(program, imp) || !strings.HasPrefix(program, "package main") {
		t.Fatalf("README: no complete Go program importing %s under \"## Pin a version\"", imp)
	}
	dir, err := os.MkdirTemp(filepath.Join(root, "tests"), "readme-build")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for _, p := range allversions.Packages {
		pkgDir := "v" + p.Version
		if p.Version == "Preview" {
			pkgDir = "preview"
		}
		src := strings.Replace(program, imp, `intercom "github.com/apipin/intercom/api/`+pkgDir+`"`, 1)
		if err := os.MkdirAll(filepath.Join(dir, pkgDir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, pkgDir, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's program does not compile against every version:\n%s", out)
	}
}
