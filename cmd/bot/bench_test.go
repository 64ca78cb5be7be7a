package main

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// BenchmarkIngestHTTP measures durable ingest through the events API on loopback: many
// clients each POST one event at a time, and every 200 means committed to SQLite. The
// events are a ticket's life (created, responded, updated, resolved) over many tickets.
func BenchmarkIngestHTTP(b *testing.B) {
	base := startServe(b, map[string]string{"MAGDA_API_TOKEN": "bench"}, "--db", filepath.Join(b.TempDir(), "magda.db"))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var seq atomic.Int64
	types := []string{
		`"type":"created","customer":"agency-x","kind":"incident","priority":"P2"`,
		`"type":"responded"`, `"type":"updated"`, `"type":"resolved"`,
	}
	b.SetParallelism(16) // 32 concurrent clients on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			body := fmt.Sprintf(`{"id":"b%d","ticket":"BENCH-%d",%s,"at":"2026-07-10T1%d:00:00+02:00"}`,
				n, n/4, types[n%4], n%4)
			req, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer bench")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
