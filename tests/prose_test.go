package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apipin/intercom/spec"
)

// proseSentences collects every description or summary line of 40 or more
// characters from every pinned spec, read at test time.
func proseSentences(t *testing.T) []string {
	t.Helper()
	set := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if s, ok := val.(string); ok && (k == "description" || k == "summary") {
					for _, line := range strings.Split(s, "\n") {
						if line = strings.TrimSpace(line); len(line) >= 40 {
							set[line] = true
						}
					}
				}
				walk(val)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, v := range spec.Versions() {
		d := loadDoc(t, v)
		walk(d.Root)
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	return out
}

// trackedFiles lists the files git tracks (falling back to walking the tree
// outside a checkout), relative to the module root.
func trackedFiles(t *testing.T, root string) []string {
	out, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err == nil {
		return strings.Fields(string(out))
	}
	var files []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, rel)
		}
		return nil
	})
	return files
}

// No sentence of the specs' prose appears in any committed file: doc
// comments are written from facts (method, path, operationId, tag).
func TestNoSpecProseInTheRepository(t *testing.T) {
	sentences := proseSentences(t)
	if len(sentences) < 1000 {
		t.Fatalf("only %d prose sentences found: the scan itself is broken", len(sentences))
	}
	m := newMatcher(sentences, 40)
	root, err := spec.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	files := trackedFiles(t, root)
	scanned := 0
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			continue // deleted in the work tree
		}
		scanned++
		if hit := m.find(data); hit != "" {
			t.Errorf("%s contains spec prose: %q", rel, hit)
		}
	}
	if scanned < 20 {
		t.Fatalf("scanned only %d files", scanned)
	}
	t.Logf("%d files free of %d prose sentences", scanned, len(sentences))
}

// matcher finds any of many sentences in a text with a rolling hash over
// their first w bytes (Rabin–Karp), then confirms the whole sentence.
type matcher struct {
	w        int
	pow      uint64
	prefixes map[uint64][]string
}

const base = 1000003

func newMatcher(sentences []string, w int) *matcher {
	m := &matcher{w: w, pow: 1, prefixes: map[uint64][]string{}}
	for i := 0; i < w-1; i++ {
		m.pow *= base
	}
	for _, s := range sentences {
		h := m.hash([]byte(s[:w]))
		m.prefixes[h] = append(m.prefixes[h], s)
	}
	return m
}

func (m *matcher) hash(b []byte) uint64 {
	var h uint64
	for _, c := range b {
		h = h*base + uint64(c)
	}
	return h
}

func (m *matcher) find(data []byte) string {
	if len(data) < m.w {
		return ""
	}
	h := m.hash(data[:m.w])
	for i := 0; ; i++ {
		for _, s := range m.prefixes[h] {
			if strings.HasPrefix(string(data[i:min(len(data), i+len(s))]), s) {
				return s
			}
		}
		if i+m.w >= len(data) {
			return ""
		}
		h = (h-uint64(data[i])*m.pow)*base + uint64(data[i+m.w])
	}
}

func TestMatcherFindsPlantedSentence(t *testing.T) {
	s := "a sentence long enough to be taken for prose, surely"
	m := newMatcher([]string{s, "another sentence that is not in the text at all ok"}, 40)
	if got := m.find([]byte("// prefix " + s + " suffix")); got != s {
		t.Fatalf("planted sentence not found: %q", got)
	}
	if got := m.find([]byte("// a sentence long enough to be taken for prose, but cut")); got != "" {
		t.Fatalf("false hit %q", got)
	}
}
