package notify_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

const benchTickets = 100_000

// benchNow is the instant the benchmark passes run at: a Wednesday morning.
var benchNow = dt(2026, 7, 15, 10, 0)

// fixture is a file with benchTickets open tickets, built once per test binary and
// removed by TestMain.
var fixture struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

// benchEvents are ticket i's events: reported up to 14 days (20,000 minutes) before
// benchNow, on both tiers and every priority, half of them answered 20 minutes later,
// so that the passes meet running, at-risk and breached clocks and update reminders.
func benchEvents(i int) []sla.Event {
	key := fmt.Sprintf("MAGDA-%06d", i)
	at := benchNow.Add(-time.Duration(i%20_000+1) * time.Minute)
	customer := []string{"agency-x", "agency-y"}[i%2]
	evs := []sla.Event{created(key, customer, sla.Priority(1+i%4), at)}
	if i%4 < 2 && at.Add(20*time.Minute).Before(benchNow) {
		evs = append(evs, ev(key, sla.Responded, at.Add(20*time.Minute)))
	}
	return evs
}

func benchFixture(b *testing.B) string {
	b.Helper()
	fixture.once.Do(func() {
		if fixture.dir, fixture.err = os.MkdirTemp("", "notify-bench-"); fixture.err != nil {
			return
		}
		fixture.path = filepath.Join(fixture.dir, "magda.db")
		db, err := storage.Open(fixture.path, storage.Options{Derive: derive})
		if err != nil {
			fixture.err = err
			return
		}
		defer db.Close()
		for first := 0; first < benchTickets; first += 500 {
			var evs []sla.Event
			for i := first; i < first+500; i++ {
				evs = append(evs, benchEvents(i)...)
			}
			if _, err := db.Append(context.Background(), storage.SourceAPI, "", evs); err != nil {
				fixture.err = err
				return
			}
		}
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.path
}

// copyFixture gives a fresh copy of the fixture: a database the scheduler never saw.
func copyFixture(b *testing.B) string {
	b.Helper()
	src, err := os.Open(benchFixture(b))
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(b.TempDir(), "magda.db")
	dst, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer dst.Close()
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	return path
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

// BenchmarkTick is one scheduler pass over 100,000 open tickets (target: under one
// second and 150 MiB). first: a database the scheduler never saw, every stage already
// due is stored (as history); steady: a pass with nothing new; advancing: each pass a
// minute after the last, storing and rendering what became due in that minute. Run it
// with -benchtime=5x: the fixture takes a while to build.
func BenchmarkTick(b *testing.B) {
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
