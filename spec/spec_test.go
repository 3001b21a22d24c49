package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLockPinsEveryVersion(t *testing.T) {
	want := []string{"2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16", "Preview"}
	if got := Versions(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Versions() = %v, want %v", got, want)
	}
	l := Pinned()
	if len(l.Commit) != 40 || l.Upstream == "" {
		t.Fatalf("lock has commit %q, upstream %q", l.Commit, l.Upstream)
	}
	for _, e := range l.Specs {
		if len(e.SHA256) != 64 || !strings.HasPrefix(e.Path, "descriptions/") {
			t.Errorf("%s: path %q sha256 %q", e.Version, e.Path, e.SHA256)
		}
	}
}

// plant writes data where the lock's entry for version expects it, under dir.
func plant(t *testing.T, dir, version string, data []byte) string {
	t.Helper()
	e, err := Lookup(version)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, filepath.FromSlash(e.Path))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// An altered copy found first is an error naming the file and both hashes;
// the resolver never falls through to another copy.
func TestResolveRefusesAnAlteredFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvDir, dir)
	data := []byte("openapi: 3.0.1\n")
	file := plant(t, dir, "2.11", data)
	_, err := Resolve("2.11")
	var mm *MismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("want *MismatchError, got %v", err)
	}
	sum := sha256.Sum256(data)
	e, _ := Lookup("2.11")
	for _, want := range []string{file, hex.EncodeToString(sum[:]), e.SHA256, "make specs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

// Verify accepts exactly the pinned bytes, and $INTERCOM_OPENAPI_DIR is
// searched first.
func TestResolveUsesTheEnvironmentDirectoryFirst(t *testing.T) {
	data := []byte("a description written for this test\n")
	sum := sha256.Sum256(data)
	e := Entry{Version: "test", Path: "descriptions/test/api.yaml", SHA256: hex.EncodeToString(sum[:])}
	if err := Verify(e, "x", data); err != nil {
		t.Fatalf("Verify of matching bytes: %v", err)
	}
	if err := Verify(e, "x", append(data, '!')); err == nil {
		t.Fatal("Verify accepted altered bytes")
	}
	dir := t.TempDir()
	t.Setenv(EnvDir, dir)
	if got := SearchDirs(); len(got) == 0 || got[0] != dir {
		t.Fatalf("SearchDirs() = %v, want %s first", got, dir)
	}
}

// A spec found nowhere is a *MissingError listing every place searched.
func TestResolveReportsEveryPlaceSearched(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvDir, dir)
	t.Chdir(t.TempDir()) // outside the module: only the env dir is searched
	_, err := Resolve("2.7")
	var miss *MissingError
	if !errors.As(err, &miss) {
		t.Fatalf("want *MissingError, got %v", err)
	}
	if len(miss.Searched) != 1 || !strings.HasPrefix(miss.Searched[0], dir) {
		t.Fatalf("searched %v", miss.Searched)
	}
	for _, want := range []string{"descriptions/2.7/api.intercom.io.yaml", miss.Want, "make specs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

func TestUnknownVersion(t *testing.T) {
	if _, err := Resolve("3.0"); !errors.Is(err, ErrUnknownVersion) {
		t.Fatalf("want ErrUnknownVersion, got %v", err)
	}
}

func TestRawURLPointsAtThePinnedCommit(t *testing.T) {
	e, _ := Lookup("Preview")
	u := RawURL(e)
	if !strings.Contains(u, Pinned().Commit) || !strings.HasSuffix(u, e.Path) {
		t.Fatalf("RawURL = %s", u)
	}
}
