package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/spec"
)

var update = flag.Bool("update", false, "rewrite gen/testdata/golden from the golden description")

// goldenVersion is the version the golden description claims to be.
const goldenVersion = "2.99"

// generateGolden generates the package of testdata/golden.yaml, a small
// description written for this test with one operation per kind of code
// the generator writes.
func generateGolden(t *testing.T) map[string][]byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	e := spec.Entry{Version: goldenVersion, Path: "gen/testdata/golden.yaml", SHA256: hex.EncodeToString(sum[:])}
	d, err := specdoc.Parse(e, data)
	if err != nil {
		t.Fatal(err)
	}
	out, err := generateDoc(d, strings.Repeat("0", 40))
	if err != nil {
		t.Fatal(err)
	}
	return out.files
}

// TestGolden compares the generator's output for the golden description
// with gen/testdata/golden, so that a change to the generator shows, in a
// review, what it does to generated code on a dozen operations rather than
// on 1,570. `go test -run TestGolden -update` in gen/ rewrites the files.
func TestGolden(t *testing.T) {
	files := generateGolden(t)
	dir := filepath.Join("testdata", "golden")
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			// .golden: the go tool must not build these as a package.
			if err := writeFile(filepath.Join(dir, name+".golden"), files[name]); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for _, name := range names {
		want, err := os.ReadFile(filepath.Join(dir, name+".golden"))
		if err != nil {
			t.Errorf("%s: %v (run go test -run TestGolden -update in gen/)", name, err)
			continue
		}
		if !bytes.Equal(files[name], want) {
			t.Errorf("%s differs from testdata/golden/%s.golden (review the difference, then go test -run TestGolden -update in gen/)", name, name)
		}
	}
	entries, _ := filepath.Glob(filepath.Join(dir, "*.golden"))
	if len(entries) != len(names)-1 { // raw/ is a subdirectory
		t.Errorf("testdata/golden has %d files, the generator writes %d", len(entries), len(names))
	}
}

// TestGoldenCompiles builds the golden package (without its raw
// subpackage, which imports the package by its api/ path) and checks what
// the generator promises about it: every operation has a method, each
// paging style has its iterator, and models follow the shape rules.
func TestGoldenCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a package")
	}
	files := generateGolden(t)
	root, err := spec.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(filepath.Join(root, "gen"), "goldenbuild")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for name, src := range files {
		if !strings.Contains(name, string(filepath.Separator)) {
			if err := writeFile(filepath.Join(dir, name), src); err != nil {
				t.Fatal(err)
			}
		}
	}
	cmd := exec.Command("go", "vet", ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the golden package does not build: %v\n%s", err, out)
	}

	all := string(bytes.Join([][]byte{files["openapi.gen.go"], files["client.gen.go"], files["version.gen.go"], files["unions.gen.go"]}, nil))
	for _, want := range []string{
		// one method per operation, and an iterator per paging style
		`func \(c \*Client\) ListWidgetsAll\(`, `Paging: "cursor"`,
		`func \(c \*Client\) SearchWidgetsAll\(`, `Paging: "search"`,
		`func \(c \*Client\) ListGadgetsAll\(`, `Paging: "page"`,
		`func \(c \*Client\) ScrollGadgetsAll\(`, `Paging: "scroll"`,
		// one shape: path parameters, the body, the params struct (which
		// exists even when the operation declares no parameter), options
		`func \(c \*Client\) GetWidgetTranscript\(ctx context.Context, id string, params \*GetWidgetTranscriptParams, opts \.\.\.CallOption\) \(\[\]byte, error\)`,
		`func \(c \*Client\) DeleteWidget\(ctx context.Context, id string, params \*DeleteWidgetParams, opts \.\.\.CallOption\) error`,
		`type DeleteWidgetParams struct\{\}`,
		// a path parameter is checked before the URL is resolved
		`const pathOfDeleteWidget = "DeleteWidget\\x1e/widgets/%s" \+\s+"\\x1eid\\x1fs\\x1fsimple\\x1f`,
		`if err := checkPathParam\(op, names\[i\], segment\); err != nil`,
		// a union body is a sealed interface (gen/unions.go), named after
		// the operation; the method takes it; each $ref variant implements
		// it; nil is refused before sending
		`func \(c \*Client\) CreateNote\(ctx context.Context, body CreateNoteRequest, params`,
		`type CreateNoteRequest interface \{\s+isCreateNoteRequest\(\)\s+\}`,
		`func \(TextNote\) isCreateNoteRequest\(\) \{\}`,
		`func \(LinkNote\) isCreateNoteRequest\(\) \{\}`,
		`bodyReader, err := jsonBody\("CreateNote", body\)`,
		`func jsonBody\(op string, body interface\{\}\) \(io.Reader, error\) \{\s+if err := checkBody\(op, body\); err != nil`,
		// a body written inline is <Op>Request, also when it extends a
		// schema of that name, which becomes <Name>Base (gen/bodies.go);
		// an operation without operationId gets oapi-codegen's name
		`func \(c \*Client\) CreateGadget\(ctx context.Context, body CreateGadgetRequest, params`,
		`(?s)type CreateGadgetRequest struct \{.*\bNotify +\*bool`,
		`type CreateGadgetRequestBase struct`,
		`func \(c \*Client\) PostGadgetsIDLabels\(ctx context.Context, id string, body PostGadgetsIDLabelsRequest, params`,
		// response-only models hold values, also where they use a model a
		// request shares; request models keep pointers
		`(?s)type Widget struct \{.*\bSize +int +` + "`" + `json:"size,omitempty,omitzero"`,
		`(?s)type Widget struct \{.*\bOwner +Owner +`,
		`(?s)type UpdateWidgetRequest struct \{\s+Enabled +\*bool`,
		`(?s)type Owner struct \{.*\bID +\*string`,
		// the error schema does not shadow the facade's Error
		`type ErrorList struct`,
	} {
		if !regexp.MustCompile(want).MatchString(all) {
			t.Errorf("generated code does not match %s", want)
		}
	}
}
