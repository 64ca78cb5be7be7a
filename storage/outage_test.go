package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// TestMarkAlertsR6_1Idempotent: Alertmanager repeats a firing alert every
// repeat_interval and re-sends a resolved one; each is the same outage (fingerprint
// and start), and the first end stays.
func TestMarkAlertsR6_1Idempotent(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	start, end := dt(2026, 11, 10, 10, 0), dt(2026, 11, 10, 10, 45)
	firing := storage.AlertMark{Ref: "f1", Component: sla.Database, Start: start, Note: "DBDown"}
	for i, want := range []int{1, 0} {
		if n, err := db.MarkAlerts(ctx, []storage.AlertMark{firing}); err != nil || n != want {
			t.Fatalf("firing #%d: %d, %v; want %d", i, n, err, want)
		}
	}
	resolved := firing
	resolved.End = end
	for i, want := range []int{1, 0} {
		if n, err := db.MarkAlerts(ctx, []storage.AlertMark{resolved}); err != nil || n != want {
			t.Fatalf("resolved #%d: %d, %v; want %d", i, n, err, want)
		}
	}
	later := resolved
	later.End = end.Add(time.Hour)
	if n, err := db.MarkAlerts(ctx, []storage.AlertMark{later}); err != nil || n != 0 {
		t.Fatalf("a later end: %d, %v; want it ignored", n, err)
	}
	// A new firing of the same fingerprint (a new start) is a new outage.
	again := storage.AlertMark{Ref: "f1", Component: sla.Database, Start: dt(2026, 11, 12, 9, 0)}
	if n, err := db.MarkAlerts(ctx, []storage.AlertMark{again}); err != nil || n != 1 {
		t.Fatalf("a new start: %d, %v", n, err)
	}
	got, err := db.Outages(ctx, dt(2026, 11, 1, 0, 0), dt(2026, 12, 1, 0, 0))
	if err != nil || len(got) != 2 {
		t.Fatalf("outages: %v, %v", got, err)
	}
	if !got[0].End.Equal(end) || !got[1].End.IsZero() || got[0].Source != storage.OutageAlertmanager || got[0].Note != "DBDown" {
		t.Fatalf("outages: %+v", got)
	}
}

func TestMarkAlertsR6_1AllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	good := storage.AlertMark{Ref: "f1", Component: sla.Server, Start: dt(2026, 11, 10, 10, 0)}
	bad := storage.AlertMark{Ref: "f2", Component: "disk", Start: dt(2026, 11, 10, 10, 0)}
	if _, err := db.MarkAlerts(ctx, []storage.AlertMark{good, bad}); !errors.Is(err, storage.ErrInvalid) {
		t.Fatalf("err %v, want ErrInvalid", err)
	}
	if got, _ := db.Outages(ctx, dt(2026, 1, 1, 0, 0), dt(2027, 1, 1, 0, 0)); len(got) != 0 {
		t.Fatalf("stored %v after a refused batch", got)
	}
}

func TestRecordOutageEventsR6_1(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s, e := dt(2026, 11, 3, 14, 0), dt(2026, 11, 3, 15, 30)
	start := sla.OutageEvent{Type: sla.OutageStarted, Component: sla.Network, At: s, Note: "uplink"}
	stop := sla.OutageEvent{Type: sla.OutageEnded, Component: sla.Network, At: e, Note: "fixed"}
	// Sent in one array in the wrong order: applied by instant.
	if n, err := db.RecordOutageEvents(ctx, []sla.OutageEvent{stop, start}); err != nil || n != 2 {
		t.Fatalf("record: %d, %v", n, err)
	}
	if n, err := db.RecordOutageEvents(ctx, []sla.OutageEvent{start, stop}); err != nil || n != 0 {
		t.Fatalf("re-sent: %d, %v; want nothing changed", n, err)
	}
	other := stop
	other.At = e.Add(time.Hour)
	if _, err := db.RecordOutageEvents(ctx, []sla.OutageEvent{other}); !errors.Is(err, storage.ErrInvalid) {
		t.Fatalf("a second end: %v, want ErrInvalid", err)
	}
	lone := sla.OutageEvent{Type: sla.OutageEnded, Component: sla.Server, At: e}
	if _, err := db.RecordOutageEvents(ctx, []sla.OutageEvent{lone}); !errors.Is(err, storage.ErrInvalid) {
		t.Fatalf("an end without start: %v, want ErrInvalid", err)
	}
	got, err := db.Outages(ctx, dt(2026, 11, 1, 0, 0), dt(2026, 12, 1, 0, 0))
	if err != nil || len(got) != 1 || !got[0].Start.Equal(s) || !got[0].End.Equal(e) || got[0].Note != "uplink · fixed" {
		t.Fatalf("outages %+v, %v", got, err)
	}
	// Outages reads only those overlapping the range.
	if got, _ := db.Outages(ctx, e, dt(2026, 12, 1, 0, 0)); len(got) != 0 {
		t.Fatalf("an outage that ended at the range's start is listed: %+v", got)
	}
}

func TestSaveMaintenancesR8_2(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	m := storage.ScheduledMaintenance{ID: "p1", Name: "Database upgrade", Start: dt(2026, 11, 4, 20, 0), End: dt(2026, 11, 4, 23, 0)}
	for i, want := range []int{1, 0} {
		if n, err := db.SaveMaintenances(ctx, []storage.ScheduledMaintenance{m}); err != nil || n != want {
			t.Fatalf("save #%d: %d, %v", i, n, err)
		}
	}
	m.End = dt(2026, 11, 5, 1, 0) // rescheduled
	if n, err := db.SaveMaintenances(ctx, []storage.ScheduledMaintenance{m, {ID: "bad", Start: m.Start, End: m.Start}}); !errors.Is(err, storage.ErrInvalid) || n != 0 {
		t.Fatalf("a bad one: %d, %v", n, err)
	}
	if n, err := db.SaveMaintenances(ctx, []storage.ScheduledMaintenance{m}); err != nil || n != 1 {
		t.Fatalf("rescheduled: %d, %v", n, err)
	}
	got, err := db.Maintenances(ctx)
	if err != nil || len(got) != 1 || !got[0].End.Equal(m.End) || got[0].Name != m.Name {
		t.Fatalf("%+v, %v", got, err)
	}
}
