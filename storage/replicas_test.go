package storage_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

// Two processes on one store (issue 16): two DBs opened on the same SQLite file or the
// same PostgreSQL database, each with its own writer, pools and group commit, as two
// replicas have. Each test runs on both backends (TestPostgresBackend).

func twoStores(t *testing.T, opts storage.Options) (a, b *storage.DB) {
	t.Helper()
	dsn := storage.StoreFor(t, filepath.Join(t.TempDir(), "magda.db"))
	var dbs [2]*storage.DB
	for i := range dbs {
		db, err := storage.Open(dsn, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

// Events of the same tickets sent at once to both processes: each ticket's stored state
// is the one all of its events give (R3), on the incremental path too. Every ticket gets
// a response through one process and, at the same moment, a pause a minute later
// through the other, so that the two processes' group commits carry events of the same
// tickets at once; a process that derived from the state before the other's commit
// would store a ticket with one of the two missing. The open counts (0010) agree.
func TestTwoProcessesAppendToOneTicket_R3_R5(t *testing.T) {
	a, b := twoStores(t, storage.Options{Derive: derive, Apply: advance})
	ctx := context.Background()
	start := dt(2026, 7, 6, 9, 0)
	const tickets = 200
	// The tickets are created through both at once too, of two customers: the two
	// processes' batches then update both customers' count rows (0010) in either order,
	// which PostgreSQL may end as a deadlock, and the batch runs again.
	var creates []sent
	for k := range tickets {
		e := created(fmt.Sprintf("MAGDA-%d", k+1), []string{"agency-x", "agency-y"}[k%2], sla.Priority(1+k%4), start)
		creates = append(creates, sent{[]*storage.DB{a, b}[k/2%2], e})
	}
	if appendAtOnce(t, creates) {
		return
	}
	var more []sent
	for k := range tickets {
		key := fmt.Sprintf("MAGDA-%d", k+1)
		for i, e := range []sla.Event{ev(key, sla.Responded, start.Add(10*time.Minute)), ev(key, sla.Paused, start.Add(11*time.Minute))} {
			more = append(more, sent{[]*storage.DB{a, b}[(k+i)%2], e})
		}
	}
	appendAtOnce(t, more)
	for k := range tickets {
		key := fmt.Sprintf("MAGDA-%d", k+1)
		evs, err := a.Events(ctx, key)
		if err != nil || len(evs) != 3 {
			t.Fatalf("%s: %d events stored, want 3 (%v)", key, len(evs), err)
		}
		want := derive(evs)
		want.Key = key
		got, _, err := b.Ticket(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got, sameInstant); d != "" {
			t.Fatalf("%s: stored state is not that of its events (-replay +stored):\n%s", key, d)
		}
	}
	for _, c := range []string{"agency-x", "agency-y"} {
		if _, total, err := a.List(ctx, storage.ListFilter{Customer: c, Limit: 1}); err != nil || total != tickets/2 {
			t.Errorf("%s: %d open (%v), want %d", c, total, err, tickets/2)
		}
	}
}

// sent is an event and the process it is sent to.
type sent struct {
	db *storage.DB
	e  sla.Event
}

// appendAtOnce appends each event, every one from a goroutine of its own, all let go at
// the same moment; it reports whether any failed.
func appendAtOnce(t *testing.T, evs []sent) (failed bool) {
	var wg sync.WaitGroup
	ready := make(chan struct{})
	for _, s := range evs {
		wg.Go(func() {
			<-ready
			if _, err := s.db.Append(context.Background(), storage.SourceAPI, "", []sla.Event{s.e}); err != nil {
				t.Error(err)
			}
		})
	}
	close(ready)
	wg.Wait()
	return t.Failed()
}

// Two processes' scheduler passes at once decide on each due ticket once: the callback
// runs once per ticket across both, and each notice is stored once.
func TestTwoProcessesDecideOnce_R7_1(t *testing.T) {
	a, b := twoStores(t, storage.Options{Derive: derive})
	ctx := context.Background()
	at := dt(2026, 7, 6, 9, 0)
	const tickets = 300
	var evs []sla.Event
	for i := range tickets {
		evs = append(evs, created(fmt.Sprintf("MAGDA-%d", i+1), "agency-x", sla.P1, at))
	}
	mustAppend(t, a, evs...)
	var calls sync.Map
	var twice atomic.Int64
	decide := func(r storage.Running) ([]storage.Notification, storage.Next) {
		if _, seen := calls.LoadOrStore(r.Key, true); seen {
			twice.Add(1)
		}
		return []storage.Notification{note(r.Key, "p1_reported", r.Created.Unix(), at, "C-SDM")}, storage.Next{}
	}
	var added [2]int
	var wg sync.WaitGroup
	for i, db := range []*storage.DB{a, b} {
		wg.Go(func() {
			n, err := db.Decide(ctx, at.Add(time.Minute), decide)
			if err != nil {
				t.Error(err)
			}
			added[i] = n
		})
	}
	wg.Wait()
	if added[0]+added[1] != tickets || twice.Load() != 0 {
		t.Fatalf("the two passes added %d + %d notices and decided %d tickets twice; want %d in all, none twice",
			added[0], added[1], twice.Load(), tickets)
	}
	ds, err := b.Deliveries(ctx, "")
	if err != nil || len(ds) != tickets {
		t.Fatalf("outbox holds %d messages (%v), want %d", len(ds), err, tickets)
	}
}

// Workers of two processes claiming at once from one outbox: every message is claimed,
// and sent, by exactly one of them.
func TestTwoProcessesClaimOnce(t *testing.T) {
	a, b := twoStores(t, storage.Options{Derive: derive})
	ctx := context.Background()
	at := dt(2026, 7, 6, 9, 0)
	const messages = 240
	var ns []storage.Notification
	for i := range messages {
		ns = append(ns, note(fmt.Sprintf("MAGDA-%d", i+1), "reminder", at.Unix(), at, "C1"))
	}
	if _, err := a.Enqueue(ctx, ns...); err != nil {
		t.Fatal(err)
	}
	var claimed sync.Map
	var twice atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		db := []*storage.DB{a, b}[w%2]
		owner := fmt.Sprintf("worker-%d", w)
		wg.Go(func() {
			for {
				d, ok, err := db.Claim(ctx, owner, at.Add(time.Minute), time.Hour, storage.Claimable{Platforms: []string{"slack"}})
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					return
				}
				if _, seen := claimed.LoadOrStore(d.ID, owner); seen {
					twice.Add(1)
				}
				if err := db.MarkSent(ctx, d.ID, owner, at.Add(time.Minute), "ts-"+fmt.Sprint(d.ID)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	n := 0
	claimed.Range(func(any, any) bool { n++; return true })
	if n != messages || twice.Load() != 0 {
		t.Fatalf("%d of %d messages claimed, %d twice", n, messages, twice.Load())
	}
	sent, err := b.Deliveries(ctx, storage.StateSent)
	if err != nil || len(sent) != messages {
		t.Fatalf("%d sent (%v), want %d", len(sent), err, messages)
	}
}

// A process is told of the outbox rows another commits (WatchOutbox): on PostgreSQL by
// LISTEN/NOTIFY, at once; on SQLite, whose processes poll, WatchOutbox returns at once.
func TestWatchOutboxWakesTheOtherProcess(t *testing.T) {
	a, b := twoStores(t, storage.Options{Derive: derive})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	wakes := make(chan struct{}, 16)
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		a.WatchOutbox(ctx, func() { wakes <- struct{}{} })
	}()
	if !storage.OnPostgres() {
		select {
		case <-watching:
		case <-ctx.Done():
			t.Fatal("WatchOutbox on SQLite did not return")
		}
		return
	}
	<-wakes // the wake-up of the connection's start: the rows committed before it
	at := dt(2026, 7, 6, 9, 0)
	if _, err := b.Enqueue(ctx, storage.Notification{Ticket: "MAGDA-1", Kind: "p1_reported", Slot: 1}); err != nil {
		t.Fatal(err)
	}
	select { // a notice without messages adds no outbox row: no wake-up
	case <-wakes:
		t.Fatal("woken for a notice with nothing to send")
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := b.Enqueue(ctx, note("MAGDA-1", "reminder", 2, at, "C1")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-wakes:
	case <-ctx.Done():
		t.Fatal("not woken for the other process's outbox row")
	}
	cancel()
	<-watching
}

// One transaction writing more tickets than PostgreSQL's lock table holds locks (6,400
// by default): the tickets share a bounded number of locks, so a large batch is stored
// like a small one.
func TestAppendManyTicketsAtOnce(t *testing.T) {
	db := openDB(t)
	start := dt(2026, 7, 6, 9, 0)
	const tickets = 20000
	evs := make([]sla.Event, tickets)
	for i := range evs {
		evs[i] = created(fmt.Sprintf("MAGDA-%d", i+1), "agency-x", sla.P3, start)
	}
	n, err := db.Append(context.Background(), storage.SourceAPI, "", evs)
	if err != nil || n != tickets {
		t.Fatalf("stored %d of %d: %v", n, tickets, err)
	}
	if _, total, err := db.List(context.Background(), storage.ListFilter{Customer: "agency-x", Limit: 1}); err != nil || total != tickets {
		t.Fatalf("%d open (%v), want %d", total, err, tickets)
	}
}
