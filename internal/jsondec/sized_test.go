package jsondec

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// sizedElem is used by these tests only, so that its length hint starts
// at zero and sees only their lists.
type sizedElem struct {
	ID  string `json:"id"`
	N   int    `json:"n"`
	Tag []any  `json:"tag"`
}

func sizedList(n int) []byte {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"e%d","n":%d,"tag":[%d]}`, i, i, i)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

// Lists decoded into a nil slice are sized by the lists of their type
// before them: whatever the sequence of lengths, each decodes as
// encoding/json does, and its array never holds more than twice its
// length and 8 (a long list does not pin its array in the short ones
// after it).
func TestListsSizedByTheListsBefore(t *testing.T) {
	for _, n := range []int{3, 3, 50, 40, 2, 0, 7, 7, 1, 0, 300, 299, 150, 1} {
		data := sizedList(n)
		var got, want []sizedElem
		if err := Unmarshal(data, &got); err != nil {
			t.Fatalf("%d elements: %v", n, err)
		}
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%d elements: got %v, want %v", n, got, want)
		}
		if got == nil || cap(got) > 2*len(got)+8 {
			t.Errorf("%d elements: nil %v, capacity %d", n, got == nil, cap(got))
		}
	}
}

// When the hint is right, a list is one allocation: its array (the
// strings refer to the input). Without the hint, the first list grows.
func TestListAtItsHintIsOneAllocation(t *testing.T) {
	type plain struct {
		ID string `json:"id"`
		N  int    `json:"n"`
	}
	data := []byte(`[` + strings.Repeat(`{"id":"x","n":1},`, 19) + `{"id":"x","n":1}]`)
	var v []plain
	allocs := testing.AllocsPerRun(10, func() {
		v = nil
		if err := Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 1 || len(v) != 20 || cap(v) > 24 {
		t.Errorf("%v allocations, length %d, capacity %d; want 1, 20, at most 24", allocs, len(v), cap(v))
	}
}

// An element that fails leaves the slice nil, as it was.
func TestFailedListLeavesNil(t *testing.T) {
	var v []sizedElem
	if err := Unmarshal([]byte(`[{"id":"a"},{"id":1}]`), &v); err == nil {
		t.Fatal("no error")
	}
	if v != nil {
		t.Errorf("got %v, want nil", v)
	}
}

// A slice that already has an array (outside Unmarshal's contract of a
// zero value, but what a caller reusing a value passes) decodes to the
// value encoding/json gives.
func TestListIntoUsedSlice(t *testing.T) {
	for _, data := range [][]byte{sizedList(2), sizedList(0), sizedList(9)} {
		got := []sizedElem{{ID: "old1"}, {ID: "old2"}, {ID: "old3"}}
		want := []sizedElem{{ID: "old1"}, {ID: "old2"}, {ID: "old3"}}
		if err := Unmarshal(data, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", data, got, want)
		}
	}
}

// The hint is shared by every goroutine decoding the type: lists of all
// lengths at once still decode whole (run with -race).
func TestListsOfManyLengthsAtOnce(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				n := (g*7 + i*13) % 40
				var v []sizedElem
				if err := Unmarshal(sizedList(n), &v); err != nil || len(v) != n {
					t.Errorf("%d elements: got %d, %v", n, len(v), err)
					return
				}
				for j, e := range v {
					if e.N != j {
						t.Errorf("element %d holds %d", j, e.N)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
