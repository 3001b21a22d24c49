package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/types"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/mod/semver"
)

// update rewrites the golden files of the -module tests:
//
//	go test -run TestSampleGolden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// sampleFrom is the version testdata/sample is written against, and
// sampleTargets the later versions it is checked against.
const sampleFrom = "2.11"

var sampleTargets = []string{"2.14", "2.15", "2.16"}

func moduleReport(t *testing.T, dir, from, to string, flags ...string) *ModuleReport {
	t.Helper()
	args := append([]string{"-module", dir, "-format", "json"}, flags...)
	code, stdout, stderr := runCLI(append(args, from, to)...)
	if code != exitOK {
		t.Fatalf("intercom-diff -module %s %s %s: exit %d\n%s", dir, from, to, code, stderr)
	}
	var r ModuleReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func TestSampleGolden(t *testing.T) {
	for _, to := range sampleTargets {
		t.Run(to, func(t *testing.T) {
			code, stdout, stderr := runCLI("-module", "testdata/sample", sampleFrom, to)
			if code != exitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			golden := filepath.Join("testdata", "golden", fmt.Sprintf("sample-%s-to-%s.txt", sampleFrom, to))
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `go test -run TestSampleGolden -update` to write it)", err)
			}
			if stdout != string(want) {
				t.Errorf("output differs from %s%s\nrun `go test -run TestSampleGolden -update` after checking the new output",
					golden, firstDifference(want, []byte(stdout)))
			}
		})
	}
}

// copyModule copies the files of the module in src to dst through edit,
// which may change a file's bytes or (returning nil) leave it out.
func copyModule(t *testing.T, src, dst string, edit func(name string, data []byte) []byte) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if data = edit(e.Name(), data); data == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// buildErrorLine matches the first line of an error of `go build`.
var buildErrorLine = regexp.MustCompile(`^(?:\./)?([^\s:]+\.go):(\d+):(\d+): `)

