package intercomtest

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"net/http"
	"strconv"
	"time"
)

// maxMonthlySpend is the API's ceiling for monthly_spend (a signed 32-bit int).
const maxMonthlySpend = math.MaxInt32

// companyFields is a create-or-update or update body; pointers mark which
// fields were sent. Numbers stay json.Number so they can be checked exactly.
type companyFields struct {
	CompanyID        *string        `json:"company_id"`
	Name             *string        `json:"name"`
	Plan             *string        `json:"plan"`
	Website          *string        `json:"website"`
	Industry         *string        `json:"industry"`
	Size             *json.Number   `json:"size"`
	MonthlySpend     *json.Number   `json:"monthly_spend"`
	RemoteCreatedAt  *json.Number   `json:"remote_created_at"`
	CustomAttributes map[string]any `json:"custom_attributes"`
}

// applyTo copies the sent fields into c. It never touches CompanyID: that is
// the lookup key and the API does not let it change.
func (f *companyFields) applyTo(c *Company) *apiError {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&c.Name, f.Name)
	set(&c.Plan, f.Plan)
	set(&c.Website, f.Website)
	set(&c.Industry, f.Industry)
	if f.Size != nil {
		n, err := strconv.ParseInt(f.Size.String(), 10, 64)
		if err != nil || n < 0 {
			return errf(http.StatusBadRequest, "parameter_invalid", "size must be a whole number of at least 0").on("size")
		}
		c.Size = n
	}
	if f.RemoteCreatedAt != nil {
		n, err := strconv.ParseInt(f.RemoteCreatedAt.String(), 10, 64)
		if err != nil {
			return errf(http.StatusBadRequest, "parameter_invalid", "remote_created_at must be Unix seconds").on("remote_created_at")
		}
		c.RemoteCreatedAt = time.Unix(n, 0)
	}
	if f.MonthlySpend != nil {
		n, e := monthlySpend(*f.MonthlySpend)
		if e != nil {
			return e
		}
		c.MonthlySpend = n
	}
	if len(f.CustomAttributes) > 0 {
		if c.CustomAttributes == nil {
			c.CustomAttributes = map[string]any{}
		}
		maps.Copy(c.CustomAttributes, f.CustomAttributes)
	}
	return nil
}

// monthlySpend drops any fraction (155.98 becomes 155) and caps the result at
// 2^31-1, as the API does; negative amounts are refused.
func monthlySpend(n json.Number) (int64, *apiError) {
	f, err := strconv.ParseFloat(n.String(), 64)
	if err != nil && !math.IsInf(f, 0) { // out-of-range numbers are judged by sign below
		return 0, errf(http.StatusBadRequest, "parameter_invalid", "monthly_spend must be a number").on("monthly_spend")
	}
	if f < 0 {
		return 0, errf(http.StatusBadRequest, "parameter_invalid", "monthly_spend cannot be negative").on("monthly_spend")
	}
	if f >= maxMonthlySpend {
		return maxMonthlySpend, nil
	}
	return int64(math.Trunc(f)), nil
}

func (st *store) companyFor(id string) (*companyRec, *apiError) {
	if rec := st.companyByID[id]; rec != nil {
		return rec, nil
	}
	if st.implicit && id != "" {
		rec := &companyRec{Company: Company{ID: id, CreatedAt: st.stamp()}, seq: st.nextSeq(), contacts: map[string]bool{}}
		rec.CompanyID = "implicit-" + strconv.FormatUint(rec.seq, 10)
		rec.UpdatedAt = rec.CreatedAt
		st.companies = append(st.companies, rec)
		st.companyByID[id] = rec
		st.companyByKey[rec.CompanyID] = rec
		return rec, nil
	}
	return nil, errf(http.StatusNotFound, "company_not_found", "there is no company with id %q", id)
}

