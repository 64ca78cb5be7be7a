package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

// copyNow is the instant the copied population ends at.
var copyNow = dt(2026, 7, 15, 10, 0)

// fillSource stores in db what a bot that ran for a while has: a generated population,
// events of every source with their event and delivery ids, escalation steps announced
// and not, notifications with their messages sent, failed, parked, held and claimed,
// sent ones pruned (so that ids were handed out that no row holds any more), a Teams
// reference, outages from Alertmanager and the events API, maintenances, Slack event
// ids, the link secret, the scheduler's horizon and a note. It gives the highest
// outbox id handed out.
func fillSource(t *testing.T, db *storage.DB, tickets int) (highOutbox int64) {
	t.Helper()
	ctx := context.Background()
	pop := population.Options{N: tickets, Seed: 7, Now: copyNow,
		Customers: []population.Customer{{ID: "agency-x", Tier: sla.Dedicated}, {ID: "agency-y", Tier: sla.Standard}}}
	if _, err := db.Import(ctx, storage.SourceAPI, pop.InKeyOrder(), nil); err != nil {
		t.Fatal(err)
	}
	at := copyNow.Add(-48 * time.Hour)
	jira := []sla.Event{created("JIRA-1", "agency-x", sla.P2, at), ev("JIRA-1", sla.Responded, at.Add(time.Hour))}
	jira[0].ID, jira[1].ID = "j-1", "j-2"
	if _, err := db.Append(ctx, storage.SourceJira, "delivery-1", jira); err != nil {
		t.Fatal(err)
	}
	// Events before their ticket's created: a ticket not known yet.
	if _, err := db.Append(ctx, storage.SourceAPI, "", []sla.Event{ev("EARLY-1", sla.Responded, at)}); err != nil {
		t.Fatal(err)
	}
	esc := ev("JIRA-1", sla.Escalated, at.Add(2*time.Hour))
	esc.Level, esc.By, esc.Reason = 1, "U-sdm", "customer called"
	if _, err := db.Append(ctx, storage.SourceSlack, "", []sla.Event{esc}); err != nil {
		t.Fatal(err)
	}
	announced, err := db.AnnounceEscalations(ctx, func(tk sla.Ticket, e storage.Escalation) []storage.Notification {
		return []storage.Notification{{Ticket: e.Ticket, Kind: "escalation", Slot: int64(e.Level), At: at,
			Messages: func() ([]storage.Message, error) {
				return []storage.Message{{Platform: "mail", Channel: "sd@example.org", Body: []byte("ESCALATIE " + tk.Key)}}, nil
			}}}
	})
	if err != nil || announced == 0 {
		t.Fatalf("announce: %d, %v", announced, err)
	}
	esc.Level, esc.At, esc.Type = 2, esc.At.Add(time.Hour), sla.Escalated
	if _, err := db.Append(ctx, storage.SourceTeams, "", []sla.Event{esc}); err != nil { // not announced
		t.Fatal(err)
	}
	decided := 0
	if _, err := db.Decide(ctx, copyNow, func(r storage.Running) ([]storage.Notification, storage.Next) {
		if decided++; decided%7 != 0 {
			return nil, storage.Next{Notice: copyNow.Add(time.Hour)}
		}
		return []storage.Notification{{Ticket: r.Key, Kind: "breached", Slot: copyNow.Unix(), Window: string(r.Tier),
			Messages: func() ([]storage.Message, error) {
				return []storage.Message{{Platform: "slack", Channel: "C-" + r.Customer, Body: []byte{0, 1, 2, 0xff}}}, nil
			}}}, storage.Next{}
	}); err != nil {
		t.Fatal(err)
	}
	enqueue(t, db, "digest", "", at, [2]string{"slack", "C-sdm"}, [2]string{"teams", "19:sdm"}, [2]string{"teams", "19:x"}, [2]string{"mail", "a@b"})
	enqueue(t, db, "maintenance", "", at.Add(time.Minute), [2]string{"slack", "C-1"})
	claim := func(platform string) storage.Delivery {
		t.Helper()
		d, ok, err := db.Claim(ctx, "w-1", copyNow, time.Hour, storage.Claimable{Platforms: []string{platform}})
		if err != nil || !ok {
			t.Fatalf("claim %s: %v, %v", platform, ok, err)
		}
		highOutbox = max(highOutbox, d.ID)
		return d
	}
	if err := db.MarkSent(ctx, claim("slack").ID, "w-1", copyNow, "1700000000.000100"); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, claim("teams").ID, "w-1", storage.Failure{Err: "429", Next: copyNow.Add(time.Minute), Hold: storage.HoldChannel}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, claim("teams").ID, "w-1", storage.Failure{Err: "403 forbidden", Next: copyNow, Count: true, Park: true}); err != nil {
		t.Fatal(err)
	}
	claim("slack") // leased, not marked
	// The last outbox row and notification handed out are pruned: sent, of a day past.
	enqueue(t, db, "maintenance", "", at, [2]string{"webhook", "https://ops.example.org/hook"})
	last := claim("webhook")
	if err := db.MarkSent(ctx, last.ID, "w-1", at, "msg-1"); err != nil {
		t.Fatal(err)
	}
	if p, err := db.Prune(ctx, at.Add(25*time.Hour)); err != nil || p.Outbox != 1 {
		t.Fatalf("prune: %+v, %v; want the mail's row gone", p, err)
	}
	if err := db.SaveReference(ctx, storage.Reference{ChannelID: "19:x", ConversationID: "19:x;messageid=1",
		ServiceURL: "https://smba.trafficmanager.net/emea/", TenantID: "t-1", BotID: "28:bot"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkAlerts(ctx, []storage.AlertMark{
		{Ref: "fp-1", Component: sla.Database, Start: at, End: at.Add(20 * time.Minute), Note: "disk full"},
		{Ref: "fp-2", Component: sla.Network, Start: copyNow.Add(-time.Hour)},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordOutageEvents(ctx, []sla.OutageEvent{{Type: sla.OutageStarted, Component: sla.Server, At: at, Note: "reboot", By: "ops"},
		{Type: sla.OutageEnded, Component: sla.Server, At: at.Add(5 * time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveMaintenances(ctx, []storage.ScheduledMaintenance{{ID: "m-1", Name: "upgrade", Start: copyNow.Add(72 * time.Hour),
		End: copyNow.Add(80 * time.Hour), URL: "https://status.example.org/m-1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FirstSeen(ctx, "slack-event", "Ev-1", copyNow, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LinkSecret(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OutboxStart(ctx, at.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.SetNote(ctx, "population", pop.Name()); err != nil {
		t.Fatal(err)
	}
	return highOutbox
}

// tableQuery selects every row of a copied table in key order, but the target's own
// meta (the derive fingerprint and generation, the copy's marker).
func tableQuery(table string) string {
	q := `SELECT * FROM ` + table
	if table == "meta" {
		q += ` WHERE key NOT IN ('derive_fingerprint', 'derive_generation', 'copied_at')`
	}
	return q + ` ORDER BY 1, 2`
}

// derivedColumns are the tickets' columns a copy must give as the source has them: all
// but the state's JSON (compared decoded), the stamp of the write, and the scheduler's
// instants (the copy's states are new to the scheduler, 0).
const derivedColumns = `key, known, customer, tier, kind, priority, state, response_due, resolution_due,
	next_update_due, next_due, response_breached, resolution_breached, updates_missed, escalation, risk_at,
	created, response_target, response_counted, response_since, resolution_target, resolution_counted,
	resolution_since, update_interval, update_per_day, update_counted, update_since, update_last, urgent_from`

// checkCopy compares dst with src after a copy: every copied table row by row, the
// tickets' states and columns, and the counts the triggers keep.
func checkCopy(t *testing.T, src, dst *storage.DB) {
	t.Helper()
	for _, table := range storage.CopiedTables() {
		want, got := src.Rows(t, tableQuery(table)), dst.Rows(t, tableQuery(table))
		if len(want) == 0 {
			t.Errorf("the source holds no %s rows: the test copies nothing there", table)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: target differs from the source (-source +target):\n%s", table, d)
		}
	}
	q := `SELECT ` + derivedColumns + ` FROM tickets ORDER BY key`
	if d := cmp.Diff(src.Rows(t, q), dst.Rows(t, q)); d != "" {
		t.Errorf("tickets' columns differ (-source +target):\n%s", d)
	}
	ctx := context.Background()
	want, err := src.Tickets(ctx, storage.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := dst.Tickets(ctx, storage.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got, sameInstant); d != "" {
		t.Errorf("ticket states differ (-source +target):\n%s", d)
	}
	for _, q := range []string{`SELECT * FROM open_counts WHERE n > 0 ORDER BY 1`, `SELECT * FROM urgent_days WHERE n > 0 ORDER BY 1`} {
		if d := cmp.Diff(src.Rows(t, q), dst.Rows(t, q)); d != "" {
			t.Errorf("%s (-source +target):\n%s", q, d)
		}
	}
}

// TestCopyFrom copies a store that ran for a while into an empty file: every table
// equal row by row, the same ticket states, counts agreeing table by table; the ids
// handed out next follow the source's (those of pruned rows too); a second copy into
// the same target is refused and changes nothing.
func TestCopyFrom(t *testing.T) {
	ctx := context.Background()
	src := openDB(t)
	highOutbox := fillSource(t, src, 1500)
	dst := openDB(t)
	testCopyInto(t, ctx, src, dst, highOutbox)
}

// TestCopyToPostgres is TestCopyFrom from a SQLite file into an empty PostgreSQL
// database, as `bot migrate` does: identity ids taken from the source, and their
// sequences set after them.
func TestCopyToPostgres(t *testing.T) {
	src, err := storage.Open(filepath.Join(t.TempDir(), "magda.db"), storage.Options{Derive: derive})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	highOutbox := fillSource(t, src, 1500)
	dst := openAt(t, pgtest.Database(t), derive)
	testCopyInto(t, context.Background(), src, dst, highOutbox)
}

func testCopyInto(t *testing.T, ctx context.Context, src, dst *storage.DB, highOutbox int64) {
	var seen []storage.CopyProgress
	stats, err := dst.CopyFrom(ctx, src, func(p storage.CopyProgress) { seen = append(seen, p) })
	if err != nil {
		t.Fatal(err)
	}
	checkCopy(t, src, dst)
	names := []string{"tickets"}
	for _, c := range stats.Tables[1:] {
		names = append(names, c.Table)
	}
	if d := cmp.Diff(append([]string{"tickets"}, storage.CopiedTables()...), names); d != "" {
		t.Errorf("counted tables (-want +got):\n%s", d)
	}
	for _, c := range stats.Tables {
		n := int64(len(src.Rows(t, tableQuery(c.Table))))
		if c.Table == "tickets" {
			n = int64(len(src.Rows(t, `SELECT key FROM tickets`)))
		}
		if c.Source != n || c.Target != n {
			t.Errorf("%s counted %d in the source, %d in the target; it holds %d", c.Table, c.Source, c.Target, n)
		}
	}
	if last := seen[len(seen)-1]; last.Table != "meta" {
		t.Errorf("the last progress is of %s; want meta", last.Table)
	}
	var evs int64
	for _, p := range seen {
		if p.Table == "events" {
			evs = p.Rows
		}
	}
	if evs != stats.Tables[1].Source || stats.Tables[1].Table != "events" {
		t.Errorf("the progress ended at %d events; the copy counted %+v", evs, stats.Tables[1])
	}

	// Ids go on after the source's, also after ids of rows pruned in the source.
	maxSeq := src.Rows(t, `SELECT max(seq) FROM events`)[0][0].(int64)
	openY := func() int64 {
		return dst.Rows(t, `SELECT coalesce((SELECT n FROM open_counts WHERE customer = 'agency-y'), 0)`)[0][0].(int64)
	}
	openBefore := openY()
	if _, err := dst.Append(ctx, storage.SourceAPI, "", []sla.Event{created("NEW-1", "agency-y", sla.P3, copyNow)}); err != nil {
		t.Fatal(err)
	}
	// The counts are kept again after the copy (on PostgreSQL it turns their triggers off).
	if n := openY(); n != openBefore+1 {
		t.Errorf("agency-y's open count after a ticket created on the copy: %d; want %d", n, openBefore+1)
	}
	if seq := dst.Rows(t, `SELECT seq FROM events WHERE ticket = 'NEW-1'`)[0][0].(int64); seq <= maxSeq {
		t.Errorf("an event appended after the copy got seq %d; the source had handed out %d", seq, maxSeq)
	}
	enqueue(t, dst, "digest", "", copyNow.Add(24*time.Hour), [2]string{"slack", "C-new"})
	ids := dst.Rows(t, `SELECT id FROM outbox WHERE channel = 'C-new'`)
	if len(ids) != 1 || ids[0][0].(int64) <= highOutbox {
		t.Errorf("the outbox row enqueued after the copy has id %v; the source had handed out %d", ids, highOutbox)
	}
	if _, err := dst.RecordOutageEvents(ctx, []sla.OutageEvent{{Type: sla.OutageStarted, Component: sla.Middleware, At: copyNow}}); err != nil {
		t.Errorf("an outage after the copy: %v", err)
	}

	// A second copy is refused: the target holds events.
	before := dst.Rows(t, `SELECT count(*) FROM events`)
	_, err = dst.CopyFrom(ctx, src, nil)
	if !errors.Is(err, storage.ErrInvalid) || !strings.Contains(err.Error(), "events") {
		t.Errorf("a copy into a target holding events: %v; want ErrInvalid naming the events", err)
	}
	if d := cmp.Diff(before, dst.Rows(t, `SELECT count(*) FROM events`)); d != "" {
		t.Errorf("the refused copy changed the target: %s", d)
	}
}

// TestCopyRefusesFilledTarget: a target holding any copied fact (here one outbox
// notification and no event) is refused, and left as it was; its own meta (the
// horizon and link secret of a bot that ran on it with nothing to tell) is replaced
// by the source's.
func TestCopyRefusesFilledTarget(t *testing.T) {
	ctx := context.Background()
	src := openDB(t)
	if _, err := src.Append(ctx, storage.SourceAPI, "", []sla.Event{created("A-1", "agency-x", sla.P2, copyNow)}); err != nil {
		t.Fatal(err)
	}
	srcSecret, err := src.LinkSecret(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dst := openDB(t)
	enqueue(t, dst, "digest", "", copyNow, [2]string{"slack", "C-1"})
	_, err = dst.CopyFrom(ctx, src, nil)
	if !errors.Is(err, storage.ErrInvalid) || !strings.Contains(err.Error(), "notifications") {
		t.Errorf("copy into a target with a notification: %v; want ErrInvalid naming notifications", err)
	}
	if n := dst.Rows(t, `SELECT count(*) FROM events`)[0][0]; n != int64(0) {
		t.Errorf("the refused copy stored %v events", n)
	}

	fresh := openDB(t)
	if _, err := fresh.LinkSecret(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.OutboxStart(ctx, copyNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.CopyFrom(ctx, src, nil); err != nil {
		t.Fatal(err)
	}
	got, err := fresh.LinkSecret(ctx)
	if err != nil || string(got) != string(srcSecret) {
		t.Errorf("the target's link secret after the copy is not the source's (%v)", err)
	}
	// The source never started a scheduler: the target's horizon is gone with it, and
	// the next start sets its own.
	if start, err := fresh.OutboxStart(ctx, copyNow.Add(2*time.Hour)); err != nil || !start.Equal(copyNow.Add(2*time.Hour)) {
		t.Errorf("the target's horizon after the copy is %v, %v; want none kept from the target", start, err)
	}
}

// TestCopyCancelled: a copy whose context ends half way leaves the target empty, and a
// second copy then goes through.
func TestCopyCancelled(t *testing.T) {
	src := openDB(t)
	fillSource(t, src, 3000)
	dst := openAt(t, filepath.Join(t.TempDir(), "target.db"), derive)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := dst.CopyFrom(ctx, src, func(p storage.CopyProgress) {
		if p.Table == "events" && p.Tickets >= 1000 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled copy: %v", err)
	}
	for _, table := range append([]string{"tickets"}, storage.CopiedTables()...) {
		if n := dst.Rows(t, fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s`, table, notOwnMeta(table)))[0][0]; n != int64(0) {
			t.Errorf("the cancelled copy left %v %s rows", n, table)
		}
	}
	if _, err := dst.CopyFrom(context.Background(), src, nil); err != nil {
		t.Fatalf("the copy after a cancelled one: %v", err)
	}
	checkCopy(t, src, dst)
}

// notOwnMeta is the condition that leaves out the target's own meta rows.
func notOwnMeta(table string) string {
	if table == "meta" {
		return `key NOT IN ('derive_fingerprint', 'derive_generation')`
	}
	return `1 = 1`
}

// TestProbe: a bot database passes; a missing file is ErrNotFound; a file that is not
// SQLite, and a SQLite file without the bot's tables, are ErrInvalid; none of them is
// created or changed.
func TestProbe(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bot := filepath.Join(dir, "magda.db")
	// A file, whatever store the other tests run on: Probe reads SQLite files.
	b, err := storage.Open(bot, storage.Options{Derive: derive})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	other := filepath.Join(dir, "other.db")
	o, err := sql.Open("sqlite3", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Exec(`CREATE TABLE things (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	o.Close()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := storage.Probe(ctx, bot); err != nil {
		t.Errorf("probe of a bot database: %v", err)
	}
	if err := storage.Probe(ctx, filepath.Join(dir, "none.db")); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("probe of no file: %v; want ErrNotFound", err)
	}
	for _, p := range []string{other, text} {
		if err := storage.Probe(ctx, p); !errors.Is(err, storage.ErrInvalid) {
			t.Errorf("probe of %s: %v; want ErrInvalid", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("probe created the file it did not find")
	}
	if b, _ := os.ReadFile(text); string(b) != "hello" {
		t.Errorf("probe changed a text file")
	}
}
