module github.com/apipin/intercom/intercomtest/internal/apitables/gen

go 1.25.0

// intercomtest's table generator is a module of its own, like ./gen, so that
// kin-openapi stays out of the library's go.mod. Its import path keeps it
// under intercomtest, whose internal packages it writes and reads.
replace (
	github.com/apipin/intercom => ../../../..
	github.com/apipin/intercom/gen => ../../../../gen
)

require (
	github.com/apipin/intercom v0.0.0-00010101000000-000000000000
	github.com/apipin/intercom/gen v0.0.0-00010101000000-000000000000
	github.com/getkin/kin-openapi v0.152.0
)

require (
	github.com/go-openapi/jsonpointer v0.23.1 // indirect
	github.com/go-openapi/swag/jsonname v0.26.0 // indirect
	github.com/kr/pretty v0.3.1 // indirect
	github.com/oasdiff/yaml v0.1.1 // indirect
	github.com/oasdiff/yaml3 v0.0.14 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	golang.org/x/text v0.40.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
