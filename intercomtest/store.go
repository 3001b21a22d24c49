package intercomtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxCompaniesPerContact is the API's cap on companies linked to one contact.
const maxCompaniesPerContact = 1000

// store is the workspace state. Every method expects Server.mu to be held.
type store struct {
	now      func() time.Time
	pageSize int
	seq      uint64 // one counter for every object: ids never collide across kinds

	contacts    []*contactRec // creation order, which is also cursor order
	contactByID map[string]*contactRec
	// byEmail (lower case) and byExternalID keep the uniqueness checks O(1).
	byEmail      map[string]*contactRec
	byExternalID map[string]*contactRec

	companies    []*companyRec // creation order
	companyByID  map[string]*companyRec
	companyByKey map[string]*companyRec // by the caller's company_id

	tags    []*Tag
	tagByID map[string]*Tag

	scroll *scrollState // the workspace's one open company scroll, if any

	// implicit makes every unknown contact, company or tag id name an object
	// that springs into existence on first use (WithImplicitObjects).
	implicit bool

	events []dataEvent // POST /events, oldest first

	// resources holds every other stored resource, by collection (resources.go).
	resources map[string]*collection
	// seeded holds the lists SeedList filled that are otherwise answered
	// from their schema, by route.
	seeded map[*route]*collection
}

type contactRec struct {
	Contact
	archived  bool
	seq       uint64
	companies []string // linked company ids, in the order they were attached
	tags      []string // applied tag ids, in the order they were applied
}

type companyRec struct {
	Company
	seq      uint64
	contacts map[string]bool // ids of linked contacts
}

func newStore(now func() time.Time, pageSize int) *store {
	return &store{
		now:          now,
		pageSize:     pageSize,
		contactByID:  map[string]*contactRec{},
		byEmail:      map[string]*contactRec{},
		byExternalID: map[string]*contactRec{},
		companyByID:  map[string]*companyRec{},
		companyByKey: map[string]*companyRec{},
		tagByID:      map[string]*Tag{},
	}
}

// objectID formats a counter like Intercom's 24-hex-digit ids, so clients
// that check id shapes are not surprised.
func objectID(seq uint64) string { return fmt.Sprintf("65f0%020x", seq) }

func (st *store) nextSeq() uint64 {
	st.seq++
	return st.seq
}

// timestamps are kept to whole seconds because the API only has seconds.
func (st *store) stamp() time.Time { return st.now().Truncate(time.Second) }

// addContact validates and stores a new contact; both the HTTP handler and
// the seeding helper use it so they follow the same rules.
func (st *store) addContact(c Contact) (*contactRec, *apiError) {
	if c.Role == "" {
		c.Role = "user"
	}
	if c.Role != "user" && c.Role != "lead" {
		return nil, errf(http.StatusBadRequest, "parameter_invalid", "role must be user or lead, got %q", c.Role).on("role")
	}
	if c.ID != "" && st.idTaken(c.ID) {
		return nil, errf(http.StatusConflict, "conflict", "id %s is already in use", c.ID).on("id")
	}
	if e := st.checkContactUnique(c, ""); e != nil {
		return nil, e
	}
	rec := &contactRec{Contact: cloneContact(c), seq: st.nextSeq()}
	if rec.ID == "" {
		rec.ID = objectID(rec.seq)
	}
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = st.stamp()
	}
	if rec.UpdatedAt.IsZero() {
		rec.UpdatedAt = rec.CreatedAt
	}
	st.contacts = append(st.contacts, rec)
	st.contactByID[rec.ID] = rec
	st.index(rec, true)
	return rec, nil
}

// checkContactUnique enforces that email (case-insensitively) and external_id
// each identify at most one contact; self is skipped so updates can keep them.
func (st *store) checkContactUnique(c Contact, self string) *apiError {
	if o := st.byEmail[strings.ToLower(c.Email)]; c.Email != "" && o != nil && o.ID != self {
		return errf(http.StatusConflict, "conflict", "contact %s already has this email", o.ID).on("email")
	}
	if o := st.byExternalID[c.ExternalID]; c.ExternalID != "" && o != nil && o.ID != self {
		return errf(http.StatusConflict, "conflict", "contact %s already has this external_id", o.ID).on("external_id")
	}
	return nil
}