// buildAgainst copies a testdata module to a temporary directory, points
// its imports of from at to, and returns `go build`'s errors as
// "file:line" (one entry per error).
func buildAgainst(t *testing.T, src, from, to string) []string {
	t.Helper()
	dir := t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	copyModule(t, src, dir, func(name string, data []byte) []byte {
		switch {
		case strings.HasSuffix(name, ".go"):
			return bytes.ReplaceAll(data, []byte(`"`+packagePath(from)+`"`), []byte(`"`+packagePath(to)+`"`))
		case name == "go.mod":
			return bytes.ReplaceAll(data, []byte("=> ../../../.."), []byte("=> "+root))
		}
		return data
	})
	cmd := exec.Command("go", "build", "-gcflags=-e", "-o", os.DevNull, "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	return buildErrors(t, out, nil)
}

// buildErrors lists the errors of `go build` output as "file:line",
// sorted, naming files through rename where it has them.
func buildErrors(t *testing.T, out []byte, rename map[string]string) []string {
	t.Helper()
	var errs []string
	for _, line := range strings.Split(string(out), "\n") {
		if m := buildErrorLine.FindStringSubmatch(line); m != nil {
			file := m[1]
			if to, ok := rename[file]; ok {
				file = to
			}
			errs = append(errs, file+":"+m[2])
		}
	}
	if len(errs) == 0 {
		t.Fatalf("go build failed without file errors:\n%s", out)
	}
	sort.Strings(errs)
	return errs
}

// TestSampleMatchesGoBuild: for every checked pair, the compile findings
// are exactly the errors `go build` reports after the import change (same
// file and line, as many), and every finding is about an operation the
// program calls, on a line that uses the version package.
func TestSampleMatchesGoBuild(t *testing.T) {
	used := usedLines(t, "testdata/sample", sampleFrom)
	for _, to := range sampleTargets {
		t.Run(to, func(t *testing.T) {
			r := moduleReport(t, "testdata/sample", sampleFrom, to)
			var got []string
			for _, f := range r.Findings {
				if f.Kind == "compile" {
					got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
				}
			}
			sort.Strings(got)
			want := buildAgainst(t, "testdata/sample", sampleFrom, to)
			if len(want) == 0 {
				t.Fatalf("go build reports no errors against %s: the pair checks nothing", to)
			}
			if missing := multisetMinus(want, got); len(missing) > 0 {
				t.Errorf("go build reports errors the tool does not list: %v", missing)
			}
			if extra := multisetMinus(got, want); len(extra) > 0 {
				t.Errorf("the tool lists compile findings go build does not report: %v", extra)
			}
			called := map[string]bool{}
			for _, o := range r.Operations {
				called[opKeyOf(o)] = true
			}
			for _, f := range r.Findings {
				if f.Op != nil && !called[opKeyOf(*f.Op)] {
					t.Errorf("%s: finding about %s %s, which the program does not call", f.Pos, f.Op.Method, f.Op.Path)
				}
				if !used[fmt.Sprintf("%s:%d", f.File, f.Line)] {
					t.Errorf("%s: finding on a line that uses nothing of %s: %s", f.Pos, sampleFrom, f.Message)
				}
			}
			if len(r.Operations) < 15 {
				t.Errorf("the sample calls %d operations, want at least 15", len(r.Operations))
			}
		})
	}
}

// usedLines lists the lines of a module that use the version package:
// an identifier of it, or an expression of one of its types.
func usedLines(t *testing.T, dir, from string) map[string]bool {
	t.Helper()
	abs, _ := filepath.Abs(dir)
	p, err := loadProgram(abs, from, from)
	if err != nil {
		t.Fatal(err)
	}
	a := &analyzer{p: p}
	lines := map[string]bool{}
	for _, l := range p.local {
		for expr, tv := range l.fromInfo.Types {
			if a.mentionsFrom(tv.Type) {
				pos := p.position(expr.Pos())
				lines[fmt.Sprintf("%s:%d", pos.Filename, pos.Line)] = true
			}
		}
	}
	a.eachUse(func(_ *localPackage, id *ast.Ident, _ types.Object) {
		pos := p.position(id.Pos())
		lines[fmt.Sprintf("%s:%d", pos.Filename, pos.Line)] = true
	})
	return lines
}

func multisetMinus(a, b []string) []string {
	left := slices.Clone(b)
	var out []string
	for _, x := range a {
		if i := slices.Index(left, x); i >= 0 {
			left = slices.Delete(left, i, i+1)
			continue
		}
		out = append(out, x)
	}
	return out
}

// wantComments reads `// want: kind kind` (and `// want(tag): …`) comments:
// line → expected changes, sorted.
func wantComments(t *testing.T, file, tag string) map[int][]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	marker := "// want: "
	if tag != "" {
		marker = "// want(" + tag + "): "
	}
	out := map[int][]string{}
	for i, line := range strings.Split(string(data), "\n") {
		if _, after, ok := strings.Cut(line, marker); ok {
			kinds := strings.Fields(after)
			sort.Strings(kinds)
			out[i+1] = kinds
		}
	}
	return out
}

