package intercomtest

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// GET /contacts/{id} over loopback from 16 goroutines, client and server in
// this process: the throughput docs/performance.md reports.
//
//	go test -run '^$' -bench GetContact -benchtime 5s ./intercomtest
func BenchmarkGetContact(b *testing.B) {
	for _, version := range []string{"2.7", "2.16"} {
		b.Run("version="+version, func(b *testing.B) {
			srv := NewServer(b, WithCaptureLimit(0))
			ct := srv.AddContact(Contact{Email: "bench@fake.test", Name: "Bench"})
			transport := &http.Transport{MaxIdleConnsPerHost: 16}
			defer transport.CloseIdleConnections()
			client := &http.Client{Transport: transport}
			url := srv.URL() + "/contacts/" + ct.ID
			var failed atomic.Int64
			b.SetParallelism(16 / max(1, runtime.GOMAXPROCS(0)))
			if runtime.GOMAXPROCS(0) > 16 {
				b.SetParallelism(1)
			}
			b.ResetTimer()
			start, cpuStart := time.Now(), cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+srv.Token())
				req.Header.Set("Intercom-Version", version)
				for pb.Next() {
					res, err := client.Do(req)
					if err != nil {
						failed.Add(1)
						continue
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						failed.Add(1)
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
			// CPU time per request (client and server together), which other
			// work on a shared machine disturbs much less than wall time.
			cpu := cpuTime() - cpuStart
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/req")
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d requests failed", n)
			}
		})
	}
}

// Memory held by stored contacts: heap in use after seeding n contacts,
// per contact, for two sizes (linear growth shows as a constant per-contact
// figure).
//
//	go test -run '^$' -bench StoredContacts -benchtime 1x ./intercomtest
func BenchmarkStoredContacts(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("contacts=%d", n), func(b *testing.B) {
			for range b.N {
				before := heapInUse()
				srv := NewServer(nil, WithCaptureLimit(0))
				for i := range n {
					srv.AddContact(Contact{Email: fmt.Sprintf("p%d@fake.test", i), ExternalID: fmt.Sprint(i), Name: "Person"})
				}
				after := heapInUse()
				b.ReportMetric(float64(after-before)/float64(n), "B/contact")
				b.ReportMetric(float64(after-before)/(1<<20), "MiB")
				runtime.KeepAlive(srv)
				srv.Close()
			}
		})
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// Memory held by generic stored resources, created the way POST does
// (synthesized from the 2.16 read schema, then stored), per object.
//
//	go test -run '^$' -bench StoredResources -benchtime 1x ./intercomtest
func BenchmarkStoredResources(b *testing.B) {
	a := apiFor("2.16")
	for _, coll := range []string{"notes", "conversations", "tickets"} {
		rt := a.readRoute(coll, nil)
		if rt == nil {
			b.Fatalf("no read route for %s", coll)
		}
		b.Run(fmt.Sprintf("%s=10000", coll), func(b *testing.B) {
			for range b.N {
				before := heapInUse()
				srv := NewServer(nil, WithCaptureLimit(0))
				srv.mu.Lock()
				c := srv.st.collection(coll)
				for range 10_000 {
					srv.st.newObject(c, a, rt, "", "")
				}
				srv.mu.Unlock()
				after := heapInUse()
				b.ReportMetric(float64(after-before)/10_000, "B/object")
				runtime.KeepAlive(srv)
				srv.Close()
			}
		})
	}
}
