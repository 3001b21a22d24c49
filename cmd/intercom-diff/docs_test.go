package main

import "testing"

func TestUntiedOperations(t *testing.T) {
	show := Op{Method: "GET", Path: "/contacts/{id}", OperationID: "ShowContact"}
	list := Op{Method: "GET", Path: "/contacts", OperationID: "ListContacts"}
	merge := Op{Method: "POST", Path: "/contacts/merge", OperationID: "MergeContact"}
	r := &Report{
		Spec: []SpecChange{{Level: NonBreaking, Op: show}, {Level: Breaking, Op: Op{OperationID: "MergeContact"}}},
		Go: []GoChange{
			{Level: Breaking, Symbol: "(*Client).ShowContact", Op: show},                   // tied by path
			{Level: Breaking, Symbol: "ShowContactParams.X", Op: show},                     // same operation, counted once
			{Level: Breaking, Symbol: "(*Client).ListContacts", Op: list},                  // untied
			{Level: Breaking, Symbol: "(*Client).MergeContact", Op: merge},                 // tied by operationId
			{Level: Breaking, Symbol: "(*RawClient).ListContacts", Op: list, Layer: "raw"}, // raw: left out
			{Level: NonBreaking, Symbol: "Contact.Extra", Op: list},                        // not breaking
			{Level: Breaking, Symbol: "Contact.Avatar"},                                    // no operation
		},
	}
	untied, broken := untiedOperations(r)
	if untied != 1 || broken != 3 {
		t.Errorf("untied %d of %d, want 1 of 3", untied, broken)
	}
}
