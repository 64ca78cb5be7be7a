package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// listPopulation gives random lives of n tickets of two tiers and two projects, with every
// kind of event that moves a clock: pauses (R3.4) and resumes, priority changes that
// switch the R5.3 update clock off and on again (R4.4), reopenings, and twins created
// at the same instant, so that due times tie and the key decides.
func listPopulation(n int, seed uint64) []sla.Event {
	r := rand.New(rand.NewPCG(seed, 1))
	base := dt(2026, time.July, 6, 8, 0)
	var evs []sla.Event
	for i := range n {
		key := fmt.Sprintf("MAGDA-%d", i)
		if i%7 == 0 {
			key = fmt.Sprintf("OPS-%d", i)
		}
		at := base.Add(time.Duration(r.IntN(5*24*60)) * time.Minute)
		p := sla.Priority(1 + r.IntN(4))
		if i%5 == 1 { // the twin of the ticket before
			at, p = evs[len(evs)-1].At, sla.P2
			evs[len(evs)-1].Priority = p
		}
		cu := []string{"agency-x", "agency-y", "agency-x"}[i%3]
		evs = append(evs, created(key, cu, p, at))
		for k := r.IntN(6); k > 0; k-- {
			at = at.Add(time.Duration(1+r.IntN(16*60)) * time.Minute)
			typ := []sla.EventType{sla.Responded, sla.Updated, sla.Resolved, sla.Paused, sla.Resumed,
				sla.PriorityChanged, sla.Reopened}[r.IntN(7)]
			e := ev(key, typ, at)
			switch typ {
			case sla.Paused:
				e.Reason = sla.WaitCustomer
			case sla.PriorityChanged:
				e.Priority = sla.Priority(1 + r.IntN(4))
			}
			evs = append(evs, e)
		}
	}
	for i := range evs {
		evs[i].ID = fmt.Sprint("e", i)
	}
	return evs
}

// TestList_R3_1_R3_5_R5_3: the indexed lists of migration 0010 give the tickets, order
// and totals of the full sort they replace (commandstest.Store, which replays every
// ticket and sorts them all), for a customer's open tickets and for the App Home's
// tickets at risk (R3.1) or breached (R3.5, R5.3), at instants across a week, with the
// events stored up to that instant, and with both ways the urgent list is read (more
// than fewUrgent urgent tickets, and fewer).
func TestList_R3_1_R3_5_R5_3(t *testing.T) {
	tierOf := func(c string) (sla.Tier, bool) { tr, ok := customers[c]; return tr, ok }
	urgentTotals := map[bool]bool{}
	for _, tt := range []struct {
		n    int
		seed uint64
		now  time.Time
	}{
		{1200, 15, dt(2026, time.July, 8, 12, 0)},
		{1200, 15, dt(2026, time.July, 10, 16, 30)},
		{1200, 16, dt(2026, time.July, 13, 9, 17)},
		{150, 17, dt(2026, time.July, 7, 10, 0)},
		{150, 18, dt(2026, time.July, 11, 18, 5)},
	} {
		t.Run(fmt.Sprint(tt.n, "@", tt.now.Format(time.DateTime)), func(t *testing.T) {
			ctx := context.Background()
			db, err := storage.Open(storage.StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), storage.Options{Derive: derive, RiskAt: earliestRisk})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			mem := commandstest.NewStore(calendars(), tierOf)
			var evs []sla.Event
			for _, e := range listPopulation(tt.n, tt.seed) {
				if !e.At.After(tt.now) {
					evs = append(evs, e)
				}
			}
			// In chunks, so that tickets are written again and again: the triggers keeping
			// the totals see inserts and updates of every kind.
			for chunk := range slices.Chunk(evs, 97) {
				if _, err := db.Append(ctx, "api", "", chunk); err != nil {
					t.Fatal(err)
				}
			}
			mem.Add(evs...)
			for _, limit := range []int{0, 10} {
				got, total, err := db.List(ctx, storage.ListFilter{Urgent: true, Now: tt.now, Limit: limit})
				if err != nil {
					t.Fatal(err)
				}
				want, wantTotal, _ := mem.Urgent(ctx, tt.now, limit)
				if total != wantTotal || total == 0 {
					t.Errorf("urgent: %d tickets, want %d", total, wantTotal)
				}
				if diff := cmp.Diff(keys(want), keys(got)); diff != "" {
					t.Errorf("urgent, limit %d (-full sort +sql):\n%s", limit, diff)
				}
				urgentTotals[total > 256] = true
			}
			for _, cu := range []string{"agency-x", "agency-y", "nobody"} {
				for _, limit := range []int{0, 10} {
					got, total, err := db.List(ctx, storage.ListFilter{Customer: cu, Limit: limit})
					if err != nil {
						t.Fatal(err)
					}
					want, wantTotal, _ := mem.List(ctx, cu, limit)
					if total != wantTotal || cu != "nobody" && total == 0 {
						t.Errorf("%s: %d tickets, want %d", cu, total, wantTotal)
					}
					if diff := cmp.Diff(keys(want), keys(got)); diff != "" {
						t.Errorf("%s, limit %d (-full sort +sql):\n%s", cu, limit, diff)
					}
				}
			}
		})
	}
	if !urgentTotals[true] || !urgentTotals[false] {
		t.Errorf("urgent totals over 256: %v; want both, or a path of List goes untested", urgentTotals)
	}
}

