package main

import (
	"strings"
	"testing"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
)

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{
		"ShowContactByExternalId":  "show-contact-by-external-id",
		"listAttachedContacts":     "list-attached-contacts",
		"AI Content":               "ai-content",
		"AIContent":                "ai-content",
		"getWhatsAppMessageStatus": "get-whats-app-message-status",
		"Help Center":              "help-center",
		"GET /export/reporting_data/job_identifier": "get-export-reporting-data-job-identifier",
	} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStrip(t *testing.T) {
	for _, tc := range []struct{ id, group, want string }{
		{"show-contact", "contacts", "show"},
		{"list-contacts", "contacts", "list"},
		{"show-contact-by-external-id", "contacts", "show-by-external-id"},
		{"retrieve-a-company-by-id", "companies", "retrieve-by-id"},
		{"create-data-event", "data-events", "create"},
		{"list-all-companies", "companies", "list-all-companies"}, // not the verb's object
		{"attach-contact-to-a-company", "companies", "attach-contact-to-a-company"},
		{"list-attached-contacts", "companies", "list-attached-contacts"}, // another group's word
		{"contacts", "contacts", "contacts"},                              // nothing would be left
		{"list-help-centers", "help-center", "list"},
		{"list-activities", "activity", "list"},
	} {
		if got := strip(tc.id, tc.group); got != tc.want {
			t.Errorf("strip(%q, %q) = %q, want %q", tc.id, tc.group, got, tc.want)
		}
	}
}

// Where taking the group's words out would give two operations one name,
// in any version, both keep their full operationId, in every version.
func TestNameCommandsKeepsFullNamesOnCollision(t *testing.T) {
	all := []versionOps{
		{Name: "2.7", Ops: []ops.Op{{Tag: "Contacts", ID: "listContacts", Method: "GET", Path: "/contacts"}}},
		{Name: "2.8", Ops: []ops.Op{
			{Tag: "Contacts", ID: "listContacts", Method: "GET", Path: "/contacts"},
			{Tag: "Contacts", ID: "listContact", Method: "GET", Path: "/contact"},
			{Tag: "Contacts", ID: "ShowContact", Method: "GET", Path: "/contacts/{id}"},
		}},
	}
	if err := nameCommands(all); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range all {
		for _, o := range v.Ops {
			got = append(got, v.Name+" "+o.Group+" "+o.Command)
		}
	}
	want := "2.7 contacts list-contacts|2.8 contacts list-contact|2.8 contacts list-contacts|2.8 contacts show"
	if strings.Join(got, "|") != want {
		t.Errorf("names %q, want %q", strings.Join(got, "|"), want)
	}
}
