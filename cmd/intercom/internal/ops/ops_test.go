package ops

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The Operations tables of the generated version packages are the
// reference for which operations exist and which lists have an iterator,
// with which paging style. The table here must agree with them for every
// operation of every version, so that `--all` walks exactly what the
// library's iterators walk. (They are read as text: importing all eleven
// packages would compile them all.)
var operationLine = regexp.MustCompile(`\{Method: "(\w+)", Path: "([^"]+)", OperationID: "([^"]*)", GoMethod: "\w+"(?:, Iterator: "\w+", Paging: "([\w-]+)")?\}`)

func packageDir(v string) string {
	if v == "Preview" {
		return "preview"
	}
	return "v" + v
}

func TestTableMatchesTheVersionPackages(t *testing.T) {
	total := 0
	for _, v := range Versions() {
		dir := filepath.Join("..", "..", "..", "..", "api", packageDir(v.Name))
		versionSrc, err := os.ReadFile(filepath.Join(dir, "version.gen.go"))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}       // "METHOD path" -> operationId
		wantPaging := map[string]string{} // "METHOD path" -> paging style
		for _, m := range operationLine.FindAllStringSubmatch(string(versionSrc), -1) {
			key := m[1] + " " + m[2]
			want[key] = m[3]
			if m[4] != "" {
				wantPaging[key] = m[4]
			}
		}
		if len(want) == 0 || len(wantPaging) == 0 {
			t.Fatalf("%s: read no operations (%d) or iterators (%d) from %s: has the generated layout changed?", v.Name, len(want), len(wantPaging), dir)
		}
		have := map[string]bool{}
		for _, op := range v.Ops {
			key := op.Method + " " + op.Path
			have[key] = true
			id, ok := want[key]
			switch {
			case !ok:
				t.Errorf("%s: %s is not in the version package", v.Name, key)
			case id != op.ID:
				t.Errorf("%s: %s: operationId %q, the package says %q", v.Name, key, op.ID, id)
			}
			style := ""
			if op.Paging != nil {
				style = op.Paging.Style
			}
			if style != wantPaging[key] {
				t.Errorf("%s: %s (%s %s): paging %q, the package's iterator says %q", v.Name, key, op.Group, op.Command, style, wantPaging[key])
			}
		}
		for key := range want {
			if !have[key] {
				t.Errorf("%s: %s is missing from the table", v.Name, key)
			}
		}
		total += len(v.Ops)
	}
	t.Logf("%d operations over %d versions", total, len(Versions()))
}

// Names must be unique within a version and the same in every version that
// has the operation: a script written against 2.11 keeps working on 2.16.
func TestNamesAreUniqueAndStable(t *testing.T) {
	nameOf := map[string]string{} // "METHOD path operationId" -> "group command"
	for _, v := range Versions() {
		seen := map[string]bool{}
		for _, op := range v.Ops {
			name := op.Group + " " + op.Command
			if seen[name] {
				t.Errorf("%s: two operations named %q", v.Name, name)
			}
			seen[name] = true
			if !regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)* [a-z0-9]+(-[a-z0-9]+)*$`).MatchString(name) {
				t.Errorf("%s: %q is not kebab-case", v.Name, name)
			}
			key := op.Method + " " + op.Path + " " + strings.ToLower(op.ID) + " " + op.Tag
			if prev, ok := nameOf[key]; ok && prev != name {
				t.Errorf("%s: %s is %q here, %q in an earlier version", v.Name, key, name, prev)
			}
			nameOf[key] = name
		}
	}
}

func TestLookup(t *testing.T) {
	for in, want := range map[string]string{"2.16": "2.16", "v2.7": "2.7", "preview": "Preview", "Unstable": "Preview"} {
		v, ok := Lookup(in)
		if !ok || v.Name != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", in, v, ok, want)
		}
	}
	if _, ok := Lookup("2.6"); ok {
		t.Error("Lookup(2.6) found a version")
	}
	if Latest().Name != "2.16" {
		t.Errorf("Latest = %s", Latest().Name)
	}
}

func TestPathParamsInPathOrder(t *testing.T) {
	op := Op{Path: "/contacts/{contact_id}/companies/{company_id}", Params: []Param{
		{Name: "company_id", In: "path", Required: true, Type: "string"},
		{Name: "contact_id", In: "path", Required: true, Type: "string"},
	}}
	pp := op.PathParams()
	if len(pp) != 2 || pp[0].Name != "contact_id" || pp[1].Name != "company_id" {
		t.Fatalf("PathParams = %+v", pp)
	}
}
