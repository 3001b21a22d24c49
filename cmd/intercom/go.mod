module github.com/apipin/intercom/cmd/intercom

go 1.25.0

require (
	github.com/apipin/intercom v0.0.0-00010101000000-000000000000
	github.com/apipin/intercom/gen v0.0.0-00010101000000-000000000000
	github.com/creack/pty v1.1.24
	github.com/getkin/kin-openapi v0.152.0
	github.com/spf13/cobra v1.10.2
)

require (
	github.com/apapsch/go-jsonmerge/v2 v2.0.0 // indirect
	github.com/dlclark/regexp2 v1.11.4 // indirect
	github.com/go-openapi/jsonpointer v0.23.1 // indirect
	github.com/go-openapi/swag/jsonname v0.26.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/kr/pretty v0.3.1 // indirect
	github.com/oasdiff/yaml v0.1.1 // indirect
	github.com/oasdiff/yaml3 v0.0.14 // indirect
	github.com/rogpeppe/go-internal v1.14.1 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
	golang.org/x/text v0.40.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

// Development builds the command against the library in this tree. A
// release drops this replace and requires the tagged root module instead, as
// `go install …@version` refuses a go.mod with a replace directive;
// scripts/check-install.sh performs that step on copies and installs from
// outside the repository.
replace (
	github.com/apipin/intercom => ../..
	github.com/apipin/intercom/gen => ../../gen
)
