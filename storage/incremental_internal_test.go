package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestUpdateTicketWritesWhatUpsertWrites_R5: a ticket advanced event by event
// (updateTicket setting only the columns that changed) has every column, its at-risk
// instant and its escalation steps as a store that replays and rewrites the whole row
// on every event.
func TestUpdateTicketWritesWhatUpsertWrites_R5(t *testing.T) {
	ctx := context.Background()
	tierOf := func(c string) (sla.Tier, bool) {
		if c == "ded" {
			return sla.Dedicated, true
		}
		return sla.Standard, true
	}
	derive := func(evs []sla.Event) sla.Ticket { return sla.Replay(evs, tierOf, testCals) }
	riskAt := func(tk sla.Ticket) time.Time { return tk.Resolution.RiskAt(testCals.For(tk.Tier), 0.5) }
	open := func(apply func(sla.Ticket, sla.Event) (sla.Ticket, bool)) *DB {
		db, err := Open(StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), Options{Derive: derive, Apply: apply, RiskAt: riskAt,
			Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	replayed := open(nil)
	advanced := open(func(tk sla.Ticket, e sla.Event) (sla.Ticket, bool) { return sla.Advance(tk, e, testCals) })

	var evs []sla.Event
	for i := range 24 {
		key, customer := fmt.Sprintf("U-%02d", i), []string{"ded", "std"}[i%2]
		at := time.Date(2026, 3, 2, 8, 0, 0, 0, sla.Brussels).Add(time.Duration(i*53) * time.Minute)
		step := func(typ sla.EventType, min int) sla.Event {
			return sla.Event{Ticket: key, Type: typ, At: at.Add(time.Duration(min) * time.Minute)}
		}
		prio := sla.Priority(1 + i/2%4)
		evs = append(evs,
			sla.Event{Ticket: key, Type: sla.Created, At: at, Customer: customer, Kind: sla.Incident, Priority: prio},
			step(sla.Responded, 15), step(sla.Updated, 200), step(sla.Updated, 700),
			sla.Event{Ticket: key, Type: sla.Paused, At: at.Add(800 * time.Minute), Reason: sla.WaitThirdParty},
			step(sla.Resumed, 1500),
			sla.Event{Ticket: key, Type: sla.PriorityChanged, At: at.Add(1600 * time.Minute), Priority: sla.Priority(1 + (i+1)%4), By: "sdm"},
			step(sla.Escalated, 1700), step(sla.Escalated, 1800), step(sla.Updated, 1900),
			step(sla.Resolved, 4000), step(sla.Reopened, 4100), step(sla.Updated, 4200))
	}
	sla.SortEvents(evs)
	for _, e := range evs {
		for _, db := range []*DB{replayed, advanced} {
			if _, err := db.Append(ctx, SourceAPI, "", []sla.Event{e}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, q := range []string{
		`SELECT ` + allTicketColumns() + ` FROM tickets ORDER BY key`,
		`SELECT ticket, level, actor, reason, at, announced FROM escalations ORDER BY ticket, level`,
	} {
		want, got := dump(t, replayed, q), dump(t, advanced, q)
		if len(want) != 24 && len(want) != 48 {
			t.Fatalf("%d rows of %s, want a row per ticket or step", len(want), q)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-replayed +advanced):\n%s", q, diff)
		}
	}
}

// allTicketColumns lists every column upsertQuery writes but updated_at.
func allTicketColumns() string {
	var cols string
	for _, c := range ticketColumns {
		if c != "updated_at" {
			cols += c + ", "
		}
	}
	return cols[:len(cols)-2]
}

func dump(t *testing.T, db *DB, query string) [][]any {
	t.Helper()
	rows, err := db.read.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, vals)
	}
	return out
}

// TestCurrentRowsLeavesOutStaleStates: the predicate a pass adds to read only states of
// this configuration (currentRows) leaves out every row a new fingerprint made stale,
// and takes each back once the re-derive has rewritten it.
func TestCurrentRowsLeavesOutStaleStates(t *testing.T) {
	ctx := context.Background()
	db, err := Open(StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), Options{Derive: replay})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, sla.Brussels)
	for i := range 5 {
		e := sla.Event{Ticket: fmt.Sprintf("C-%d", i), Type: sla.Created, At: at, Customer: "x", Kind: sla.Incident, Priority: sla.P2}
		if _, err := db.Append(ctx, SourceAPI, "", []sla.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	current := func() (n int) {
		t.Helper()
		if err := db.read.QueryRow(`SELECT count(*) FROM tickets WHERE `+currentRows, db.generation()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := current(); n != 5 {
		t.Errorf("before a new configuration: %d current rows, want 5", n)
	}
	if _, err := db.Reconfigure(ctx, "new"); err != nil {
		t.Fatal(err)
	}
	if n := current(); n != 0 {
		t.Errorf("after a new configuration: %d current rows, want 0 until the re-derive", n)
	}
	if _, _, err := db.RederiveFor(ctx, "new"); err != nil {
		t.Fatal(err)
	}
	if n := current(); n != 5 {
		t.Errorf("after the re-derive: %d current rows, want 5", n)
	}
}