func behaviourByLine(r *ModuleReport) map[int][]string {
	out := map[int][]string{}
	for _, f := range r.Findings {
		if f.Kind == "behaviour" {
			out[f.Line] = append(out[f.Line], f.Change)
		}
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// TestBehaviourFindings: the purpose-built module's `// want:` comments
// are exactly the behaviour findings against Preview: a new status code,
// enum values added (a field read and a constant switched on), fields
// that became nullable.
func TestBehaviourFindings(t *testing.T) {
	r := moduleReport(t, "testdata/behaviour", "2.16", "Preview")
	want := wantComments(t, "testdata/behaviour/main.go", "")
	got := behaviourByLine(r)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("behaviour findings by line:\n got  %v\n want %v", got, want)
	}
	if r.Compile != 0 {
		t.Errorf("%d compile findings; the module compiles against Preview", r.Compile)
	}
	kinds := map[string]bool{}
	for _, f := range r.Findings {
		kinds[f.Change] = true
	}
	for _, k := range []string{"status-added", "enum-values-added", "became-nullable"} {
		if !kinds[k] {
			t.Errorf("no %s finding", k)
		}
	}
}

// TestDeclaredFactsFindings: Intercom's descriptions declare no error
// codes (only examples), so the check runs on facts that declare some: a
// code added to a response of an operation the program calls is reported
// at each call, as is the operation becoming deprecated, and nothing else
// changes.
func TestDeclaredFactsFindings(t *testing.T) {
	shipped, err := shippedFacts()
	if err != nil {
		t.Fatal(err)
	}
	var facts Facts
	if err := json.Unmarshal(embeddedFacts, &facts); err != nil {
		t.Fatal(err)
	}
	declare := func(version string, codes ...string) {
		var op *OpFacts
		for _, o := range facts.Versions[version].Operations {
			if o.OperationID == "ShowContact" {
				op = o
			}
		}
		if op == nil {
			t.Fatalf("%s has no ShowContact", version)
		}
		for _, resp := range op.Responses {
			if resp.Status == "404" {
				resp.ErrorCodes = codes
				return
			}
		}
		op.Responses = append(op.Responses, &RespFacts{Status: "404", ErrorCodes: codes})
	}
	declare("2.16", "not_found")
	declare("Preview", "not_found", "contact_archived")
	for _, o := range facts.Versions["Preview"].Operations {
		if o.OperationID == "ShowContact" {
			o.Deprecated = true
		}
	}
	abs, _ := filepath.Abs("testdata/behaviour")
	p, err := loadProgram(abs, "2.16", "Preview")
	if err != nil {
		t.Fatal(err)
	}
	base := behaviourByLine(analyzeProgram(p, "2.16", "Preview", shipped))
	withCodes := analyzeProgram(p, "2.16", "Preview", &facts)
	got := behaviourByLine(withCodes)
	for line, kinds := range wantComments(t, "testdata/behaviour/main.go", "codes") {
		base[line] = append(base[line], kinds...)
		sort.Strings(base[line])
	}
	if fmt.Sprint(got) != fmt.Sprint(base) {
		t.Errorf("with declared error codes:\n got  %v\n want %v", got, base)
	}
	for _, f := range withCodes.Findings {
		if f.Change == "error-code-added" && (!strings.Contains(f.Message, `"contact_archived"`) || strings.Contains(f.Message, "not_found")) {
			t.Errorf("%s: %s (want only the added code)", f.Pos, f.Message)
		}
	}
}

func TestModuleFailOn(t *testing.T) {
	for _, tc := range []struct {
		dir, from, to, failOn string
		want                  int
	}{
		{"testdata/sample", sampleFrom, "2.16", "compile", exitFound},
		{"testdata/behaviour", "2.16", "Preview", "compile", exitOK},
		{"testdata/behaviour", "2.16", "Preview", "behaviour", exitFound},
	} {
		code, _, stderr := runCLI("-module", tc.dir, "-fail-on", tc.failOn, tc.from, tc.to)
		if code != tc.want {
			t.Errorf("-module %s -fail-on %s %s %s: exit %d, want %d\n%s", tc.dir, tc.failOn, tc.from, tc.to, code, tc.want, stderr)
		}
	}
}

func TestModuleOnly(t *testing.T) {
	code, stdout, stderr := runCLI("-module", "testdata/sample", "-format", "json", "-only", "tickets", sampleFrom, "2.16")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var r ModuleReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) == 0 {
		t.Fatal("no findings for tickets")
	}
	for _, f := range r.Findings {
		switch {
		case f.Op != nil:
			if !strings.Contains(f.Op.Path, "/tickets") {
				t.Errorf("%s: finding outside -only tickets: %+v", f.Pos, f.Op)
			}
		case f.Model != "":
			if ops := r.Models[f.Model]; !slices.ContainsFunc(ops, func(id string) bool { return strings.Contains(id, "Ticket") }) {
				t.Errorf("%s: model %s reached by %v, none of them a ticket operation", f.Pos, f.Model, ops)
			}
		default:
			t.Errorf("%s: finding tied to nothing kept by -only: %s", f.Pos, f.Message)
		}
	}
}

func TestModuleArgumentErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-module", "testdata/sample", "-fail-on", "breaking", "2.11", "2.16"}, `-fail-on "breaking" with -module`},
		{[]string{"-module", "testdata/sample", "-all"}, "-module reviews one pair"},
		{[]string{"-module", "testdata/sample", "2.11"}, "want two versions"},
		{[]string{"-module", "testdata/sample", "2.12", "2.16"}, "no package of the module"},
		{[]string{"-module", "testdata/nonexistent", "2.11", "2.16"}, "testdata/nonexistent"},
	} {
		code, _, stderr := runCLI(tc.args...)
		if code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, exitError, tc.want)
		}
	}
}

// TestRunsOutsideTheRepository runs the tool the way a user does: from
// their own module, which requires the library and the tool, with no spec
// files anywhere (INTERCOM_OPENAPI_DIR names an empty directory, and the
// module has no ../shared) and no network (GOPROXY=off). `go run …@version`
// itself cannot be tested before a release: this module's go.mod replaces
// the library with ../.., which `go run pkg@version` refuses; a user's
// module that requires the tool ignores that replace, as here.
func TestRunsOutsideTheRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tool in a fresh module")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "outside")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyModule(t, "testdata/sample", dir, func(name string, data []byte) []byte {
		if strings.HasSuffix(name, ".go") {
			return data
		}
		return nil // its own go.mod and go.sum below
	})
	// go 1.26.0, as the tool's go.mod asks: a module at an older go
	// version loads the whole module graph, which needs a proxy.
	gomod := fmt.Sprintf(`module example.com/outside

go 1.26.0

require (
	github.com/apipin/intercom v0.0.0-00010101000000-000000000000
	github.com/apipin/intercom/cmd/intercom-diff v0.0.0-00010101000000-000000000000
	github.com/apipin/intercom/gen v0.0.0-00010101000000-000000000000
)

tool github.com/apipin/intercom/cmd/intercom-diff

replace github.com/apipin/intercom => %s

replace github.com/apipin/intercom/cmd/intercom-diff => %s

replace github.com/apipin/intercom/gen => %s
`, root, filepath.Join(root, "cmd", "intercom-diff"), filepath.Join(root, "gen"))
	// The requirements of the tool and of the library, as their go.mod
	// files list them (what `go mod tidy` would add, without asking a proxy
	// for the go.mod files of versions the build never uses).
	versions := map[string]string{}
	for _, f := range []string{"go.mod", "testdata/sample/go.mod"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
			if len(fields) < 2 || !strings.HasPrefix(fields[1], "v") || strings.HasPrefix(fields[0], "github.com/apipin/") {
				continue
			}
			if old, ok := versions[fields[0]]; !ok || semver.Compare(fields[1], old) > 0 {
				versions[fields[0]] = fields[1]
			}
		}
	}
	for _, path := range slices.Sorted(maps.Keys(versions)) {
		gomod += fmt.Sprintf("require %s %s\n", path, versions[path])
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	// The checksums the module needs are those of the library, the tool and
	// the generator's module (the tool reads specs through gen/specdoc).
	var sums []string
	for _, f := range []string{filepath.Join(root, "go.sum"), filepath.Join(root, "gen", "go.sum"), "go.sum", "testdata/sample/go.sum"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, strings.Split(strings.TrimSpace(string(data)), "\n")...)
	}
	slices.Sort(sums)
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), []byte(strings.Join(slices.Compact(sums), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GOPROXY=off", "GOWORK=off", "INTERCOM_OPENAPI_DIR="+t.TempDir())
	run := func(args ...string) (string, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = dir, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if err != nil {
			return stdout.String(), fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return stdout.String(), nil
	}
	out, err := run("run", "github.com/apipin/intercom/cmd/intercom-diff", "-module", ".", sampleFrom, "2.16")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "golden", fmt.Sprintf("sample-%s-to-2.16.txt", sampleFrom)))
	if err != nil {
		t.Fatal(err)
	}
	// The first line names the module directory; the findings must match.
	_, wantBody, _ := strings.Cut(string(golden), "\n")
	_, gotBody, _ := strings.Cut(out, "\n")
	if gotBody != wantBody {
		t.Errorf("outside the repository the report differs from the golden one%s", firstDifference([]byte(wantBody), []byte(gotBody)))
	}
}

