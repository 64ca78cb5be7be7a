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

// earliestRisk is the bot's RiskAt option: the earliest instant a running clock reaches
// the at-risk share.
func earliestRisk(t sla.Ticket) time.Time {
	cal := calendars().For(t.Tier)
	var at time.Time
	for _, c := range []*sla.Clock{t.Response, t.Resolution} {
		if r := c.RiskAt(cal, commandstest.AtRisk); !r.IsZero() && (at.IsZero() || r.Before(at)) {
			at = r
		}
	}
	return at
}

// TestQueue: the SQL queue selects, orders, limits and counts as the in-memory store
// that the command tests use (commandstest.Store.Queue), over random tickets of two
// tiers, all kinds of events, and every span (R3.5 breaches, R5.3 update clocks).
func TestQueue(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(storage.StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), storage.Options{Derive: derive, RiskAt: earliestRisk})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tierOf := func(c string) (sla.Tier, bool) { tr, ok := customers[c]; return tr, ok }
	mem := commandstest.NewStore(calendars(), tierOf)
	r := rand.New(rand.NewPCG(13, 1))
	base := dt(2026, time.July, 6, 8, 0)
	var evs []sla.Event
	for i := range 300 {
		key := fmt.Sprintf("MAGDA-%d", i)
		at := base.Add(time.Duration(r.IntN(5*24*60)) * time.Minute)
		cu := []string{"agency-x", "agency-y"}[i%2]
		evs = append(evs, created(key, cu, sla.Priority(1+r.IntN(4)), at))
		for n := r.IntN(4); n > 0; n-- {
			at = at.Add(time.Duration(1+r.IntN(20*60)) * time.Minute)
			typ := []sla.EventType{sla.Responded, sla.Updated, sla.Resolved, sla.Paused}[r.IntN(4)]
			e := ev(key, typ, at)
			if typ == sla.Paused {
				e.Reason = sla.WaitCustomer
			}
			evs = append(evs, e)
		}
	}
	for i, e := range evs {
		e.ID = fmt.Sprint("e", i)
		evs[i] = e
	}
	if _, err := db.Append(ctx, "api", "", evs); err != nil {
		t.Fatal(err)
	}
	mem.Add(evs...)
	now := dt(2026, time.July, 10, 16, 30)
	keys := func(ts []sla.Ticket) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Key)
		}
		return out
	}
	checked := 0
	for _, cu := range []string{"", "agency-x", "agency-y"} {
		for _, p := range []sla.Priority{sla.NoPriority, sla.P1, sla.P3} {
			for _, span := range []struct {
				due, risk time.Time
			}{{now, time.Time{}}, {now, now}, {dt(2026, time.July, 11, 0, 0), dt(2026, time.July, 11, 0, 0)}, {dt(2026, time.July, 13, 0, 0), dt(2026, time.July, 13, 0, 0)}} {
				for _, limit := range []int{0, 7} {
					got, total, err := db.Queue(ctx, storage.QueueFilter{Customer: cu, Priority: p.String(), DueBy: span.due, RiskBy: span.risk, Limit: limit})
					if err != nil {
						t.Fatal(err)
					}
					want, wantTotal, _ := mem.Queue(ctx, cu, p, span.due, span.risk, limit)
					if total != wantTotal {
						t.Errorf("%q %s %v/%v: %d tickets, want %d", cu, p, span.due, span.risk, total, wantTotal)
					}
					if diff := cmp.Diff(keys(want), keys(got)); diff != "" {
						t.Errorf("%q %s %v/%v limit %d (-memory +sql):\n%s", cu, p, span.due, span.risk, limit, diff)
					}
					checked += total
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no query selected a ticket: the test proves nothing")
	}
}
