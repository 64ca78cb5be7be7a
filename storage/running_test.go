package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

// running collects what Decide hands its callback, deciding nothing.
func running(t *testing.T, db *storage.DB) map[string]storage.Running {
	t.Helper()
	got := map[string]storage.Running{}
	if _, err := db.Decide(context.Background(), time.Now(), func(r storage.Running) ([]storage.Notification, storage.Next) {
		got[r.Key] = r
		return nil, storage.Next{}
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestDecideReadsRunningClocks: the columns Decide reads give the same running clocks
// as the ticket's full state, and resolved or unknown tickets are not read.
func TestDecideReadsRunningClocks(t *testing.T) {
	db := openDB(t)
	fleet(t, db)
	mon := dt(2026, 7, 6, 10, 0)
	// A dedicated P1 whose update clock ran past two due times (R5.3 missed updates).
	mustAppend(t, db, created("D-9", "agency-x", sla.P1, mon), ev("D-9", sla.Updated, mon.Add(10*time.Minute)))
	got := running(t, db)
	want := map[string]storage.Running{}
	for _, key := range []string{"D-1", "D-2", "S-3", "S-2", "D-9"} {
		tk, found, err := db.Ticket(context.Background(), key)
		if err != nil || !found {
			t.Fatalf("Ticket(%s) = %v, %v", key, found, err)
		}
		want[key] = storage.RunningOf(tk)
	}
	if diff := cmp.Diff(want, got, sameInstant); diff != "" {
		t.Errorf("Decide's tickets (-from JSON +from columns):\n%s", diff)
	}
	if r := got["D-2"]; r.Updates == nil || r.Response != nil || r.Resolution == nil {
		t.Errorf("D-P2 (responded): %+v; want resolution and updates running, no response clock", r)
	}
	if r := got["S-3"]; r.Response != nil || r.Resolution != nil || r.State != sla.PausedState {
		t.Errorf("S-P3 (paused): %+v; want no running clock", r)
	}
}

// TestDecideChunks: more open tickets than one chunk are each read once.
func TestDecideChunks(t *testing.T) {
	db := openDB(t)
	var evs []sla.Event
	for i := range 1234 {
		evs = append(evs, created(fixtureKey(i), "agency-y", sla.P3, dt(2026, 7, 6, 10, 0)))
	}
	mustAppend(t, db, evs...)
	if got := running(t, db); len(got) != 1234 {
		t.Errorf("Decide read %d tickets, want 1234", len(got))
	}
}
