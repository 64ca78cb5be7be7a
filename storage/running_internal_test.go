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

// A row written before migration 0003 has no clock columns: Decide decodes its JSON.
func TestDecideRowsBeforeMigration(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "magda.db"), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 7, 6, 10, 0, 0, 0, sla.Brussels)
	if _, err := db.Append(ctx, SourceAPI, "", []sla.Event{
		{Ticket: "OLD-1", Type: sla.Created, At: at, Customer: "c", Kind: sla.Incident, Priority: sla.P2},
		{Ticket: "NEW-1", Type: sla.Created, At: at, Customer: "c", Kind: sla.Incident, Priority: sla.P2},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.Exec(`UPDATE tickets SET ` + strings.ReplaceAll(runningColumns, ",", " = NULL,") + ` = NULL WHERE key = 'OLD-1'`); err != nil {
		t.Fatal(err)
	}
	got := map[string]Running{}
	if _, err := db.Decide(ctx, func(r Running) []Notification { got[r.Key] = r; return nil }); err != nil {
		t.Fatal(err)
	}
	old, fresh := got["OLD-1"], got["NEW-1"]
	fresh.Key = "OLD-1"
	if diff := cmp.Diff(fresh, old, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" || old.Resolution == nil {
		t.Errorf("row without columns (-columns +JSON):\n%s", diff)
	}
}

// The scheduler's and the workers' queries use the indexes built for them.
func TestOutboxQueryPlans(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "magda.db"), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		query string
		args  []any
		index string
	}{
		{runningQuery, []any{"", 10}, "tickets_open"},
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
