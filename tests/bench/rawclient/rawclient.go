// Package rawclient is the baseline of the benchmarks: what a careful
// programmer writes by hand for the same calls with net/http and
// encoding/json into plain structs, without the facade or generated code.
// It sends the same headers as the typed client (token, version, Accept),
// checks the status and decodes the body, and does nothing else: no
// retries, no hooks, no typed errors.
package rawclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// Client calls one Intercom workspace with a fixed token.
type Client struct {
	base, token string
	hc          *http.Client
}

// New returns a client for baseURL (no trailing slash) with its own copy of
// http.DefaultTransport, as the typed client has.
func New(baseURL, token string) *Client {
	return &Client{
		base:  baseURL,
		token: token,
		hc:    &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}
}

// CloseIdleConnections closes the client's idle connections.
func (c *Client) CloseIdleConnections() { c.hc.CloseIdleConnections() }

// Ref points at a linked object.
type Ref struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	URL  string `json:"url"`
}

// RefList is the short list of linked objects embedded in a contact.
type RefList struct {
	Data       []Ref  `json:"data"`
	URL        string `json:"url"`
	TotalCount int    `json:"total_count"`
	HasMore    bool   `json:"has_more"`
}

// Contact has the fields an integration reads, as plain values.
type Contact struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	WorkspaceID string `json:"workspace_id"`
	ExternalID  string `json:"external_id"`
	Role        string `json:"role"`
	Email       string `json:"email"`
	EmailDomain string `json:"email_domain"`
	Phone       string `json:"phone"`
	Name        string `json:"name"`
	Avatar      struct {
		Type     string `json:"type"`
		ImageURL string `json:"image_url"`
	} `json:"avatar"`
	OwnerID                string         `json:"owner_id"`
	HasHardBounced         bool           `json:"has_hard_bounced"`
	MarkedEmailAsSpam      bool           `json:"marked_email_as_spam"`
	UnsubscribedFromEmails bool           `json:"unsubscribed_from_emails"`
	CreatedAt              int64          `json:"created_at"`
	UpdatedAt              int64          `json:"updated_at"`
	SignedUpAt             int64          `json:"signed_up_at"`
	LastSeenAt             int64          `json:"last_seen_at"`
	LastRepliedAt          int64          `json:"last_replied_at"`
	LastContactedAt        int64          `json:"last_contacted_at"`
	LastEmailOpenedAt      int64          `json:"last_email_opened_at"`
	LastEmailClickedAt     int64          `json:"last_email_clicked_at"`
	LanguageOverride       string         `json:"language_override"`
	Browser                string         `json:"browser"`
	BrowserVersion         string         `json:"browser_version"`
	BrowserLanguage        string         `json:"browser_language"`
	OS                     string         `json:"os"`
	CustomAttributes       map[string]any `json:"custom_attributes"`
	Tags                   RefList        `json:"tags"`
	Companies              RefList        `json:"companies"`
	Location               struct {
		Type    string `json:"type"`
		Country string `json:"country"`
		Region  string `json:"region"`
		City    string `json:"city"`
	} `json:"location"`
	EnabledPushMessaging bool `json:"enabled_push_messaging"`
}

// ContactList is one page of GET /contacts.
type ContactList struct {
	Type       string    `json:"type"`
	Data       []Contact `json:"data"`
	TotalCount int       `json:"total_count"`
	Pages      struct {
		Type       string `json:"type"`
		Page       int    `json:"page"`
		PerPage    int    `json:"per_page"`
		TotalPages int    `json:"total_pages"`
		Next       *struct {
			PerPage       int    `json:"per_page"`
			StartingAfter string `json:"starting_after"`
		} `json:"next"`
	} `json:"pages"`
}

// Company has the fields an integration reads, as plain values.
type Company struct {
	Type             string            `json:"type"`
	ID               string            `json:"id"`
	CompanyID        string            `json:"company_id"`
	AppID            string            `json:"app_id"`
	Name             string            `json:"name"`
	RemoteCreatedAt  int64             `json:"remote_created_at"`
	CreatedAt        int64             `json:"created_at"`
	UpdatedAt        int64             `json:"updated_at"`
	LastRequestAt    int64             `json:"last_request_at"`
	MonthlySpend     int64             `json:"monthly_spend"`
	SessionCount     int               `json:"session_count"`
	UserCount        int               `json:"user_count"`
	Size             int               `json:"size"`
	Website          string            `json:"website"`
	Industry         string            `json:"industry"`
	Plan             Ref               `json:"plan"`
	CustomAttributes map[string]string `json:"custom_attributes"`
	Tags             struct {
		Type string `json:"type"`
		Tags []Ref  `json:"tags"`
	} `json:"tags"`
	Segments struct {
		Type     string `json:"type"`
		Segments []Ref  `json:"segments"`
	} `json:"segments"`
}

// APIError is any non-2xx answer.
type APIError struct {
	Status int
	Body   []byte
}

func (e *APIError) Error() string { return "intercom: HTTP " + strconv.Itoa(e.Status) }

// GetContact is GET /contacts/{id}.
func (c *Client) GetContact(ctx context.Context, id string) (*Contact, error) {
	var v Contact
	return &v, c.do(ctx, http.MethodGet, "/contacts/"+url.PathEscape(id), nil, nil, &v)
}

// AttachContactToCompany is POST /contacts/{id}/companies.
func (c *Client) AttachContactToCompany(ctx context.Context, contactID, companyID string) (*Company, error) {
	var v Company
	body := struct {
		ID string `json:"id"`
	}{companyID}
	return &v, c.do(ctx, http.MethodPost, "/contacts/"+url.PathEscape(contactID)+"/companies", nil, body, &v)
}

// DetachContactFromCompany is DELETE /contacts/{id}/companies/{company_id}.
func (c *Client) DetachContactFromCompany(ctx context.Context, contactID, companyID string) (*Company, error) {
	var v Company
	return &v, c.do(ctx, http.MethodDelete, "/contacts/"+url.PathEscape(contactID)+"/companies/"+url.PathEscape(companyID), nil, nil, &v)
}

// GetCompany is GET /companies/{id}.
func (c *Client) GetCompany(ctx context.Context, id string) (*Company, error) {
	var v Company
	return &v, c.do(ctx, http.MethodGet, "/companies/"+url.PathEscape(id), nil, nil, &v)
}

// ListContacts is GET /contacts; startingAfter is "" for the first page.
func (c *Client) ListContacts(ctx context.Context, startingAfter string) (*ContactList, error) {
	var v ContactList
	var q url.Values
	if startingAfter != "" {
		q = url.Values{"starting_after": {startingAfter}}
	}
	return &v, c.do(ctx, http.MethodGet, "/contacts", q, nil, &v)
}

func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Intercom-Version", "2.16")
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("intercom: reading response: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &APIError{Status: resp.StatusCode, Body: data}
	}
	return json.Unmarshal(data, out)
}
