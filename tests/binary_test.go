package tests

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// A version package registers nothing at init (internal/jsondec's probe,
// docs/performance.md "Binary size"), so a program links the union tables
// of the types it decodes and no others. bench/size/typed makes five
// calls whose results hold no union: it must link none, nor the
// registerUnions function the suites reach by linkname. (Before, every
// program linked every union, holder and enum of the package: 1.2 MB of
// the one-call program.)
func TestProgramLinksOnlyTheUnionsItDecodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	bin := filepath.Join(t.TempDir(), "typed")
	if out, err := exec.Command("go", "build", "-o", bin, "./bench/size/typed").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	pkg := regexp.QuoteMeta("github.com/apipin/intercom/api/v2%2e16.")
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)` + pkg + `union[A-Z]\w*$`),
		regexp.MustCompile(`(?m)` + pkg + `registerUnions$`),
		regexp.MustCompile(`internal/union\.Register\[`),
	} {
		if found := re.FindAll(out, 5); len(found) > 0 {
			t.Errorf("the program links %q (%d shown)", found, len(found))
		}
	}
	// The test can fail: the symbols are spelled as the linker names them.
	if !regexp.MustCompile(pkg + `\(\*Client\)\.ShowContact`).Match(out) {
		t.Fatal("no ShowContact in the symbol table: the patterns above would miss too")
	}
}
