package intercom_test

import (
	"testing"

	v216 "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/internal/jsondec"
)

// The version packages register nothing at init, so that a program keeps
// only what the types it decodes need (docs/performance.md, "Binary
// size"): the decoder asks a type holding unions for them through its
// UnmarshalJSON (jsondec.Probing), and takes a string type with a Valid
// method for an enum. This test binary does not call
// allversions.RegisterUnions, which registers every union for the
// cross-version suites, so what it decodes here the decoder found by
// itself: without the unions, internal/jsondec refuses the interface
// fields.
func TestDecoderFindsUnionsAndEnumsItself(t *testing.T) {
	// A union (the query) whose variant holds a union (the value) whose
	// variant is a list of a union (the items): each found when the type
	// holding it is first decoded.
	body := []byte(`{"query":{"field":"id","operator":"IN","value":["a",2]}}`)
	var req v216.SearchRequest
	var notes jsondec.Notes
	if err := jsondec.UnmarshalNotes(body, &req, &notes); err != nil {
		t.Fatalf("jsondec refused a request with union fields: %v", err)
	}
	if notes.Any() {
		t.Errorf("notes %+v, want none", notes)
	}
	q, ok := req.Query.(v216.SingleFilterSearchRequest)
	if !ok {
		t.Fatalf("query is a %T, want SingleFilterSearchRequest", req.Query)
	}
	list, ok := q.Value.(v216.SingleFilterSearchValueList)
	if !ok || len(list) != 2 {
		t.Fatalf("query value is a %T (%v), want SingleFilterSearchValueList of 2", q.Value, q.Value)
	}
	if _, ok := list[1].(v216.SingleFilterSearchValueItemInteger); !ok {
		t.Errorf("second item is a %T, want SingleFilterSearchValueItemInteger", list[1])
	}

	// Both variants of the query take an object without required members;
	// the one whose operator enum lists "AND" wins (the union rule,
	// docs/surface.md).
	body = []byte(`{"query":{"operator":"AND","value":[{"field":"name","operator":"=","value":"a"}]}}`)
	req, notes = v216.SearchRequest{}, jsondec.Notes{}
	if err := jsondec.UnmarshalNotes(body, &req, &notes); err != nil || notes.Any() {
		t.Fatalf("err %v, notes %+v", err, notes)
	}
	if _, ok := req.Query.(v216.MultipleFilterSearchRequest); !ok {
		t.Errorf("an AND query is a %T, want MultipleFilterSearchRequest", req.Query)
	}

	// An operator the enum does not list is noted, found by its Valid
	// method.
	body = []byte(`{"query":{"field":"name","operator":"resembles","value":"a"}}`)
	req, notes = v216.SearchRequest{}, jsondec.Notes{}
	if err := jsondec.UnmarshalNotes(body, &req, &notes); err != nil {
		t.Fatal(err)
	}
	if notes.Enums != 1 {
		t.Errorf("notes %+v, want the unlisted operator", notes)
	}
	if _, ok := req.Query.(v216.SingleFilterSearchRequest); !ok {
		t.Errorf("query is a %T, want SingleFilterSearchRequest", req.Query)
	}
}
