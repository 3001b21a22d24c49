module github.com/apipin/intercom/tests

go 1.25.0

// The cross-version suites are a module of their own so that what they use
// (kin-openapi, testify, the generator's specdoc) stays out of the library's
// go.mod and so out of every program that imports a version package. They
// test the library and generator in this tree.
replace (
	github.com/apipin/intercom => ..
	github.com/apipin/intercom/gen => ../gen
)

require (
	github.com/apipin/intercom v0.0.0-00010101000000-000000000000
	github.com/apipin/intercom/gen v0.0.0-00010101000000-000000000000
	github.com/getkin/kin-openapi v0.152.0
	github.com/oapi-codegen/runtime v1.8.0
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
)

require (
	github.com/apapsch/go-jsonmerge/v2 v2.0.0 // indirect
	github.com/go-openapi/jsonpointer v0.23.1 // indirect
	github.com/go-openapi/swag/jsonname v0.26.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/oasdiff/yaml v0.1.1 // indirect
	github.com/oasdiff/yaml3 v0.0.14 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/text v0.40.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
