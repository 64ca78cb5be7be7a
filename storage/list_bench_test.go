package storage_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/benchfixture"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// BenchmarkList reads what `sla CUSTOMER` and the App Home show: the first ten of a
// customer's open tickets and of the tickets at risk or breached, with their totals
// (issue 15: p99 under 20 ms at 1M tickets, memory independent of N). It runs on a
// small store and on ticketFixture, so that B/op can be compared across sizes: it
// must not grow with N. "home-few" asks at an instant when few tickets are urgent
// (fewUrgent's path), "home" when half of them are.
func BenchmarkList(b *testing.B) {
	ctx := context.Background()
	small := filepath.Join(b.TempDir(), "small.db")
	const smallTickets = 5_000
	db := openAt(b, small, derive)
	var evs []sla.Event
	for i := range smallTickets {
		for n := range 4 {
			evs = append(evs, lifeEvent(i, n))
		}
	}
	if _, err := db.Append(ctx, storage.SourceAPI, "", evs); err != nil {
		b.Fatal(err)
	}
	db.Close()
	// Each store's instants: late, when many tickets are at risk or breached, and early,
	// a moment after its first tickets, when few are.
	fixedNow := benchfixture.SharedNow
	for _, store := range []struct {
		name        string
		path        func() string
		late, early time.Time
	}{
		{fmt.Sprint("n=", smallTickets), func() string { return small }, dt(2026, 6, 1, 12, 0), dt(2026, 1, 5, 9, 31)},
		{"fixture", func() string { return ticketFixture(b) }, fixedNow, fixedNow.Add(-population.DefaultSpan + 24*time.Hour)},
	} {
		for _, q := range []struct {
			name string
			f    storage.ListFilter
		}{
			{"customer", storage.ListFilter{Customer: "agency-y", Limit: 10}},
			{"home", storage.ListFilter{Urgent: true, Now: store.late, Limit: 10}},
			{"home-few", storage.ListFilter{Urgent: true, Now: store.early, Limit: 10}},
		} {
			b.Run(store.name+"/"+q.name, func(b *testing.B) {
				db := openAt(b, store.path(), derive)
				b.ReportAllocs()
				durs := make([]time.Duration, 0, b.N)
				for b.Loop() {
					start := time.Now()
					ts, total, err := db.List(ctx, q.f)
					durs = append(durs, time.Since(start))
					if err != nil || len(ts) == 0 || total < len(ts) {
						b.Fatalf("List = %d of %d, %v", len(ts), total, err)
					}
				}
				slices.Sort(durs)
				pct := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Microseconds()) }
				b.ReportMetric(pct(0.50), "p50-µs")
				b.ReportMetric(pct(0.99), "p99-µs")
			})
		}
	}
}
