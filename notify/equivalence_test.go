package notify_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

// passPopulation gives the events of n tickets reported over the two weeks before from
// and the days after it: both tiers, P1-P4 incidents, questions and connection
// requests, answered or not, with progress updates, pauses and resumptions, priority
// changes, escalations, resolutions and reopenings. arrives is when each event reaches
// the bot: mostly as it happens, some late (out of order with what came since).
func passPopulation(n int, from time.Time) (evs []sla.Event, arrives []time.Time) {
	rnd := rand.New(rand.NewPCG(15, 1))
	span := func(lo, hi time.Duration) time.Duration { return lo + time.Duration(rnd.Int64N(int64(hi-lo))) }
	for i := range n {
		key := fmt.Sprintf("MAGDA-%d", 1000+i)
		at := from.Add(-14 * 24 * time.Hour).Add(span(0, 18*24*time.Hour)).Truncate(time.Second)
		c := sla.Event{Ticket: key, Type: sla.Created, At: at, Customer: []string{"agency-x", "agency-y"}[rnd.IntN(2)]}
		switch k := rnd.IntN(10); {
		case k < 7:
			c.Kind = sla.Incident
		case k < 9:
			c.Kind = sla.Question
		default:
			c.Kind = sla.Connection
		}
		if c.Kind != sla.Connection {
			c.Priority = []sla.Priority{sla.P1, sla.P2, sla.P2, sla.P3, sla.P3, sla.P3, sla.P4, sla.P4, sla.P4, sla.P4}[rnd.IntN(10)]
		}
		mine := []sla.Event{c}
		next := func(typ sla.EventType, lo, hi time.Duration) *sla.Event {
			at = at.Add(span(lo, hi)).Truncate(time.Second)
			mine = append(mine, sla.Event{Ticket: key, Type: typ, At: at})
			return &mine[len(mine)-1]
		}
		if rnd.IntN(10) < 6 {
			next(sla.Responded, 5*time.Minute, 30*time.Hour)
		}
		for range rnd.IntN(3) {
			next(sla.Updated, 20*time.Minute, 12*time.Hour)
		}
		if rnd.IntN(5) == 0 {
			next(sla.Paused, 10*time.Minute, 20*time.Hour).Reason = []string{sla.WaitCustomer, sla.WaitThirdParty}[rnd.IntN(2)]
			if rnd.IntN(3) > 0 {
				next(sla.Resumed, time.Hour, 3*24*time.Hour)
			}
		}
		if c.Kind == sla.Incident && rnd.IntN(10) == 0 {
			e := next(sla.PriorityChanged, 10*time.Minute, 24*time.Hour)
			e.Priority, e.By, e.Reason = []sla.Priority{sla.P1, sla.P2, sla.P4}[rnd.IntN(3)], "sdm", "impact"
		}
		if rnd.IntN(30) == 0 {
			next(sla.Escalated, 10*time.Minute, 24*time.Hour).By = "ann"
		}
		if rnd.IntN(5) < 2 {
			next(sla.Resolved, 30*time.Minute, 4*24*time.Hour)
			if rnd.IntN(4) == 0 {
				next(sla.Reopened, time.Hour, 2*24*time.Hour)
			}
		}
		for _, e := range mine {
			arrive := e.At
			if rnd.IntN(20) == 0 {
				arrive = arrive.Add(span(time.Minute, 3*time.Hour)) // sent late by its intake
			}
			evs, arrives = append(evs, e), append(arrives, arrive)
		}
	}
	return evs, arrives
}

// fullScan is the scheduler pass as it was before issue 15: every open ticket, read
// whole with Tickets and storage.RunningOf, decided on at every pass (notify.FullTick).
// The stored states change only when the test appends, so it reads them again then.
type fullScan struct {
	db      *storage.DB
	n       *notify.Notifier
	open    []storage.Running
	stale   bool
	decided map[notify.NoteKey]bool
}

func (f *fullScan) tick(ctx context.Context, now time.Time) error {
	if f.stale {
		ts, err := f.db.Tickets(ctx, storage.Filter{OpenOnly: true})
		if err != nil {
			return err
		}
		f.open = f.open[:0]
		for _, t := range ts {
			f.open = append(f.open, storage.RunningOf(t))
		}
		slices.SortFunc(f.open, func(a, b storage.Running) int { return strings.Compare(a.Key, b.Key) })
		f.stale = false
	}
	return f.n.FullTick(ctx, now, f.open, f.decided)
}

