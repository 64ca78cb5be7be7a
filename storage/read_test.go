package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

func mustAppend(t *testing.T, db *storage.DB, evs ...sla.Event) {
	t.Helper()
	if _, err := db.Append(context.Background(), storage.SourceAPI, "", evs); err != nil {
		t.Fatal(err)
	}
}

// fleet stores tickets whose soonest running due times differ (R5.1-R5.3), as of
// Friday 2026-07-10.
func fleet(t *testing.T, db *storage.DB) {
	t.Helper()
	mon := dt(2026, 7, 6, 10, 0)
	mustAppend(t, db,
		// dedicated P1 reported Friday 10:00: response due 11:00 (R5.1).
		created("D-1", "agency-x", sla.P1, dt(2026, 7, 10, 10, 0)),
		// dedicated P2 reported Monday, responded: resolution and next update run (R5.3).
		created("D-2", "agency-x", sla.P2, mon), ev("D-2", sla.Responded, mon.Add(30*time.Minute)),
		// standard P3 paused: no running clock, listed last.
		created("S-3", "agency-y", sla.P3, mon),
		sla.Event{Ticket: "S-3", Type: sla.Paused, At: mon.Add(time.Hour), Reason: sla.WaitCustomer},
		// standard P4 resolved.
		created("S-4", "agency-y", sla.P4, mon), ev("S-4", sla.Resolved, mon.Add(2*time.Hour)),
		// standard P2 reported Friday 9:00: response due 13:00.
		created("S-2", "agency-y", sla.P2, dt(2026, 7, 10, 9, 0)),
		// not known: no created event.
		ev("GHOST-1", sla.Responded, mon),
	)
}

func keys(ts []sla.Ticket) []string {
	var ks []string
	for _, t := range ts {
		ks = append(ks, t.Key)
	}
	return ks
}

func TestTickets(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	fleet(t, db)
	tests := []struct {
		name string
		f    storage.Filter
		want []string
	}{
		// D-P2's update (R5.3, one per day) was due Tuesday: soonest. S-P4 and S-P3 have
		// no running clock, so they come last, by key.
		{"all", storage.Filter{}, []string{"D-2", "D-1", "S-2", "S-3", "S-4"}},
		{"open only", storage.Filter{OpenOnly: true}, []string{"D-2", "D-1", "S-2", "S-3"}},
		{"customer", storage.Filter{Customer: "agency-y"}, []string{"S-2", "S-3", "S-4"}},
		{"customer open", storage.Filter{Customer: "agency-y", OpenOnly: true}, []string{"S-2", "S-3"}},
		{"limit", storage.Filter{Limit: 2}, []string{"D-2", "D-1"}},
		{"unknown customer", storage.Filter{Customer: "nobody"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := db.Tickets(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, keys(ts)); diff != "" {
				t.Errorf("Tickets(%+v) (-want +got):\n%s", tt.f, diff)
			}
		})
	}
}

func TestCounts(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	fleet(t, db)
	tests := []struct {
		name string
		now  time.Time
		want []storage.Count
	}{
		{"Friday 10:30", dt(2026, 7, 10, 10, 30), []storage.Count{
			// D-P2: the update due Tuesday has passed; its resolution (16h from Monday
			// 10:00) was due Tuesday 17:00.
			{Customer: "agency-x", Priority: "P1", Open: 1},
			{Customer: "agency-x", Priority: "P2", Open: 1, Breached: 2},
			{Customer: "agency-y", Priority: "P2", Open: 1},
			{Customer: "agency-y", Priority: "P3", Open: 1, Paused: 1},
		}},
		{"Friday 13:30", dt(2026, 7, 10, 13, 30), []storage.Count{
			{Customer: "agency-x", Priority: "P1", Open: 1, Breached: 1}, // response due 11:00
			{Customer: "agency-x", Priority: "P2", Open: 1, Breached: 2},
			{Customer: "agency-y", Priority: "P2", Open: 1, Breached: 1}, // response due 13:00
			{Customer: "agency-y", Priority: "P3", Open: 1, Paused: 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Counts(ctx, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Counts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRederive(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	db := openAt(t, path, derive)
	fleet(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// agency-y becomes dedicated (R1.1): its tickets count in the 8-17 window.
	moved := deriveWith(map[string]sla.Tier{"agency-x": sla.Dedicated, "agency-y": sla.Dedicated})
	db = openAt(t, path, moved)
	if tk, _, _ := db.Ticket(ctx, "S-2"); tk.Tier != sla.Standard {
		t.Fatalf("before Rederive: tier %q, want the stored standard", tk.Tier)
	}
	n, err := db.Rederive(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Rederive = %d, %v; want agency-y's 3 tickets changed", n, err)
	}
	for _, key := range []string{"D-1", "D-2", "S-2", "S-3", "S-4"} {
		evs, _ := db.Events(ctx, key)
		got, _, err := db.Ticket(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(moved(evs), got, sameInstant); diff != "" {
			t.Errorf("%s after Rederive (-want +got):\n%s", key, diff)
		}
	}
	ts, _ := db.Tickets(ctx, storage.Filter{Customer: "agency-y", OpenOnly: true})
	if len(ts) != 2 || ts[0].Tier != sla.Dedicated {
		t.Errorf("list after Rederive: %v, want agency-y's open tickets as dedicated", keys(ts))
	}
	if n, err := db.Rederive(ctx); err != nil || n != 0 {
		t.Errorf("second Rederive = %d, %v; want nothing changed", n, err)
	}
}

func TestOpenRejects(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		opts storage.Options
	}{
		{"no Derive", filepath.Join(dir, "a.db"), storage.Options{}},
		{"in memory", ":memory:", storage.Options{Derive: derive}},
		{"missing directory", filepath.Join(dir, "no", "such", "a.db"), storage.Options{Derive: derive}},
	}
	for _, tt := range tests {
		if db, err := storage.Open(tt.path, tt.opts); err == nil {
			db.Close()
			t.Errorf("%s: Open succeeded", tt.name)
		}
	}
}

func TestOpenOddPath(t *testing.T) {
	storage.SQLiteOnly(t, "file paths")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a dir?x=1#y", "magda 100%.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	db := openAt(t, path, derive)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, dt(2026, 7, 10, 10, 0)))
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the file is not where asked: %v", err)
	}
	db = openAt(t, path, derive)
	if _, found, err := db.Ticket(ctx, "MAGDA-1"); !found || err != nil {
		t.Errorf("after reopen: found %v, %v", found, err)
	}
}

func TestPing(t *testing.T) {
	db := openDB(t)
	if err := db.Ping(context.Background()); err != nil {
		t.Errorf("Ping = %v", err)
	}
}
