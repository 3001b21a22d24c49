// Package tests holds the cross-version suites: every pinned version is
// checked against its own spec, loaded and verified at test time.
package tests

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
	Method, Path, OperationID, GoMethod, Iterator, Paging string
}

// versionPkg is what the suites need from one generated package.
type versionPkg struct {
	Version    string
	APIVersion string
	Ops        []opInfo
	Client     reflect.Type // *Client
	New        func(opts ...facade.Option) (any, error)
}

func infos(slice any) []opInfo {
	v := reflect.ValueOf(slice)
	out := make([]opInfo, v.Len())
	for i := range out {
		e := v.Index(i)
		out[i] = opInfo{
			Method: e.FieldByName("Method").String(), Path: e.FieldByName("Path").String(),
			OperationID: e.FieldByName("OperationID").String(), GoMethod: e.FieldByName("GoMethod").String(),
			Iterator: e.FieldByName("Iterator").String(), Paging: e.FieldByName("Paging").String(),
		}
	}
	return out
}

func pkg[C any, O any](version, apiVersion string, ops []O, newClient func(...facade.Option) (*C, error)) versionPkg {
	return versionPkg{
		Version: version, APIVersion: apiVersion, Ops: infos(ops), Client: reflect.TypeFor[*C](),
		New: func(opts ...facade.Option) (any, error) { return newClient(opts...) },
	}
}

// packages lists every generated package; TestEveryPinnedVersionHasAPackage
// keeps it complete.
var packages = []versionPkg{
	pkg[v2_7.Client]("2.7", v2_7.APIVersion, v2_7.Operations, v2_7.New),
	pkg[v2_8.Client]("2.8", v2_8.APIVersion, v2_8.Operations, v2_8.New),
	pkg[v2_9.Client]("2.9", v2_9.APIVersion, v2_9.Operations, v2_9.New),
	pkg[v2_10.Client]("2.10", v2_10.APIVersion, v2_10.Operations, v2_10.New),
	pkg[v2_11.Client]("2.11", v2_11.APIVersion, v2_11.Operations, v2_11.New),
	pkg[v2_12.Client]("2.12", v2_12.APIVersion, v2_12.Operations, v2_12.New),
	pkg[v2_13.Client]("2.13", v2_13.APIVersion, v2_13.Operations, v2_13.New),
	pkg[v2_14.Client]("2.14", v2_14.APIVersion, v2_14.Operations, v2_14.New),
	pkg[v2_15.Client]("2.15", v2_15.APIVersion, v2_15.Operations, v2_15.New),
	pkg[v2_16.Client]("2.16", v2_16.APIVersion, v2_16.Operations, v2_16.New),
	pkg[preview.Client]("Preview", preview.APIVersion, preview.Operations, preview.New),
}

func TestEveryPinnedVersionHasAPackage(t *testing.T) {
	var got []string
	for _, p := range packages {
		got = append(got, p.Version)
		if p.APIVersion != p.Version {
			t.Errorf("package for %s declares APIVersion %q", p.Version, p.APIVersion)
		}
	}
	if want := spec.Versions(); !reflect.DeepEqual(got, want) {
		t.Fatalf("packages cover %v, the lock pins %v", got, want)
	}
}
