package bench

import (
	"testing"

	intercom "github.com/apipin/intercom/api/v2.16"
	"github.com/apipin/intercom/internal/gensupport"
	"github.com/apipin/intercom/internal/paging"
	"github.com/apipin/intercom/tests/bench/fixtures"
)

// BenchmarkRead is the cost an iterator adds to each page, finding the
// paging members of a 150-contact page (the benchmark fixtures' page,
// pages.next at its end), beside the cost of decoding that page into
// 2.16's typed ContactList with the typed methods' engine: on a machine
// that other work slows down, the ratio of the two says more than either.
func BenchmarkRead(b *testing.B) {
	body := fixtures.Page(1, 20)
	b.Run("step=paging", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			s, err := paging.Read(body)
			if err != nil || s.Next.Kind != paging.Cursor {
				b.Fatal(s, err)
			}
		}
	})
	b.Run("step=decode", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var l intercom.ContactList
			if err := gensupport.Unmarshal(body, &l); err != nil || len(l.Data) != fixtures.PageSize {
				b.Fatal(err)
			}
		}
	})
}
