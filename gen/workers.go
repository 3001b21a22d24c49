package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"
)

// report is what a worker prints about the version it generated.
type report struct {
	Version    string
	Files      []string // relative to the module root
	Operations int
	Iterators  int
	Repairs    []string
	Millis     int64
}

// generateAll generates versions into dir, one worker process per version
// and as many at once as there are CPUs: oapi-codegen keeps its state in
// package globals, so versions cannot share a process concurrently.
func generateAll(versions []string, dir string) ([]report, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var (
		mu      sync.Mutex
		reports []report
		errs    []error
		wg      sync.WaitGroup
		slots   = make(chan struct{}, runtime.NumCPU())
	)
	for _, v := range versions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(exe, "-worker", v, "-dir", dir)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var r report
			if err == nil {
				err = json.Unmarshal(stdout.Bytes(), &r)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %v\n%s", v, err, bytes.TrimSpace(stderr.Bytes())))
				return
			}
			reports = append(reports, r)
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
		return nil, fmt.Errorf("%d of %d versions failed:\n%v", len(errs), len(versions), errs)
	}
	order := map[string]int{}
	for i, v := range versions {
		order[v] = i
	}
	sort.Slice(reports, func(i, j int) bool { return order[reports[i].Version] < order[reports[j].Version] })
	return reports, nil
}

// runWorker generates one version into dir and prints its report as JSON.
func runWorker(version, dir string) error {
	if dir == "" {
		return fmt.Errorf("-worker needs -dir")
	}
	t0 := time.Now()
	if version == baselineJob {
		src, err := generateBaseline()
		if err == nil {
			err = writeFile(filepath.Join(dir, baselineFile), src)
		}
		if err != nil {
			return err
		}
		r := report{Version: version, Files: []string{baselineFile}, Millis: time.Since(t0).Milliseconds()}
		return json.NewEncoder(os.Stdout).Encode(r)
	}
	out, err := generateVersion(version)
	if err != nil {
		return err
	}
	r := report{Version: version, Operations: out.operations, Iterators: out.iterators, Repairs: out.repairs}
	for name, src := range out.files {
		rel := filepath.Join("api", packageDir(version), name)
		if err := writeFile(filepath.Join(dir, rel), src); err != nil {
			return err
		}
		r.Files = append(r.Files, rel)
	}
	sort.Strings(r.Files)
	r.Millis = time.Since(t0).Milliseconds()
	return json.NewEncoder(os.Stdout).Encode(r)
}
