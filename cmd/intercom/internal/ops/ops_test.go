package ops

import (
	"regexp"
	"strings"
	"testing"

	"github.com/apipin/intercom/internal/allversions"
)

// The Operations tables of the generated version packages (gathered in
// internal/allversions) are the reference for which operations exist and
// which lists have an iterator, with which paging style. The table here must
// agree with them for every operation of every version, so that `--all`
// walks exactly what the library's iterators walk.
func TestTableMatchesTheVersionPackages(t *testing.T) {
	if len(allversions.Packages) != len(Versions()) {
		t.Fatalf("%d version packages, %d versions in the table", len(allversions.Packages), len(Versions()))
	}
	total := 0
	for _, v := range Versions() {
		pkg, ok := allversions.Named(v.Name)
		if !ok {
			t.Fatalf("no version package for %s", v.Name)
		}
		want := map[string]string{}       // "METHOD path" -> operationId
		wantPaging := map[string]string{} // "METHOD path" -> paging style
		for _, o := range pkg.Operations {
			key := o.Method + " " + o.Path
			want[key] = o.OperationID
			if o.Paging != "" {
				wantPaging[key] = o.Paging
			}
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
	if total != 1570 {
		t.Errorf("%d operations over %d versions; the pinned descriptions have 1,570", total, len(Versions()))
	}
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
