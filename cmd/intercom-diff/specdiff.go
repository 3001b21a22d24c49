package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"

	"github.com/apipin/intercom/gen/specdoc"
)

// Level says what a change does to code and integrations written against
// the older version.
type Level string

const (
	// Breaking changes stop callers from compiling or from working: oasdiff's
	// "error" level, or a Go change that callers' code would not compile on.
	Breaking Level = "breaking"
	// Warning changes may break some callers (oasdiff's "warning" level:
	// for example a removed request parameter that the server now ignores).
	Warning Level = "warning"
	// NonBreaking changes keep every existing caller working.
	NonBreaking Level = "non-breaking"
)

// levels lists the levels in report order: breaking first.
var levels = []Level{Breaking, Warning, NonBreaking}

// Op names an operation. Path is as the version that has the operation
// spells it; OperationID may be empty.
type Op struct {
	Method      string `json:"method,omitempty"`
	Path        string `json:"path,omitempty"`
	OperationID string `json:"operationId,omitempty"`
}

// SpecChange is one difference between two descriptions, as oasdiff's
// checker classifies it.
type SpecChange struct {
	Level Level `json:"level"`
	// Kind is the part of the contract: operation, parameter, request,
	// response, enum, status or other (tags, operation ids, components).
	Kind string `json:"kind"`
	// Rule is oasdiff's rule id, e.g. "request-parameter-became-required".
	Rule string `json:"rule"`
	Op
	// Text is oasdiff's sentence for the change, from prose-free documents.
	Text string `json:"text"`
}

// Rule ids of operation additions and removals. oasdiff reports a removed
// path and a removed method on a kept path under different ids, with or
// without a prior deprecation.
const ruleOperationAdded = "endpoint-added"

var operationRemovedRules = map[string]bool{
	"api-path-removed-without-deprecation": true,
	"api-path-removed-with-deprecation":    true,
	"api-path-removed-before-sunset":       true,
	"api-removed-without-deprecation":      true,
	"api-removed-with-deprecation":         true,
	"api-removed-before-sunset":            true,
}

// kindOf sorts oasdiff's rule ids (over three hundred of them, named
// subject-first) into the parts of the contract a reader scans for. Enum
// and status come before parameter/request/response because their rules
// also name the place the enum or status lives in.
func kindOf(rule string) string {
	switch {
	case rule == ruleOperationAdded || operationRemovedRules[rule]:
		return "operation"
	case strings.Contains(rule, "status"):
		return "status"
	case strings.Contains(rule, "enum"):
		return "enum"
	case strings.Contains(rule, "parameter"):
		return "parameter"
	case strings.Contains(rule, "request"):
		return "request"
	case strings.Contains(rule, "response"):
		return "response"
	}
	return "other"
}

// prepareSpec turns a loaded description into what the differ reads: prose
// and titles removed (oasdiff quotes titles when it names subschemas, and a
// title is the spec authors' wording, not a name the API uses), references
// resolved by kin-openapi. It changes d.
func prepareSpec(d *specdoc.Doc) (*openapi3.T, error) {
	d.StripProse()
	stripTitles(d.Root, "")
	return d.OpenAPI()
}

// stripTitles deletes the "title" keyword of every schema. A property named
// "title" is a schema (an object), never a string, so only string values go;
// under a discriminator's mapping the keys are values the API sends, kept.
func stripTitles(v any, parentKey string) {
	switch t := v.(type) {
	case map[string]any:
		if _, ok := t["title"].(string); ok && parentKey != "mapping" {
			delete(t, "title")
		}
		for k, child := range t {
			stripTitles(child, k)
		}
	case []any:
		for _, child := range t {
			stripTitles(child, "")
		}
	}
}

// specChanges diffs two prepared descriptions and returns every change
// oasdiff's checker finds, at every level, in the checker's order.
func specChanges(base, revision *openapi3.T, baseName, revisionName string) ([]SpecChange, error) {
	// The documents carry no prose any more; excluding it from the diff as
	// well keeps a future change to the stripping from leaking into reports.
	cfg := diff.NewConfig(diff.WithExcludeElements([]string{
		diff.ExcludeDescriptionOption, diff.ExcludeSummaryOption,
		diff.ExcludeExamplesOption, diff.ExcludeTitleOption,
	}))
	report, sources, err := diff.GetWithOperationsSourcesMap(cfg,
		&load.SpecInfo{Url: baseName, Spec: base, Version: baseName},
		&load.SpecInfo{Url: revisionName, Spec: revision, Version: revisionName})
	if err != nil {
		return nil, fmt.Errorf("diff %s → %s: %w", baseName, revisionName, err)
	}
	found := checker.CheckBackwardCompatibilityUntilLevel(
		checker.NewConfig(checker.GetAllChecks()), report, sources, checker.INFO)
	localize := checker.NewDefaultLocalizer()
	out := make([]SpecChange, 0, len(found))
	for _, c := range found {
		out = append(out, SpecChange{
			Level: specLevel(c.GetLevel()),
			Kind:  kindOf(c.GetId()),
			Rule:  c.GetId(),
			Op:    Op{Method: c.GetOperation(), Path: c.GetPath(), OperationID: c.GetOperationId()},
			Text:  c.GetUncolorizedText(localize),
		})
	}
	return append(out, unruledChanges(report, out)...), nil
}

// Rule ids this tool gives the request and response changes that oasdiff's
// diff finds but none of its checker's rules reports (a request map's
// value type widened, say). Without them a Go-level break caused by such a
// change would look unexplained by the spec.
const (
	ruleRequestUnruled  = "request-body-changed-without-rule"
	ruleResponseUnruled = "response-changed-without-rule"
)

// unruledChanges reports, per operation, a request body or response that
// oasdiff's diff saw change while its checker reported nothing at all for
// the operation. Their level is non-breaking: no rule judged them.
func unruledChanges(report *diff.Diff, found []SpecChange) []SpecChange {
	if report == nil || report.PathsDiff == nil {
		return nil
	}
	reported := map[string]bool{}
	for _, c := range found {
		reported[c.Method+" "+c.Path] = true
	}
	var out []SpecChange
	for _, path := range slices.Sorted(maps.Keys(report.PathsDiff.Modified)) {
		pd := report.PathsDiff.Modified[path]
		if pd == nil || pd.OperationsDiff == nil {
			continue
		}
		for _, method := range slices.Sorted(maps.Keys(pd.OperationsDiff.Modified)) {
			md := pd.OperationsDiff.Modified[method]
			op := Op{Method: method, Path: path}
			if md.Revision != nil {
				op.OperationID = md.Revision.OperationID
			}
			if reported[method+" "+path] {
				continue
			}
			if !md.RequestBodyDiff.Empty() {
				out = append(out, SpecChange{Level: NonBreaking, Kind: "request", Rule: ruleRequestUnruled, Op: op,
					Text: "the request body's schema changed in a way no oasdiff rule reports (the JSON report of oasdiff diff shows it)"})
			}
			if !md.ResponsesDiff.Empty() {
				out = append(out, SpecChange{Level: NonBreaking, Kind: "response", Rule: ruleResponseUnruled, Op: op,
					Text: "a response's schema changed in a way no oasdiff rule reports (the JSON report of oasdiff diff shows it)"})
			}
		}
	}
	return out
}

func specLevel(l checker.Level) Level {
	switch {
	case l >= checker.ERR:
		return Breaking
	case l == checker.WARN:
		return Warning
	}
	return NonBreaking
}
