package intercomtest

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// The workspace state as JSON, for the standalone server's -state file and
// for tests that want to start from a prepared workspace.

type stateFile struct {
	Format    string                   `json:"format"` // stateFormat
	Seq       uint64                   `json:"seq"`
	Contacts  []stateContact           `json:"contacts"`
	Companies []stateCompany           `json:"companies"`
	Tags      []stateTag               `json:"tags"`
	Resources map[string][]stateObject `json:"resources,omitempty"`
}

const stateFormat = "intercomtest-state/1"

type stateContact struct {
	ID               string         `json:"id"`
	Role             string         `json:"role"`
	ExternalID       string         `json:"external_id,omitempty"`
	Email            string         `json:"email,omitempty"`
	Phone            string         `json:"phone,omitempty"`
	Name             string         `json:"name,omitempty"`
	CustomAttributes map[string]any `json:"custom_attributes,omitempty"`
	CreatedAt        int64          `json:"created_at"`
	UpdatedAt        int64          `json:"updated_at"`
	Companies        []string       `json:"companies,omitempty"`
	Tags             []string       `json:"tags,omitempty"`
}

type stateCompany struct {
	ID               string         `json:"id"`
	CompanyID        string         `json:"company_id"`
	Name             string         `json:"name,omitempty"`
	Plan             string         `json:"plan,omitempty"`
	Size             int64          `json:"size,omitempty"`
	Website          string         `json:"website,omitempty"`
	Industry         string         `json:"industry,omitempty"`
	MonthlySpend     int64          `json:"monthly_spend,omitempty"`
	CustomAttributes map[string]any `json:"custom_attributes,omitempty"`
	RemoteCreatedAt  int64          `json:"remote_created_at,omitempty"`
	CreatedAt        int64          `json:"created_at"`
	UpdatedAt        int64          `json:"updated_at"`
}

type stateTag struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type stateObject struct {
	ID     string         `json:"id"`
	Parent string         `json:"parent,omitempty"`
	Object map[string]any `json:"object"`
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// SaveState writes the workspace (contacts, companies, tags, their links and
// every other stored resource) as JSON.
func (s *Server) SaveState(w io.Writer) error {
	s.mu.Lock()
	st := s.st
	out := stateFile{Format: stateFormat, Seq: st.seq, Contacts: []stateContact{}, Companies: []stateCompany{},
		Tags: []stateTag{}, Resources: map[string][]stateObject{}}
	for _, c := range st.contacts {
		out.Contacts = append(out.Contacts, stateContact{
			ID: c.ID, Role: c.Role, ExternalID: c.ExternalID, Email: c.Email, Phone: c.Phone, Name: c.Name,
			CustomAttributes: c.CustomAttributes, CreatedAt: unix(c.CreatedAt), UpdatedAt: unix(c.UpdatedAt),
			Companies: c.companies, Tags: c.tags,
		})
	}
	for _, c := range st.companies {
		out.Companies = append(out.Companies, stateCompany{
			ID: c.ID, CompanyID: c.CompanyID, Name: c.Name, Plan: c.Plan, Size: c.Size, Website: c.Website,
			Industry: c.Industry, MonthlySpend: c.MonthlySpend, CustomAttributes: c.CustomAttributes,
			RemoteCreatedAt: unix(c.RemoteCreatedAt), CreatedAt: unix(c.CreatedAt), UpdatedAt: unix(c.UpdatedAt),
		})
	}
	for _, t := range st.tags {
		out.Tags = append(out.Tags, stateTag{ID: t.ID, Name: t.Name})
	}
	for name, c := range st.resources {
		for _, o := range c.order {
			out.Resources[name] = append(out.Resources[name], stateObject{ID: o.id, Parent: o.parent, Object: o.tree})
		}
	}
	data, err := json.MarshalIndent(out, "", "  ")
	s.mu.Unlock()
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// LoadState replaces the workspace with one SaveState wrote. The state is
// checked whole before anything changes: a bad file leaves the server as
// it was.
func (s *Server) LoadState(r io.Reader) error {
	var in stateFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return fmt.Errorf("intercomtest: reading state: %w", err)
	}
	if in.Format != stateFormat {
		return fmt.Errorf("intercomtest: state format %q, want %q", in.Format, stateFormat)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := newStore(s.st.now, s.st.pageSize)
	st.implicit = s.st.implicit
	for _, c := range in.Companies {
		if _, e := st.addCompany(Company{
			ID: c.ID, CompanyID: c.CompanyID, Name: c.Name, Plan: c.Plan, Size: c.Size, Website: c.Website,
			Industry: c.Industry, MonthlySpend: c.MonthlySpend, CustomAttributes: c.CustomAttributes,
			RemoteCreatedAt: fromUnix(c.RemoteCreatedAt), CreatedAt: fromUnix(c.CreatedAt), UpdatedAt: fromUnix(c.UpdatedAt),
		}); e != nil {
			return fmt.Errorf("intercomtest: state: company %s: %s", c.ID, e.message)
		}
	}
	for _, t := range in.Tags {
		if st.idTaken(t.ID) || t.ID == "" {
			return fmt.Errorf("intercomtest: state: tag id %q is empty or taken", t.ID)
		}
		tag := &Tag{ID: t.ID, Name: t.Name}
		st.tags = append(st.tags, tag)
		st.tagByID[t.ID] = tag
	}
	for _, c := range in.Contacts {
		rec, e := st.addContact(Contact{
			ID: c.ID, Role: c.Role, ExternalID: c.ExternalID, Email: c.Email, Phone: c.Phone, Name: c.Name,
			CustomAttributes: c.CustomAttributes, CreatedAt: fromUnix(c.CreatedAt), UpdatedAt: fromUnix(c.UpdatedAt),
		})
		if e != nil {
			return fmt.Errorf("intercomtest: state: contact %s: %s", c.ID, e.message)
		}
		for _, id := range c.Companies {
			co := st.companyByID[id]
			if co == nil {
				return fmt.Errorf("intercomtest: state: contact %s links unknown company %s", c.ID, id)
			}
			if e := st.attach(rec, co); e != nil {
				return fmt.Errorf("intercomtest: state: contact %s: %s", c.ID, e.message)
			}
		}
		for _, id := range c.Tags {
			if st.tagByID[id] == nil {
				return fmt.Errorf("intercomtest: state: contact %s has unknown tag %s", c.ID, id)
			}
			rec.tags = append(rec.tags, id)
		}
	}
	for name, objs := range in.Resources {
		c := st.collection(name)
		for i, o := range objs {
			if o.ID == "" || c.objects[o.ID] != nil || o.Object == nil {
				return fmt.Errorf("intercomtest: state: %s[%d]: id %q is empty or repeated, or the object is missing", name, i, o.ID)
			}
			obj := &object{seq: st.nextSeq(), id: o.ID, parent: o.Parent, tree: o.Object}
			c.objects[o.ID] = obj
			c.order = append(c.order, obj)
		}
	}
	st.seq = max(st.seq, in.Seq)
	*s.st = *st // in place: the route handlers hold s.st
	return nil
}