// TestSeedFlows reviews the repository's own seed flows (the demo's
// adapters over 2.7, 2.11 and 2.16) and checks the compile findings
// against `go build` with the import swapped through an overlay, both
// ways, as for the sample (including when go build reports nothing).
func TestSeedFlows(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	const pkg = "./internal/seedflow"
	for _, pair := range [][2]string{{"2.7", "2.11"}, {"2.11", "2.16"}} {
		from, to := pair[0], pair[1]
		t.Run(from+"-"+to, func(t *testing.T) {
			r := moduleReport(t, root, from, to, "-packages", pkg+",./cmd/intercom-demo")
			var got []string
			for _, f := range r.Findings {
				if f.Kind == "compile" {
					got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
				}
			}
			sort.Strings(got)
			// Since every version's methods have one shape, the seed flows
			// may well compile unchanged: then the tool must list nothing.
			want := buildWithOverlay(t, root, pkg, from, to)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("compile findings %v, go build %v", got, want)
			}
		})
	}
}

// buildWithOverlay builds pkg of the module at root with every file's
// import of from's package replaced by to's (go build -overlay), and
// returns its errors as "file:line" relative to root.
func buildWithOverlay(t *testing.T, root, pkg, from, to string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, pkg, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	replace := map[string]string{}
	tmp := t.TempDir()
	for i, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		swapped := bytes.ReplaceAll(data, []byte(`"`+packagePath(from)+`"`), []byte(`"`+packagePath(to)+`"`))
		if bytes.Equal(swapped, data) {
			continue
		}
		out := filepath.Join(tmp, fmt.Sprintf("%d.go", i))
		if err := os.WriteFile(out, swapped, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[f] = out
	}
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-gcflags=-e", "-overlay", overlayFile, "-o", os.DevNull, pkg)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	// go build names the overlay's files; name the files they replace.
	original := map[string]string{}
	for f, o := range replace {
		rel, err := filepath.Rel(root, f)
		if err != nil {
			t.Fatal(err)
		}
		original[o] = rel
	}
	return buildErrors(t, out, original)
}

// TestShapeOf: what a type without the field a program used offers
// instead, for the union shapes a version package may have: a struct with
// As…/From… methods, or a sealed interface and its variants.
func TestShapeOf(t *testing.T) {
	pkg, _ := check(t, importer{}, "example.com/api/v2", `package intercom

type Body interface{ isBody() }
type ContactWithEmail struct{ Email string }
func (ContactWithEmail) isBody() {}
type ContactWithRole struct{ Role string }
func (*ContactWithRole) isBody() {}

type Union struct{ union []byte }
func (u Union) AsContactWithEmail() (ContactWithEmail, error) { return ContactWithEmail{}, nil }
func (u *Union) FromContactWithEmail(v ContactWithEmail) error { return nil }

type Plain struct{ Name string }
`)
	a := &analyzer{p: &program{toPkg: pkg, toPath: pkg.Path()}}
	for name, want := range map[string]string{
		"Body":  "an interface implemented by ContactWithEmail, ContactWithRole",
		"Union": "a type with methods AsContactWithEmail, FromContactWithEmail",
		"Plain": "",
	} {
		if got := a.shapeOf(pkg.Scope().Lookup(name).Type()); got != want {
			t.Errorf("shapeOf(%s) = %q, want %q", name, got, want)
		}
	}
}
