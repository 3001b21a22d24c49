package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden compares help, listing and completion output with reviewed
// copies: `go test ./internal/cli -run TestGolden -update` rewrites them
// after an intended change.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"help-root", []string{"--help"}},
		{"help-group-contacts", []string{"contacts", "--help"}},
		{"help-contacts-show", []string{"contacts", "show", "--help"}},
		{"help-contacts-search", []string{"contacts", "search", "--help"}},
		{"help-content-search", []string{"content", "search", "--help"}},
		{"help-2.7-companies-list-attached-contacts", []string{"--version", "2.7", "companies", "list-attached-contacts", "--help"}},
		{"ops-2.7", []string{"--version", "2.7", "ops"}},
		{"versions", []string{"versions"}},
		{"complete-groups", []string{"__complete", ""}},
		{"complete-2.7-contacts", []string{"__complete", "--version", "2.7", "contacts", ""}},
		{"complete-param-names", []string{"__complete", "content", "search", "--param", ""}},
		{"complete-param-enum", []string{"__complete", "content", "search", "--param", "copilot_state="}},
		{"complete-version", []string{"__complete", "--version", ""}},
		{"complete-region", []string{"__complete", "--region", ""}},
		{"completion-bash", []string{"completion", "bash"}},
		{"completion-zsh", []string{"completion", "zsh"}},
		{"completion-fish", []string{"completion", "fish"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, nil, "", tc.args...)
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			got := res.stdout
			if strings.HasPrefix(tc.name, "complete-") {
				got += res.stderr // cobra reports the directive there
			}
			file := filepath.Join("testdata", "golden", tc.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run with -update after a reviewed change):\n%s", file, firstDifference(string(want), got))
			}
		})
	}
}

func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return ""
}
