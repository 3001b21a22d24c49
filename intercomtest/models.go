package intercomtest

import (
	"maps"
	"strings"
	"time"
)

// Contact is a person in the fake workspace, as seeded with AddContact or
// returned by the lookup helpers. Zero values mean "not set".
type Contact struct {
	ID               string // assigned by the server when empty
	Role             string // "user" (the default) or "lead"
	ExternalID       string
	Email            string
	Phone            string
	Name             string
	CustomAttributes map[string]any
	CreatedAt        time.Time // the server clock when zero
	UpdatedAt        time.Time // CreatedAt when zero
}

// Company is an organisation in the fake workspace. CompanyID is the key the
// caller chose; ID is the one the server assigns.
type Company struct {
	ID               string // assigned by the server when empty
	CompanyID        string // generated when empty
	Name             string
	Plan             string
	Size             int64
	Website          string
	Industry         string
	MonthlySpend     int64
	CustomAttributes map[string]any
	RemoteCreatedAt  time.Time
	CreatedAt        time.Time // the server clock when zero
	UpdatedAt        time.Time // CreatedAt when zero
}

// Tag is a label that can be applied to contacts.
type Tag struct {
	ID   string
	Name string
}

// The wire types below fix the JSON field names and the "type" member every
// Intercom object carries. Rendering copies maps, so an answer can be encoded
// after the store lock is released.

type wireRef struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	URL  string `json:"url"`
}

// wireRefList is the short list of linked objects embedded in a contact.
type wireRefList struct {
	Type       string    `json:"type"`
	Data       []wireRef `json:"data"`
	URL        string    `json:"url"`
	TotalCount int       `json:"total_count"`
	HasMore    bool      `json:"has_more"`
}

type wireContact struct {
	Type             string         `json:"type"`
	ID               string         `json:"id"`
	WorkspaceID      string         `json:"workspace_id"`
	ExternalID       *string        `json:"external_id"`
	Role             string         `json:"role"`
	Email            string         `json:"email"`
	EmailDomain      string         `json:"email_domain"`
	Phone            *string        `json:"phone"`
	Name             *string        `json:"name"`
	CreatedAt        int64          `json:"created_at"`
	UpdatedAt        int64          `json:"updated_at"`
	CustomAttributes map[string]any `json:"custom_attributes"`
	Tags             wireRefList    `json:"tags"`
	Companies        wireRefList    `json:"companies"`
}

type wirePlan struct {
	Type string `json:"type,omitempty"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

type wireTagList struct {
	Type string    `json:"type"`
	Tags []wireTag `json:"tags"`
}

type wireSegmentList struct {
	Type     string `json:"type"`
	Segments []any  `json:"segments"`
}

type wireCompany struct {
	Type             string          `json:"type"`
	ID               string          `json:"id"`
	CompanyID        string          `json:"company_id"`
	AppID            string          `json:"app_id"`
	Name             string          `json:"name,omitempty"`
	Plan             wirePlan        `json:"plan"`
	RemoteCreatedAt  int64           `json:"remote_created_at,omitempty"`
	CreatedAt        int64           `json:"created_at"`
	UpdatedAt        int64           `json:"updated_at"`
	Size             int64           `json:"size"`
	Website          string          `json:"website,omitempty"`
	Industry         string          `json:"industry,omitempty"`
	MonthlySpend     int64           `json:"monthly_spend"`
	SessionCount     int             `json:"session_count"`
	UserCount        int             `json:"user_count"`
	CustomAttributes map[string]any  `json:"custom_attributes"`
	Tags             wireTagList     `json:"tags"`
	Segments         wireSegmentList `json:"segments"`
}

type wireTag struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

// embeddedRefLimit is how many linked objects a contact lists inline; the
// rest are signalled with has_more, as the API does for long lists.
const embeddedRefLimit = 10

// refList lists linked objects of one kind; collection is the URL segment
// for that kind ("companies", "tags").
func refList(kind, collection, owner string, ids []string) wireRefList {
	l := wireRefList{Type: "list", URL: owner + "/" + collection, TotalCount: len(ids), Data: []wireRef{}}
	for i, id := range ids {
		if i == embeddedRefLimit {
			l.HasMore = true
			break
		}
		l.Data = append(l.Data, wireRef{Type: kind, ID: id, URL: "/" + collection + "/" + id})
	}
	return l
}

func (rec *contactRec) wire() wireContact {
	c := rec.Contact
	self := "/contacts/" + c.ID
	domain := ""
	if _, d, ok := strings.Cut(c.Email, "@"); ok {
		domain = d
	}
	return wireContact{
		Type:             "contact",
		ID:               c.ID,
		WorkspaceID:      WorkspaceID,
		ExternalID:       nullable(c.ExternalID),
		Role:             c.Role,
		Email:            c.Email,
		EmailDomain:      domain,
		Phone:            nullable(c.Phone),
		Name:             nullable(c.Name),
		CreatedAt:        c.CreatedAt.Unix(),
		UpdatedAt:        c.UpdatedAt.Unix(),
		CustomAttributes: attrs(c.CustomAttributes),
		Tags:             refList("tag", "tags", self, rec.tags),
		Companies:        refList("company", "companies", self, rec.companies),
	}
}

func (rec *companyRec) wire() wireCompany {
	c := rec.Company
	w := wireCompany{
		Type:             "company",
		ID:               c.ID,
		CompanyID:        c.CompanyID,
		AppID:            WorkspaceID,
		Name:             c.Name,
		CreatedAt:        c.CreatedAt.Unix(),
		UpdatedAt:        c.UpdatedAt.Unix(),
		Size:             c.Size,
		Website:          c.Website,
		Industry:         c.Industry,
		MonthlySpend:     c.MonthlySpend,
		UserCount:        len(rec.contacts),
		CustomAttributes: attrs(c.CustomAttributes),
		Tags:             wireTagList{Type: "tag.list", Tags: []wireTag{}},
		Segments:         wireSegmentList{Type: "segment.list", Segments: []any{}},
	}
	if !c.RemoteCreatedAt.IsZero() {
		w.RemoteCreatedAt = c.RemoteCreatedAt.Unix()
	}
	if c.Plan != "" {
		// The plan id only needs to be stable per name; the name's own text is enough.
		w.Plan = wirePlan{Type: "plan", ID: "plan-" + c.Plan, Name: c.Plan}
	}
	return w
}

func (t *Tag) wire() wireTag { return wireTag{Type: "tag", ID: t.ID, Name: t.Name} }

// nullable renders an unset string as JSON null, as the API does for
// optional contact fields.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// attrs copies custom attributes and never returns nil, so the field is {}
// rather than null.
func attrs(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return maps.Clone(m)
}

func cloneContact(c Contact) Contact {
	c.CustomAttributes = maps.Clone(c.CustomAttributes)
	return c
}

func cloneCompany(c Company) Company {
	c.CustomAttributes = maps.Clone(c.CustomAttributes)
	return c
}
