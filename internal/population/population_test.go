package population_test

import (
	"slices"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/google/go-cmp/cmp"
)

var now = time.Date(2026, time.July, 15, 10, 0, 0, 0, sla.Brussels)

func TestTicketsDeterministic(t *testing.T) {
	o := population.Options{N: 500, Seed: 7, Now: now}
	first := slices.Collect(o.Tickets())
	again := slices.Collect(o.Tickets())
	if diff := cmp.Diff(first, again); diff != "" {
		t.Fatalf("the same options gave other events (-first +again):\n%s", diff)
	}
	// A ticket made alone is the one made in the stream: its own random stream.
	if diff := cmp.Diff(first[122], o.Ticket(123)); diff != "" {
		t.Fatalf("Ticket(123) differs from the 123rd of Tickets:\n%s", diff)
	}
	other := slices.Collect(population.Options{N: 500, Seed: 8, Now: now}.Tickets())
	if cmp.Equal(first, other) {
		t.Fatal("seeds 7 and 8 gave the same population")
	}
}

// TestTicketsValid: every event passes the contract check every intake applies, keys
// are MAGDA-1..N in creation order, each ticket starts with its created event, no event
// is later than Now and none earlier than the span.
// TestInKeyOrder: the same tickets as Tickets, each once, in the order of their keys as
// text.
func TestInKeyOrder(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 11, 99, 100, 1234} {
		o := population.Options{N: n, Seed: 2, Now: now}
		var keys []string
		byKey := map[string][]sla.Event{}
		for evs := range o.InKeyOrder() {
			keys = append(keys, evs[0].Ticket)
			byKey[evs[0].Ticket] = evs
		}
		if len(keys) != n || len(byKey) != n || !slices.IsSorted(keys) {
			t.Fatalf("n=%d: %d tickets, %d keys, sorted %v: %v", n, len(keys), len(byKey), slices.IsSorted(keys), keys[:min(len(keys), 20)])
		}
		for evs := range o.Tickets() {
			if !cmp.Equal(evs, byKey[evs[0].Ticket]) {
				t.Fatalf("n=%d: %s differs in key order", n, evs[0].Ticket)
			}
		}
	}
}

func TestTicketsValid(t *testing.T) {
	o := population.Options{N: 3000, Seed: 1, Now: now}
	i, lastCreated := 0, time.Time{}
	for evs := range o.Tickets() {
		i++
		key := population.Key(i)
		if evs[0].Type != sla.Created || evs[0].Ticket != key {
			t.Fatalf("ticket %d starts with %s %s", i, evs[0].Ticket, evs[0].Type)
		}
		if evs[0].At.Before(lastCreated) {
			t.Fatalf("%s created %s, before the ticket before it (%s)", key, evs[0].At, lastCreated)
		}
		lastCreated = evs[0].At
		ids := map[string]bool{}
		for j, e := range evs {
			if err := e.Check(); err != nil {
				t.Fatalf("%s event %d: %v", key, j, err)
			}
			if e.Ticket != key || e.At.After(now) || e.At.Before(now.Add(-population.DefaultSpan)) || ids[e.ID] {
				t.Fatalf("%s event %d: %+v", key, j, e)
			}
			ids[e.ID] = true
			if j > 0 && sla.Compare(evs[j-1], e) > 0 {
				t.Fatalf("%s: event %d is out of order", key, j)
			}
		}
	}
	if i != o.N {
		t.Fatalf("%d tickets, want %d", i, o.N)
	}
}

// TestTicketsMix_R3_4_R4_4_R5_3_R7 derives the population with the example
// configuration and checks the shape the benchmarks rely on: about half open (some of
// them paused), mostly P3/P4 incidents and questions, few connections, both tiers,
// progress updates for dedicated P1/P2 (R5.3), pauses (R3.4), priority changes (R4.4),
// escalations (R7) and reopened tickets (R5.2).
func TestTicketsMix_R3_4_R4_4_R5_3_R7(t *testing.T) {
	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	var cs []population.Customer
	for _, c := range cfg.Customers {
		tier, _ := cfg.TierOf(c.ID)
		cs = append(cs, population.Customer{ID: c.ID, Tier: tier})
	}
	if diff := cmp.Diff(population.ExampleCustomers, cs); diff != "" {
		t.Fatalf("ExampleCustomers are not the example configuration's (-want +got):\n%s", diff)
	}
	cals := sla.NewCalendars(nil)
	const n = 20_000
	count := map[string]int{}
	for evs := range (population.Options{N: n, Seed: 1, Now: now}).Tickets() {
		tk := sla.Replay(evs, cfg.TierOf, cals)
		count["state "+string(tk.State)]++
		count["kind "+string(tk.Kind)]++
		count["tier "+string(tk.Tier)]++
		if tk.Kind != sla.Connection {
			count["prio "+tk.Priority.String()]++
		}
		for _, e := range evs {
			count["event "+string(e.Type)]++
			if e.Type == sla.Updated && tk.Tier == sla.Dedicated && tk.Kind == sla.Incident && tk.Priority <= sla.P2 {
				count["dedicated P1/P2 update"]++
			}
		}
	}
	t.Logf("%v", count)
	open := count["state open"] + count["state paused"]
	within := func(name string, got, lo, hi int) {
		t.Helper()
		if got < lo || got > hi {
			t.Errorf("%s: %d of %d, want %d..%d", name, got, n, lo, hi)
		}
	}
	within("open or paused", open, n*45/100, n*55/100)
	within("paused", count["state paused"], 1, n/4)
	within("P3 and P4", count["prio P3"]+count["prio P4"], n*75/100, n)
	within("P1", count["prio P1"], 1, n*6/100)
	within("connections", count["kind connection"], 1, n*8/100)
	within("questions", count["kind question"], n*25/100, n*45/100)
	within("dedicated", count["tier dedicated"], n/4, n/2)
	for _, typ := range []string{"responded", "paused", "resumed", "priority_changed", "escalated", "resolved", "reopened"} {
		within("events "+typ, count["event "+typ], 1, 10*n)
	}
	within("dedicated P1/P2 updates", count["dedicated P1/P2 update"], n/100, 10*n)
}

func TestOptionsCheck(t *testing.T) {
	tests := []struct {
		name string
		o    population.Options
		ok   bool
	}{
		{"fine", population.Options{N: 10, Now: now}, true},
		{"no tickets is a population", population.Options{Now: now}, true},
		{"negative", population.Options{N: -1, Now: now}, false},
		{"no now", population.Options{N: 10}, false},
		{"span before the calendar", population.Options{N: 10, Now: now, Span: 100 * 365 * 24 * time.Hour}, false},
		{"customer without id", population.Options{N: 10, Now: now, Customers: []population.Customer{{}}}, false},
	}
	for _, tt := range tests {
		if err := tt.o.Check(); (err == nil) != tt.ok {
			t.Errorf("%s: Check = %v", tt.name, err)
		}
	}
	a, b := population.Options{N: 10, Now: now}, population.Options{N: 11, Now: now}
	if a.Name() == b.Name() {
		t.Errorf("two sizes share the name %q", a.Name())
	}
}
