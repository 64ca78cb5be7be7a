package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestListPlans: every query of List, and the streaming walk of `bot tickets --open`,
// reads an index of migration 0010 in the lists' order (issue 15): no scan of the
// table, and no sort but the bounded one of the few urgent tickets.
func TestListPlans(t *testing.T) {
	SQLiteOnly(t, "EXPLAIN QUERY PLAN")
	db, err := Open(StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
	type query struct {
		name, sql string
		args      []any
		uses      []string // what the plan must read: indexes, or the counts' tables
		sorts     bool     // a temp B-tree for ORDER BY is allowed (bounded by fewUrgent)
	}
	customer, _, _ := listQueries(ListFilter{Customer: "agency-x"})
	_, customerList, customerArgs := listQueries(ListFilter{Customer: "agency-x"})
	urgent, urgentList, urgentArgs := listQueries(ListFilter{Urgent: true, Now: now})
	urgentOf, _, urgentOfArgs := listQueries(ListFilter{Urgent: true, Now: now, Customer: "agency-x"})
	all, allList, _ := listQueries(ListFilter{})
	qs := []query{
		{"customer total", customer, customerArgs, []string{"open_counts USING PRIMARY KEY"}, false},
		{"customer list", customerList + ` LIMIT 10`, customerArgs, []string{"INDEX tickets_open_customer_due (customer=?)"}, false},
		{"urgent total", urgent, urgentArgs, []string{"SEARCH urgent_days", "COVERING INDEX tickets_open_urgent (<expr>>? AND <expr><?)"}, false},
		{"urgent total of a customer", urgentOf, urgentOfArgs, []string{"COVERING INDEX tickets_open_urgent (<expr><?)"}, false},
		{"urgent list", urgentList + ` LIMIT 10`, urgentArgs, []string{"INDEX tickets_open_due"}, false},
		{"few urgent", fewUrgentQuery + ` LIMIT 10`, urgentArgs, []string{"INDEX tickets_open_urgent (<expr><?)"}, true},
		{"open total", all, nil, []string{"open_counts"}, false},
		{"open list", allList + ` LIMIT 10`, nil, []string{"INDEX tickets_open_due"}, false},
	}
	for _, q := range qs {
		t.Run(q.name, func(t *testing.T) {
			text := explain(t, db.read, q.sql, q.args...)
			for _, u := range q.uses {
				if !strings.Contains(text, u) {
					t.Errorf("plan %q does not read %s", text, u)
				}
			}
			if strings.Contains(text, "SCAN tickets") && !strings.Contains(text, "SCAN tickets USING") {
				t.Errorf("plan %q scans the table", text)
			}
			if strings.Contains(text, "TEMP B-TREE") && !q.sorts {
				t.Errorf("plan %q sorts", text)
			}
			t.Log(text)
		})
	}
}

// TestMigration0010Counts: on a file with tickets, migration 0010 fills the counts its
// triggers keep from then on, equal to counting the tickets themselves.
func TestMigration0010Counts(t *testing.T) {
	SQLiteOnly(t, "an upgrade through SQLite's migrations")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	db, err := Open(StoreFor(t, path), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	mon := time.Date(2026, 7, 6, 9, 0, 0, 0, sla.Brussels)
	var evs []sla.Event
	for i := range 60 {
		key := fmt.Sprintf("MAGDA-%d", i)
		at := mon.Add(time.Duration(i) * 37 * time.Minute)
		evs = append(evs, sla.Event{Ticket: key, Type: sla.Created, At: at, Customer: []string{"agency-x", "agency-y"}[i%2],
			Kind: sla.Incident, Priority: sla.Priority(1 + i%4)})
		if i%3 == 0 {
			evs = append(evs, sla.Event{Ticket: key, Type: sla.Resolved, At: at.Add(time.Hour)})
		}
	}
	if _, err := db.Append(ctx, "api", "", evs); err != nil {
		t.Fatal(err)
	}
	// The file as it was before 0010, with the tickets the newer version wrote.
	for _, q := range []string{`DROP TRIGGER tickets_counts_insert`, `DROP TRIGGER tickets_counts_update`,
		`DROP TRIGGER tickets_counts_delete`, `DROP TABLE open_counts`, `DROP TABLE urgent_days`,
		`DROP INDEX tickets_open_due`, `DROP INDEX tickets_open_customer_due`, `DROP INDEX tickets_open_urgent`,
		`ALTER TABLE tickets DROP COLUMN urgent_from`, `DELETE FROM migrations WHERE name LIKE '0010%'`} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if db, err = Open(StoreFor(t, path), Options{Derive: replay}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []ListFilter{{Customer: "agency-x"}, {Customer: "agency-y"}, {}, {Urgent: true, Now: mon.Add(30 * time.Hour)}} {
		count, _, args := listQueries(f)
		var total int
		if err := db.read.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, e := range evs {
			tk, _, err := db.Ticket(ctx, e.Ticket)
			if err != nil {
				t.Fatal(err)
			}
			v := tk.At(testCals, f.Now)
			breached := v.Resolution != nil && v.Resolution.Met != nil && !*v.Resolution.Met ||
				v.Response != nil && v.Response.Met != nil && !*v.Response.Met
			if e.Type == sla.Created && tk.State != sla.ResolvedState && (f.Customer == "" || tk.Customer == f.Customer) &&
				(!f.Urgent || breached) {
				want++
			}
		}
		if total != want || want == 0 {
			t.Errorf("%+v: total %d after 0010, want %d", f, total, want)
		}
	}
}
