package intercomtest

import "slices"

// The helpers below let a test arrange and inspect state directly, without
// HTTP round trips. They apply the same rules as the API so a seeded
// workspace is one the API could have produced.

// AddContact stores c directly, without an HTTP round trip, and returns it
// with the id and timestamps filled in. It follows the API's rules: a
// duplicate email or external_id, or an unknown role, fails the test.
func (s *Server) AddContact(c Contact) Contact {
	s.mu.Lock()
	rec, e := s.st.addContact(c)
	var out Contact
	if rec != nil {
		out = cloneContact(rec.Contact)
	}
	s.mu.Unlock()
	if e != nil {
		s.fail("AddContact: %s", e.message)
	}
	return out
}

// AddCompany stores c directly and returns it with the id, a company_id (when
// c has none) and timestamps filled in. A duplicate company_id fails the test.
func (s *Server) AddCompany(c Company) Company {
	s.mu.Lock()
	rec, e := s.st.addCompany(c)
	var out Company
	if rec != nil {
		out = cloneCompany(rec.Company)
	}
	s.mu.Unlock()
	if e != nil {
		s.fail("AddCompany: %s", e.message)
	}
	return out
}

// AddTag creates a tag, or returns the existing one with the same name.
func (s *Server) AddTag(name string) Tag {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.st.addTag(name)
}

// AttachCompany links a stored company to a stored contact, applying the same
// 1000-company limit as the API; unknown ids or the limit fail the test.
func (s *Server) AttachCompany(contactID, companyID string) {
	s.mu.Lock()
	ct, co := s.st.contactByID[contactID], s.st.companyByID[companyID]
	var msg string
	switch {
	case ct == nil:
		msg = "no contact " + contactID
	case co == nil:
		msg = "no company " + companyID
	default:
		if e := s.st.attach(ct, co); e != nil {
			msg = e.message
		}
	}
	s.mu.Unlock()
	if msg != "" {
		s.fail("AttachCompany: %s", msg)
	}
}

// TagContact applies a stored tag to a stored contact; unknown ids fail the test.
func (s *Server) TagContact(contactID, tagID string) {
	s.mu.Lock()
	ct, tag := s.st.contactByID[contactID], s.st.tagByID[tagID]
	if ct != nil && tag != nil && !slices.Contains(ct.tags, tag.ID) {
		ct.tags = append(ct.tags, tag.ID)
	}
	s.mu.Unlock()
	if ct == nil || tag == nil {
		s.fail("TagContact: no contact %q or no tag %q", contactID, tagID)
	}
}

// Contact returns a copy of the stored contact with the given id.
func (s *Server) Contact(id string) (Contact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.st.contactByID[id]; rec != nil {
		return cloneContact(rec.Contact), true
	}
	return Contact{}, false
}

// Company returns a copy of the stored company with the given Intercom id.
func (s *Server) Company(id string) (Company, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.st.companyByID[id]; rec != nil {
		return cloneCompany(rec.Company), true
	}
	return Company{}, false
}

// CompaniesOf returns the ids of the companies linked to a contact, in the
// order they were attached (nil for an unknown contact).
func (s *Server) CompaniesOf(contactID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.st.contactByID[contactID]; rec != nil {
		return slices.Clone(rec.companies)
	}
	return nil
}