// TestPassEquivalence_R3_R5_R7_R8: the pass that decides on the tickets due only
// (Tick) decides exactly what the full scan of every open ticket did, on two copies of
// one database driven through the same instants: a pass every 30 seconds from
// Thursday noon to the Monday evening after a maintenance weekend (R8), through
// working hours, nights and the weekend (R3.2), with events arriving between passes
// and a morning without passes (the bot down, catching up after). The notifications
// (key, decided at, window) and the outbox rows (destinations, bodies, not before)
// are the same.
func TestPassEquivalence_R3_R5_R7_R8(t *testing.T) {
	ctx := context.Background()
	tickets, step := 2000, 30*time.Second
	if testing.Short() || raceOn {
		tickets = 300
	}
	from, to := dt(2026, 7, 16, 12, 0), dt(2026, 7, 20, 19, 0)
	downFrom, downTo := dt(2026, 7, 20, 8, 0), dt(2026, 7, 20, 10, 45)
	evs, arrives := passPopulation(tickets, from)
	order := make([]int, len(evs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return arrives[a].Compare(arrives[b]) })

	oldDB, oldPath := tempStore(t)
	newDB, newPath := tempStore(t)
	mk := func(db *storage.DB) *notify.Notifier {
		c := &clock{}
		return newNotifier(t, options(db, c, &recorder{clock: c}))
	}
	full := &fullScan{db: oldDB, n: mk(oldDB), stale: true, decided: map[notify.NoteKey]bool{}}
	pass := mk(newDB)
	next := 0
	arrive := func(now time.Time) {
		var batch []sla.Event
		for ; next < len(order) && !arrives[order[next]].After(now); next++ {
			batch = append(batch, evs[order[next]])
		}
		if len(batch) > 0 {
			mustAppend(t, oldDB, batch...)
			mustAppend(t, newDB, batch...)
			full.stale = true
		}
	}
	passes := 0
	for now := from; !now.After(to); now = now.Add(step) {
		arrive(now)
		if !now.Before(downFrom) && now.Before(downTo) {
			continue
		}
		if err := full.tick(ctx, now); err != nil {
			t.Fatalf("full scan at %v: %v", now, err)
		}
		if err := pass.Tick(ctx, now); err != nil {
			t.Fatalf("Tick at %v: %v", now, err)
		}
		passes++
	}

	oldNotes, oldOutbox := outboxTables(t, oldPath)
	newNotes, newOutbox := outboxTables(t, newPath)
	if diff := cmp.Diff(oldNotes, newNotes); diff != "" {
		t.Errorf("notifications (-full scan +due only):\n%s", diff)
	}
	if diff := cmp.Diff(oldOutbox, newOutbox); diff != "" {
		t.Errorf("outbox (-full scan +due only):\n%s", diff)
	}
	kinds := map[string]int{}
	for _, n := range newNotes {
		kinds[n[1]]++
	}
	for _, k := range []string{notify.KindP1Reported, notify.KindUpdateDue, notify.KindUpdateOverdue, notify.KindResponseAtRisk,
		notify.KindResponseBreached, notify.KindResolutionAtRisk, notify.KindResolutionBreached, notify.KindDigest,
		notify.KindMaintenance, notify.KindEscalation} {
		if kinds[k] == 0 {
			t.Errorf("no %s decided in %d passes: the population does not exercise it (%v)", k, passes, kinds)
		}
	}
	t.Logf("%d passes, %d notifications, %d outbox rows: %v", passes, len(newNotes), len(newOutbox), kinds)
}

// outboxTables reads a file's notifications (ticket, kind, slot, decided_at, window)
// and outbox rows (key, platform, channel, state, not before, body) in key order,
// without their ids, which follow the order the two passes stored them in. It reads
// the file through the driver that storage registered, as an operator's sqlite3 would.
func outboxTables(t *testing.T, path string) (notes, outbox [][]string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	read := func(q string) [][]string {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]string
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			dest := make([]any, len(cols))
			for i := range vals {
				dest[i] = &vals[i]
			}
			if err := rows.Scan(dest...); err != nil {
				t.Fatal(err)
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				row[i] = v.String
			}
			out = append(out, row)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	notes = read(`SELECT ticket, kind, slot, decided_at, service_window FROM notifications ORDER BY ticket, kind, slot`)
	outbox = read(`SELECT n.ticket, n.kind, n.slot, o.platform, o.channel, o.state, o.not_before_ms, o.body
		FROM outbox o JOIN notifications n ON n.id = o.notification ORDER BY n.ticket, n.kind, n.slot, o.platform, o.channel`)
	return notes, outbox
}
