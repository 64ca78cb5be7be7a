package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// population gives random lives of n tickets of two tiers and two projects, with every
// kind of event that moves a clock: pauses (R3.4) and resumes, priority changes that
// switch the R5.3 update clock off and on again (R4.4), reopenings, and twins created
// at the same instant, so that due times tie and the key decides.
func population(n int, seed uint64) []sla.Event {
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

// TestList: the indexed lists of migration 0010 give the tickets, order and totals of
// the full sort they replace (commandstest.Store, which replays every ticket and sorts
// them all), for a customer's open tickets and for the App Home's tickets at risk
// (R3.1) or breached (R3.5, R5.3), at instants across a week, with the events stored
// up to that instant, and with both ways the urgent list is read (more than
// fewUrgent urgent tickets, and fewer).
func TestList(t *testing.T) {
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
			db, err := storage.Open(filepath.Join(t.TempDir(), "magda.db"), storage.Options{Derive: derive, RiskAt: earliestRisk})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			mem := commandstest.NewStore(calendars(), tierOf)
			var evs []sla.Event
			for _, e := range population(tt.n, tt.seed) {
				if !e.At.After(tt.now) {
					evs = append(evs, e)
				}
			}
			if _, err := db.Append(ctx, "api", "", evs); err != nil {
				t.Fatal(err)
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
