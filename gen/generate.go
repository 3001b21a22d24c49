package main

import (
	_ "embed"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"golang.org/x/tools/imports"

	"github.com/apipin/intercom/gen/specdoc"
	"github.com/apipin/intercom/spec"
)

type versionOutput struct {
	files      map[string][]byte
	operations int
	iterators  int
	repairs    []string
}

// oapiConfig is the one oapi-codegen configuration for every version.
func oapiConfig() codegen.Configuration {
	return codegen.Configuration{
		PackageName: packageName,
		Generate:    codegen.GenerateOptions{Models: true, Client: true},
		OutputOptions: codegen.OutputOptions{
			// Our typed wrapper is Client; oapi-codegen's becomes RawClient.
			ClientTypeName:            "RawClient",
			ResolveTypeNameCollisions: true,
			// Go initialisms in every name (ID, URL, API, JSON, HTML…):
			// contact.ID, not contact.Id.
			NameNormalizer:        string(codegen.NameNormalizerFunctionToCamelCaseWithInitialisms),
			AdditionalInitialisms: []string{"IDs", "URLs", "UTC"},
			// oapi-codegen's client template with one addition: path
			// parameters are checked before the URL is resolved (see the
			// comment at the top of gen/oapitemplates/client.tmpl).
			// imports.tmpl: the runtime's packages come from the
			// library's copy (internal/oapiruntime, see its doc.go).
			// client-with-responses.tmpl and request-bodies.tmpl: a body's
			// type is its schema's, with no <Op>JSONRequestBody alias.
			// constants.tmpl: a string enum's Valid reads a table of its
			// values instead of switching over them (compile time).
			UserTemplates: map[string]string{
				"client.tmpl":                oapiClientTemplate,
				"client-with-responses.tmpl": oapiClientWithResponsesTemplate,
				"request-bodies.tmpl":        oapiRequestBodiesTemplate,
				"imports.tmpl":               oapiImportsTemplate,
				"constants.tmpl":             oapiConstantsTemplate,
			},
			// oapi-codegen would run goimports over its whole output;
			// splitWithResponses formats each part anyway, so formatting
			// here too would double the most expensive step of generation.
			SkipFmt: true,
			// format: email would become openapi_types.Email, whose decoder
			// rejects anything that is not an address, and Intercom answers
			// "" for contacts and visitors without one: a whole response
			// would fail over an empty field.
			TypeMapping: &codegen.TypeMapping{String: codegen.FormatMapping{
				Formats: map[string]codegen.SimpleTypeSpec{"email": {Type: "string"}},
			}},
		},
		Compatibility: codegen.CompatibilityOptions{
			// Enum constants are always <Type><Value>, whatever else the
			// version declares, so the same value has the same name in
			// every version.
			AlwaysPrefixEnumValues: true,
		},
	}
}

//go:embed oapitemplates/client.tmpl
var oapiClientTemplate string

//go:embed oapitemplates/client-with-responses.tmpl
var oapiClientWithResponsesTemplate string

//go:embed oapitemplates/request-bodies.tmpl
var oapiRequestBodiesTemplate string

//go:embed oapitemplates/imports.tmpl
var oapiImportsTemplate string

//go:embed oapitemplates/constants.tmpl
var oapiConstantsTemplate string

// packageName is shared by every version so that an upgrade is a one-line
// import change.
const packageName = "intercom"

func generateVersion(version string) (*versionOutput, error) {
	d, err := specdoc.Load(version)
	if err != nil {
		return nil, err
	}
	out, err := generateDoc(d, spec.Pinned().Commit)
	if err != nil {
		return nil, err
	}
	// The runnable examples use operations every version has; the golden
	// test's description has other ones, so they are not part of
	// generateDoc.
	src, err := render("example.go.tmpl", &glueData{Version: version, Dir: packageDir(version)})
	if err != nil {
		return nil, fmt.Errorf("spec %s: example_test.go: %w", version, err)
	}
	out.files["example_test.go"] = src
	return out, nil
}

