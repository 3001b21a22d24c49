// Package conformance calls every operation of every version package against
// Prism, a mock server that validates each request against the version's
// spec (as repaired by the generator) and answers from the spec's examples.
// The arguments are synthesized from the spec's schemas at test time; nothing
// of the specs is committed here.
package conformance

import (
	"reflect"
	"testing"

	facade "github.com/apipin/intercom"
	preview "github.com/apipin/intercom/api/preview"
	v2_10 "github.com/apipin/intercom/api/v2.10"
	v2_11 "github.com/apipin/intercom/api/v2.11"
	v2_12 "github.com/apipin/intercom/api/v2.12"
	v2_13 "github.com/apipin/intercom/api/v2.13"
	v2_14 "github.com/apipin/intercom/api/v2.14"
	v2_15 "github.com/apipin/intercom/api/v2.15"
	v2_16 "github.com/apipin/intercom/api/v2.16"
	v2_7 "github.com/apipin/intercom/api/v2.7"
	v2_8 "github.com/apipin/intercom/api/v2.8"
	v2_9 "github.com/apipin/intercom/api/v2.9"
	"github.com/apipin/intercom/spec"
)

// opInfo is a version package's OperationInfo, read without its type.
type opInfo struct {
	Method, Path, OperationID, GoMethod string
}

// versionPkg is what the suite needs from one generated package: its
// operations and a constructor whose result is called by reflection.
type versionPkg struct {
	Version string
	Ops     []opInfo
	New     func(opts ...facade.Option) (reflect.Value, error) // a *Client
}

func pkg[C any, O any](version string, newClient func(...facade.Option) (*C, error), ops []O) versionPkg {
	v := reflect.ValueOf(ops)
	infos := make([]opInfo, v.Len())
	for i := range infos {
		e := v.Index(i)
		infos[i] = opInfo{
			Method: e.FieldByName("Method").String(), Path: e.FieldByName("Path").String(),
			OperationID: e.FieldByName("OperationID").String(), GoMethod: e.FieldByName("GoMethod").String(),
		}
	}
	return versionPkg{Version: version, Ops: infos, New: func(opts ...facade.Option) (reflect.Value, error) {
		c, err := newClient(opts...)
		return reflect.ValueOf(c), err
	}}
}

// packages lists every generated package, oldest first.
var packages = []versionPkg{
	pkg("2.7", v2_7.New, v2_7.Operations),
	pkg("2.8", v2_8.New, v2_8.Operations),
	pkg("2.9", v2_9.New, v2_9.Operations),
	pkg("2.10", v2_10.New, v2_10.Operations),
	pkg("2.11", v2_11.New, v2_11.Operations),
	pkg("2.12", v2_12.New, v2_12.Operations),
	pkg("2.13", v2_13.New, v2_13.Operations),
	pkg("2.14", v2_14.New, v2_14.Operations),
	pkg("2.15", v2_15.New, v2_15.Operations),
	pkg("2.16", v2_16.New, v2_16.Operations),
	pkg("Preview", preview.New, preview.Operations),
}

// The suite covers exactly the pinned versions, so a new version cannot be
// added without being checked here.
func TestPackagesCoverEveryPinnedVersion(t *testing.T) {
	var got []string
	for _, p := range packages {
		got = append(got, p.Version)
	}
	if want := spec.Versions(); !reflect.DeepEqual(got, want) {
		t.Fatalf("suite covers %v, the lock pins %v", got, want)
	}
}
