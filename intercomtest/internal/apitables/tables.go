// Package apitables holds the structural facts of every pinned Intercom API
// version that intercomtest serves: operations, their parameters, request
// bodies and 2xx answers, and the schemas those refer to (types, formats,
// enums, required properties, bounds). No prose and no example values: the
// generator (./gen) drops them, and the server synthesizes values from types.
//
// The tables are data (one embedded JSON file per version), so intercomtest
// serves every version without importing the generated version packages.
package apitables

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// The table generator is a module of its own (gen/go.mod), so that
// kin-openapi stays out of the library's go.mod: go -C runs it there.
//
//go:generate go -C gen run .

// Version is one API version's operations and schemas.
type Version struct {
	Version    string      `json:"version"`
	Operations []Operation `json:"operations"`
	// Schemas are referred to by index; index 0 is unused (a zero reference
	// means "none") and index 1 is the empty schema, which allows anything.
	Schemas []Schema `json:"schemas"`
}

// Operation is one method and path.
type Operation struct {
	Method string  `json:"m"`
	Path   string  `json:"p"`
	ID     string  `json:"id,omitempty"`
	Tag    string  `json:"tag,omitempty"`
	Params []Param `json:"params,omitempty"`
	// Body is the request body, nil when the operation takes none.
	Body *Body `json:"body,omitempty"`
	// Status is the 2xx status of the success answer; Media its media type,
	// empty when the answer has no body; Response its schema.
	Status   int    `json:"status"`
	Media    string `json:"media,omitempty"`
	Response int    `json:"resp,omitempty"`
}

// Param is a path, query or header parameter.
type Param struct {
	In       string `json:"in"`
	Name     string `json:"name"`
	Required bool   `json:"req,omitempty"`
	Schema   int    `json:"s,omitempty"`
	// Explode is false only for a query object serialized as one value.
	NoExplode bool `json:"noexplode,omitempty"`
}

// Body is a request body: its media types (JSON first when there is one)
// and the schema of the first.
type Body struct {
	Media    []string `json:"media"`
	Required bool     `json:"req,omitempty"`
	Schema   int      `json:"s,omitempty"`
}

// Schema is the structural part of an OpenAPI schema.
type Schema struct {
	Type       string         `json:"t,omitempty"`
	Format     string         `json:"f,omitempty"`
	Enum       []any          `json:"e,omitempty"`
	Nullable   bool           `json:"n,omitempty"`
	Properties map[string]int `json:"p,omitempty"`
	Required   []string       `json:"r,omitempty"`
	Items      int            `json:"i,omitempty"`
	// AdditionalProperties is a schema reference, 0 when the schema does
	// not declare it (then the schema is not meant as a map).
	AdditionalProperties int      `json:"ap,omitempty"`
	OneOf                []int    `json:"oneOf,omitempty"`
	AnyOf                []int    `json:"anyOf,omitempty"`
	AllOf                []int    `json:"allOf,omitempty"`
	Min                  *float64 `json:"min,omitempty"`
	Max                  *float64 `json:"max,omitempty"`
	ExclusiveMin         bool     `json:"xmin,omitempty"`
	ExclusiveMax         bool     `json:"xmax,omitempty"`
	MultipleOf           *float64 `json:"mul,omitempty"`
	MinLength            int      `json:"minLen,omitempty"`
	MaxLength            *int     `json:"maxLen,omitempty"`
	MinItems             int      `json:"minItems,omitempty"`
	MaxItems             *int     `json:"maxItems,omitempty"`
	MinProperties        int      `json:"minProps,omitempty"`
	ReadOnly             bool     `json:"ro,omitempty"`
	WriteOnly            bool     `json:"wo,omitempty"`
}

// AnySchema is the index of the empty schema.
const AnySchema = 1

//go:embed data/*.json
var files embed.FS

var (
	mu     sync.Mutex
	loaded = map[string]*Version{}
)

// FileName is the data file of a version.
func FileName(version string) string {
	return "v" + strings.ToLower(version) + ".json"
}

// Versions lists the versions with tables, oldest first, Preview last.
func Versions() []string { return append([]string(nil), versionOrder...) }

// Get returns the tables of version, or nil when there are none. A version is
// decoded on first use and kept.
func Get(version string) *Version {
	mu.Lock()
	defer mu.Unlock()
	if v, ok := loaded[version]; ok {
		return v
	}
	data, err := files.ReadFile("data/" + FileName(version))
	if err != nil {
		loaded[version] = nil
		return nil
	}
	var v Version
	if err := json.Unmarshal(data, &v); err != nil {
		// The data is generated and checked by make check-generated; only a
		// broken build gets here.
		panic(fmt.Sprintf("apitables: %s: %v", FileName(version), err))
	}
	loaded[version] = &v
	return &v
}