// generateDoc generates the package of one loaded (and repaired)
// description; commit is the upstream commit it was pinned at.
func generateDoc(d *specdoc.Doc, commit string) (*versionOutput, error) {
	version := d.Version
	d.StripProse()
	unions, err := prepareUnions(d.Root)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", version, err)
	}
	d.PreferValuesInResponses()
	d.MarkNonNullable()
	bodyItems := d.BodyItems()
	hoisted, err := hoistInlineBodies(d.Root)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", version, err)
	}
	renameShadowingSchemas(d.Root)
	ops := d.Operations()
	if clashes := receivedFieldClashes(d.Root); len(clashes) > 0 {
		return nil, fmt.Errorf("spec %s: properties clash with the %s field: %s", version, receivedField, strings.Join(clashes, ", "))
	}
	// Last: only oapi-codegen sees the synthetic property.
	addReceivedMembers(d.Root)
	doc, err := d.OpenAPI()
	if err != nil {
		return nil, err
	}
	raw, err := codegen.Generate(doc, unions.oapiConfig())
	if err != nil {
		return nil, fmt.Errorf("spec %s: oapi-codegen: %w", version, err)
	}
	raw, err = rewriteRawSource(raw, version)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", version, err)
	}
	defs, err := codegen.OperationDefinitions(doc)
	if err != nil {
		return nil, fmt.Errorf("spec %s: operations: %w", version, err)
	}
	idx, err := indexSource(raw)
	if err != nil {
		return nil, fmt.Errorf("spec %s: generated source does not parse: %w", version, err)
	}
	if err := checkReexports(idx); err != nil {
		return nil, fmt.Errorf("spec %s: %w", version, err)
	}
	specIDs := map[string]string{}
	for _, o := range ops {
		specIDs[o.Method+" "+o.Path] = o.OperationID
	}
	glue, err := buildGlue(version, defs, specIDs, bodyItems, idx, hoisted)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", version, err)
	}
	if len(glue.Operations) != len(ops) {
		return nil, fmt.Errorf("spec %s: %d operations in the spec, %d methods generated", version, len(ops), len(glue.Operations))
	}
	glue.Repairs = d.Applied
	glue.Entry = d.Entry
	glue.Commit = commit
	glue.OapiCodegen = oapiCodegenVersion()

	out := &versionOutput{files: map[string][]byte{}, operations: len(glue.Operations), repairs: d.Applied}
	for _, op := range glue.Operations {
		if op.Pager != nil {
			out.iterators++
		}
	}
	models, withResponses, err := splitWithResponses(raw, version)
	if err != nil {
		return nil, fmt.Errorf("spec %s: %w", version, err)
	}
	out.files["openapi.gen.go"] = models
	if out.files["unions.gen.go"], err = unions.renderUnions(version, string(models)); err != nil {
		return nil, fmt.Errorf("spec %s: %w", version, err)
	}
	out.files[filepath.Join(rawSubpackage, "responses.gen.go")] = withResponses
	for name, tmpl := range map[string]string{"client.gen.go": "client.go.tmpl", "version.gen.go": "version.go.tmpl", "reexports.gen.go": "reexports.go.tmpl"} {
		src, err := render(tmpl, glue)
		if err != nil {
			return nil, fmt.Errorf("spec %s: %s: %w", version, name, err)
		}
		out.files[name] = src
	}
	if out.files["lossless.gen.go"], err = renderLossless(version, string(models), string(out.files["client.gen.go"])); err != nil {
		return nil, fmt.Errorf("spec %s: %w", version, err)
	}
	return out, nil
}

// renameShadowingSchemas gives generated types that would shadow a name the
// version package re-exports from the facade another Go name. The component
// schema "error" (the error.list body) would otherwise be the type Error,
// which is the facade's typed error in every version package.
func renameShadowingSchemas(root map[string]any) {
	schemas, _ := root["components"].(map[string]any)["schemas"].(map[string]any)
	for schema, goName := range map[string]string{"error": "ErrorList"} {
		if s, ok := schemas[schema].(map[string]any); ok {
			s["x-go-name"] = goName
		}
	}
}

