package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"
)

// The fixture version packages follow the generated layout in miniature: a
// typed Client, the raw client's interface, models, an Operations table, and
// a subpackage that imports the version package.
// versionPreamble declares what both fixture versions share.
const versionPreamble = `package intercom

type Context interface{}

type OperationInfo struct{ Method, Path, OperationID, GoMethod, Iterator string }

`

const oldVersionSrc = versionPreamble + `var Operations = []OperationInfo{
	{Method: "GET", Path: "/widgets", OperationID: "listWidgets", GoMethod: "ListWidgets", Iterator: "ListWidgetsAll"},
	{Method: "GET", Path: "/widgets/{id}", OperationID: "getWidget", GoMethod: "GetWidget"},
	{Method: "DELETE", Path: "/widgets/{id}", OperationID: "deleteWidget", GoMethod: "DeleteWidget"},
}

const APIVersion = "1"

type Widget struct {
	Id   *string
	Size *int
}

type ListWidgetsParams struct{ PerPage *int }

type GetWidgetResult = struct {
	Id *string
}

type ClientInterface interface {
	ListWidgets(ctx Context) error
}

type Client struct{}

func (c *Client) ListWidgets(ctx Context) ([]Widget, error)              { return nil, nil }
func (c *Client) ListWidgetsAll(ctx Context) func(func(Widget, error) bool) { return nil }
func (c *Client) GetWidget(ctx Context, id string) (*GetWidgetResult, error) { return nil, nil }
func (c *Client) DeleteWidget(ctx Context, id string) error              { return nil }

func NewGetWidgetRequest(server, id string) error { return nil }
`

const newVersionSrc = versionPreamble + `var Operations = []OperationInfo{
	{Method: "GET", Path: "/widgets", OperationID: "listWidgets", GoMethod: "ListWidgets", Iterator: "ListWidgetsAll"},
	{Method: "POST", Path: "/widgets", OperationID: "createWidget", GoMethod: "CreateWidget"},
	{Method: "GET", Path: "/widgets/{id}", OperationID: "getWidget", GoMethod: "GetWidget"},
}

const APIVersion = "2"

type Widget struct {
	Id    *string
	Size  *string
	Shape *string
}

type ListWidgetsParams struct {
	PerPage *int
	Order   *string
}

type GetWidgetResult = struct {
	Id    *string
	Shape *string
}

type ClientInterface interface {
	ListWidgets(ctx Context) error
	CreateWidget(ctx Context) error
}

type Client struct{}

func (c *Client) ListWidgets(ctx Context, params *ListWidgetsParams) ([]Widget, error) { return nil, nil }
func (c *Client) ListWidgetsAll(ctx Context, params *ListWidgetsParams) func(func(Widget, error) bool) {
	return nil
}
func (c *Client) GetWidget(ctx Context, id string) (*GetWidgetResult, error) { return nil, nil }
func (c *Client) CreateWidget(ctx Context) (*Widget, error)                 { return nil, nil }

func NewGetWidgetRequest(server, id string) error { return nil }
`

// The subpackage is the same source in both versions: only the path of the
// version package it imports differs.
const rawSrc = `package raw

import intercom "%s"

type ClientWithResponses struct{ intercom.ClientInterface }

func (c *ClientWithResponses) GetWidgetWithResponse(id string) (*intercom.Widget, error) { return nil, nil }

func Paged(p *intercom.ListWidgetsParams) error { return nil }
`

// importer resolves the fixture packages checked so far.
type importer map[string]*types.Package

func (m importer) Import(path string) (*types.Package, error) {
	if p, ok := m[path]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("fixture has no package %q", path)
}

func check(t *testing.T, imp importer, path, src string) (*types.Package, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path+"/x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: imp}).Check(path, fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	imp[path] = pkg
	return pkg, f
}

// fixtureSide type-checks a version package (and its subpackage) at root.
func fixtureSide(t *testing.T, root, src string) *goSide {
	t.Helper()
	imp := importer{}
	pkg, file := check(t, imp, root, src)
	raw, _ := check(t, imp, root+"/raw", fmt.Sprintf(rawSrc, root))
	ops, err := operationsTable(file)
	if err != nil {
		t.Fatal(err)
	}
	return &goSide{root: root, pkgs: []*types.Package{pkg, raw}, ops: ops}
}

