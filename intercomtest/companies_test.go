package intercomtest

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestCompanyCreateOrUpdateIsKeyedOnCompanyID(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	srv := NewServer(t, WithClock(clock.Now))

	first := ok[company](t, do(t, srv, "POST", "/companies", map[string]any{
		"company_id": "kiln-works", "name": "Kiln Works", "plan": "starter",
	}))
	if first.Type != "company" || first.ID == "" || first.CompanyID != "kiln-works" || first.Plan.Name != "starter" {
		t.Fatalf("created %+v", first)
	}

	clock.Advance(time.Hour)
	second := ok[company](t, do(t, srv, "POST", "/companies", map[string]any{
		"company_id": "kiln-works", "name": "Kiln Works Ltd",
	}))
	if second.ID != first.ID || second.Name != "Kiln Works Ltd" || second.Plan.Name != "starter" {
		t.Fatalf("update by company_id gave %+v (first %+v)", second, first)
	}
	if second.CreatedAt != first.CreatedAt || second.UpdatedAt != first.UpdatedAt+3600 {
		t.Fatalf("timestamps created %d→%d updated %d→%d", first.CreatedAt, second.CreatedAt, first.UpdatedAt, second.UpdatedAt)
	}

	byKey := ok[list[company]](t, do(t, srv, "GET", "/companies?company_id=kiln-works", nil))
	if byKey.TotalCount != 1 || byKey.Data[0].ID != first.ID {
		t.Fatalf("lookup by company_id %+v", byKey)
	}
	failure(t, do(t, srv, "GET", "/companies?company_id=absent", nil), http.StatusNotFound, "company_not_found")
	ok[company](t, do(t, srv, "GET", "/companies/"+first.ID, nil))
	failure(t, do(t, srv, "GET", "/companies/absent", nil), http.StatusNotFound, "company_not_found")

	el := failure(t, do(t, srv, "POST", "/companies", map[string]any{"name": "No Key"}), http.StatusBadRequest, "parameter_not_found")
	if el.Errors[0].Field != "company_id" {
		t.Errorf("field %q", el.Errors[0].Field)
	}

	// PUT by Intercom id may change anything except the key.
	failure(t, do(t, srv, "PUT", "/companies/"+first.ID, map[string]any{"company_id": "renamed"}), http.StatusBadRequest, "parameter_invalid")
	put := ok[company](t, do(t, srv, "PUT", "/companies/"+first.ID, map[string]any{"company_id": "kiln-works", "monthly_spend": 12}))
	if put.MonthlySpend != 12 || put.Name != "Kiln Works Ltd" {
		t.Fatalf("PUT gave %+v", put)
	}

	del := ok[map[string]any](t, do(t, srv, "DELETE", "/companies/"+first.ID, nil))
	if del["deleted"] != true || del["object"] != "company" {
		t.Fatalf("delete answer %v", del)
	}
	failure(t, do(t, srv, "GET", "/companies/"+first.ID, nil), http.StatusNotFound, "company_not_found")
	// The key is free again once the company is gone.
	if again := ok[company](t, do(t, srv, "POST", "/companies", map[string]any{"company_id": "kiln-works"})); again.ID == first.ID {
		t.Fatal("a deleted company came back")
	}
}

func TestMonthlySpendIsTruncatedAndCapped(t *testing.T) {
	srv := NewServer(t)
	for i, tc := range []struct {
		sent string // raw JSON number
		want int64
	}{
		{"0", 0},
		{"155.98", 155},
		{"99.999999", 99},
		{"2147483646.7", 2147483646},
		{"2147483647", 2147483647},
		{"2147483648", 2147483647},
		{"9007199254740993", 2147483647},
		{"1e400", 2147483647},
	} {
		body := fmt.Sprintf(`{"company_id":"spend-%d","monthly_spend":%s}`, i, tc.sent)
		if got := ok[company](t, do(t, srv, "POST", "/companies", body)).MonthlySpend; got != tc.want {
			t.Errorf("monthly_spend %s stored as %d, want %d", tc.sent, got, tc.want)
		}
	}
	for _, bad := range []string{"-1", "-0.5", "-1e400", `"lots"`, "true"} {
		body := fmt.Sprintf(`{"company_id":"spend-bad","monthly_spend":%s}`, bad)
		if a := do(t, srv, "POST", "/companies", body); a.status != http.StatusBadRequest {
			t.Errorf("monthly_spend %s: status %d, want 400", bad, a.status)
		}
	}
	// A refused body must not have created the company.
	failure(t, do(t, srv, "GET", "/companies?company_id=spend-bad", nil), http.StatusNotFound, "company_not_found")
}

