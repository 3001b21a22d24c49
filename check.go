package intercom

import (
	"fmt"
	"reflect"
)

// The shape check runs after a successful strict decode. encoding/json
// accepts two deviations silently, and would hand the caller a value that
// quietly lacks data: a union holding a kind none of its variants takes
// (its As methods fail later), and a list wrapper whose items arrived under
// another key (the items are ignored as an unknown field). The check walks
// only the parts of the value that can hold a union, as planned once per
// type, so types without unions cost one cache look-up and a nil check.

// checkPlan is what to check in a decoded value of a root type.
type checkPlan struct {
	list *listShape // the root is a list wrapper
	node *checkNode // where unions can be, nil if nowhere
}

// checkNode is one type on the way to a union.
type checkNode struct {
	union  *unionInfo   // this type is a union
	elem   *checkNode   // pointer, slice, array and map values
	fields []fieldCheck // struct fields leading to a union
}

type fieldCheck struct {
	field
	node *checkNode
}

var planCache typeCache[*checkPlan]

func planFor(t reflect.Type) *checkPlan {
	return planCache.get(t, func(t reflect.Type) *checkPlan {
		return &checkPlan{list: listShapeOf(t), node: buildCheck(t)}
	})
}

// children lists the types a value of t can directly contain, as encoding/json
// decodes it; unions and custom decoders are leaves.
func children(t reflect.Type) []reflect.Type {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return []reflect.Type{t.Elem()}
	case reflect.Struct:
		if unionOf(t) != nil || hasCustomDecoding(t) {
			return nil
		}
		var out []reflect.Type
		for _, f := range structFields(t) {
			out = append(out, f.typ)
		}
		return out
	}
	return nil
}

// buildCheck returns the check tree for t, nil when no union is reachable.
func buildCheck(root reflect.Type) *checkNode {
	// The types reachable from root, and who contains whom.
	parents := map[reflect.Type][]reflect.Type{}
	seen := map[reflect.Type]bool{root: true}
	var unions []reflect.Type
	for queue := []reflect.Type{root}; len(queue) > 0; queue = queue[1:] {
		t := queue[0]
		if unionOf(t) != nil {
			unions = append(unions, t)
		}
		for _, c := range children(t) {
			parents[c] = append(parents[c], t)
			if !seen[c] {
				seen[c] = true
				queue = append(queue, c)
			}
		}
	}
	// The types from which a union can be reached.
	reaches := map[reflect.Type]bool{}
	for queue := unions; len(queue) > 0; queue = queue[1:] {
		t := queue[0]
		if reaches[t] {
			continue
		}
		reaches[t] = true
		queue = append(queue, parents[t]...)
	}
	if !reaches[root] {
		return nil
	}
	nodes := map[reflect.Type]*checkNode{}
	var node func(t reflect.Type) *checkNode
	node = func(t reflect.Type) *checkNode {
		if !reaches[t] {
			return nil
		}
		if n, ok := nodes[t]; ok {
			return n
		}
		n := &checkNode{}
		nodes[t] = n // before the children: types can be recursive
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			n.elem = node(t.Elem())
		case reflect.Interface:
			n.union = unionOf(t)
		case reflect.Struct:
			if n.union = unionOf(t); n.union == nil {
				for _, f := range structFields(t) {
					if c := node(f.typ); c != nil {
						n.fields = append(n.fields, fieldCheck{f, c})
					}
				}
			}
		}
		return n
	}
	return node(root)
}

// checkValue walks v along n and reports every union whose JSON kind none
// of its variants accepts.
func (n *checkNode) checkValue(v reflect.Value, r *repairer) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			n.elem.checkValue(v.Elem(), r)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			r.path.push(seg{index: i})
			n.elem.checkValue(v.Index(i), r)
			r.path.pop()
		}
	case reflect.Map:
		if v.Len() == 0 {
			return
		}
		// One iterator, key and value for every entry: MapRange,
		// MapIter.Key and MapIter.Value allocate per map and per entry.
		var it reflect.MapIter
		it.Reset(v)
		kv := reflect.New(v.Type().Key()).Elem()
		ev := reflect.New(v.Type().Elem()).Elem()
		for it.Next() {
			kv.SetIterKey(&it)
			ev.SetIterValue(&it)
			r.path.push(seg{key: mapKeyName(kv), isKey: true})
			n.elem.checkValue(ev, r)
			r.path.pop()
		}
	case reflect.Interface:
		// A sealed union: what no variant took is kept as its unknown
		// value; report it when its kind is none of the variants'.
		if n.union != nil && !v.IsNil() && v.Elem().Type() == n.union.unknown {
			raw := v.Elem().Field(0).Bytes()
			if k := kindOf(raw); len(raw) > 0 && !n.union.kinds.has(k) {
				r.deviate(n.union.kinds.String(), k.String(), KeptAsJSON)
			}
		}
	case reflect.Struct:
		if n.union != nil {
			raw := v.Field(n.union.index).Bytes()
			if k := kindOf(raw); len(raw) > 0 && !n.union.kinds.has(k) {
				r.deviate(n.union.kinds.String(), k.String(), KeptAsJSON)
			}
			return
		}
		for _, f := range n.fields {
			fv, ok := fieldByIndex(v, f.index)
			if !ok {
				continue
			}
			r.path.push(seg{name: f.name})
			f.node.checkValue(fv, r)
			r.path.pop()
		}
	}
}

// mapKeyName is a map key as a path names it: fmt's text of the key a
// Value holds, read without fmt (which allocates) for a plain string.
func mapKeyName(k reflect.Value) string {
	if k.Kind() == reflect.String && k.Type().NumMethod() == 0 {
		return k.String()
	}
	return fmt.Sprint(k)
}

// fieldByIndex is Value.FieldByIndex that stops at a nil embedded pointer.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}
