package conformance

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/gen/specdoc"
)

// The arguments of every call the conformance suite makes are valid for
// the spec before anything is sent: what Prism then rejects is the
// client's doing, not the synthesizer's. Needs no Prism.
func TestSynthesizedCallsAreValid(t *testing.T) {
	for _, p := range packages {
		t.Run(p.Version, func(t *testing.T) {
			t.Parallel()
			d, err := specdoc.Load(p.Version)
			require.NoError(t, err)
			doc, err := d.OpenAPI()
			require.NoError(t, err)
			client, err := newClient(p, facade.WithToken("test"), facade.WithBaseURL("http://127.0.0.1:1"))
			require.NoError(t, err)
			calls := 0
			for _, info := range p.Operations {
				o, err := lookup(p.Version, doc, client, info)
				if !assert.NoError(t, err) {
					continue
				}
				for _, v := range o.variants() {
					r, err := o.build(v)
					if !assert.NoError(t, err, "%s %s", o.key(), v) {
						continue
					}
					calls++
					if r.body != nil {
						assert.NoError(t, o.bodySchema("application/json").Value.VisitJSON(r.body, openapi3.VisitAsRequest(),
							openapi3.EnableFormatValidation()), "%s %s", o.key(), v)
					}
				}
			}
			t.Logf("%s: %d calls of %d operations built", p.Version, calls, len(p.Operations))
		})
	}
}
