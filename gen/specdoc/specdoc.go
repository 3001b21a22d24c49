// Package specdoc loads a pinned Intercom OpenAPI description as data, applies
// the repairs it needs to load and generate, and strips its prose.
//
// The spec is data, the repairs are code: each repair is a named function
// with its reason, applied only where its condition holds, and listed in
// Doc.Applied so that generated packages can say which ones shaped them.
package specdoc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apipin/intercom/spec"
)

// Doc is one version's description as a JSON-shaped tree.
type Doc struct {
	Version string
	Entry   spec.Entry
	Root    map[string]any
	// Applied names the repairs that changed this document, in order.
	Applied []string
}

// Load resolves and verifies the pinned description of version, parses it and
// applies every repair whose condition holds. Prose is kept: tests need the
// response examples; call StripProse before generating code.
func Load(version string) (*Doc, error) {
	r, err := spec.Resolve(version)
	if err != nil {
		return nil, err
	}
	return Parse(r.Entry, r.Data)
}

// Parse is Load for bytes already verified (or written by a test).
func Parse(e spec.Entry, data []byte) (*Doc, error) {
	root, err := parseYAML(data)
	if err != nil {
		return nil, fmt.Errorf("spec %s: parse %s: %w", e.Version, e.Path, err)
	}
	d := &Doc{Version: e.Version, Entry: e, Root: root}
	for _, r := range Repairs {
		changed, err := r.Apply(d.Root)
		if err != nil {
			return nil, fmt.Errorf("spec %s: repair %s: %w", e.Version, r.Name, err)
		}
		if changed {
			d.Applied = append(d.Applied, r.Name)
		}
	}
	return d, nil
}

// JSON encodes the tree (keys sorted, so the bytes are deterministic).
func (d *Doc) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d.Root); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// OpenAPI loads the tree with kin-openapi, resolving every reference.
func (d *Doc) OpenAPI() (*openapi3.T, error) {
	data, err := d.JSON()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	loader.Context = context.Background()
	loc := &url.URL{Path: "intercom-" + d.Version + ".json"}
	t, err := loader.LoadFromDataWithPath(data, loc)
	if err != nil {
		return nil, fmt.Errorf("spec %s: load: %w", d.Version, err)
	}
	return t, nil
}

// Operation is one method+path of the description.
type Operation struct {
	Method      string // upper case
	Path        string
	OperationID string // may be empty
	Tags        []string
}

// Operations lists the document's operations sorted by path, then method.
func (d *Doc) Operations() []Operation {
	var ops []Operation
	paths, _ := d.Root["paths"].(map[string]any)
	for p, item := range paths {
		item, _ := item.(map[string]any)
		for m, op := range item {
			method, ok := httpMethods[m]
			if !ok {
				continue
			}
			op, _ := op.(map[string]any)
			o := Operation{Method: method, Path: p}
			o.OperationID, _ = op["operationId"].(string)
			for _, t := range asSlice(op["tags"]) {
				if s, ok := t.(string); ok {
					o.Tags = append(o.Tags, s)
				}
			}
			ops = append(ops, o)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	return ops
}

var httpMethods = map[string]string{
	"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE",
	"patch": "PATCH", "head": "HEAD", "options": "OPTIONS", "trace": "TRACE",
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// walkMaps calls fn for every object in the tree, with the keys leading to it.
// fn returns false to skip the object's children.
func walkMaps(v any, path []string, fn func(path []string, m map[string]any) bool) {
	switch t := v.(type) {
	case map[string]any:
		if !fn(path, t) {
			return
		}
		for _, k := range sortedKeys(t) {
			walkMaps(t[k], append(path, k), fn)
		}
	case []any:
		for _, e := range t {
			walkMaps(e, append(path, "[]"), fn)
		}
	}
}

// walkObjects calls fn for every object in the tree that is an OpenAPI
// object (a schema, an operation, …), skipping the maps whose keys are names
// chosen by the spec's authors (see nameMaps): their values are visited, the
// maps themselves are not. A property called "headers" is thereby a name, and
// the "headers" of a response is a name map.
func walkObjects(v any, fn func(m map[string]any)) {
	walkObjectsIn(v, false, fn)
}

func walkObjectsIn(v any, isNameMap bool, fn func(m map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		if !isNameMap {
			fn(t)
		}
		for _, k := range sortedKeys(t) {
			walkObjectsIn(t[k], !isNameMap && nameMaps[k], fn)
		}
	case []any:
		for _, e := range t {
			walkObjectsIn(e, false, fn)
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
