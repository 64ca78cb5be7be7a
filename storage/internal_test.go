package storage

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/google/go-cmp/cmp"
)

var testCals = sla.NewCalendars(nil)

func replay(evs []sla.Event) sla.Ticket {
	if len(evs) > 0 && strings.HasPrefix(evs[0].Ticket, "BOOM") {
		panic("derive failed on purpose")
	}
	return sla.Replay(evs, func(string) (sla.Tier, bool) { return sla.Standard, true }, testCals)
}

func appliedMigrations(t *testing.T, db *DB) []string {
	t.Helper()
	rows, err := db.read.Query(`SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return names
}

func TestMigrations(t *testing.T) {
	SQLiteOnly(t, "its pragmas and migration files")
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("embedded migrations: %v, %v", files, err)
	}
	var want []string
	for _, f := range files {
		name := filepath.Base(f)
		if !migrationName.MatchString(name) {
			t.Errorf("migration %s: name must look like 0001_init.sql", name)
		}
		want = append(want, name)
	}
	slices.Sort(want)

	path := filepath.Join(t.TempDir(), "magda.db")
	for round := range 3 { // a fresh file, then two reopenings
		db, err := Open(StoreFor(t, path), Options{Derive: replay})
		if err != nil {
			t.Fatalf("open %d: %v", round, err)
		}
		if diff := cmp.Diff(want, appliedMigrations(t, db)); diff != "" {
			t.Errorf("open %d: applied migrations (-want +got):\n%s", round, diff)
		}
		var mode string
		if err := db.write.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("open %d: journal_mode = %q, %v; want wal", round, mode, err)
		}
		var fk, sync int
		if err := db.write.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
			t.Errorf("open %d: foreign_keys = %d, %v; want 1", round, fk, err)
		}
		if err := db.write.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
			t.Errorf("open %d: synchronous = %d, %v; want 2 (FULL)", round, sync, err)
		}
		var mmap int64
		if err := db.read.QueryRow(`PRAGMA mmap_size`).Scan(&mmap); err != nil || mmap != 268435456 {
			t.Errorf("open %d: read mmap_size = %d, %v; want 256 MiB", round, mmap, err)
		}
		if _, err := db.read.Exec(`DELETE FROM events`); err == nil {
			t.Errorf("open %d: a read connection could write", round)
		}
		db.Close()
	}
}

func newRequest(t *testing.T, key string) *request {
	t.Helper()
	rows, err := (&DB{}).encodeEvents(SourceAPI, []sla.Event{{Ticket: key, Type: sla.Created, At: time.Date(2026, 7, 10, 8, 0, 0, 0, time.UTC),
		Customer: "c", Kind: sla.Incident, Priority: sla.P3}})
	if err != nil {
		t.Fatal(err)
	}
	return &request{source: SourceAPI, received: time.Now(), rows: rows, done: make(chan result, 1)}
}

// A batch whose transaction fails is retried call by call: the bad call fails alone and
// the others are stored once.
func TestCommitFallsBackPerCall(t *testing.T) {
	ctx := context.Background()
	db, err := Open(StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	batch := []*request{newRequest(t, "OK-1"), newRequest(t, "BOOM-1"), newRequest(t, "OK-2")}
	db.commit(batch)
	for i, want := range []bool{true, false, true} {
		res := <-batch[i].done
		if ok := res.err == nil && res.stored == 1; ok != want {
			t.Errorf("call %d: stored %d, err %v; want success %v", i, res.stored, res.err, want)
		}
	}
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM events`).Scan(&n); err != nil || n != 2 {
		t.Errorf("events stored = %d, %v; want 2", n, err)
	}
	if _, found, _ := db.Ticket(ctx, "BOOM-1"); found {
		t.Error("the failed call's ticket was stored")
	}
	// The writer goroutine survived the panic and serves the next call.
	if n, err := db.Append(ctx, SourceAPI, "", []sla.Event{{Ticket: "OK-3", Type: sla.Responded, At: time.Now()}}); err != nil || n != 1 {
		t.Errorf("Append after a failed batch = %d, %v", n, err)
	}
}

// The query plans use the indexes built for them.
func TestQueryPlans(t *testing.T) {
	SQLiteOnly(t, "EXPLAIN QUERY PLAN")
	db, err := Open(StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type plan struct {
		query string
		args  []any
		index string
	}
	tests := []plan{
		{countsQuery, []any{int64(0)}, "COVERING INDEX tickets_not_resolved"},
		{ticketEventsQuery, []any{"a"}, "events_ticket"},
		{keysEventsQuery, []any{`["a","b"]`}, "events_ticket"},
	}
	for _, f := range []Filter{{}, {OpenOnly: true}, {Limit: 10}} {
		q, args := ticketsQuery(f)
		tests = append(tests, plan{q, args, "tickets_by_due"})
	}
	for _, f := range []Filter{{Customer: "c"}, {Customer: "c", OpenOnly: true, Limit: 5}} {
		q, args := ticketsQuery(f)
		tests = append(tests, plan{q, args, "tickets_by_customer_due"})
	}
	for _, tt := range tests {
		plan := explain(t, db.read, tt.query, tt.args...)
		t.Logf("%s: %s", tt.index, plan)
		if !strings.Contains(plan, tt.index) || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s\nplan: %s\nwant %s and no sort", tt.query, plan, tt.index)
		}
	}
}

func explain(t *testing.T, db *sql.DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.Query(`EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}
