package intercomtest

import (
	"net/http"
	"slices"
)

// idBody is the {"id": "..."} body used to link an existing object.
type idBody struct {
	ID *string `json:"id"`
}

func readID(body []byte) (string, *apiError) {
	var in idBody
	if e := decodeBody(body, &in); e != nil {
		return "", e
	}
	if in.ID == nil || *in.ID == "" {
		return "", errf(http.StatusBadRequest, "parameter_not_found", "the body needs the id of the object to link").on("id")
	}
	return *in.ID, nil
}

func (st *store) attachCompany(r *http.Request, body []byte) (any, *apiError) {
	ct, e := st.contactFor(r.PathValue("contact_id"))
	if e != nil {
		return nil, e
	}
	id, e := readID(body)
	if e != nil {
		return nil, e
	}
	co, e := st.companyFor(id)
	if e != nil {
		return nil, e
	}
	if e := st.attach(ct, co); e != nil {
		return nil, e
	}
	return co.wire(), nil
}

// wireContactCompanies carries the page twice: real answers put it under
// "data", while the published schema names the array "companies". Sending
// both lets clients built from either decode it.
type wireContactCompanies struct {
	Type       string        `json:"type"`
	Data       []wireCompany `json:"data"`
	Companies  []wireCompany `json:"companies"`
	TotalCount int           `json:"total_count"`
	Pages      *wirePages    `json:"pages"`
}

func (st *store) listContactCompanies(r *http.Request, _ []byte) (any, *apiError) {
	ct, e := st.contactFor(r.PathValue("contact_id"))
	if e != nil {
		return nil, e
	}
	page, perPage, e := st.pageParams(r.URL.Query())
	if e != nil {
		return nil, e
	}
	ids, pg := pageOf(ct.companies, page, perPage)
	recs := make([]*companyRec, len(ids))
	for i, id := range ids {
		recs[i] = st.companyByID[id]
	}
	data := companiesData(recs)
	return wireContactCompanies{Type: "list", Data: data, Companies: data, TotalCount: len(ct.companies), Pages: pg}, nil
}

func (st *store) detachCompany(r *http.Request, _ []byte) (any, *apiError) {
	ct, e := st.contactFor(r.PathValue("contact_id"))
	if e != nil {
		return nil, e
	}
	co, e := st.companyFor(r.PathValue("company_id"))
	if e != nil {
		return nil, e
	}
	if !st.detach(ct, co) {
		return nil, errf(http.StatusNotFound, "not_found", "company %s is not linked to contact %s", co.ID, ct.ID)
	}
	return co.wire(), nil
}

// ---- tags ----

type wireTags struct {
	Type string    `json:"type"`
	Data []wireTag `json:"data"`
}

func tagsData(tags []*Tag) wireTags {
	out := wireTags{Type: "list", Data: make([]wireTag, len(tags))}
	for i, t := range tags {
		out.Data[i] = t.wire()
	}
	return out
}

func (st *store) tagFor(id string) (*Tag, *apiError) {
	if t := st.tagByID[id]; t != nil {
		return t, nil
	}
	if st.implicit && id != "" {
		t := &Tag{ID: id, Name: "tag " + id}
		st.tags = append(st.tags, t)
		st.tagByID[id] = t
		return t, nil
	}
	return nil, errf(http.StatusNotFound, "tag_not_found", "there is no tag with id %q", id)
}

// createTag returns the existing tag when the name is taken, so creating is
// safe to repeat.
func (st *store) createTag(_ *http.Request, body []byte) (any, *apiError) {
	var in struct {
		Name *string `json:"name"`
	}
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if in.Name == nil || *in.Name == "" {
		return nil, errf(http.StatusBadRequest, "parameter_not_found", "a tag needs a name").on("name")
	}
	return st.addTag(*in.Name).wire(), nil
}

func (st *store) getTag(r *http.Request, _ []byte) (any, *apiError) {
	t, e := st.tagFor(r.PathValue("id"))
	if e != nil {
		return nil, e
	}
	return t.wire(), nil
}

// deleteTag removes a tag from the workspace and from every contact.
func (st *store) deleteTag(r *http.Request, _ []byte) (any, *apiError) {
	t, e := st.tagFor(r.PathValue("id"))
	if e != nil {
		return nil, e
	}
	for _, ct := range st.contacts {
		ct.tags = slices.DeleteFunc(ct.tags, func(id string) bool { return id == t.ID })
	}
	delete(st.tagByID, t.ID)
	st.tags = slices.DeleteFunc(st.tags, func(x *Tag) bool { return x == t })
	return t.wire(), nil
}

func (st *store) listTags(*http.Request, []byte) (any, *apiError) {
	return tagsData(st.tags), nil
}

func (st *store) tagContact(r *http.Request, body []byte) (any, *apiError) {
	ct, e := st.contactFor(r.PathValue("contact_id"))
	if e != nil {
		return nil, e
	}
	id, e := readID(body)
	if e != nil {
		return nil, e
	}
	tag, e := st.tagFor(id)
	if e != nil {
		return nil, e
	}
	if !slices.Contains(ct.tags, tag.ID) {
		ct.tags = append(ct.tags, tag.ID)
	}
	return tag.wire(), nil
}

func (st *store) listContactTags(r *http.Request, _ []byte) (any, *apiError) {
	ct, e := st.contactFor(r.PathValue("contact_id"))
	if e != nil {
		return nil, e
	}
	tags := make([]*Tag, len(ct.tags))
	for i, id := range ct.tags {
		tags[i] = st.tagByID[id]
	}
	return tagsData(tags), nil
}

func (st *store) untagContact(r *http.Request, _ []byte) (any, *apiError) {
	ct, e := st.contactFor(r.PathValue("contact_id"))
	if e != nil {
		return nil, e
	}
	tag, e := st.tagFor(r.PathValue("tag_id"))
	if e != nil {
		return nil, e
	}
	i := slices.Index(ct.tags, tag.ID)
	if i < 0 {
		return nil, errf(http.StatusNotFound, "not_found", "tag %s is not applied to contact %s", tag.ID, ct.ID)
	}
	ct.tags = slices.Delete(ct.tags, i, i+1)
	return tag.wire(), nil
}
