package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// advance is the caller's Apply: sla.Advance with the calendars derive counts in.
func advance(t sla.Ticket, e sla.Event) (sla.Ticket, bool) { return sla.Advance(t, e, calendars()) }

// countingAdvance is advance, counting the events it took.
func countingAdvance(n *atomic.Int64) func(sla.Ticket, sla.Event) (sla.Ticket, bool) {
	return func(t sla.Ticket, e sla.Event) (sla.Ticket, bool) {
		next, ok := advance(t, e)
		if ok {
			n.Add(1)
		}
		return next, ok
	}
}

func openWith(t testing.TB, path string, opts storage.Options) *storage.DB {
	t.Helper()
	db, err := storage.Open(storage.StoreFor(t, path), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// lives are the events of n tickets of every kind of life (R3.4 pauses, R4.4 priority
// changes, R5.2 reopens, R5.3 updates, R7 escalations), a few in the same second.
func lives(n int) []sla.Event {
	var evs []sla.Event
	for i := range n {
		key := fmt.Sprintf("L-%04d", i)
		at := dt(2026, 3, 2, 8, 0).Add(time.Duration(i*37) * time.Minute)
		step := func(typ sla.EventType, min int) sla.Event {
			return ev(key, typ, at.Add(time.Duration(min)*time.Minute))
		}
		c := created(key, []string{"agency-x", "agency-y", "agency-z"}[i%3], sla.Priority(1+i%4), at)
		evs = append(evs, c, step(sla.Responded, 20+i%3))
		switch i % 5 {
		case 0:
			evs = append(evs, sla.Event{Ticket: key, Type: sla.Paused, At: at.Add(time.Hour), Reason: sla.WaitCustomer},
				step(sla.Resumed, 600), step(sla.Updated, 700), step(sla.Resolved, 900))
		case 1:
			evs = append(evs, sla.Event{Ticket: key, Type: sla.PriorityChanged, At: at.Add(90 * time.Minute), Priority: sla.P1, By: "sdm"},
				step(sla.Updated, 300), step(sla.Escalated, 301), step(sla.Resolved, 2000), step(sla.Reopened, 2100))
		case 2:
			evs = append(evs, step(sla.Updated, 20+i%3), step(sla.Resolved, 20+i%3)) // one second: replayed
		case 3:
			evs = append(evs, step(sla.Escalated, 50), sla.Event{Ticket: key, Type: sla.Escalated, At: at.Add(60 * time.Minute), Level: 2})
		}
	}
	return evs
}

// rows reads every ticket's stored state.
func rows(t *testing.T, db *storage.DB) map[string]sla.Ticket {
	t.Helper()
	ts, err := db.Tickets(context.Background(), storage.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]sla.Ticket, len(ts))
	for _, tk := range ts {
		out[tk.Key] = tk
	}
	return out
}

// TestAppendIncrementalIsReplay_R3_R5 stores the same events in order (one call per
// event, as a live intake sends them), in batches, and shuffled, with Options.Apply: the
// stored rows are those of a store that replays every time, a full Rederive finds
// nothing to change, and the in-order run took its events without replaying.
func TestAppendIncrementalIsReplay_R3_R5(t *testing.T) {
	ctx := context.Background()
	evs := lives(60)
	inOrder := slices.Clone(evs)
	sla.SortEvents(inOrder)
	shuffled := slices.Clone(evs)
	rand.New(rand.NewPCG(15, 3)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })

	replayed := openDB(t)
	for _, e := range inOrder {
		mustAppend(t, replayed, e)
	}
	want := rows(t, replayed)
	for _, c := range []struct {
		name  string
		evs   []sla.Event
		batch int
	}{{"in order", inOrder, 1}, {"in batches", inOrder, 7}, {"shuffled", shuffled, 1}, {"shuffled batches", shuffled, 5}} {
		t.Run(c.name, func(t *testing.T) {
			var took atomic.Int64
			db := openWith(t, filepath.Join(t.TempDir(), "magda.db"), storage.Options{Derive: derive, Apply: countingAdvance(&took)})
			for i := 0; i < len(c.evs); i += c.batch {
				mustAppend(t, db, c.evs[i:min(i+c.batch, len(c.evs))]...)
			}
			if diff := cmp.Diff(want, rows(t, db), sameInstant); diff != "" {
				t.Errorf("stored rows differ from a store that replays (-replay +incremental):\n%s", diff)
			}
			for key, tk := range rows(t, db) {
				if n := countOf(c.evs, key); tk.Events != n {
					t.Errorf("%s: events %d, want %d", key, tk.Events, n)
				}
			}
			if n, err := db.Rederive(ctx); err != nil || n != 0 {
				t.Errorf("Rederive after incremental appends = %d changed, %v; want 0", n, err)
			}
			if c.name == "in order" && took.Load() < int64(len(evs))/2 {
				t.Errorf("only %d of %d events in order were applied without a replay", took.Load(), len(evs))
			}
		})
	}
}

