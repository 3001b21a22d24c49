// Package decode holds the cross-version decoding suites: the fast engine
// against encoding/json on every spec's examples and on fuzzed input, the
// tolerant pass on payloads with each known deviation, request-body
// serialization, and the decoding benchmarks.
package decode

import (
	"context"
	"reflect"
	"testing"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/allversions"
)

// version is what these suites need from one generated package: its
// client type, a constructor, and "METHOD path" -> Go method name.
type version struct {
	name    string
	client  reflect.Type // *Client
	newFunc func(opts ...facade.Option) (any, error)
	methods map[string]string
}

// versions has every generated package, oldest first (internal/allversions
// checks that it is every pinned version).
var versions = func() []version {
	var out []version
	for _, p := range allversions.Packages {
		v := version{name: p.Version, client: p.Client, newFunc: p.New, methods: map[string]string{}}
		for _, o := range p.Operations {
			v.methods[o.Method+" "+o.Path] = o.GoMethod
		}
		out = append(out, v)
	}
	return out
}()

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
	n := m.Type.NumIn()
	if m.Type.IsVariadic() {
		n-- // the call options: none
	}
	for i := 2; i < n; i++ {
		arg := reflect.New(m.Type.In(i)).Elem()
		if arg.Kind() == reflect.String {
			arg.SetString("x") // a path parameter: an empty one is refused before sending
		}
		args = append(args, arg)
	}
	out := m.Func.Call(args)
	err, _ := out[len(out)-1].Interface().(error)
	if len(out) == 1 {
		return nil, err
	}
	return out[0].Interface(), err
}
