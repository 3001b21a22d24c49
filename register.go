package intercom

import (
	"fmt"

	"github.com/apipin/intercom/internal/engine"
	"github.com/apipin/intercom/internal/jsondec"
)

// The engine is not part of this package's API: generated version
// packages reach it through internal/gensupport, which receives it here.
func init() {
	engine.Register(engine.Root{
		NewCore: func(version, opts any, fromEnv bool) (any, error) {
			v, ok := version.(Version)
			if !ok {
				return nil, fmt.Errorf("intercom: internal error: version is %T", version)
			}
			o, ok := opts.([]Option)
			if !ok {
				return nil, fmt.Errorf("intercom: internal error: options are %T", opts)
			}
			if fromEnv {
				return newFromEnv(v, o...)
			}
			return newCore(v, o...)
		},
		Unmarshal: unmarshal,
		UnmarshalTolerant: func(data []byte, v any) (any, error) {
			return unmarshalTolerant(data, v)
		},
		NotedPaths: func(data []byte, v any, nullableItems string) (any, any, bool, bool) {
			return notedBothWays(data, v, jsondec.ItemLevels(nullableItems))
		},
	})
}
