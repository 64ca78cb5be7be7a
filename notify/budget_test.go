package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/availability"
	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/google/go-cmp/cmp"
)

// TestBudgetWarningsR6_1: November 2026 has 672 h outside its third weekend, so a
// component's error budget is 3h21m36s. A database outage from Tuesday 3 November
// 10:00 uses half of it at 11:40:48 and all of it at 13:21:36: the SDMs are told once
// each, at the next pass, day or night, and not again when the passes go on, the
// outage ends, or a second process on the same file runs its own passes. The status
// page's maintenance of Wednesday 4 November is announced once, the working day before.
func TestBudgetWarningsR6_1(t *testing.T) {
	db, path := tempStore(t)
	ctx := context.Background()
	c := &clock{}
	rec := &recorder{clock: c}
	page := []sla.MaintenanceWindow{{Start: dt(2026, 11, 4, 20, 0), End: dt(2026, 11, 4, 23, 0), Note: "Database-upgrade"}}
	maint := commands.Maintenance{Scheduled: func() []sla.MaintenanceWindow { return page }}
	o := options(db, c, rec)
	o.Maintenance = maint
	o.Availability = &availability.Counter{Store: db, Scheduled: maint.Scheduled}
	n := newNotifier(t, o)
	o2 := options(openStore(t, path), c, rec)
	o2.Maintenance = maint
	o2.Availability = o.Availability
	other := newNotifier(t, o2)

	if _, err := db.RecordOutageEvents(ctx, []sla.OutageEvent{{Type: sla.OutageStarted, Component: sla.Database, At: dt(2026, 11, 3, 10, 0)}}); err != nil {
		t.Fatal(err)
	}
	for now := dt(2026, 11, 3, 0, 0); now.Before(dt(2026, 11, 5, 0, 0)); now = now.Add(30 * time.Minute) {
		if now.Equal(dt(2026, 11, 3, 16, 0)) {
			end := sla.OutageEvent{Type: sla.OutageEnded, Component: sla.Database, At: now}
			if _, err := db.RecordOutageEvents(ctx, []sla.OutageEvent{end}); err != nil {
				t.Fatal(err)
			}
		}
		step(t, n, c, now)
		step(t, other, c, now.Add(time.Minute))
	}
	var got []string
	for _, s := range rec.all() {
		if s.Channel == "C-SDM" && s.Reply.Kind == commands.KindAvailability || s.Channel == "C-NEWS" {
			got = append(got, s.At.Format("Mon 2 Jan 15:04")+" "+s.Channel+" "+s.Title)
		}
	}
	want := []string{
		"Tue 3 Nov 08:30 C-NEWS Planned maintenance Wed 4 Nov – Wed 4 Nov (R8)",
		"Tue 3 Nov 12:00 C-SDM database has used half of its error budget for 2026-11 (R6.1)",
		"Tue 3 Nov 13:30 C-SDM database is below 99.5 % in 2026-11: its error budget is used up (R6.1)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
	if ok, err := db.Decided(ctx, "", "budget_exceeded", dt(2026, 11, 1, 0, 0).Unix()+1); !ok || err != nil {
		t.Errorf("the exceeded warning is not keyed by month and component: %v %v", ok, err)
	}
}