// TestListEdges_R4_4_R5_3: the App Home's selection at the instants where a status
// changes, as the cards show it: an update clock exactly at its due time has missed
// nothing yet (R5.3) and one a second later has; missed updates of a ticket whose
// priority no longer has updates (off, R4.4) no longer count; a response given late
// stays breached.
func TestListEdges_R4_4_R5_3(t *testing.T) {
	ctx := context.Background()
	mon := dt(2026, time.July, 6, 9, 0)
	week := mon.AddDate(0, 0, -7)
	waits := calendars().For(sla.Dedicated).Due(week, 10*time.Hour) // one update missed (every 9 h)
	evs := []sla.Event{
		// EDGE-1: a dedicated P2 whose update clock runs from the response on.
		created("EDGE-1", "agency-x", sla.P2, mon), ev("EDGE-1", sla.Responded, mon.Add(5*time.Minute)),
		// EDGE-2: misses an update while its resolution is on track, waits for the
		// customer, then becomes a P4: the update clock is off.
		created("EDGE-2", "agency-x", sla.P2, week), ev("EDGE-2", sla.Responded, week.Add(5*time.Minute)),
		withReason(ev("EDGE-2", sla.Paused, waits), sla.WaitCustomer),
		withPriority(ev("EDGE-2", sla.PriorityChanged, waits.Add(time.Minute)), sla.P4),
		// EDGE-3: answered after its response was due; resolution on track.
		created("EDGE-3", "agency-y", sla.P4, mon.Add(-72*time.Hour)), ev("EDGE-3", sla.Responded, mon.Add(-time.Minute)),
	}
	for i := range evs {
		evs[i].ID = fmt.Sprint("edge", i)
	}
	var edge1 []sla.Event
	for _, e := range evs {
		if e.Ticket == "EDGE-1" {
			edge1 = append(edge1, e)
		}
	}
	due := derive(edge1).Updates.Due
	db := openAtRisk(t)
	if _, err := db.Append(ctx, "api", "", evs); err != nil {
		t.Fatal(err)
	}
	mem := commandstest.NewStore(calendars(), func(c string) (sla.Tier, bool) { tr, ok := customers[c]; return tr, ok }, evs...)
	for _, tt := range []struct {
		now  time.Time
		want []string
	}{
		{due, []string{"EDGE-3"}},
		{due.Add(time.Second), []string{"EDGE-1", "EDGE-3"}},
	} {
		got, total, err := db.List(ctx, storage.ListFilter{Urgent: true, Now: tt.now, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		want, _, _ := mem.Urgent(ctx, tt.now, 10)
		if diff := cmp.Diff(tt.want, keys(want)); diff != "" {
			t.Fatalf("at %v the cards are not as this test means (-test +cards):\n%s", tt.now, diff)
		}
		if diff := cmp.Diff(tt.want, keys(got)); diff != "" || total != len(tt.want) {
			t.Errorf("urgent at %v: %d (-want +got):\n%s", tt.now, total, diff)
		}
	}
}

func withReason(e sla.Event, reason string) sla.Event {
	e.Reason = reason
	return e
}

func withPriority(e sla.Event, p sla.Priority) sla.Event {
	e.Priority = p
	return e
}

func openAtRisk(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(storage.StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), storage.Options{Derive: derive, RiskAt: earliestRisk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
