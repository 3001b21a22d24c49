package tests

import (
	"sync"
	"testing"

	"github.com/apipin/intercom/gen/specdoc"
)

// loadDoc loads a version's spec (as published plus the generator's
// repairs, prose kept) once per test binary: four tests read every
// version's, and parsing one is most of their time. The tests only read
// the documents.
func loadDoc(t testing.TB, version string) *specdoc.Doc {
	t.Helper()
	docs.Lock()
	defer docs.Unlock()
	if d, ok := docs.byVersion[version]; ok {
		return d
	}
	d, err := specdoc.Load(version)
	if err != nil {
		t.Fatal(err)
	}
	docs.byVersion[version] = d
	return d
}

var docs = struct {
	sync.Mutex
	byVersion map[string]*specdoc.Doc
}{byVersion: map[string]*specdoc.Doc{}}
