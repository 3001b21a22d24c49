// Command fetch fills the module's spec cache (`make specs`): for every
// pinned Intercom-Version that no search location holds yet, it downloads the
// description from upstream at the pinned commit, verifies its sha256 and only
// then moves it into the cache. A file that fails verification is never kept.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/apipin/intercom/spec"
)

func main() {
	timeout := flag.Duration("timeout", 2*time.Minute, "overall download timeout")
	force := flag.Bool("force", false, "download even when a verified copy is found")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := run(ctx, *force); err != nil {
		fmt.Fprintln(os.Stderr, "specs:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, force bool) error {
	root, err := spec.ModuleRoot()
	if err != nil {
		return err
	}
	cache := spec.CacheDir(root)
	var failed []error
	for _, e := range spec.Pinned().Specs {
		if !force {
			r, err := spec.Resolve(e.Version)
			if err == nil {
				fmt.Printf("%-8s ok      %s\n", e.Version, r.File)
				continue
			}
			var miss *spec.MissingError
			if !errors.As(err, &miss) {
				// An altered copy is in the way: say so rather than shadow it.
				failed = append(failed, err)
				continue
			}
		}
		dst := filepath.Join(cache, filepath.FromSlash(e.Path))
		if err := download(ctx, e, dst); err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", e.Version, err))
			continue
		}
		fmt.Printf("%-8s fetched %s\n", e.Version, dst)
	}
	return errors.Join(failed...)
}

func download(ctx context.Context, e spec.Entry, dst string) error {
	url := spec.RawURL(e)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("download %s: %w (no network? set $%s to a checkout instead)", url, err, spec.EnvDir)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("download %s: %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("download %s: %w", url, err)
	}
	if err := spec.Verify(e, url, data); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".fetch-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
