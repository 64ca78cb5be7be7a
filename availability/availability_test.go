package availability_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/availability"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

func dt(d, h int) time.Time { return time.Date(2026, time.November, d, h, 0, 0, 0, sla.Brussels) }

// TestMonthR6_1R8_2: the stored outages of the month, less the configured windows and
// the status page's, with a cancelled weekend counting again. November 2026: 720 h,
// its third weekend (21-22 Nov) cancelled, a status page window of 3 h: 717 h count.
func TestMonthR6_1R8_2(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "magda.db"), storage.Options{Derive: func([]sla.Event) sla.Ticket { return sla.Ticket{} }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.MarkAlerts(ctx, []storage.AlertMark{
		{Ref: "a", Component: sla.Server, Start: dt(4, 19), End: dt(4, 21)},                                         // 1 h in the page's window
		{Ref: "b", Component: sla.Server, Start: dt(21, 10), End: dt(21, 12)},                                       // the cancelled weekend counts
		{Ref: "c", Component: sla.Server, Start: time.Date(2026, 10, 31, 23, 0, 0, 0, sla.Brussels), End: dt(1, 1)}, // 1 h in November
	}); err != nil {
		t.Fatal(err)
	}
	c := &availability.Counter{Store: db, Cancelled: []sla.Date{{Year: 2026, Month: time.November, Day: 21}},
		Scheduled: func() []sla.MaintenanceWindow {
			return []sla.MaintenanceWindow{{Start: dt(4, 20), End: dt(4, 23), Note: "page"}}
		}}
	a, err := c.Month(ctx, sla.Month{Year: 2026, Month: time.November}, dt(30, 23))
	if err != nil {
		t.Fatal(err)
	}
	if a.Scheduled != 717*time.Hour || a.Of(sla.Server).Downtime != 4*time.Hour || len(a.Of(sla.Server).Outages) != 3 {
		t.Fatalf("scheduled %v, server %+v", a.Scheduled, a.Of(sla.Server))
	}
}
