package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// riskAt is the at-risk point of a ticket's resolution clock at share of its target.
func riskAt(share float64) func(sla.Ticket) time.Time {
	return func(t sla.Ticket) time.Time {
		return t.Resolution.RiskAt(calendars().For(t.Tier), share)
	}
}

func TestCountsAtRisk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	db, err := storage.Open(storage.StoreFor(t, path), storage.Options{Derive: derive, RiskAt: riskAt(0.75)})
	if err != nil {
		t.Fatal(err)
	}
	// Dedicated P1: resolution 5h from Mon 08:00; 75% used at 11:45, due 13:00.
	if _, err := db.Append(ctx, storage.SourceAPI, "", []sla.Event{
		created("R-1", "agency-x", sla.P1, dt(2026, 3, 2, 8, 0)),
		ev("R-1", sla.Responded, dt(2026, 3, 2, 8, 30)), // next update due 13:00
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		now          time.Time
		risk, breach int
	}{
		{dt(2026, 3, 2, 11, 44), 0, 0},
		{dt(2026, 3, 2, 11, 45), 1, 0},
		{dt(2026, 3, 2, 13, 1), 0, 2}, // resolution and update breached: no longer "at risk"
	} {
		cs, err := db.Counts(ctx, tc.now)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].AtRisk != tc.risk || cs[0].Breached != tc.breach {
			t.Errorf("at %v: %+v; want %d at risk, %d breached", tc.now, cs, tc.risk, tc.breach)
		}
	}
	db.Close()

	// A new at-risk share is a new fingerprint: every ticket is rewritten once.
	db, err = storage.Open(storage.StoreFor(t, path), storage.Options{Derive: derive, RiskAt: riskAt(0.5)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, want := range []bool{true, false} {
		_, ran, err := db.RederiveFor(ctx, "share=0.5")
		if err != nil || ran != want {
			t.Errorf("RederiveFor call %d: ran %v, %v; want ran %v", i, ran, err, want)
		}
	}
	cs, err := db.Counts(ctx, dt(2026, 3, 2, 10, 30)) // 50% of 5h at 10:30
	if err != nil || len(cs) != 1 || cs[0].AtRisk != 1 {
		t.Errorf("after the new share: %+v %v; want 1 at risk at 10:30", cs, err)
	}
}
