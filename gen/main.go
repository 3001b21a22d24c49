// Command gen regenerates every version package under api/ from the pinned
// Intercom OpenAPI descriptions (`go generate ./...` runs it from the
// library's root).
//
// For each version it resolves and verifies the spec (spec package), applies
// the named repairs and strips the prose (gen/specdoc), drives oapi-codegen as
// a library for models and the raw client, and writes the thin glue that binds
// the raw client to the hand-written facade. Everything is generated into a
// temporary directory first; api/ is replaced only when every version
// succeeded, so a failure leaves the committed tree untouched.
//
// With the version packages it writes zz_versions_gen.go (the versions the
// facade knows), internal/allversions (every package in one table, for the
// cross-version suites) and tests/decode/defaultmodels (the decoding
// benchmarks' baseline: 2.16 models in oapi-codegen's default shape).
//
// It is a module of its own, so that its dependencies (oapi-codegen,
// kin-openapi, x/tools) stay out of the library's go.mod; run it in gen/:
//
//	go run .                 regenerate all of the above
//	go run . -check          regenerate into a temporary dir and diff
//	go run . -only 2.16      regenerate one version (debugging)
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/apipin/intercom/spec"
)

func main() {
	check := flag.Bool("check", false, "regenerate into a temporary directory and report files that differ from the committed ones")
	only := flag.String("only", "", "comma-separated versions to generate (default: all pinned)")
	verbose := flag.Bool("v", false, "print per-version timings and repairs")
	worker := flag.String("worker", "", "internal: generate one version into -dir (oapi-codegen keeps global state, so versions run in separate processes)")
	dir := flag.String("dir", "", "internal: output root for -worker")
	flag.Parse()
	if *worker != "" {
		if err := runWorker(*worker, *dir); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*check, *only, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(check bool, only string, verbose bool) error {
	root, err := spec.ModuleRoot()
	if err != nil {
		return err
	}
	versions := spec.Versions()
	if only != "" {
		want := strings.Split(only, ",")
		for _, v := range want {
			if !slices.Contains(versions, v) {
				return fmt.Errorf("-only: %q is not a pinned version (%s)", v, strings.Join(versions, ", "))
			}
		}
		versions = want
	}
	tmp, err := os.MkdirTemp(root, ".gen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	start := time.Now()
	jobs := versions
	if only == "" {
		jobs = append(slices.Clone(versions), baselineJob)
	}
	reports, err := generateAll(jobs, tmp)
	if err != nil {
		return err
	}
	var files []string // relative to root
	for _, r := range reports {
		files = append(files, r.Files...)
		if verbose && r.Version == baselineJob {
			fmt.Printf("%-8s %6dms  %s models in oapi-codegen's default shape\n", r.Version, r.Millis, baselineVersion)
		} else if verbose {
			fmt.Printf("%-8s %6dms  %d operations, %d iterators, repairs: %s\n", r.Version,
				r.Millis, r.Operations, r.Iterators, strings.Join(r.Repairs, ", "))
		}
	}
	if only == "" {
		for name, render := range map[string]func([]string) ([]byte, error){
			versionsFile:    renderVersionsFile,
			allVersionsFile: renderAllVersionsFile,
		} {
			src, err := render(spec.Versions())
			if err != nil {
				return err
			}
			if err := writeFile(filepath.Join(tmp, name), src); err != nil {
				return err
			}
			files = append(files, name)
		}
	}
	if verbose {
		fmt.Printf("generated %d versions in %dms\n", len(versions), time.Since(start).Milliseconds())
	}
	if check {
		return compareTrees(root, tmp, files, only == "")
	}
	return install(root, tmp, versions, only == "")
}

// versionsFile lists the shipped versions in the facade package, so that the
// facade knows them without importing any version package.
const versionsFile = "zz_versions_gen.go"

// allVersionsFile lists every version package for the cross-version test
// suites (tests/...), which would otherwise each keep their own list.
const allVersionsFile = "internal/allversions/allversions.gen.go"

// packageDir maps an Intercom-Version to its directory under api/.
func packageDir(version string) string {
	if version == "Preview" {
		return "preview"
	}
	return "v" + version
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// install moves the generated packages into place. Each version directory is
// swapped whole; with all versions generated, directories of versions no
// longer pinned are removed.
func install(root, tmp string, versions []string, all bool) error {
	for _, v := range versions {
		dst := filepath.Join(root, "api", packageDir(v))
		old := dst + ".old"
		os.RemoveAll(old)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if _, err := os.Stat(dst); err == nil {
			if err := os.Rename(dst, old); err != nil {
				return err
			}
		}
		if err := os.Rename(filepath.Join(tmp, "api", packageDir(v)), dst); err != nil {
			return err
		}
		os.RemoveAll(old)
	}
	if !all {
		return nil
	}
	entries, err := os.ReadDir(filepath.Join(root, "api"))
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, v := range versions {
		keep[packageDir(v)] = true
	}
	for _, e := range entries {
		if e.IsDir() && !keep[e.Name()] {
			if err := os.RemoveAll(filepath.Join(root, "api", e.Name())); err != nil {
				return err
			}
		}
	}
	for _, name := range []string{versionsFile, allVersionsFile, baselineFile} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(tmp, name), filepath.Join(root, name)); err != nil {
			return err
		}
	}
	return nil
}

// compareTrees reports every generated file whose committed copy is missing
// or different, and committed files under api/ that would not be generated.
func compareTrees(root, tmp string, files []string, all bool) error {
	var diffs []string
	want := map[string]bool{}
	for _, rel := range files {
		want[rel] = true
		got, err := os.ReadFile(filepath.Join(root, rel))
		gen, _ := os.ReadFile(filepath.Join(tmp, rel))
		switch {
		case err != nil:
			diffs = append(diffs, "missing: "+rel)
		case !bytes.Equal(got, gen):
			diffs = append(diffs, "differs: "+rel)
		}
	}
	if all {
		filepath.WalkDir(filepath.Join(root, "api"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				if !want[rel] {
					diffs = append(diffs, "not generated: "+rel)
				}
			}
			return nil
		})
	}
	if len(diffs) > 0 {
		slices.Sort(diffs)
		return fmt.Errorf("generated code is out of date (run `make generate`):\n  %s", strings.Join(diffs, "\n  "))
	}
	fmt.Printf("generated code is up to date (%d files)\n", len(files))
	return nil
}
