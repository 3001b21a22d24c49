package paging

import (
	"testing"

	"github.com/apipin/intercom/tests/bench/fixtures"
)

// BenchmarkRead is the cost an iterator adds to each page: finding the
// paging members of a 150-contact page (the benchmark fixtures' page, with
// pages.next at its end) by a scan of its bytes.
func BenchmarkRead(b *testing.B) {
	body := fixtures.Page(1, 20)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := Read(body)
		if err != nil || s.Next.Kind != Cursor {
			b.Fatal(s, err)
		}
	}
}
