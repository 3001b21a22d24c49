package intercomtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// answer is a response with its body already read.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// reqOpt adjusts a request before it is sent.
type reqOpt func(*http.Request)

func header(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

func noAuth() reqOpt { return func(r *http.Request) { r.Header.Del("Authorization") } }

// do sends a real HTTP request to srv. body may be nil, a string (sent raw)
// or any value (sent as JSON). The server's token is sent unless an option
// changes it.
func do(t *testing.T, srv *Server, method, path string, body any, opts ...reqOpt) answer {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, srv.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: res.StatusCode, header: res.Header, body: raw}
}

// decode unmarshals an answer's body, failing the test on bad JSON.
func decode[T any](t *testing.T, a answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("decoding %s: %v", a.body, err)
	}
	return v
}

// ok requires a 200 and decodes the body.
func ok[T any](t *testing.T, a answer) T {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", a.status, a.body)
	}
	return decode[T](t, a)
}

type errorList struct {
	Type      string `json:"type"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"errors"`
}

// failure checks the status and the error.list shape and returns the error.
func failure(t *testing.T, a answer, status int, code string) errorList {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d; body %s", a.status, status, a.body)
	}
	el := decode[errorList](t, a)
	if el.Type != "error.list" || len(el.Errors) != 1 {
		t.Fatalf("not a single-entry error.list: %s", a.body)
	}
	if el.RequestID == "" || el.RequestID != a.header.Get("X-Request-Id") {
		t.Fatalf("request_id %q does not match header %q", el.RequestID, a.header.Get("X-Request-Id"))
	}
	if el.Errors[0].Code != code {
		t.Fatalf("code %q, want %q; body %s", el.Errors[0].Code, code, a.body)
	}
	if el.Errors[0].Message == "" {
		t.Fatalf("error without a message: %s", a.body)
	}
	return el
}

// Minimal views of the answers, decoded the way a client would.
type company struct {
	Type         string `json:"type"`
	ID           string `json:"id"`
	CompanyID    string `json:"company_id"`
	Name         string `json:"name"`
	MonthlySpend int64  `json:"monthly_spend"`
	UserCount    int    `json:"user_count"`
	CreatedAt    int64  `json:"created_at"`
	UpdatedAt    int64  `json:"updated_at"`
	Plan         struct {
		Name string `json:"name"`
	} `json:"plan"`
}

type contact struct {
	Type       string  `json:"type"`
	ID         string  `json:"id"`
	Role       string  `json:"role"`
	Email      string  `json:"email"`
	ExternalID *string `json:"external_id"`
	Name       *string `json:"name"`
	Companies  struct {
		Data []struct {
			Type string `json:"type"`
			ID   string `json:"id"`
			URL  string `json:"url"`
		} `json:"data"`
		URL        string `json:"url"`
		TotalCount int    `json:"total_count"`
		HasMore    bool   `json:"has_more"`
	} `json:"companies"`
}

type pages struct {
	Type       string `json:"type"`
	Page       int    `json:"page"`
	PerPage    int    `json:"per_page"`
	TotalPages int    `json:"total_pages"`
	Next       *struct {
		PerPage       int    `json:"per_page"`
		StartingAfter string `json:"starting_after"`
	} `json:"next"`
}

type list[T any] struct {
	Type       string `json:"type"`
	Data       []T    `json:"data"`
	TotalCount int    `json:"total_count"`
	Pages      pages  `json:"pages"`
}

// fakeClock is a settable clock; the server reads it from its own goroutines.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
