// Command opsgen writes ../ops/zz_ops.gen.go: the structural facts about
// every operation of every pinned Intercom-Version that the intercom command
// needs (names, method, path, parameters, body, paging style). It loads each
// description through the root module's spec resolver and gen/specdoc, so it
// reads exactly the repaired documents the version packages come from.
//
//	go run ./internal/opsgen         # rewrite the table
//	go run ./internal/opsgen -check  # fail when the committed table differs
//
// Only facts are written: no descriptions, summaries or example values.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apipin/intercom/spec"
)

const out = "internal/ops/zz_ops.gen.go"

func main() {
	check := flag.Bool("check", false, "fail when "+out+" is not what the pinned descriptions give")
	flag.Parse()
	if err := run(*check); err != nil {
		fmt.Fprintln(os.Stderr, "opsgen:", err)
		os.Exit(1)
	}
}

func run(check bool) error {
	var all []versionOps
	for _, v := range spec.Versions() {
		ops, err := loadVersion(v)
		if err != nil {
			return err
		}
		all = append(all, versionOps{Name: v, Ops: ops})
	}
	if err := nameCommands(all); err != nil {
		return err
	}
	src, err := render(all)
	if err != nil {
		return err
	}
	file := filepath.FromSlash(out)
	if check {
		have, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		if !bytes.Equal(have, src) {
			return fmt.Errorf("%s is stale: run `go run ./internal/opsgen` in cmd/intercom (or make generate)", out)
		}
		return nil
	}
	return os.WriteFile(file, src, 0o644)
}