// createOrUpdateCompany looks the company up by company_id: found means
// update in place (the Intercom id stays), not found means create.
func (st *store) createOrUpdateCompany(_ *http.Request, body []byte) (any, *apiError) {
	var in companyFields
	if e := decodeBody(body, &in); e != nil {
		return nil, e
	}
	if in.CompanyID == nil || *in.CompanyID == "" {
		return nil, errf(http.StatusBadRequest, "parameter_not_found",
			"company_id is required: it is the key that decides between create and update").on("company_id")
	}
	if rec := st.companyByKey[*in.CompanyID]; rec != nil {
		next := cloneCompany(rec.Company)
		if e := in.applyTo(&next); e != nil {
			return nil, e
		}
		next.UpdatedAt = st.stamp()
		rec.Company = next
		return rec.wire(), nil
	}
	c := Company{CompanyID: *in.CompanyID}
	if e := in.applyTo(&c); e != nil {
		return nil, e
	}
	rec, e := st.addCompany(c)
	if e != nil {
		return nil, e
	}
	return rec.wire(), nil
}

func (st *store) getCompany(r *http.Request, _ []byte) (any, *apiError) {
	rec, e := st.companyFor(r.PathValue("id"))
	if e != nil {
		return nil, e
	}
	return rec.wire(), nil
}

func (st *store) updateCompany(r *http.Request, body []byte) (any, *apiError) {
	rec, e := st.companyFor(r.PathValue("id"))
	if e != nil {
		return nil, e
	}
	var in companyFields
	if len(bytes.TrimSpace(body)) > 0 { // no body: nothing to change
		if e := decodeBody(body, &in); e != nil {
			return nil, e
		}
	}
	if in.CompanyID != nil && *in.CompanyID != rec.CompanyID {
		return nil, errf(http.StatusBadRequest, "parameter_invalid",
			"company_id is fixed at creation and cannot be changed").on("company_id")
	}
	next := cloneCompany(rec.Company)
	if e := in.applyTo(&next); e != nil {
		return nil, e
	}
	next.UpdatedAt = st.stamp()
	rec.Company = next
	return rec.wire(), nil
}

type wireDeletedCompany struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

func (st *store) deleteCompany(r *http.Request, _ []byte) (any, *apiError) {
	rec, e := st.companyFor(r.PathValue("id"))
	if e != nil {
		return nil, e
	}
	st.removeCompany(rec)
	return wireDeletedCompany{ID: rec.ID, Object: "company", Deleted: true}, nil
}

// listCompanies serves GET /companies and POST /companies/list with page
// numbers. On GET, company_id or name narrows the list, which is how the API
// retrieves a company by the caller's key.
func (st *store) listCompanies(r *http.Request, _ []byte) (any, *apiError) {
	q := r.URL.Query()
	page, perPage, e := st.pageParams(q)
	if e != nil {
		return nil, e
	}
	all := st.companies
	if r.Method == http.MethodGet {
		if key := q.Get("company_id"); key != "" {
			rec := st.companyByKey[key]
			if rec == nil && st.implicit {
				rec, _ = st.addCompany(Company{CompanyID: key})
			}
			if rec == nil {
				return nil, errf(http.StatusNotFound, "company_not_found", "there is no company with company_id %q", key)
			}
			all = []*companyRec{rec}
		} else if name := q.Get("name"); name != "" {
			all = nil
			for _, rec := range st.companies {
				if rec.Name == name {
					all = append(all, rec)
				}
			}
			if len(all) == 0 {
				return nil, errf(http.StatusNotFound, "company_not_found", "there is no company named %q", name)
			}
		}
	}
	recs, pg := pageOf(all, page, perPage)
	return wireList{Type: "list", Data: companiesData(recs), TotalCount: len(all), Pages: pg}, nil
}

// listCompanyContacts lists the contacts linked to a company, by page number.
func (st *store) listCompanyContacts(r *http.Request, _ []byte) (any, *apiError) {
	co, e := st.companyFor(r.PathValue("id"))
	if e != nil {
		return nil, e
	}
	page, perPage, e := st.pageParams(r.URL.Query())
	if e != nil {
		return nil, e
	}
	var linked []*contactRec
	for _, ct := range st.contacts { // creation order keeps pages stable
		if co.contacts[ct.ID] {
			linked = append(linked, ct)
		}
	}
	recs, pg := pageOf(linked, page, perPage)
	return wireList{Type: "list", Data: contactsData(recs), TotalCount: len(linked), Pages: pg}, nil
}
