package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/google/go-cmp/cmp"
)

// Migration 0005 fills the clock columns of rows written before 0003 from their JSON.
func TestRunningBackfill(t *testing.T) {
	SQLiteOnly(t, "an upgrade through SQLite's migrations")
	ctx := context.Background()
	db, err := Open(StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 7, 6, 10, 0, 0, 0, sla.Brussels)
	var evs []sla.Event
	for _, key := range []string{"A-1", "B-1", "C-1"} {
		evs = append(evs, sla.Event{Ticket: key, Type: sla.Created, At: at, Customer: "c", Kind: sla.Incident, Priority: sla.P2})
	}
	evs = append(evs, sla.Event{Ticket: "B-1", Type: sla.Responded, At: at.Add(time.Hour)},
		sla.Event{Ticket: "C-1", Type: sla.Paused, At: at.Add(time.Hour), Reason: sla.WaitCustomer})
	if _, err := db.Append(ctx, SourceAPI, "", evs); err != nil {
		t.Fatal(err)
	}
	read := func() map[string]Running {
		got := map[string]Running{}
		if _, err := db.ResetNotices(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Decide(ctx, at, func(r Running) ([]Notification, Next) { got[r.Key] = r; return nil, Next{} }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := read()
	if _, err := db.write.Exec(`UPDATE tickets SET ` + strings.ReplaceAll(runningColumns, ",", " = NULL,") + ` = NULL`); err != nil {
		t.Fatal(err)
	}
	body, err := migrations.ReadFile("migrations/0005_running_index.sql")
	if err != nil {
		t.Fatal(err)
	}
	backfill, _, _ := strings.Cut(string(body), "DROP INDEX")
	if _, err := db.write.Exec(backfill); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, read(), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" || want["A-1"].Resolution == nil {
		t.Errorf("after the backfill (-before +after):\n%s", diff)
	}
}

// The scheduler's and the workers' queries use the indexes built for them.
func TestOutboxQueryPlans(t *testing.T) {
	SQLiteOnly(t, "EXPLAIN QUERY PLAN")
	db, err := Open(StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		query string
		args  []any
		index string
	}{
		{dueQuery, []any{1, 10, 1}, "INDEX tickets_notice (notice_at<?)"},
		{`SELECT id FROM outbox WHERE state = 'pending' AND not_before_ms <= 1 ORDER BY not_before_ms, id LIMIT 1`, nil, "outbox_pending"},
		{`SELECT state, platform, count(*) FROM outbox WHERE state <> 'sent' GROUP BY state, platform`, nil, "outbox_unsent"},
	}
	for _, tt := range tests {
		plan := explain(t, db.read, tt.query, tt.args...)
		if !strings.Contains(plan, tt.index) || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s\nplan: %s\nwant %s and no sort", tt.query, plan, tt.index)
		}
	}
}
