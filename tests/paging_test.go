package tests

import (
	"context"
	"reflect"
	"testing"

	facade "github.com/apipin/intercom"
	"github.com/apipin/intercom/internal/allversions"
	"github.com/apipin/intercom/intercomtest"
)

// A company's contacts are answered with page numbers (pages.page,
// pages.total_pages) and no next cursor, although the descriptions give the
// answer a cursor: the iterator must follow the page numbers to the end in
// every version, not stop after the first page.
func TestAttachedContactsIteratorWalksEveryPage(t *testing.T) {
	for _, p := range allversions.Packages {
		t.Run(p.Version, func(t *testing.T) {
			srv := intercomtest.NewServer(t, intercomtest.WithPageSize(2))
			company := srv.AddCompany(intercomtest.Company{CompanyID: "acme", Name: "Acme"})
			want := map[string]bool{}
			for _, email := range []string{"a@example.test", "b@example.test", "c@example.test", "d@example.test", "e@example.test"} {
				c := srv.AddContact(intercomtest.Contact{Email: email})
				srv.AttachCompany(c.ID, company.ID)
				want[c.ID] = true
			}
			client, err := p.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL()))
			if err != nil {
				t.Fatal(err)
			}
			it := reflect.ValueOf(client).MethodByName("ListAttachedContactsAll")
			if !it.IsValid() {
				t.Skip("no ListAttachedContactsAll in this version")
			}
			srv.ResetRequests()
			seq := it.Call([]reflect.Value{reflect.ValueOf(context.Background()), reflect.ValueOf(company.ID), reflect.Zero(it.Type().In(2))})[0]
			got := map[string]bool{}
			// iter.Seq2[Contact, error], called through reflection.
			yield := reflect.MakeFunc(seq.Type().In(0), func(args []reflect.Value) []reflect.Value {
				if err, _ := args[1].Interface().(error); err != nil {
					t.Fatal(err)
				}
				got[args[0].FieldByName("ID").String()] = true
				return []reflect.Value{reflect.ValueOf(true)}
			})
			seq.Call([]reflect.Value{yield})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("yielded %d contacts %v, want the 5 attached", len(got), got)
			}
			if n := len(srv.Requests()); n != 3 {
				t.Errorf("%d requests, want 3 pages of at most 2", n)
			}
		})
	}
}
