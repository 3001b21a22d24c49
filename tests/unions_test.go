package tests

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	facade "github.com/apipin/intercom"
	preview "github.com/apipin/intercom/api/preview"
	v214 "github.com/apipin/intercom/api/v2.14"
	v216 "github.com/apipin/intercom/api/v2.16"
	v27 "github.com/apipin/intercom/api/v2.7"
	"github.com/apipin/intercom/internal/gensupport"
)

// unionServer is a loopback server that records the bodies it receives and
// answers every request with answer.
type unionServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newUnionServer(t *testing.T, answer string) *unionServer {
	s := &unionServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, string(b))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, answer)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *unionServer) sent() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

func (s *unionServer) options() []facade.Option {
	return []facade.Option{facade.WithToken("t"), facade.WithBaseURL(s.URL), facade.DisableRetries()}
}

// A union body is written in one line (the variant's type), sent as exactly
// the variant's JSON, and a nil union is refused before anything is sent,
// in the oldest, two recent and the Preview packages.
func TestUnionBodyIsTheVariantsJSON(t *testing.T) {
	ctx := context.Background()
	const want = `{"email":"pat@example.com"}`
	// One line per version: what a user writes. Each returns the error of
	// the call with the variant, then of the call with nil.
	calls := map[string]func(opts []facade.Option) (withVariant, withNil error){
		"2.7": func(opts []facade.Option) (error, error) {
			c, err := v27.New(opts...)
			if err != nil {
				return err, err
			}
			_, err1 := c.CreateContact(ctx, v27.CreateContactWithEmail{Email: "pat@example.com"}, nil)
			_, err2 := c.CreateContact(ctx, nil, nil)
			return err1, err2
		},
		"2.14": func(opts []facade.Option) (error, error) {
			c, err := v214.New(opts...)
			if err != nil {
				return err, err
			}
			_, err1 := c.CreateContact(ctx, v214.CreateContactWithEmail{Email: "pat@example.com"}, nil)
			_, err2 := c.CreateContact(ctx, nil, nil)
			return err1, err2
		},
		"2.16": func(opts []facade.Option) (error, error) {
			c, err := v216.New(opts...)
			if err != nil {
				return err, err
			}
			_, err1 := c.CreateContact(ctx, v216.CreateContactWithEmail{Email: "pat@example.com"}, nil)
			_, err2 := c.CreateContact(ctx, nil, nil)
			return err1, err2
		},
		"Preview": func(opts []facade.Option) (error, error) {
			c, err := preview.New(opts...)
			if err != nil {
				return err, err
			}
			_, err1 := c.CreateContact(ctx, preview.CreateContactWithEmail{Email: "pat@example.com"}, nil)
			_, err2 := c.CreateContact(ctx, nil, nil)
			return err1, err2
		},
	}
	for _, version := range []string{"2.7", "2.14", "2.16", "Preview"} {
		t.Run(version, func(t *testing.T) {
			srv := newUnionServer(t, `{"type":"contact","id":"c1","email":"pat@example.com"}`)
			withVariant, withNil := calls[version](srv.options())
			if withVariant != nil {
				t.Fatalf("CreateContact with a variant: %v", withVariant)
			}
			var argErr *facade.ArgumentError
			if !errors.As(withNil, &argErr) || argErr.Func != "CreateContact" || argErr.Arg != "body" {
				t.Fatalf("CreateContact(ctx, nil, nil): %v, want an *ArgumentError naming CreateContact and body", withNil)
			}
			sent := srv.sent()
			if len(sent) != 1 {
				t.Fatalf("the server got %d requests, want 1 (nil must not be sent)", len(sent))
			}
			if sent[0] != want {
				t.Fatalf("sent %s, want %s", sent[0], want)
			}
		})
	}
}

