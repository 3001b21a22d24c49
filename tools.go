//go:build tools

package intercom

// The generator drives oapi-codegen as a library (gen/); this import pins
// the same module version for its command, mirroring go.mod's tool line, so
// `go tool oapi-codegen` matches what gen links.
import _ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
