// Package members lets the suites that hold the fast decoders to
// encoding/json's value compare typed fields only: it clears the JSON
// (Members) field every generated model has. The members kept beside the
// typed fields are the lossless suite's business (tests/decode/lossless_test.go).
package members

import (
	"reflect"

	facade "github.com/apipin/intercom"
)

var membersType = reflect.TypeFor[facade.Members]()

// Without clears every JSON (Members) field in what v points to and
// returns v.
func Without(v any) any {
	clearMembers(reflect.ValueOf(v))
	return v
}

func clearMembers(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			clearMembers(v.Elem())
		}
	case reflect.Interface:
		if v.IsNil() || !v.CanSet() {
			return
		}
		c := reflect.New(v.Elem().Type()).Elem()
		c.Set(v.Elem())
		clearMembers(c)
		v.Set(c)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Type() == membersType {
				if f.CanSet() {
					f.SetZero()
				}
				continue
			}
			if v.Type().Field(i).IsExported() {
				clearMembers(f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			clearMembers(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		for _, k := range v.MapKeys() {
			c := reflect.New(v.Type().Elem()).Elem()
			c.Set(v.MapIndex(k))
			clearMembers(c)
			v.SetMapIndex(k, c)
		}
	}
}