func goLines(changes []GoChange) []string {
	var out []string
	for _, c := range changes {
		s := fmt.Sprintf("%s %s %s", c.Level, c.Symbol, c.Change)
		if c.Path != "" {
			s += " @ " + c.Method + " " + c.Path
		}
		if c.Note != "" {
			s += " (note)"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// Each Go change is found once, classified by whether callers' code still
// compiles, and tied to its operation through the generated names.
func TestGoChanges(t *testing.T) {
	old := fixtureSide(t, "example.com/api/v1", oldVersionSrc)
	new := fixtureSide(t, "example.com/api/v2", newVersionSrc)
	got := goLines(goChanges(old, new))
	want := []string{
		// A new value of a constant compiles unchanged.
		"non-breaking APIVersion value changed (note)",
		"breaking (*Client).DeleteWidget removed @ DELETE /widgets/{id}",
		"breaking (*Client).ListWidgets changed @ GET /widgets",
		"breaking (*Client).ListWidgetsAll changed @ GET /widgets",
		"non-breaking (*Client).CreateWidget added @ POST /widgets",
		// Callers of the interface still compile; implementations do not.
		"non-breaking ClientInterface.CreateWidget added @ POST /widgets (note)",
		// The alias names an unnamed struct whose fields changed.
		"breaking GetWidgetResult changed @ GET /widgets/{id} (note)",
		"non-breaking ListWidgetsParams.Order added @ GET /widgets",
		// A model goes to the one operation whose method reaches it (in
		// v1 only ListWidgets returns Widgets); in v2 two do, so the added
		// field is tied to neither.
		"breaking Widget.Size changed @ GET /widgets",
		"non-breaking Widget.Shape added",
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// A version compared with itself, or with a copy at another import path,
// has no Go change: the subpackage's references to the version package's
// types are not mistaken for changes.
func TestGoChangesNoneForIdenticalPackages(t *testing.T) {
	a := fixtureSide(t, "example.com/api/v1", oldVersionSrc)
	for _, b := range []*goSide{a, fixtureSide(t, "example.com/api/v9", oldVersionSrc)} {
		if got := goChanges(a, b); len(got) != 0 {
			t.Errorf("%s → %s: %d changes:\n  %s", a.root, b.root, len(got), strings.Join(goLines(got), "\n  "))
		}
	}
}

func TestOperationsTable(t *testing.T) {
	_, file := check(t, importer{}, "example.com/api/v1", oldVersionSrc)
	ops, err := operationsTable(file)
	if err != nil {
		t.Fatal(err)
	}
	want := opInfo{Op: Op{Method: "GET", Path: "/widgets", OperationID: "listWidgets"}, GoMethod: "ListWidgets", Iterator: "ListWidgetsAll"}
	if len(ops) != 3 || ops[0] != want {
		t.Fatalf("ops = %+v, want 3 starting with %+v", ops, want)
	}
	noTable, _ := parser.ParseFile(token.NewFileSet(), "x.go", "package x\nvar Other = 1\n", 0)
	if _, err := operationsTable(noTable); err == nil {
		t.Fatal("a file without Operations: no error")
	}
}

// The generators' names lead back to the operation; a model's name does not.
func TestSymbolOperation(t *testing.T) {
	names := map[string]Op{
		"ListContacts":    {Method: "GET", Path: "/contacts"},
		"ListContactsAll": {Method: "GET", Path: "/contacts"},
		"List":            {Method: "GET", Path: "/list"},
		"CreateContact":   {Method: "POST", Path: "/contacts"},
	}
	for symbol, want := range map[string]string{
		"(*Client).ListContacts":                                      "/contacts",
		"(*Client).ListContactsAll":                                   "/contacts",
		"(*RawClient).CreateContactWithBody":                          "/contacts",
		"ClientInterface.CreateContactWithBody":                       "/contacts",
		"./raw.(*ClientWithResponses).CreateContactWithResponse":      "/contacts",
		"./raw.ClientWithResponsesInterface.ListContactsWithResponse": "/contacts",
		"./raw.ParseCreateContactResponse":                            "/contacts",
		"./raw.CreateContactResponse.JSON200":                         "/contacts",
		"NewCreateContactRequestWithBody":                             "/contacts",
		"ListContactsParams.PerPage":                                  "/contacts",
		"ListContactsParamsOrder":                                     "/contacts",
		"CreateContactJSONRequestBody":                                "/contacts",
		"CreateContactResult":                                         "/contacts",
		"(*Client).Probe":                                             "",
		"Contact.OwnerId":                                             "",
		"CreateContactRequest":                                        "", // a model, not an operation's type
		"Listing":                                                     "",
	} {
		op, ok := symbolOperation(symbol, names)
		if ok != (want != "") || op.Path != want {
			t.Errorf("symbolOperation(%q) = %q, %v; want %q", symbol, op.Path, ok, want)
		}
	}
}

func TestSplitChanged(t *testing.T) {
	for msg, want := range map[string][3]string{
		"changed from *int to *string":                            {"changed", "*int", "*string"},
		`value changed from "2.15" to "2.16"`:                     {"value changed", `"2.15"`, `"2.16"`},
		`changed from struct{A *int "json:\" to \""} to struct{}`: {"changed", `struct{A *int "json:\" to \""}`, "struct{}"},
		"changed from func(a, b) to func(x (to), y)":              {"changed", "func(a, b)", "func(x (to), y)"},
	} {
		verb, from, to, ok := splitChanged(msg)
		if !ok || [3]string{verb, from, to} != want {
			t.Errorf("splitChanged(%q) = %q %q %q %v, want %q", msg, verb, from, to, ok, want)
		}
	}
	if _, _, _, ok := splitChanged("removed"); ok {
		t.Error(`splitChanged("removed") split`)
	}
}

func TestElideStructs(t *testing.T) {
	for in, want := range map[string]string{
		"*int":     "*int",
		"struct{}": "struct{}",
		`*struct{A *string "json:\"a}\""; B struct{C int}}`: "*struct{…}",
		"func(struct{A int}) (*[]struct{B int}, error)":     "func(struct{…}) (*[]struct{…}, error)",
		"struct{A int": "struct{…",
	} {
		if got := elideStructs(in); got != want {
			t.Errorf("elideStructs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStructFieldChanges(t *testing.T) {
	from := `*struct{Id string "json:\"id\""; OwnerId int "json:\"owner_id,omitempty\""; Avatar struct{ImageUrl string "json:\"image_url\""; Type string "json:\"type\""} "json:\"avatar\""; Gone bool "json:\"gone\""}`
	to := `*struct{Id string "json:\"id\""; OwnerId string "json:\"owner_id,omitempty\""; Avatar struct{ImageUrl *string "json:\"image_url\""; Type string "json:\"type\""} "json:\"avatar\""; MergeHistory []string "json:\"merge_history\""}`
	got := strings.Join(structFieldChanges(from, to), "; ")
	want := "avatar.image_url: string → *string; gone removed; owner_id: int → string; merge_history added"
	if got != want {
		t.Errorf("structFieldChanges:\n got  %s\n want %s", got, want)
	}
	if got := structFieldChanges("int", "string"); got != nil {
		t.Errorf("no struct: %q, want nothing", got)
	}
}

func TestIsRawLayer(t *testing.T) {
	for symbol, want := range map[string]bool{
		"(*RawClient).ShowContact":                             true,
		"./raw.(*ClientWithResponses).ShowContactWithResponse": true,
		"ClientInterface.GetMacro":                             true,
		"NewShowContactRequest":                                true,
		"ParseShowContactResponse":                             true,
		"(*Client).ShowContact":                                false,
		"ShowContactResult":                                    false,
		"Contact.OwnerId":                                      false,
		"NewsItem":                                             false,
	} {
		if got := isRawLayer(symbol); got != want {
			t.Errorf("isRawLayer(%q) = %v, want %v", symbol, got, want)
		}
	}
}