var (
	// The output is not formatted yet (SkipFmt): any spacing.
	headerRE = regexp.MustCompile(`(?s)\A.*?\npackage ` + packageName + `\n`)
	// oapi-codegen's client options would collide with the facade options
	// re-exported under the same names.
	rawOptionRenames = map[string]string{
		"WithBaseURL":    "WithRawBaseURL",
		"WithHTTPClient": "WithRawHTTPClient",
	}
)

// rewriteRawSource replaces oapi-codegen's header (its package comment and a
// build-dependent version) with a deterministic one and renames the raw
// client options that share a name with facade options.
func rewriteRawSource(src, version string) (string, error) {
	if !headerRE.MatchString(src) {
		return "", fmt.Errorf("oapi-codegen output has no package clause")
	}
	src = headerRE.ReplaceAllLiteralString(src, generatedHeader(version, "oapi-codegen "+oapiCodegenVersion())+"\npackage "+packageName+"\n")
	for from, to := range rawOptionRenames {
		n := strings.Count(src, "\nfunc "+from+"(")
		if n != 1 {
			return "", fmt.Errorf("expected one func %s in oapi-codegen output, found %d", from, n)
		}
		src = strings.Replace(src, "\nfunc "+from+"(", "\nfunc "+to+"(", 1)
		src = strings.Replace(src, "// "+from+" ", "// "+to+" ", 1)
	}
	// splitWithResponses formats the result (check-generated would show a
	// difference otherwise).
	return src, nil
}

func generatedHeader(version, by string) string {
	return fmt.Sprintf("// Code generated by github.com/apipin/intercom/gen (%s) from the Intercom-Version %s description. DO NOT EDIT.\n", by, version)
}

// oapiCodegenVersion is the oapi-codegen module version this binary links.
func oapiCodegenVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/oapi-codegen/oapi-codegen/v2" {
				if m.Replace != nil {
					return m.Replace.Version
				}
				return m.Version
			}
		}
	}
	return "unknown"
}

// rawSubpackage holds oapi-codegen's ClientWithResponses of each version.
// It is about 45% of oapi-codegen's output and the typed methods do not use
// it, so it lives in its own package: a program that does not import it
// does not compile it.
const rawSubpackage = "raw"

const withResponsesStart = "\n// ClientWithResponses builds on ClientInterface"

// splitWithResponses cuts oapi-codegen's output in two: models and raw client
// stay in the version package; ClientWithResponses, its response types and
// parsers go to the raw subpackage, which dot-imports the version package
// (so the generated code refers to its models unchanged).
func splitWithResponses(src, version string) (models, withResponses []byte, err error) {
	i := strings.Index(src, withResponsesStart)
	if i < 0 || strings.Count(src, withResponsesStart) != 1 {
		return nil, nil, fmt.Errorf("cannot find oapi-codegen's ClientWithResponses section")
	}
	models, err = imports.Process("openapi.gen.go", []byte(src[:i]), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("models: %w", err)
	}
	importsEnd := strings.Index(src, "\n)\n")
	header := src[:importsEnd] // header, package clause and the import block, unclosed
	header = strings.Replace(header, "\npackage "+packageName+"\n", "\npackage "+rawSubpackage+"\n", 1)
	sub := header + "\n\t. " + strconv.Quote(modulePath+"/api/"+packageDir(version)) + "\n)\n" + src[i:] + `
// FromClient returns oapi-codegen's ClientWithResponses on c's transport
// (auth, the pinned version, retries and hooks). Every status is returned
// in the response, none as an error.
func FromClient(c *Client) *ClientWithResponses {
	return &ClientWithResponses{ClientInterface: c.Raw()}
}
`
	withResponses, err = imports.Process("responses.gen.go", []byte(sub), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("raw subpackage: %w", err)
	}
	return models, withResponses, nil
}

const modulePath = "github.com/apipin/intercom"
