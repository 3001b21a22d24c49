// Package decode holds the cross-version decoding suites: the fast engine
// against encoding/json on every spec's examples and on fuzzed input, the
// tolerant pass on payloads with each known deviation, request-body
// serialization, and the decoding benchmarks.
package decode

import (
	"context"
	"reflect"
	"strings"
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

// version is what these suites need from one generated package: its
// client type, a constructor, and "METHOD path" -> Go method name.
type version struct {
	name    string
	client  reflect.Type // *Client
	newFunc func(opts ...facade.Option) (any, error)
	methods map[string]string
}

func newVersion[C any, O any](name string, ops []O, newClient func(...facade.Option) (*C, error)) version {
	v := version{
		name: name, client: reflect.TypeFor[*C](), methods: map[string]string{},
		newFunc: func(opts ...facade.Option) (any, error) { return newClient(opts...) },
	}
	for _, o := range ops {
		e := reflect.ValueOf(o)
		v.methods[e.FieldByName("Method").String()+" "+e.FieldByName("Path").String()] = e.FieldByName("GoMethod").String()
	}
	return v
}

var versions = []version{
	newVersion("2.7", v2_7.Operations, v2_7.New),
	newVersion("2.8", v2_8.Operations, v2_8.New),
	newVersion("2.9", v2_9.Operations, v2_9.New),
	newVersion("2.10", v2_10.Operations, v2_10.New),
	newVersion("2.11", v2_11.Operations, v2_11.New),
	newVersion("2.12", v2_12.Operations, v2_12.New),
	newVersion("2.13", v2_13.Operations, v2_13.New),
	newVersion("2.14", v2_14.Operations, v2_14.New),
	newVersion("2.15", v2_15.Operations, v2_15.New),
	newVersion("2.16", v2_16.Operations, v2_16.New),
	newVersion("Preview", preview.Operations, preview.New),
}

func versionNamed(t testing.TB, name string) version {
	t.Helper()
	for _, v := range versions {
		if v.name == name {
			return v
		}
	}
	t.Fatalf("no version %s", name)
	return version{}
}

func TestEveryVersionIsCovered(t *testing.T) {
	var got []string
	for _, v := range versions {
		got = append(got, v.name)
	}
	if want := spec.Versions(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("suites cover %v, the lock pins %v", got, want)
	}
}

// method returns the client method for an operation.
func (v version) method(t testing.TB, opKey string) reflect.Method {
	t.Helper()
	name, ok := v.methods[opKey]
	if !ok {
		t.Fatalf("%s: no operation %s", v.name, opKey)
	}
	m, ok := v.client.MethodByName(name)
	if !ok {
		t.Fatalf("%s: no method %s", v.name, name)
	}
	return m
}

// resultType is the T of the (*T, error) the operation's method returns, or
// nil for a method without a body.
func (v version) resultType(t testing.TB, opKey string) reflect.Type {
	m := v.method(t, opKey)
	if m.Type.NumOut() != 2 {
		return nil
	}
	return m.Type.Out(0).Elem()
}

// call invokes the operation's method on client with zero arguments after
// the context, and returns its result (nil for a bodiless method) and error.
func (v version) call(t testing.TB, ctx context.Context, client any, opKey string) (any, error) {
	m := v.method(t, opKey)
	args := []reflect.Value{reflect.ValueOf(client), reflect.ValueOf(ctx)}
	for i := 2; i < m.Type.NumIn(); i++ {
		args = append(args, reflect.Zero(m.Type.In(i)))
	}
	out := m.Func.Call(args)
	err, _ := out[len(out)-1].Interface().(error)
	if len(out) == 1 {
		return nil, err
	}
	return out[0].Interface(), err
}
