package storage

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMigration0009: after the upgrade the first pass reads every open ticket, as every
// pass did before it, and no resolved or unknown one; the covering index of the old
// pass is gone.
func TestMigration0009(t *testing.T) {
	SQLiteOnly(t, "an upgrade through SQLite's migrations")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	old := &DB{now: time.Now, write: sql.OpenDB(connector{dsn: dsn(path, url.Values{"_journal_mode": {"WAL"}, "_txlock": {"immediate"}})})}
	if _, err := old.write.Exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names, err := migrationNames("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range names {
		if m >= "0009" {
			break
		}
		if err := old.migrateOne(ctx, m); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	for _, row := range []struct {
		key, state string
		known      int
	}{{"MAGDA-1", "open", 1}, {"MAGDA-2", "paused", 1}, {"MAGDA-3", "resolved", 1}, {"MAGDA-4", "", 0}} {
		if _, err := old.write.Exec(`INSERT INTO tickets (key, known, customer, tier, kind, priority, state, response_breached,
			resolution_breached, updates_missed, escalation, data, updated_at) VALUES (?, ?, 'agency-x', 'dedicated', 'incident', 'P2', ?, 0, 0, 0, 0, '{}', 'x')`,
			row.key, row.known, row.state); err != nil {
			t.Fatal(err)
		}
	}
	old.write.Close()

	db, err := Open(StoreFor(t, path), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	if _, err := db.Decide(ctx, time.Now(), func(r Running) ([]Notification, Next) { got = append(got, r.Key); return nil, Next{} }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != "MAGDA-1 MAGDA-2" {
		t.Errorf("first pass after 0009 read %v, want the open tickets MAGDA-1 and MAGDA-2", got)
	}
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'tickets_running'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("tickets_running still there (%d, %v)", n, err)
	}
}

// TestNoticeQueryPlans: the digest reads its candidates through its partial index, and
// the start-up report of tiers reads the open tickets' customer and tier from an index
// of its own, now that the pass's covering index is gone.
func TestNoticeQueryPlans(t *testing.T) {
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
		{digestQuery, []any{1}, "INDEX tickets_digest (digest_at<?)"},
		{`SELECT customer, tier, count(*) FROM tickets WHERE known = 1 AND state <> 'resolved'
			GROUP BY customer, tier ORDER BY customer, tier`, nil, "COVERING INDEX tickets_open_tier"},
	}
	for _, tt := range tests {
		plan := explain(t, db.read, tt.query, tt.args...)
		if !strings.Contains(plan, tt.index) {
			t.Errorf("%s\nplan: %s\nwant %s", tt.query, plan, tt.index)
		}
	}
}
