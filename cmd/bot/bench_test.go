package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/benchfixture"
)

// defaultSeededTickets is the seeded fixture's size unless MAGDA_BENCH_TICKETS says
// otherwise.
const defaultSeededTickets = 100_000

// seededNow is the instant the seeded fixture's population ends at.
const seededNow = "2026-07-15T10:00:00+02:00"

// seeded is the database `bot seed` builds with the built-in example configuration,
// once per test binary: at MAGDA_BENCH_FIXTURE with "-bot" before its extension when
// set (and kept there), else in a temporary directory that TestMain removes.
var seeded struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// seededFixture is the file of MAGDA_BENCH_TICKETS seeded tickets (default 100,000,
// about half of them open). A benchmark that writes to it works on a benchfixture.Copy.
func seededFixture(b *testing.B) string {
	b.Helper()
	seeded.once.Do(func() {
		var n int
		if n, seeded.err = benchfixture.Tickets(defaultSeededTickets); seeded.err != nil {
			return
		}
		cfg, err := config.Load("")
		if err != nil {
			seeded.err = err
			return
		}
		now, _ := time.Parse(time.RFC3339, seededNow)
		note := seedNote(seedPopulation(cfg, n, 1, now), fingerprint(cfg))
		if seeded.dir, seeded.err = os.MkdirTemp("", "bot-bench-"); seeded.err != nil {
			return
		}
		seeded.path, seeded.err = benchfixture.At(seeded.dir, "bot", note, func(path string) error {
			args := []string{"seed", "--tickets", strconv.Itoa(n), "--now", seededNow, "--db", path, "--force"}
			return run(context.Background(), args, env(nil), io.Discard)
		})
	})
	if seeded.err != nil {
		b.Fatal(seeded.err)
	}
	return seeded.path
}

func removeSeeded() {
	if seeded.dir != "" {
		os.RemoveAll(seeded.dir)
	}
}

// BenchmarkIngestHTTP measures durable ingest through the events API on loopback: many
// clients each POST one event at a time, and every 200 means committed to SQLite. The
// events are a ticket's life (created, responded, updated, resolved) over many tickets,
// stored into an empty database, then into a copy of the seeded fixture (issue 15: with
// 1,000,000 stored, within 80 % of the empty run). The run on the fixture starts once
// the scheduler's first pass is through its open tickets (magda_scheduler_due_tickets
// 0): it measures intake in steady state; stored-first-pass measures it beside that
// first pass, which has every open ticket to look at.
func BenchmarkIngestHTTP(b *testing.B) {
	b.Run("empty", func(b *testing.B) { ingestHTTP(b, filepath.Join(b.TempDir(), "magda.db"), true) })
	b.Run("stored", func(b *testing.B) { ingestHTTP(b, benchfixture.Copy(b, seededFixture(b)), true) })
	b.Run("stored-first-pass", func(b *testing.B) { ingestHTTP(b, benchfixture.Copy(b, seededFixture(b)), false) })
}

// ingestHTTP posts b.N events to a bot serving db; settle: once its scheduler has
// looked at every ticket, else at once, beside its first pass.
func ingestHTTP(b *testing.B, db string, settle bool) {
	s := startServing(b, map[string]string{"MAGDA_API_TOKEN": "bench"}, "--db", db)
	base := s.base
	if settle {
		settled(b, s.metrics)
	}
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

// settled waits until the scheduler has no ticket left to look at
// (magda_scheduler_due_tickets 0 at the metrics URL).
func settled(b *testing.B, metrics string) {
	b.Helper()
	deadline := time.Now().Add(20 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get(metrics)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		if strings.Contains(string(body), "\nmagda_scheduler_due_tickets 0\n") {
			return
		}
		time.Sleep(time.Second)
	}
	b.Fatal("the scheduler's first pass did not end within 20 minutes")
}
