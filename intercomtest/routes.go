package intercomtest

import (
	"io"
	"net/http"
)

// handlerFunc serves one route while Server.mu is held. Intercom answers every
// success on these routes with 200, so only the body varies.
type handlerFunc func(r *http.Request, body []byte) (any, *apiError)

func (s *Server) routes() *http.ServeMux {
	st := s.st
	mux := http.NewServeMux()
	handle := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.locked(h)) }

	handle("GET /me", st.getMe)

	handle("POST /contacts", st.createContact)
	handle("GET /contacts", st.listContacts)
	handle("POST /contacts/search", st.searchContacts)
	handle("GET /contacts/{id}", st.getContact)
	handle("PUT /contacts/{id}", st.updateContact)
	handle("DELETE /contacts/{id}", st.deleteContact)

	handle("POST /companies", st.createOrUpdateCompany)
	handle("GET /companies", st.listCompanies)
	handle("POST /companies/list", st.listCompanies)
	handle("GET /companies/scroll", st.scrollCompanies)
	handle("GET /companies/{id}", st.getCompany)
	handle("PUT /companies/{id}", st.updateCompany)
	handle("DELETE /companies/{id}", st.deleteCompany)
	handle("GET /companies/{id}/contacts", st.listCompanyContacts)

	handle("POST /contacts/{contact_id}/companies", st.attachCompany)
	handle("GET /contacts/{contact_id}/companies", st.listContactCompanies)
	handle("DELETE /contacts/{contact_id}/companies/{company_id}", st.detachCompany)

	handle("POST /contacts/{id}/archive", st.archiveContact)
	handle("POST /contacts/{id}/unarchive", st.unarchiveContact)

	handle("POST /events", st.createEvent)
	handle("GET /events", st.listEvents)

	handle("POST /tags", st.createTag)
	handle("GET /tags", st.listTags)
	handle("GET /tags/{id}", st.getTag)
	handle("DELETE /tags/{id}", st.deleteTag)
	handle("POST /contacts/{contact_id}/tags", st.tagContact)
	handle("GET /contacts/{contact_id}/tags", st.listContactTags)
	handle("DELETE /contacts/{contact_id}/tags/{tag_id}", st.untagContact)

	// Routes whose pattern ServeMux cannot hold beside the ones above are
	// keyed by the descriptions' method and path template.
	s.templates = map[string]handlerFunc{
		"GET /contacts/find_by_external_id/{external_id}": st.getContactByExternalID,
	}

	// Whatever no pattern above matches is answered from the operation's
	// answer schema (see api.go).
	return mux
}

// locked runs h under the store lock and writes its answer after unlocking,
// in the shape of the version the request named.
func (s *Server) locked(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // already buffered in memory by the outer handler
		s.mu.Lock()
		v, e := h(r, body)
		s.mu.Unlock()
		if e != nil {
			writeError(w, e)
			return
		}
		m, _ := r.Context().Value(matchKey{}).(*matched)
		if m == nil {
			writeJSON(w, http.StatusOK, v)
			return
		}
		if m.route.op.Media == "" {
			w.WriteHeader(m.route.op.Status) // the version answers without a body
			return
		}
		b, err := m.api.shape(m.route, v)
		if err != nil {
			writeError(w, errf(http.StatusInternalServerError, "server_error", "intercomtest could not encode its answer: %v", err))
			return
		}
		writeBytes(w, m.route.op.Status, b)
	})
}

type wireApp struct {
	Type                 string `json:"type"`
	IDCode               string `json:"id_code"`
	Name                 string `json:"name"`
	Region               string `json:"region"`
	Timezone             string `json:"timezone"`
	CreatedAt            int64  `json:"created_at"`
	IdentityVerification bool   `json:"identity_verification"`
}

type wireAdmin struct {
	Type          string  `json:"type"`
	ID            string  `json:"id"`
	Email         string  `json:"email"`
	Name          string  `json:"name"`
	EmailVerified bool    `json:"email_verified"`
	HasInboxSeat  bool    `json:"has_inbox_seat"`
	App           wireApp `json:"app"`
}

// getMe describes the admin that owns the token and its workspace.
func (st *store) getMe(*http.Request, []byte) (any, *apiError) {
	return wireAdmin{
		Type:          "admin",
		ID:            "7000001",
		Email:         "owner@fake-workspace.test",
		Name:          "Fake Workspace Owner",
		EmailVerified: true,
		HasInboxSeat:  true,
		App: wireApp{
			Type:      "app",
			IDCode:    WorkspaceID,
			Name:      "intercomtest workspace",
			Region:    "US",
			Timezone:  "Etc/UTC",
			CreatedAt: 1700000000,
		},
	}, nil
}