func countOf(evs []sla.Event, key string) int {
	n := 0
	for _, e := range evs {
		if e.Ticket == key {
			n++
		}
	}
	return n
}

// TestAppendApplyPanicFailsThatCallOnly keeps safeDerive's promise for Apply: a panic
// fails the call that touched the ticket, and the writer lives on.
func TestAppendApplyPanicFailsThatCallOnly(t *testing.T) {
	ctx := context.Background()
	db := openWith(t, filepath.Join(t.TempDir(), "magda.db"), storage.Options{Derive: derive,
		Apply: func(tk sla.Ticket, e sla.Event) (sla.Ticket, bool) {
			if tk.Key == "BOOM-1" {
				panic("boom")
			}
			return advance(tk, e)
		}})
	mustAppend(t, db, created("BOOM-1", "agency-x", sla.P2, dt(2026, 3, 2, 9, 0)), created("OK-1", "agency-x", sla.P2, dt(2026, 3, 2, 9, 0)))
	if _, err := db.Append(ctx, storage.SourceAPI, "", []sla.Event{ev("BOOM-1", sla.Responded, dt(2026, 3, 2, 10, 0))}); err == nil {
		t.Error("Append through a panicking Apply succeeded")
	}
	mustAppend(t, db, ev("OK-1", sla.Responded, dt(2026, 3, 2, 10, 0)))
	if tk, _, _ := db.Ticket(ctx, "OK-1"); tk.RespondedAt.IsZero() {
		t.Error("the other ticket's event after the panic was not applied")
	}
}

// storeLives fills a new file at path with the events of n tickets under derive.
func storeLives(t *testing.T, path string, n int) []sla.Event {
	t.Helper()
	evs := lives(n)
	db, err := storage.Open(storage.StoreFor(t, path), storage.Options{Derive: derive, Apply: advance})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(evs); i += 500 {
		mustAppend(t, db, evs[i:min(i+500, len(evs))]...)
	}
	if _, _, err := db.RederiveFor(context.Background(), "before"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return evs
}

// moved is the configuration after agency-y became dedicated (R1.1).
var moved = deriveWith(map[string]sla.Tier{"agency-x": sla.Dedicated, "agency-y": sla.Dedicated})

// TestBackgroundRederive_R1_1: a new fingerprint makes every row stale at once; a single
// read is right before the re-derive has reached it, an event stored meanwhile is
// derived under the new configuration, and when the walk is done every row is what a
// full replay under the new configuration gives.
func TestBackgroundRederive_R1_1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	evs := storeLives(t, path, 2500)
	db := openWith(t, path, storage.Options{Derive: moved, Apply: advance})
	if stale, err := db.Reconfigure(ctx, "after"); err != nil || !stale {
		t.Fatalf("Reconfigure = %v, %v; want a new generation", stale, err)
	}
	if tk, _, _ := db.Ticket(ctx, "L-0001"); tk.Tier != sla.Dedicated {
		t.Errorf("stale row read before the re-derive: tier %q, want dedicated at once", tk.Tier)
	}
	finished := make(chan [2]int, 1)
	db.StartRederive(ctx, storage.RederiveHooks{Finished: func(n, changed int, _ time.Duration, err error) {
		if err != nil {
			t.Error(err)
		}
		finished <- [2]int{n, changed}
	}})
	late := ev("L-0004", sla.Updated, dt(2026, 6, 1, 10, 0))
	mustAppend(t, db, late)
	got := <-finished
	if got[0] < 2499 || got[0] > 2500 { // the late event's Append may re-derive its row first
		t.Errorf("the re-derive went over %d rows, want 2500", got[0])
	}
	if _, _, running := db.Rederiving(); running {
		t.Error("Rederiving says it runs after Finished")
	}
	checkRows(t, db, moved, append(evs, late))
}

