package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/apipin/intercom/internal/allversions"
)

// The paging suites call iterators through reflection, found from the
// operations table (method and path), so that they depend on no Go method
// name; this file is the one place that knows how an iterator is called.

// iteratorFor returns the name of the iterator of the operation method
// path in p, or "".
func iteratorFor(p allversions.Package, method, path string) string {
	for _, op := range p.Operations {
		if op.Method == method && op.Path == path {
			return op.Iterator
		}
	}
	return ""
}

// walked is what an iterator yielded.
type walked struct {
	ids  []string // the ID of each item, in order
	errs []error
}

// walk runs iterator name of client to its end. Path parameters take
// pathValue (strings) or 1 (integers), a body is decoded from bodyJSON
// ("{}" when empty), params from paramsJSON (nil when empty).
func walk(t *testing.T, client any, name string, pathValue, bodyJSON, paramsJSON string) walked {
	t.Helper()
	m := reflect.ValueOf(client).MethodByName(name)
	if !m.IsValid() {
		t.Fatalf("no method %s", name)
	}
	mt := m.Type()
	args := []reflect.Value{reflect.ValueOf(context.Background())}
	for i := 1; i < mt.NumIn()-1; i++ { // the last is ...CallOption
		in := mt.In(i)
		switch {
		case i == mt.NumIn()-2: // params
			if paramsJSON == "" {
				args = append(args, reflect.Zero(in))
				break
			}
			v := reflect.New(in.Elem())
			if err := json.Unmarshal([]byte(paramsJSON), v.Interface()); err != nil {
				t.Fatalf("%s: params %s: %v", name, paramsJSON, err)
			}
			args = append(args, v)
		case in.Kind() == reflect.String:
			args = append(args, reflect.ValueOf(pathValue).Convert(in))
		case in.Kind() == reflect.Int:
			args = append(args, reflect.ValueOf(1).Convert(in))
		default: // the body
			if bodyJSON == "" {
				bodyJSON = "{}"
			}
			v := reflect.New(in)
			if err := json.Unmarshal([]byte(bodyJSON), v.Interface()); err != nil {
				t.Fatalf("%s: body %s: %v", name, bodyJSON, err)
			}
			args = append(args, v.Elem())
		}
	}
	seq := m.Call(args)[0]
	var w walked
	yield := reflect.MakeFunc(seq.Type().In(0), func(a []reflect.Value) []reflect.Value {
		if err, _ := a[1].Interface().(error); err != nil {
			w.errs = append(w.errs, err)
		} else {
			w.ids = append(w.ids, itemID(a[0]))
		}
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	return w
}

// itemID is an item's ID (or Id) field as text, "" when it has none.
func itemID(v reflect.Value) string {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	for _, name := range []string{"ID", "Id"} {
		f := v.FieldByName(name)
		for f.IsValid() && f.Kind() == reflect.Pointer {
			if f.IsNil() {
				return ""
			}
			f = f.Elem()
		}
		if f.IsValid() {
			return fmt.Sprint(f.Interface())
		}
	}
	return ""
}

// once reports the first id yielded more than once, or missing from want.
func once(got []string, want map[string]bool) string {
	seen := map[string]bool{}
	var problems []string
	for _, id := range got {
		if seen[id] {
			problems = append(problems, id+" twice")
		}
		seen[id] = true
	}
	for id := range want {
		if !seen[id] {
			problems = append(problems, id+" missing")
		}
	}
	for id := range seen {
		if !want[id] {
			problems = append(problems, id+" not seeded")
		}
	}
	return strings.Join(problems, ", ")
}
