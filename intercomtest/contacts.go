package intercomtest

import (
	"maps"
	"net/http"
	"strings"
)

// contactFields is a create or update body. Pointers tell "absent" from
// "empty", which a partial update needs.
type contactFields struct {
	Role             *string        `json:"role"`
	Email            *string        `json:"email"`
	ExternalID       *string        `json:"external_id"`
	Name             *string        `json:"name"`
	Phone            *string        `json:"phone"`
	CustomAttributes map[string]any `json:"custom_attributes"`
}

// applyTo copies the fields that were sent; custom attributes are merged key
// by key, so an update never drops attributes it did not mention.
func (f *contactFields) applyTo(c *Contact) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&c.Role, f.Role)
	set(&c.Email, f.Email)
	set(&c.ExternalID, f.ExternalID)
	set(&c.Name, f.Name)
	set(&c.Phone, f.Phone)
	if len(f.CustomAttributes) > 0 {
		if c.CustomAttributes == nil {
			c.CustomAttributes = map[string]any{}
		}
		maps.Copy(c.CustomAttributes, f.CustomAttributes)
	}
}

func (st *store) contactFor(id string) (*contactRec, *apiError) {
	if rec := st.contactByID[id]; rec != nil {
		return rec, nil
	}
	if st.implicit && id != "" {
		rec := &contactRec{Contact: Contact{ID: id, Role: "user", CreatedAt: st.stamp()}, seq: st.nextSeq()}
		rec.UpdatedAt = rec.CreatedAt
		st.contacts = append(st.contacts, rec)
		st.contactByID[id] = rec
		return rec, nil
	}
	return nil, errf(http.StatusNotFound, "not_found", "there is no contact with id %q", id)
}

func (st *store) createContact(_ *http.Request, body []byte) (any, *apiError) {
	var in contactFields
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if in.Email == nil && in.ExternalID == nil && in.Role == nil {
		return nil, errf(http.StatusBadRequest, "parameter_not_found",
			"creating a contact needs at least one of email, external_id or role")
	}
	var c Contact
	in.applyTo(&c)
	rec, e := st.addContact(c)
	if e != nil {
		return nil, e
	}
	return rec.wire(), nil
}

func (st *store) getContact(r *http.Request, _ []byte) (any, *apiError) {
	rec, e := st.contactFor(r.PathValue("id"))
	if e != nil {
		return nil, e
	}
	return rec.wire(), nil
}

func (st *store) updateContact(r *http.Request, body []byte) (any, *apiError) {
	rec, e := st.contactFor(r.PathValue("id"))
	if e != nil {
		return nil, e
	}
	var in contactFields
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	// Work on a copy so a rejected update leaves the stored contact untouched.
	next := cloneContact(rec.Contact)
	in.applyTo(&next)
	if next.Role != "user" && next.Role != "lead" {
		return nil, errf(http.StatusBadRequest, "parameter_invalid", "role must be user or lead, got %q", next.Role).on("role")
	}
	if e := st.checkContactUnique(next, rec.ID); e != nil {
		return nil, e
	}
	next.UpdatedAt = st.stamp()
	st.index(rec, false)
	rec.Contact = next
	st.index(rec, true)
	return rec.wire(), nil
}

type wireDeletedContact struct {
	Type       string  `json:"type"`
	ID         string  `json:"id"`
	ExternalID *string `json:"external_id"`
	Deleted    bool    `json:"deleted"`
}

func (st *store) deleteContact(r *http.Request, _ []byte) (any, *apiError) {
	rec, e := st.contactFor(r.PathValue("id"))
	if e != nil {
		return nil, e
	}
	st.removeContact(rec)
	return wireDeletedContact{Type: "contact", ID: rec.ID, ExternalID: nullable(rec.ExternalID), Deleted: true}, nil
}

// listContacts pages through every contact with a starting_after cursor.
func (st *store) listContacts(r *http.Request, _ []byte) (any, *apiError) {
	q := r.URL.Query()
	perPage, e := intParam(q, "per_page", st.pageSize, 1, maxPerPage)
	if e != nil {
		return nil, e
	}
	after, e := decodeCursor(q.Get("starting_after"))
	if e != nil {
		return nil, e
	}
	page, pg := cursorPage(st.contacts, after, perPage)
	return wireList{Type: "list", Data: contactsData(page), TotalCount: len(st.contacts), Pages: pg}, nil
}

type wireArchived struct {
	Type       string  `json:"type"`
	ID         string  `json:"id"`
	ExternalID *string `json:"external_id"`
	Archived   bool    `json:"archived"`
}

// archiveContact and unarchiveContact flip a contact's archived flag; an
// archived contact can still be read and unarchived.
func (st *store) archiveContact(r *http.Request, _ []byte) (any, *apiError) {
	return st.setArchived(r.PathValue("id"), true)
}

func (st *store) unarchiveContact(r *http.Request, _ []byte) (any, *apiError) {
	return st.setArchived(r.PathValue("id"), false)
}

func (st *store) setArchived(id string, archived bool) (any, *apiError) {
	rec, e := st.contactFor(id)
	if e != nil {
		return nil, e
	}
	rec.archived = archived
	rec.UpdatedAt = st.stamp()
	return wireArchived{Type: "contact", ID: rec.ID, ExternalID: nullable(rec.ExternalID), Archived: archived}, nil
}

// getContactByExternalID serves GET /contacts/find_by_external_id/{id}.
func (st *store) getContactByExternalID(r *http.Request, _ []byte) (any, *apiError) {
	id := r.PathValue("external_id")
	rec := st.byExternalID[id]
	if rec == nil && st.implicit && id != "" {
		rec, _ = st.addContact(Contact{ExternalID: id})
	}
	if rec == nil {
		return nil, errf(http.StatusNotFound, "not_found", "there is no contact with external_id %q", id)
	}
	return rec.wire(), nil
}
