package notify_test

import (
	"context"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/benchfixture"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// defaultBenchTickets is the fixture's size unless MAGDA_BENCH_TICKETS says otherwise.
const defaultBenchTickets = 100_000

// benchNow is the instant the benchmark passes run at: a Wednesday morning, the end of
// the fixture's population.
var benchNow = benchfixture.SharedNow

// fixture is the generated population the passes run on (benchfixture.Shared, about half
// of it open: running, paused, at-risk and breached clocks, update reminders), built once
// per test binary: at MAGDA_BENCH_FIXTURE when set (and kept there, shared with the
// storage benchmarks), else in a temporary directory that TestMain removes.
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

// benchFixture is the file of MAGDA_BENCH_TICKETS generated tickets (default 100,000).
func benchFixture(b *testing.B) string {
	b.Helper()
	fixture.once.Do(func() {
		if fixture.n, fixture.err = benchfixture.Tickets(defaultBenchTickets); fixture.err != nil {
			return
		}
		if fixture.dir, fixture.err = os.MkdirTemp("", "notify-bench-"); fixture.err != nil {
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

// copyFixture gives a fresh copy of the fixture: a database the scheduler never saw.
func copyFixture(b *testing.B) string {
	b.Helper()
	return benchfixture.Copy(b, benchFixture(b))
}

// pgFixture is the fixture's population on PostgreSQL: a template database of the run's
// pgtest server (benchfixture.PostgresTemplate), built once per test binary.
var pgFixture struct {
	once     sync.Once
	template string
	err      error
}

// copyFixturePG is copyFixture on PostgreSQL: a fresh clone of pgFixture's template. It
// skips with pgtest's line where PostgreSQL cannot be had.
func copyFixturePG(b *testing.B) string {
	b.Helper()
	srv := pgtest.Shared(b)
	benchFixture(b) // the size, and the same population on both backends
	pgFixture.once.Do(func() {
		pgFixture.template, pgFixture.err = benchfixture.PostgresTemplate(srv, benchfixture.SharedLabel,
			benchfixture.Shared(fixture.n), storage.Options{Derive: derive})
	})
	if pgFixture.err != nil {
		b.Fatal(pgFixture.err)
	}
	return srv.DatabaseFrom(b, pgFixture.template)
}

// onBackends runs bench on SQLite and on PostgreSQL (issue 16), as the sub-benchmarks
// sqlite and postgres, each with the function that gives it a fresh copy of the fixture.
func onBackends(b *testing.B, bench func(b *testing.B, copyFixture func(*testing.B) string)) {
	b.Run("sqlite", func(b *testing.B) { bench(b, copyFixture) })
	b.Run("postgres", func(b *testing.B) { bench(b, copyFixturePG) })
}

// peakHeap samples the live heap while f runs and gives its peak in MiB.
func peakHeap(f func()) float64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	return float64(peak.Load()) / (1 << 20)
}

// BenchmarkTick is one scheduler pass over the fixture's tickets, about half of them
// open (target: under one second and 150 MiB at 100,000). first: a database the scheduler never saw, every stage already
// due is stored (as history); steady: a pass with nothing new; advancing: each pass a
// minute after the last, storing and rendering what became due in that minute. Run it
// with -benchtime=5x: the fixture takes a while to build. Each runs on SQLite and on
// PostgreSQL (sqlite/…, postgres/…: issue 16).
func BenchmarkTick(b *testing.B) {
	onBackends(b, benchTick)
}

func benchTick(b *testing.B, copyFixture func(*testing.B) string) {
	ctx := context.Background()
	run := func(b *testing.B, n func() (tick func(time.Time) error)) {
		var heap float64
		var elapsed time.Duration
		i := 0
		for b.Loop() {
			b.StopTimer()
			tick := n()
			now := benchNow.Add(time.Duration(i) * time.Minute)
			b.StartTimer()
			start := time.Now()
			h := peakHeap(func() {
				if err := tick(now); err != nil {
					b.Fatal(err)
				}
			})
			elapsed += time.Since(start)
			heap = max(heap, h)
			i++
		}
		b.ReportMetric(float64(elapsed.Milliseconds())/float64(i), "ms/pass")
		b.ReportMetric(heap, "peak-heap-MiB")
	}
	notifier := func(b *testing.B, path string) func(time.Time) error {
		c := &clock{}
		n := newNotifier(b, options(openStore(b, path), c, &recorder{clock: c}))
		return func(now time.Time) error { return n.Tick(ctx, now) }
	}
	b.Run("first", func(b *testing.B) {
		run(b, func() func(time.Time) error { return notifier(b, copyFixture(b)) })
	})
	b.Run("steady", func(b *testing.B) {
		tick := notifier(b, copyFixture(b))
		if err := tick(benchNow); err != nil {
			b.Fatal(err)
		}
		run(b, func() func(time.Time) error { return func(time.Time) error { return tick(benchNow) } })
	})
	b.Run("advancing", func(b *testing.B) {
		tick := notifier(b, copyFixture(b))
		if err := tick(benchNow.Add(-time.Minute)); err != nil {
			b.Fatal(err)
		}
		run(b, func() func(time.Time) error { return tick })
	})
}
