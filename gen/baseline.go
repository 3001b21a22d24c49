package main

import (
	"fmt"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"

	"github.com/apipin/intercom/gen/specdoc"
)

// The decoding benchmarks (tests/decode) compare this library's decoding
// with encoding/json on the models oapi-codegen generates by default, so
// those models are generated too, by a worker of their own: baselineJob.
const (
	baselineJob     = "baseline"
	baselineVersion = "2.16"
	baselineFile    = "tests/decode/defaultmodels/models.gen.go"
	baselinePackage = "defaultmodels"
)

// generateBaseline returns the baseline models: the pinned, repaired
// description of baselineVersion without its prose, generated with
// oapi-codegen's default output options, and without
// PreferValuesInResponses, which is what the benchmarks measure.
func generateBaseline() ([]byte, error) {
	d, err := specdoc.Load(baselineVersion)
	if err != nil {
		return nil, err
	}
	d.StripProse()
	doc, err := d.OpenAPI()
	if err != nil {
		return nil, err
	}
	src, err := codegen.Generate(doc, codegen.Configuration{
		PackageName: baselinePackage,
		Generate:    codegen.GenerateOptions{Models: true},
		OutputOptions: codegen.OutputOptions{
			// What the models need to compile and to accept Intercom's
			// answers (see oapiConfig); no model-shape options.
			ResolveTypeNameCollisions: true,
			TypeMapping:               oapiConfig().OutputOptions.TypeMapping,
		},
		Compatibility: codegen.CompatibilityOptions{AlwaysPrefixEnumValues: true},
	})
	if err != nil {
		return nil, fmt.Errorf("baseline models: oapi-codegen: %w", err)
	}
	_, body, ok := strings.Cut(src, "\npackage "+baselinePackage+"\n")
	if !ok {
		return nil, fmt.Errorf("baseline models: oapi-codegen output has no package clause")
	}
	header := generatedHeader(baselineVersion, "oapi-codegen "+oapiCodegenVersion()+", default output options")
	return []byte(header + "\npackage " + baselinePackage + "\n" + body), nil
}