// checkRows compares every stored row with a replay of its events under d, and asks a
// full Rederive to find nothing to change.
func checkRows(t *testing.T, db *storage.DB, d func([]sla.Event) sla.Ticket, evs []sla.Event) {
	t.Helper()
	byKey := map[string][]sla.Event{}
	for _, e := range evs {
		byKey[e.Ticket] = append(byKey[e.Ticket], e)
	}
	stored := rows(t, db)
	if len(stored) != len(byKey) {
		t.Errorf("%d rows, want %d", len(stored), len(byKey))
	}
	bad := 0
	for key, es := range byKey {
		if diff := cmp.Diff(d(es), stored[key], sameInstant); diff != "" && bad < 3 {
			bad++
			t.Errorf("%s (-replay +stored):\n%s", key, diff)
		}
	}
	if n, err := db.Rederive(context.Background()); err != nil || n != 0 {
		t.Errorf("Rederive = %d changed, %v; want 0", n, err)
	}
}

// TestBackgroundRederiveResumesAfterRestart stops a re-derive part-way (the process
// ends): the next start walks only the rows left, those of the older generation.
func TestBackgroundRederiveResumesAfterRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	evs := storeLives(t, path, 2500)

	// The first process stops while it derives the third chunk, once the first is
	// written (the second may be written or not: the writer writes a chunk while the
	// next one is derived).
	var calls atomic.Int64
	var db *storage.DB
	stop := make(chan struct{})
	release := make(chan struct{})
	slow := func(es []sla.Event) sla.Ticket {
		if calls.Add(1) == 2001 {
			for done, _, _ := db.Rederiving(); done < 1000; done, _, _ = db.Rederiving() {
				time.Sleep(time.Millisecond)
			}
			close(stop)
			<-release
		}
		return moved(es)
	}
	db, err := storage.Open(storage.StoreFor(t, path), storage.Options{Derive: slow, Apply: advance})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Reconfigure(ctx, "after"); err != nil {
		t.Fatal(err)
	}
	run, cancel := context.WithCancel(ctx)
	stopped := make(chan error, 1)
	db.StartRederive(run, storage.RederiveHooks{Finished: func(_, _ int, _ time.Duration, err error) { stopped <- err }})
	<-stop
	cancel()
	close(release)
	if err := <-stopped; err == nil {
		t.Fatal("the re-derive cut short reported no error")
	}
	done, total, _ := db.Rederiving()
	if (done != 1000 && done != 2000) || total != 2500 {
		t.Errorf("Rederiving after the stop = %d of %d, want 1000 or 2000 (whole chunks) of 2500", done, total)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openWith(t, path, storage.Options{Derive: moved, Apply: advance})
	if _, err := db.Reconfigure(ctx, "after"); err != nil { // the same: no new generation
		t.Fatal(err)
	}
	finished := make(chan int, 1)
	db.StartRederive(ctx, storage.RederiveHooks{Finished: func(n, _ int, _ time.Duration, err error) {
		if err != nil {
			t.Error(err)
		}
		finished <- n
	}})
	if n := <-finished; n != 2500-done {
		t.Errorf("the restarted re-derive went over %d rows, want the %d left", n, 2500-done)
	}
	checkRows(t, db, moved, evs)
}
