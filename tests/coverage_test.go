package tests

import (
	"fmt"
	"testing"
)

// Every operation of every pinned spec has a typed method (and lists an
// iterator) on that version's Client: 100% coverage, checked per version.
func TestEveryOperationHasAMethod(t *testing.T) {
	total := 0
	for _, p := range packages {
		t.Run(p.Version, func(t *testing.T) {
			d := loadDoc(t, p.Version)
			generated := map[string]opInfo{}
			for _, o := range p.Operations {
				generated[o.Method+" "+o.Path] = o
			}
			specOps := d.Operations()
			for _, so := range specOps {
				key := so.Method + " " + so.Path
				o, ok := generated[key]
				if !ok {
					t.Errorf("%s (operationId %q): no generated operation", key, so.OperationID)
					continue
				}
				delete(generated, key)
				if o.OperationID != so.OperationID {
					t.Errorf("%s: operationId %q, spec says %q", key, o.OperationID, so.OperationID)
				}
				for _, m := range []string{o.GoMethod, o.Iterator} {
					if m == "" {
						continue
					}
					if _, ok := p.Client.MethodByName(m); !ok {
						t.Errorf("%s: Client has no method %s", key, m)
					}
				}
			}
			for key := range generated {
				t.Errorf("%s: generated, but not in the spec", key)
			}
			total += len(specOps)
			t.Logf("%s: %d operations, all with a method", p.Version, len(specOps))
		})
	}
	fmt.Printf("coverage: %d operations in %d versions, each with a typed method\n", total, len(packages))
}
