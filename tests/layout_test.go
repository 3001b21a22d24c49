package tests

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apipin/intercom/internal/allversions"
)

// Every struct a client's methods take or return, directly or through
// their fields, is laid out without padding between fields: the
// generator orders the small value fields (bool, int32, float32) after
// the rest (gen/fieldorder.go), so a struct is as small as its fields
// allow, which every decoded model pays in memory.
func TestModelsHaveNoAvoidablePadding(t *testing.T) {
	structs := 0
	for _, p := range allversions.Packages {
		seen := map[reflect.Type]bool{}
		var visit func(reflect.Type)
		visit = func(typ reflect.Type) {
			if seen[typ] {
				return
			}
			seen[typ] = true
			switch typ.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Array:
				visit(typ.Elem())
			case reflect.Map:
				visit(typ.Key())
				visit(typ.Elem())
			case reflect.Struct:
				if !strings.HasPrefix(typ.PkgPath(), "github.com/apipin/intercom/api/") && typ.Name() != "" {
					return // the library's own types (Members) and the standard library's
				}
				structs++
				if tight := tightSize(typ); typ.Size() != tight {
					t.Errorf("%s: %v is %d bytes, %d with its fields in another order", p.Version, typ, typ.Size(), tight)
				}
				for i := range typ.NumField() {
					visit(typ.Field(i).Type)
				}
			}
		}
		for i := range p.Client.NumMethod() {
			m := p.Client.Method(i).Type
			for j := range m.NumIn() {
				visit(m.In(j))
			}
			for j := range m.NumOut() {
				visit(m.Out(j))
			}
		}
	}
	if structs < 1000 {
		t.Fatalf("only %d struct types reached from the clients' methods", structs)
	}
	t.Logf("%d struct types checked over %d versions", structs, len(allversions.Packages))
}

// tightSize is the size of struct type typ with its fields ordered by
// alignment, largest first: in Go every type's size is a multiple of its
// alignment, so that order leaves no gap but the one at the end.
func tightSize(typ reflect.Type) uintptr {
	fields := make([]reflect.Type, typ.NumField())
	for i := range fields {
		fields[i] = typ.Field(i).Type
	}
	slices.SortStableFunc(fields, func(a, b reflect.Type) int { return b.Align() - a.Align() })
	var size uintptr
	for _, f := range fields {
		size = alignUp(size, uintptr(f.Align())) + f.Size()
	}
	return alignUp(size, uintptr(typ.Align()))
}

func alignUp(n, a uintptr) uintptr { return (n + a - 1) &^ (a - 1) }