func TestCompanyPageNumbers(t *testing.T) {
	srv := NewServer(t)
	for i := range 35 {
		srv.AddCompany(Company{CompanyID: fmt.Sprintf("pg-%02d", i), Name: fmt.Sprintf("Paged %02d", i)})
	}
	for _, route := range []struct{ method, path string }{{"GET", "/companies"}, {"POST", "/companies/list"}} {
		seen := map[string]bool{}
		for page, size := range map[int]int{1: 15, 2: 15, 3: 5, 4: 0} {
			l := ok[list[company]](t, do(t, srv, route.method, fmt.Sprintf("%s?per_page=15&page=%d", route.path, page), nil))
			if len(l.Data) != size || l.TotalCount != 35 || l.Pages.Page != page || l.Pages.TotalPages != 3 || l.Pages.PerPage != 15 {
				t.Fatalf("%s page %d: %d items, pages %+v", route.path, page, len(l.Data), l.Pages)
			}
			for _, c := range l.Data {
				if seen[c.ID] {
					t.Fatalf("%s repeated %s", route.path, c.ID)
				}
				seen[c.ID] = true
			}
		}
		if len(seen) != 35 {
			t.Fatalf("%s saw %d companies", route.path, len(seen))
		}
	}
	failure(t, do(t, srv, "GET", "/companies?page=0", nil), http.StatusBadRequest, "parameter_invalid")
	failure(t, do(t, srv, "GET", "/companies?per_page=many", nil), http.StatusBadRequest, "parameter_invalid")
}

type scrollPage struct {
	Data        []company `json:"data"`
	ScrollParam string    `json:"scroll_param"`
}

func TestCompanyScrollAllowsOneOpenScroll(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_800_000_000, 0)}
	srv := NewServer(t, WithPageSize(10), WithClock(clock.Now))
	for i := range 25 {
		srv.AddCompany(Company{CompanyID: fmt.Sprintf("sc-%02d", i)})
	}

	first := ok[scrollPage](t, do(t, srv, "GET", "/companies/scroll", nil))
	if len(first.Data) != 10 || first.ScrollParam == "" {
		t.Fatalf("first batch %d items, param %q", len(first.Data), first.ScrollParam)
	}
	failure(t, do(t, srv, "GET", "/companies/scroll", nil), http.StatusBadRequest, "scroll_exists")

	seen := len(first.Data)
	for {
		next := ok[scrollPage](t, do(t, srv, "GET", "/companies/scroll?scroll_param="+first.ScrollParam, nil))
		if len(next.Data) == 0 {
			break
		}
		seen += len(next.Data)
	}
	if seen != 25 {
		t.Fatalf("scrolled over %d companies, want 25", seen)
	}
	// The empty batch closed the scroll: its param is spent and a new one may start.
	failure(t, do(t, srv, "GET", "/companies/scroll?scroll_param="+first.ScrollParam, nil), http.StatusBadRequest, "parameter_invalid")
	abandoned := ok[scrollPage](t, do(t, srv, "GET", "/companies/scroll", nil))

	// An abandoned scroll blocks new ones until it has been idle past the expiry.
	clock.Advance(30 * time.Second)
	failure(t, do(t, srv, "GET", "/companies/scroll", nil), http.StatusBadRequest, "scroll_exists")
	clock.Advance(2 * time.Minute)
	fresh := ok[scrollPage](t, do(t, srv, "GET", "/companies/scroll", nil))
	if fresh.ScrollParam == abandoned.ScrollParam || len(fresh.Data) != 10 {
		t.Fatalf("fresh scroll %q with %d items", fresh.ScrollParam, len(fresh.Data))
	}
}
