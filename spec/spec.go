// Package spec is the lock on Intercom's published OpenAPI descriptions: for
// every Intercom-Version this module ships, the upstream repository, the path
// of the description in it, the commit it was taken from and its sha256.
//
// The descriptions themselves are never committed. Resolve finds a local copy,
// verifies it against the lock and returns its bytes; a missing or altered
// file is an error that names the file, both hashes and how to get the right
// one.
package spec

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvDir names the environment variable that points at a directory laid out
// like the upstream repository (descriptions/<version>/api.intercom.io.yaml).
// It is searched first.
const EnvDir = "INTERCOM_OPENAPI_DIR"

//go:embed lock.json
var lockJSON []byte

// Entry pins one Intercom-Version's description.
type Entry struct {
	// Version is the Intercom-Version header value ("2.11", "Preview").
	Version string `json:"version"`
	// Path is the file's path inside the upstream repository.
	Path string `json:"path"`
	// SHA256 is the lowercase hex digest of the file's bytes.
	SHA256 string `json:"sha256"`
}

// Lock is the whole lock file.
type Lock struct {
	Upstream string  `json:"upstream"`
	Commit   string  `json:"commit"`
	License  string  `json:"license"`
	Specs    []Entry `json:"specs"`
}

var theLock = mustParseLock(lockJSON)

func mustParseLock(b []byte) Lock {
	var l Lock
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		panic("spec: lock.json is invalid: " + err.Error())
	}
	return l
}

// Pinned returns the lock.
func Pinned() Lock {
	l := theLock
	l.Specs = append([]Entry(nil), theLock.Specs...)
	return l
}

// Versions lists the pinned versions, oldest first, Preview last.
func Versions() []string {
	out := make([]string, len(theLock.Specs))
	for i, e := range theLock.Specs {
		out[i] = e.Version
	}
	return out
}

// ErrUnknownVersion is returned for a version that is not in the lock.
var ErrUnknownVersion = errors.New("spec: version not in the lock")

// Lookup returns the lock entry of a version.
func Lookup(version string) (Entry, error) {
	for _, e := range theLock.Specs {
		if e.Version == version {
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("%w: %q (pinned: %s)", ErrUnknownVersion, version, strings.Join(Versions(), ", "))
}

// MismatchError reports a file whose bytes do not match the lock.
type MismatchError struct {
	Version string
	File    string // the file that was read
	Want    string // sha256 from the lock
	Got     string // sha256 of the file's bytes
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("spec %s: %s has sha256 %s, the lock pins %s; "+
		"restore the file from %s at commit %s (run `make specs` to fetch it into the cache), "+
		"or point $%s at a checkout of that commit",
		e.Version, e.File, e.Got, e.Want, theLock.Upstream, theLock.Commit, EnvDir)
}

// MissingError reports a description that was found in none of the places searched.
type MissingError struct {
	Version  string
	File     string   // path inside the upstream repository
	Want     string   // sha256 from the lock
	Searched []string // every candidate path tried, in order
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("spec %s: %s (sha256 %s) not found; searched %s; "+
		"run `make specs` to fetch %s at commit %s into the cache, or set $%s",
		e.Version, e.File, e.Want, strings.Join(e.Searched, ", "),
		theLock.Upstream, theLock.Commit, EnvDir)
}

// Resolved is a verified description.
type Resolved struct {
	Entry
	// File is where the bytes were read from.
	File string
	// Data is the verified content.
	Data []byte
}

// Resolve finds, reads and verifies the description of version. The first
// location that holds the file wins; if its bytes do not match the lock the
// result is a *MismatchError (never a silent fall-through to another copy).
func Resolve(version string) (Resolved, error) {
	e, err := Lookup(version)
	if err != nil {
		return Resolved{}, err
	}
	var searched []string
	for _, dir := range SearchDirs() {
		file := filepath.Join(dir, filepath.FromSlash(e.Path))
		searched = append(searched, file)
		data, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return Resolved{}, fmt.Errorf("spec %s: %w", version, err)
		}
		if err := Verify(e, file, data); err != nil {
			return Resolved{}, err
		}
		return Resolved{Entry: e, File: file, Data: data}, nil
	}
	return Resolved{}, &MissingError{Version: version, File: e.Path, Want: e.SHA256, Searched: searched}
}

// Verify checks data against the lock entry; file only names it in the error.
func Verify(e Entry, file string, data []byte) error {
	sum := sha256.Sum256(data)
	got := hex.EncodeToString(sum[:])
	if got != e.SHA256 {
		return &MismatchError{Version: e.Version, File: file, Want: e.SHA256, Got: got}
	}
	return nil
}

// SearchDirs returns the directories Resolve searches, in order:
// $INTERCOM_OPENAPI_DIR, ../shared/intercom-openapi beside the module root,
// then the module's git-ignored cache for the pinned commit.
func SearchDirs() []string {
	var dirs []string
	if d := os.Getenv(EnvDir); d != "" {
		dirs = append(dirs, d)
	}
	if root, err := ModuleRoot(); err == nil {
		dirs = append(dirs,
			filepath.Join(root, "..", "shared", "intercom-openapi"),
			CacheDir(root))
	}
	return dirs
}

// CacheDir is where `make specs` stores downloaded descriptions.
func CacheDir(moduleRoot string) string {
	return filepath.Join(moduleRoot, ".cache", "intercom-openapi", theLock.Commit)
}

// ModuleRoot walks up from the working directory to the directory holding
// this module's go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/apipin/intercom\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("spec: not inside the github.com/apipin/intercom module")
		}
		dir = parent
	}
}

// RawURL is where the pinned file can be downloaded from upstream.
func RawURL(e Entry) string {
	owner, repo, _ := strings.Cut(strings.TrimPrefix(theLock.Upstream, "github.com/"), "/")
	return "https://raw.githubusercontent.com/" + owner + "/" + repo + "/" + theLock.Commit + "/" + e.Path
}
