package specdoc

// proseKeys are the fields that carry upstream prose or example values. None
// of it may reach committed code: doc comments are written from facts.
var proseKeys = []string{"description", "summary", "example", "examples"}

// nameMaps are the objects whose keys are names chosen by the spec's authors
// (a property may well be called "description"), not OpenAPI keywords.
var nameMaps = map[string]bool{
	"properties": true, "schemas": true, "responses": true, "parameters": true,
	"headers": true, "requestBodies": true, "securitySchemes": true, "links": true,
	"callbacks": true, "content": true, "encoding": true, "variables": true,
	"mapping": true, "paths": true, "patternProperties": true, "webhooks": true,
	"pathItems": true,
}

// StripProse removes descriptions, summaries and examples everywhere in the
// document, keeping properties and other names that happen to be spelled
// like those keywords. Example objects under components are removed whole.
func (d *Doc) StripProse() {
	stripProse(d.Root)
}

func stripProse(root map[string]any) {
	if c := asMap(root["components"]); c != nil {
		delete(c, "examples")
	}
	walkObjects(root, func(m map[string]any) {
		for _, k := range proseKeys {
			delete(m, k)
		}
	})
}
