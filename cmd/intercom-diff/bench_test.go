package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// largeModuleLines is the size of the module BenchmarkLargeModule reviews.
const largeModuleLines = 5000

// synthesizeLargeModule writes a module of at least lines lines of Go to
// dir: copies of the sample's contacts, support and articles files, each
// copy with its functions renamed, spread over packages of ten copies.
func synthesizeLargeModule(tb testing.TB, dir string, lines int) (written int) {
	tb.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		tb.Fatal(err)
	}
	gomod, err := os.ReadFile("testdata/sample/go.mod")
	if err != nil {
		tb.Fatal(err)
	}
	gomod = []byte(strings.Replace(strings.Replace(string(gomod), "example.com/sample", "example.com/large", 1),
		"=> ../../../..", "=> "+root, 1))
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), gomod, 0o644); err != nil {
		tb.Fatal(err)
	}
	sum, err := os.ReadFile("testdata/sample/go.sum")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		tb.Fatal(err)
	}
	funcName := regexp.MustCompile(`\bfunc (onboard|prune|rename|support|publish)\(`)
	for copyN := 0; written < lines; copyN++ {
		pkg := fmt.Sprintf("p%02d", copyN/10)
		if err := os.MkdirAll(filepath.Join(dir, pkg), 0o755); err != nil {
			tb.Fatal(err)
		}
		for _, name := range []string{"contacts.go", "support.go", "articles.go"} {
			data, err := os.ReadFile(filepath.Join("testdata/sample", name))
			if err != nil {
				tb.Fatal(err)
			}
			src := strings.Replace(string(data), "package main", "package "+pkg, 1)
			src = funcName.ReplaceAllString(src, fmt.Sprintf("func ${1}%d(", copyN))
			out := filepath.Join(dir, pkg, fmt.Sprintf("%s_%d.go", strings.TrimSuffix(name, ".go"), copyN))
			if err := os.WriteFile(out, []byte(src), 0o644); err != nil {
				tb.Fatal(err)
			}
			written += strings.Count(src, "\n")
		}
	}
	return written
}

// BenchmarkLargeModule reviews a synthesized module of 5,000 lines for
// 2.11 → 2.16 (the numbers in docs/performance.md):
//
//	cd cmd/intercom-diff && go test -run '^$' -bench LargeModule -benchtime 5x .
//
// The first run of the benchmark warms the build cache (export data of
// the version packages); every timed iteration is a whole -module run.
func BenchmarkLargeModule(b *testing.B) {
	dir := b.TempDir()
	lines := synthesizeLargeModule(b, dir, largeModuleLines)
	start := time.Now()
	if code, _, stderr := runCLI("-module", dir, "2.11", "2.16"); code != exitOK {
		b.Fatalf("exit %d\n%s", code, stderr)
	}
	first := time.Since(start)
	b.ResetTimer()
	for b.Loop() {
		if code, _, stderr := runCLI("-module", dir, "2.11", "2.16"); code != exitOK {
			b.Fatalf("exit %d\n%s", code, stderr)
		}
	}
	b.ReportMetric(float64(lines), "lines")
	// The first run also compiles the module's own packages for their
	// export data (the version packages come from the build cache).
	b.ReportMetric(first.Seconds(), "first-run-s")
}
