package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/benchfixture"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// defaultFixtureTickets is the fixture's size unless MAGDA_BENCH_TICKETS says otherwise.
const defaultFixtureTickets = 100_000

// fixture is the generated population the read benchmarks run on (benchfixture.Shared),
// built once per test binary: at MAGDA_BENCH_FIXTURE when set (and kept there), else in
// a temporary directory that TestMain removes.
var fixture struct {
	once sync.Once
	dir  string
	path string
	n    int
	err  error
}

func TestMain(m *testing.M) {
	code := pgtest.Run(m)
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

func fixtureKey(i int) string { return fmt.Sprintf("MAGDA-%06d", i) }

// lifeEvent is the n-th event of ticket i: created, responded, updated, then resolved
// for every other ticket, so that an append benchmark stores whole lives.
func lifeEvent(i, n int) sla.Event {
	key := fixtureKey(i)
	at := dt(2026, 1, 5, 9, 0).Add(time.Duration(i) * time.Minute)
	customer := []string{"agency-x", "agency-y", "agency-z"}[i%3]
	switch n {
	case 0:
		return created(key, customer, sla.Priority(1+i%4), at)
	case 1:
		return ev(key, sla.Responded, at.Add(20*time.Minute))
	case 2:
		return ev(key, sla.Updated, at.Add(2*time.Hour))
	}
	if i%2 == 0 {
		return ev(key, sla.Resolved, at.Add(26*time.Hour))
	}
	return ev(key, sla.Updated, at.Add(26*time.Hour))
}

// ticketFixture is the file of MAGDA_BENCH_TICKETS generated tickets (default 100,000,
// about half of them open), keys MAGDA-1..N: see fixtureSize.
func ticketFixture(b *testing.B) string {
	b.Helper()
	fixture.once.Do(func() {
		if fixture.n, fixture.err = benchfixture.Tickets(defaultFixtureTickets); fixture.err != nil {
			return
		}
		if fixture.dir, fixture.err = os.MkdirTemp("", "storage-bench-"); fixture.err != nil {
			return
		}
		fixture.path, fixture.err = benchfixture.Population(fixture.dir, "", benchfixture.SharedLabel,
			benchfixture.Shared(fixture.n), storage.Options{Derive: derive})
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.path
}

// pgFixture is ticketFixture's population on PostgreSQL: a template database of the
// run's pgtest server (benchfixture.PostgresTemplate), built once per test binary.
var pgFixture struct {
	once     sync.Once
	template string
	err      error
}

// ticketFixturePG gives a fresh copy of the fixture in a PostgreSQL database (a clone of
// pgFixture's template), or skips with pgtest's line where PostgreSQL cannot be had.
func ticketFixturePG(b *testing.B) string {
	b.Helper()
	srv := pgtest.Shared(b)
	n := fixtureSize(b)
	pgFixture.once.Do(func() {
		pgFixture.template, pgFixture.err = benchfixture.PostgresTemplate(srv, benchfixture.SharedLabel,
			benchfixture.Shared(n), storage.Options{Derive: derive})
	})
	if pgFixture.err != nil {
		b.Fatal(pgFixture.err)
	}
	return srv.DatabaseFrom(b, pgFixture.template)
}

// onBackends runs bench once on each backend, as the sub-benchmarks sqlite and
// postgres (issue 16), with the store it gives: fixture(b) is the store to open on
// that backend. Where PostgreSQL cannot be had, postgres skips with pgtest's line.
func onBackends(b *testing.B, sqlite, postgres func(b *testing.B) string, bench func(b *testing.B, fixture func(b *testing.B) string)) {
	b.Run("sqlite", func(b *testing.B) { bench(b, sqlite) })
	b.Run("postgres", func(b *testing.B) {
		pgtest.Shared(b)
		bench(b, postgres)
	})
}

// emptyStore is a new, empty store on each backend: a file in the benchmark's
// temporary directory, a fresh database of the run's PostgreSQL server.
var emptyStore = [2]func(b *testing.B) string{
	func(b *testing.B) string { return filepath.Join(b.TempDir(), "magda.db") },
	func(b *testing.B) string { return pgtest.Database(b) },
}

// openStore opens the store dsn names as it is (not through StoreFor: a benchmark
// chooses its backend itself).
func openStore(b *testing.B, dsn string) *storage.DB {
	b.Helper()
	return openStoreWith(b, dsn, storage.Options{Derive: derive})
}

func openStoreWith(b *testing.B, dsn string, opts storage.Options) *storage.DB {
	b.Helper()
	db, err := storage.Open(dsn, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// fixtureSize is how many tickets ticketFixture holds.
func fixtureSize(b *testing.B) int {
	ticketFixture(b)
	return fixture.n
}

// BenchmarkTicketRead reads random tickets of the fixture and reports the latency
// percentiles of Ticket (target: p99 under 1 ms), on SQLite and on PostgreSQL.
func BenchmarkTicketRead(b *testing.B) {
	onBackends(b, ticketFixture, ticketFixturePG, func(b *testing.B, fixture func(*testing.B) string) {
		db := openStore(b, fixture(b))
		n := fixtureSize(b)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(1, 2))
		durs := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for range b.N {
			key := population.Key(1 + rng.IntN(n))
			start := time.Now()
			_, found, err := db.Ticket(ctx, key)
			durs = append(durs, time.Since(start))
			if err != nil || !found {
				b.Fatalf("Ticket(%s) = found %v, %v", key, found, err)
			}
		}
		b.StopTimer()
		slices.Sort(durs)
		pct := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Microseconds()) }
		b.ReportMetric(pct(0.50), "p50-µs")
		b.ReportMetric(pct(0.99), "p99-µs")
	})
}

// BenchmarkTickets lists the 50 soonest due open tickets of the fixture.
func BenchmarkTickets(b *testing.B) {
	db := openAt(b, ticketFixture(b), derive)
	ctx := context.Background()
	for b.Loop() {
		if ts, err := db.Tickets(ctx, storage.Filter{OpenOnly: true, Limit: 50}); err != nil || len(ts) != 50 {
			b.Fatalf("Tickets = %d, %v", len(ts), err)
		}
	}
}

// BenchmarkCounts runs the metrics query over the fixture's tickets.
func BenchmarkCounts(b *testing.B) {
	db := openAt(b, ticketFixture(b), derive)
	ctx := context.Background()
	now := dt(2026, 6, 1, 12, 0)
	for b.Loop() {
		if cs, err := db.Counts(ctx, now); err != nil || len(cs) == 0 {
			b.Fatalf("Counts = %v, %v", cs, err)
		}
	}
}

// BenchmarkRederive recomputes the fixture's tickets (on a copy), without a change to
// the configuration and with agency-y, the customer of every other ticket, changing
// tier (which then alternates); run it with -benchtime=1x.
func BenchmarkRederive(b *testing.B) {
	ctx := context.Background()
	path := benchfixture.Copy(b, ticketFixture(b))
	n := fixtureSize(b)
	moved := deriveWith(map[string]sla.Tier{"agency-x": sla.Dedicated, "agency-y": sla.Dedicated})
	tests := []struct {
		name    string
		derives []func([]sla.Event) sla.Ticket
		changed int
	}{
		{"unchanged", []func([]sla.Event) sla.Ticket{derive}, 0},
		{"tier changed", []func([]sla.Event) sla.Ticket{moved, derive}, n / 2},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				b.StopTimer()
				db := openAt(b, path, tt.derives[i%len(tt.derives)])
				b.StartTimer()
				n, err := db.Rederive(ctx)
				if err != nil || n < tt.changed || n > tt.changed+1 {
					b.Fatalf("Rederive = %d, %v; want %d changed", n, err, tt.changed)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
				i++
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tickets/s")
		})
	}
}

// BenchmarkAppend stores one event per call, four per ticket, each call committed to
// disk before it returns: one caller at a time, then many at once (as HTTP requests
// are), where group commit shares a transaction between them; on SQLite and on
// PostgreSQL (target at 32 callers: 5,000 events/s on PostgreSQL, issue 16).
func BenchmarkAppend(b *testing.B) {
	appendOne := func(b *testing.B, db *storage.DB, n int) {
		e := lifeEvent(n/4, n%4)
		if _, err := db.Append(context.Background(), storage.SourceAPI, "", []sla.Event{e}); err != nil {
			b.Fatal(err)
		}
	}
	onBackends(b, emptyStore[0], emptyStore[1], func(b *testing.B, store func(*testing.B) string) {
		b.Run("sequential", func(b *testing.B) {
			db := openStore(b, store(b))
			n := 0
			for b.Loop() {
				appendOne(b, db, n)
				n++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
		for _, run := range []struct {
			name    string
			callers int
			opts    storage.Options
		}{
			{"parallel-2", 2, storage.Options{Derive: derive}},
			{"parallel-32", 32, storage.Options{Derive: derive}},
			// As bot serve stores: an event after the ticket's last one is applied to
			// the stored state (Options.Apply) instead of replaying its events.
			{"parallel-32-incremental", 32, storage.Options{Derive: derive, Apply: advance}},
		} {
			callers := run.callers
			b.Run(run.name, func(b *testing.B) {
				db := openStoreWith(b, store(b), run.opts)
				var next atomic.Int64
				b.SetParallelism((callers + 1) / 2) // RunParallel starts parallelism × GOMAXPROCS
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						appendOne(b, db, int(next.Add(1)-1))
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			})
		}
	})
}

// BenchmarkImport stores the fixture's population (MAGDA_BENCH_TICKETS, default 100,000)
// into a new file through Import, as `bot seed` does, and reports tickets and events per
// second; run it with -benchtime=1x.
func BenchmarkImport(b *testing.B) {
	n, err := benchfixture.Tickets(defaultFixtureTickets)
	if err != nil {
		b.Fatal(err)
	}
	pop := benchfixture.Shared(n)
	var events int
	for b.Loop() {
		b.StopTimer()
		db := openAt(b, filepath.Join(b.TempDir(), "magda.db"), derive)
		b.StartTimer()
		stats, err := db.Import(context.Background(), storage.SourceAPI, pop.InKeyOrder(), nil)
		if err != nil || stats.Tickets != n {
			b.Fatalf("Import = %+v, %v", stats, err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		events += stats.Events
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tickets/s")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