// A required union field left nil is refused before sending, naming the
// field (SearchContacts' query).
func TestNilRequiredUnionFieldIsRefused(t *testing.T) {
	srv := newUnionServer(t, `{}`)
	c, err := v216.New(srv.options()...)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SearchContacts(context.Background(), v216.ContactSearchRequest{}, nil)
	var argErr *facade.ArgumentError
	if !errors.As(err, &argErr) || argErr.Func != "SearchContacts" || argErr.Arg != "body.query" {
		t.Fatalf("SearchContacts with a nil query: %v, want an *ArgumentError naming SearchContacts and body.query", err)
	}
	if n := len(srv.sent()); n != 0 {
		t.Fatalf("the server got %d requests, want none", n)
	}
	// With a variant, the query is the variant's JSON.
	_, err = c.SearchContacts(context.Background(), v216.ContactSearchRequest{Query: v216.SingleFilterSearchRequest{
		Field: ptr("email"), Operator: ptr(v216.SingleFilterSearchRequestOperatorEqual), Value: v216.SingleFilterSearchValueString("pat@example.com"),
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Query json.RawMessage }
	if err := json.Unmarshal([]byte(srv.sent()[0]), &got); err != nil {
		t.Fatal(err)
	}
	if want := `{"field":"email","operator":"=","value":"pat@example.com"}`; string(got.Query) != want {
		t.Fatalf("query sent as %s, want %s", got.Query, want)
	}
}

func ptr[T any](v T) *T { return &v }

// A response union decodes into the variant it matches (here by the
// single-valued "type" of each variant), a value no variant takes is kept
// whole, and re-encoding gives the JSON back.
func TestResponseUnionDecodesIntoItsVariant(t *testing.T) {
	const page = `{"type":"list","data":[{"type":"news-item","id":"n1","title":"t"},{"type":"newsfeed","id":"f1","name":"x"},{"type":"something-new","id":"z"}]}`
	srv := newUnionServer(t, page)
	c, err := v216.New(srv.options()...)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.ListNewsItems(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Data) != 3 {
		t.Fatalf("%d items, want 3", len(r.Data))
	}
	if n, ok := r.Data[0].(v216.NewsItem); !ok || n.ID != "n1" {
		t.Errorf("item 0 is %#v, want the NewsItem n1", r.Data[0])
	}
	if f, ok := r.Data[1].(v216.Newsfeed); !ok || f.ID != "f1" {
		t.Errorf("item 1 is %#v, want the Newsfeed f1", r.Data[1])
	}
	u, ok := r.Data[2].(v216.UnknownVariant)
	if !ok || string(u.JSON) != `{"type":"something-new","id":"z"}` {
		t.Errorf("item 2 is %#v, want an UnknownVariant keeping its JSON", r.Data[2])
	}
	back, err := json.Marshal(r.Data[2])
	if err != nil || string(back) != `{"type":"something-new","id":"z"}` {
		t.Errorf("re-encoded unknown item: %s, %v", back, err)
	}
	// The same page through encoding/json alone (the fallback path).
	var direct v216.PaginatedResponse
	if err := json.Unmarshal([]byte(page), &direct); err != nil {
		t.Fatal(err)
	}
	if _, ok := direct.Data[1].(v216.Newsfeed); !ok {
		t.Errorf("encoding/json: item 1 is %#v, want a Newsfeed", direct.Data[1])
	}
}

// Primitive variants (Datetime: a string or a Unix time) decode by JSON
// kind and encode as the value itself.
func TestPrimitiveVariants(t *testing.T) {
	var call v216.Call
	if err := json.Unmarshal([]byte(`{"created_at":1700000000,"updated_at":"2026-01-02T03:04:05Z"}`), &call); err != nil {
		t.Fatal(err)
	}
	if v, ok := call.CreatedAt.(v216.DatetimeInteger); !ok || v != 1700000000 {
		t.Errorf("created_at is %#v, want DatetimeInteger(1700000000)", call.CreatedAt)
	}
	if v, ok := call.UpdatedAt.(v216.DatetimeString); !ok || v != "2026-01-02T03:04:05Z" {
		t.Errorf("updated_at is %#v, want DatetimeString", call.UpdatedAt)
	}
	b, err := json.Marshal(v216.Call{CreatedAt: v216.DatetimeInteger(5)})
	if err != nil || string(b) != `{"created_at":5}` {
		t.Errorf("encoded %s, %v; want {\"created_at\":5}", b, err)
	}
}

// The tolerant pass walks a struct that holds unions like any other: a
// mistyped sibling is repaired, the union is kept and decoded.
func TestTolerantDecodingAroundUnions(t *testing.T) {
	var call v216.Call
	devs, err := gensupport.UnmarshalTolerant([]byte(`{"admin_id":7,"created_at":1700000000,"updated_at":{"odd":true}}`), &call)
	if err != nil {
		t.Fatal(err)
	}
	if call.AdminID != "7" {
		t.Errorf("admin_id is %q, want the number's text", call.AdminID)
	}
	if v, ok := call.CreatedAt.(v216.DatetimeInteger); !ok || v != 1700000000 {
		t.Errorf("created_at is %#v", call.CreatedAt)
	}
	if u, ok := call.UpdatedAt.(v216.UnknownVariant); !ok || string(u.JSON) != `{"odd":true}` {
		t.Errorf("updated_at is %#v, want the object kept as UnknownVariant", call.UpdatedAt)
	}
	// admin_id coerced; updated_at kept, and reported: no variant of
	// Datetime takes an object.
	if len(devs) != 2 || devs[0].Path != "$.admin_id" || devs[1].Path != "$.updated_at" || devs[1].Action != facade.KeptAsJSON {
		t.Errorf("deviations %+v, want $.admin_id coerced and $.updated_at kept as JSON", devs)
	}
}