// index records (add) or forgets a contact's email and external_id.
func (st *store) index(rec *contactRec, add bool) {
	for _, kv := range []struct {
		m   map[string]*contactRec
		key string
	}{{st.byEmail, strings.ToLower(rec.Email)}, {st.byExternalID, rec.ExternalID}} {
		if kv.key == "" {
			continue
		}
		if add {
			kv.m[kv.key] = rec
		} else if kv.m[kv.key] == rec {
			delete(kv.m, kv.key)
		}
	}
}

func (st *store) idTaken(id string) bool {
	return st.contactByID[id] != nil || st.companyByID[id] != nil || st.tagByID[id] != nil
}

func (st *store) addCompany(c Company) (*companyRec, *apiError) {
	if c.ID != "" && st.idTaken(c.ID) {
		return nil, errf(http.StatusConflict, "conflict", "id %s is already in use", c.ID).on("id")
	}
	if c.CompanyID != "" && st.companyByKey[c.CompanyID] != nil {
		return nil, errf(http.StatusConflict, "conflict", "company_id %q is already in use", c.CompanyID).on("company_id")
	}
	rec := &companyRec{Company: cloneCompany(c), seq: st.nextSeq(), contacts: map[string]bool{}}
	if rec.ID == "" {
		rec.ID = objectID(rec.seq)
	}
	if rec.CompanyID == "" {
		rec.CompanyID = "generated-" + strconv.FormatUint(rec.seq, 10)
	}
	if rec.CreatedAt.IsZero() {
		rec.CreatedAt = st.stamp()
	}
	if rec.UpdatedAt.IsZero() {
		rec.UpdatedAt = rec.CreatedAt
	}
	st.companies = append(st.companies, rec)
	st.companyByID[rec.ID] = rec
	st.companyByKey[rec.CompanyID] = rec
	return rec, nil
}

func (st *store) addTag(name string) *Tag {
	for _, t := range st.tags {
		if t.Name == name {
			return t
		}
	}
	// Tag ids are plain decimal numbers in the API, unlike other objects.
	t := &Tag{ID: strconv.FormatUint(st.nextSeq(), 10), Name: name}
	st.tags = append(st.tags, t)
	st.tagByID[t.ID] = t
	return t
}

// attach links a company to a contact. Linking an already linked pair is a
// no-op, and is allowed even at the limit.
func (st *store) attach(ct *contactRec, co *companyRec) *apiError {
	if slices.Contains(ct.companies, co.ID) {
		return nil
	}
	if len(ct.companies) >= maxCompaniesPerContact {
		return errf(http.StatusBadRequest, "contact_company_limit_exceeded",
			"contact %s is already linked to %d companies, the most allowed", ct.ID, maxCompaniesPerContact)
	}
	ct.companies = append(ct.companies, co.ID)
	co.contacts[ct.ID] = true
	return nil
}

func (st *store) detach(ct *contactRec, co *companyRec) bool {
	i := slices.Index(ct.companies, co.ID)
	if i < 0 {
		return false
	}
	ct.companies = slices.Delete(ct.companies, i, i+1)
	delete(co.contacts, ct.ID)
	return true
}

func (st *store) removeContact(ct *contactRec) {
	for _, id := range ct.companies {
		delete(st.companyByID[id].contacts, ct.ID)
	}
	delete(st.contactByID, ct.ID)
	st.index(ct, false)
	st.contacts = slices.DeleteFunc(st.contacts, func(r *contactRec) bool { return r == ct })
}

func (st *store) removeCompany(co *companyRec) {
	for id := range co.contacts {
		ct := st.contactByID[id]
		ct.companies = slices.DeleteFunc(ct.companies, func(c string) bool { return c == co.ID })
	}
	delete(st.companyByID, co.ID)
	delete(st.companyByKey, co.CompanyID)
	st.companies = slices.DeleteFunc(st.companies, func(r *companyRec) bool { return r == co })
}
