package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

// importNow stamps received_at and updated_at in both stores of a comparison.
var importNow = dt(2026, 7, 15, 10, 0)

// importPopulation is a generated population over this package's customers (both tiers).
func importPopulation(n int) population.Options {
	return population.Options{N: n, Seed: 3, Now: importNow, Customers: []population.Customer{
		{ID: "agency-x", Tier: sla.Dedicated}, {ID: "agency-y", Tier: sla.Standard}}}
}

// openImport opens a store as the bot does: the R1.1 tier of created events from TierOf,
// the at-risk instant stored, a fixed clock.
func openImport(t testing.TB, path string) *storage.DB {
	t.Helper()
	db, err := storage.Open(storage.StoreFor(t, path), storage.Options{
		Derive: derive, RiskAt: earliestRisk, Now: func() time.Time { return importNow },
		TierOf: func(c string) (sla.Tier, bool) { tier, ok := customers[c]; return tier, ok },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// dump is every row of the tables Append and Import write, each column as text: the
// tickets as they are, the events without seq and received_at, the escalations without
// their id. It closes db first, so that the file is read whole.
func dump(t *testing.T, db *storage.DB, path string) map[string][]string {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	c := storage.RawStore(t, storage.StoreFor(t, path))
	queries := map[string]string{
		"tickets":     `SELECT * FROM tickets ORDER BY key`,
		"events":      `SELECT ticket, at, type, event_id, source, body, tier FROM events ORDER BY ticket, seq`,
		"escalations": `SELECT ticket, level, actor, reason, at, announced FROM escalations ORDER BY ticket, level`,
	}
	out := map[string][]string{}
	for table, q := range queries {
		rows, err := c.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprint(vals))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

// appendAll stores tickets through Append, 100 tickets per call.
func appendAll(t *testing.T, db *storage.DB, tickets iter.Seq[[]sla.Event]) {
	t.Helper()
	var evs []sla.Event
	n := 0
	flush := func() {
		if _, err := db.Append(context.Background(), storage.SourceAPI, "", evs); err != nil {
			t.Fatal(err)
		}
		evs = nil
	}
	for tk := range tickets {
		evs = append(evs, tk...)
		if n++; n%100 == 0 {
			flush()
		}
	}
	flush()
}

// TestImportIsAppend: a generated population stored through Import gives the database
// Append gives (every tickets column and index input, the R1.1 tier beside each created
// event, the R7 escalation steps), apart from the events' seq and received_at.
func TestImportIsAppend(t *testing.T) {
	pop := importPopulation(2000)
	dir := t.TempDir()
	viaAppend, viaImport := filepath.Join(dir, "append.db"), filepath.Join(dir, "import.db")
	a := openImport(t, viaAppend)
	appendAll(t, a, pop.Tickets())
	b := openImport(t, viaImport)
	var commits []storage.ImportStats
	stats, err := b.Import(context.Background(), storage.SourceAPI, pop.Tickets(), func(s storage.ImportStats) { commits = append(commits, s) })
	if err != nil {
		t.Fatal(err)
	}
	want, got := dump(t, a, viaAppend), dump(t, b, viaImport)
	if stats.Tickets != pop.N || stats.Events != len(want["events"]) || len(commits) != stats.Commits || commits[len(commits)-1] != stats {
		t.Errorf("stats %+v, progress %v; want %d tickets, %d events", stats, commits, pop.N, len(want["events"]))
	}
	if len(want["escalations"]) == 0 || len(want["tickets"]) != pop.N {
		t.Fatalf("the population has %d tickets and %d escalations", len(want["tickets"]), len(want["escalations"]))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Import differs from Append (-append +import):\n%s", diff)
	}
}

// TestImportOntoStored: tickets that already have events, and events this source already
// sent, are derived again from everything stored, as Append does; each ticket's events
// may come in any order.
func TestImportOntoStored(t *testing.T) {
	pop := importPopulation(300)
	dir := t.TempDir()
	viaAppend, viaImport := filepath.Join(dir, "append.db"), filepath.Join(dir, "import.db")
	a := openImport(t, viaAppend)
	appendAll(t, a, pop.Tickets())
	b := openImport(t, viaImport)
	// The first half of each ticket's events first, then all of them again, reversed.
	halves := func(yield func([]sla.Event) bool) {
		for tk := range pop.Tickets() {
			if !yield(tk[:max(1, len(tk)/2)]) {
				return
			}
		}
	}
	reversed := func(yield func([]sla.Event) bool) {
		for tk := range pop.Tickets() {
			slices.Reverse(tk)
			if !yield(tk) {
				return
			}
		}
	}
	first, err := b.Import(context.Background(), storage.SourceAPI, halves, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := b.Import(context.Background(), storage.SourceAPI, reversed, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, got := dump(t, a, viaAppend), dump(t, b, viaImport)
	if first.Events+second.Events != len(want["events"]) {
		t.Errorf("stored %d + %d events, want %d in all", first.Events, second.Events, len(want["events"]))
	}
	// The events arrived in another order: compare them as sets, the tickets exactly.
	slices.Sort(want["events"])
	slices.Sort(got["events"])
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Import onto stored tickets differs from Append (-append +import):\n%s", diff)
	}
}

// TestImportKeepsTier_R1_1: a created event that carries the tier it was stored under (a copy
// of another store) keeps it (R1.1), whatever TierOf says now.
func TestImportKeepsTier_R1_1(t *testing.T) {
	db := openImport(t, filepath.Join(t.TempDir(), "magda.db"))
	e := created("MAGDA-1", "agency-y", sla.P2, dt(2026, 7, 13, 9, 0))
	e.Tier = sla.Dedicated
	if _, err := db.Import(context.Background(), storage.SourceAPI, slices.Values([][]sla.Event{{e}}), nil); err != nil {
		t.Fatal(err)
	}
	tk, found, err := db.Ticket(context.Background(), "MAGDA-1")
	if err != nil || !found || tk.Tier != sla.Dedicated {
		t.Fatalf("Ticket = %v %v, tier %q; want dedicated", found, err, tk.Tier)
	}
}

// TestImportRefusesBadInput: an event that breaks the contract, or a ticket's events
// that name two tickets, stop the import with a one-line reason naming the ticket, and
// the transaction they were in stores nothing.
func TestImportRefusesBadInput(t *testing.T) {
	good := created("MAGDA-1", "agency-x", sla.P3, dt(2026, 7, 13, 9, 0))
	tests := []struct {
		name   string
		ticket []sla.Event
		want   string
	}{
		{"lower case key", []sla.Event{created("magda-2", "agency-x", sla.P3, dt(2026, 7, 13, 9, 0))}, "upper case"},
		{"no customer", []sla.Event{created("MAGDA-2", "", sla.P3, dt(2026, 7, 13, 9, 0))}, `"customer"`},
		{"two tickets", []sla.Event{created("MAGDA-2", "agency-x", sla.P3, dt(2026, 7, 13, 9, 0)), ev("MAGDA-3", sla.Responded, dt(2026, 7, 13, 10, 0))}, "MAGDA-3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openImport(t, filepath.Join(t.TempDir(), "magda.db"))
			_, err := db.Import(context.Background(), storage.SourceAPI, slices.Values([][]sla.Event{{good}, tt.ticket}), nil)
			if !errors.Is(err, storage.ErrInvalid) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Import = %v; want one invalid line naming %s", err, tt.want)
			}
			if _, found, _ := db.Ticket(context.Background(), "MAGDA-1"); found {
				t.Error("the good ticket before the bad one was stored")
			}
		})
	}
	db := openImport(t, filepath.Join(t.TempDir(), "magda.db"))
	if _, err := db.Import(context.Background(), "ftp", slices.Values([][]sla.Event{{good}}), nil); !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("unknown source: %v", err)
	}
}

// TestImportStopsWithContext: an import whose context ends stops and says so.
func TestImportStopsWithContext(t *testing.T) {
	db := openImport(t, filepath.Join(t.TempDir(), "magda.db"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := db.Import(ctx, storage.SourceAPI, importPopulation(100).Tickets(), nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Import = %v; want context.Canceled", err)
	}
}
