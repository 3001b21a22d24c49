package conformance

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Two requests share a hash only when method, URL, Host, every header and
// the body are the same.
func TestRequestHashCoversTheWholeRequest(t *testing.T) {
	build := func(edit func(*http.Request)) string {
		req, err := http.NewRequest("POST", "http://"+clientHost+"/contacts?x=1", strings.NewReader(`{"a":1}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Intercom-Version", "2.16")
		req.Header.Set("Content-Type", "application/json")
		if edit != nil {
			edit(req)
		}
		h, _, ok := requestHash(req)
		if !ok {
			t.Fatal("request not keyed")
		}
		return h
	}
	base := build(nil)
	if again := build(nil); again != base {
		t.Errorf("the same request hashes as %s and %s", base, again)
	}
	for name, edit := range map[string]func(*http.Request){
		"method":       func(r *http.Request) { r.Method = "PUT" },
		"path":         func(r *http.Request) { r.URL.Path = "/contacts/1" },
		"query":        func(r *http.Request) { r.URL.RawQuery = "x=2" },
		"host":         func(r *http.Request) { r.Host = "example.test" },
		"header value": func(r *http.Request) { r.Header.Set("Intercom-Version", "2.15") },
		"extra header": func(r *http.Request) { r.Header.Set("Accept", "application/json") },
		"body": func(r *http.Request) {
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(`{"a":2}`)), nil }
		},
	} {
		if build(edit) == base {
			t.Errorf("%s changed, hash the same", name)
		}
	}
	// A body that cannot be read twice is never keyed: it goes to Prism.
	req, _ := http.NewRequest("POST", "http://"+clientHost+"/contacts", io.NopCloser(strings.NewReader("{}")))
	if _, _, ok := requestHash(req); ok {
		t.Error("a body without GetBody was keyed")
	}
}

// A record answers only under the key it was written with: another document
// (or Prism, or Node) reads as no record.
func TestReplayRecordIsKeyed(t *testing.T) {
	dir := t.TempDir()
	tree := filepath.Join(dir, "prism")
	bin := filepath.Join(tree, "node_modules", ".bin", "prism")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tree, "package-lock.json"), []byte(`{"lock":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	old := *replayDir
	*replayDir = filepath.Join(dir, "records")
	t.Cleanup(func() { *replayDir = old })

	rp, err := openReplayer("2.16", []byte(`{"openapi":"3.0.0"}`), bin)
	if err != nil || rp == nil {
		t.Fatalf("openReplayer: %v, %v", rp, err)
	}
	if rp.known != nil {
		t.Fatal("answers known before any record")
	}
	rp.note("h", recordedAnswer{Status: 200, Proto: "HTTP/1.1", Body: []byte("{}")})
	if err := rp.save(); err != nil {
		t.Fatal(err)
	}
	same, err := openReplayer("2.16", []byte(`{"openapi":"3.0.0"}`), bin)
	if err != nil || same.known["h"].Status != 200 {
		t.Fatalf("same key: %+v, %v", same.known, err)
	}
	otherDoc, err := openReplayer("2.16", []byte(`{"openapi":"3.1.0"}`), bin)
	if err != nil || otherDoc.known != nil {
		t.Errorf("another document: %+v, %v; want no answers", otherDoc.known, err)
	}
	if err := os.WriteFile(filepath.Join(tree, "package-lock.json"), []byte(`{"lock":2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	otherPrism, err := openReplayer("2.16", []byte(`{"openapi":"3.0.0"}`), bin)
	if err != nil || otherPrism.known != nil {
		t.Errorf("another Prism: %+v, %v; want no answers", otherPrism.known, err)
	}
	// A Prism outside an installed tree (INTERCOM_PRISM, PATH): no replay.
	if rp, err := openReplayer("2.16", nil, filepath.Join(dir, "prism-elsewhere")); rp != nil || err != nil {
		t.Errorf("Prism outside a tree: %v, %v; want no replayer", rp, err)
	}
}
