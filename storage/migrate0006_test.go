package storage

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestMigration0006_R1_1_R7: a file written before 0006 keeps, for each ticket, the tier
// it was derived under then, and escalations announced then are not announced again.
func TestMigration0006_R1_1_R7(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	old := &DB{now: time.Now, write: sql.OpenDB(connector{dsn: dsn(path, url.Values{"_journal_mode": {"WAL"}, "_txlock": {"immediate"}})})}
	if _, err := old.write.Exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"0001_init", "0002_risk_meta", "0003_outbox", "0004_references", "0005_running_index"} {
		if err := old.migrateOne(ctx, m+".sql"); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	for _, q := range []string{
		`INSERT INTO events (ticket, at, type, source, body, received_at) VALUES
			('MAGDA-1', 'x', 'created', 'api', '{"ticket":"MAGDA-1","type":"created","at":"2026-10-05T08:00:00+02:00","customer":"agency-x","kind":"incident","priority":"P2"}', 'x'),
			('MAGDA-1', 'x', 'escalated', 'slack', '{"ticket":"MAGDA-1","type":"escalated","at":"2026-10-05T09:00:00+02:00","by":"ann"}', 'x')`,
		`INSERT INTO tickets (key, known, customer, tier, kind, priority, state, response_breached, resolution_breached,
			updates_missed, escalation, data, updated_at) VALUES ('MAGDA-1', 1, 'agency-x', 'dedicated', 'incident', 'P2', 'open', 0, 0, 0, 1, '{}', 'x')`,
		`INSERT INTO escalations (ticket, level, actor, reason, at) VALUES ('MAGDA-1', 1, 'ann', '', '2026-10-05T07:00:00.000000000Z')`,
	} {
		if _, err := old.write.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old.write.Close()

	// Opened by this version, whose configuration now says agency-x is standard.
	db, err := Open(path, Options{Derive: func(evs []sla.Event) sla.Ticket {
		return sla.Replay(evs, func(string) (sla.Tier, bool) { return sla.Standard, true }, sla.NewCalendars(nil))
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Rederive(ctx); err != nil {
		t.Fatal(err)
	}
	tk, _, _ := db.Ticket(ctx, "MAGDA-1")
	if tk.Tier != sla.Dedicated || tk.Escalation != 1 {
		t.Errorf("after 0006: tier %s, level %d; want dedicated, 1", tk.Tier, tk.Escalation)
	}
	n, err := db.AnnounceEscalations(ctx, func(sla.Ticket, Escalation) []Notification {
		t.Error("a step announced before 0006 is announced again")
		return nil
	})
	if err != nil || n != 0 {
		t.Errorf("AnnounceEscalations = %d, %v", n, err)
	}
}
