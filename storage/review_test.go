package storage_test

import (
	"context"
	"slices"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// TestActiveTicketsOfAPeriod: a service review (R1.2) reads the tickets created before
// the period's end and not resolved before its start, of one customer or all, and the
// events of those still open at EventsFrom.
func TestActiveTicketsOfAPeriod(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	evs := []sla.Event{
		created("MAGDA-1", "agency-x", sla.P2, dt(2026, 10, 5, 9, 0)), ev("MAGDA-1", sla.Resolved, dt(2026, 10, 6, 9, 0)),
		created("MAGDA-2", "agency-x", sla.P2, dt(2026, 10, 30, 9, 0)), ev("MAGDA-2", sla.Resolved, dt(2026, 11, 3, 9, 0)),
		created("MAGDA-3", "agency-x", sla.P3, dt(2026, 11, 10, 9, 0)),
		created("MAGDA-4", "agency-y", sla.P3, dt(2026, 11, 10, 9, 0)),
		created("MAGDA-5", "agency-x", sla.P1, dt(2026, 12, 1, 8, 0)),
		created("MAGDA-6", "agency-x", sla.P1, dt(2026, 9, 1, 8, 0)), ev("MAGDA-6", sla.Resolved, dt(2026, 9, 2, 8, 0)),
	}
	if _, err := db.Append(ctx, "api", "", evs); err != nil {
		t.Fatal(err)
	}
	q := storage.ActiveQuery{Customer: "agency-x", From: dt(2026, 10, 1, 0, 0), To: dt(2026, 12, 1, 0, 0), EventsFrom: dt(2026, 11, 1, 0, 0)}
	got, err := db.ActiveTickets(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	events := map[string]int{}
	for _, a := range got {
		keys = append(keys, a.Ticket.Key)
		events[a.Ticket.Key] = len(a.Events)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"MAGDA-1", "MAGDA-2", "MAGDA-3"}) {
		t.Errorf("agency-x Oct-Nov = %v, want MAGDA-1..3 (not 4: agency-y, 5: December, 6: resolved in September)", keys)
	}
	if events["MAGDA-1"] != 0 || events["MAGDA-2"] != 2 || events["MAGDA-3"] != 1 {
		t.Errorf("events per ticket = %v, want none for MAGDA-1 (resolved before EventsFrom)", events)
	}
	q.Customer = ""
	all, err := db.ActiveTickets(ctx, q)
	if err != nil || len(all) != 4 {
		t.Errorf("all customers: %d tickets, %v; want 4", len(all), err)
	}
}
