package commandstest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

var _ commands.Store = (*commandstest.Store)(nil)

var (
	ctx  = context.Background()
	cals = sla.NewCalendars(nil)
)

func tierOf(id string) (sla.Tier, bool) {
	if id == "agency-x" {
		return sla.Dedicated, true
	}
	return sla.Standard, id == "agency-y"
}

func dt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, sla.Brussels)
}

func created(key, customer string, at time.Time) sla.Event {
	return sla.Event{ID: key + "-c", Ticket: key, Type: sla.Created, At: at, Customer: customer,
		Kind: sla.Incident, Priority: sla.P3, Env: sla.Prod, Source: sla.Portal}
}

// log: MAGDA-1 agency-x open, MAGDA-2 agency-y open, MAGDA-3 agency-x resolved.
func log() []sla.Event {
	return []sla.Event{
		created("MAGDA-1", "agency-x", dt(2026, time.July, 9, 10, 0)),
		created("MAGDA-2", "agency-y", dt(2026, time.July, 9, 11, 0)),
		created("MAGDA-3", "agency-x", dt(2026, time.July, 6, 10, 0)),
		{ID: "MAGDA-3-r", Ticket: "MAGDA-3", Type: sla.Resolved, At: dt(2026, time.July, 7, 12, 0)},
	}
}

// TestTicket: a ticket is the engine's replay of its events, with the given tiers.
func TestTicket(t *testing.T) {
	s := commandstest.NewStore(cals, tierOf, log()...)
	got, ok, err := s.Ticket(ctx, "MAGDA-3")
	want := sla.Replay(log()[2:], tierOf, cals)
	if !ok || err != nil {
		t.Fatalf("MAGDA-3: %t, %v", ok, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MAGDA-3 (-replay +store):\n%s", diff)
	}
	if got.Tier != sla.Dedicated || got.State != sla.ResolvedState {
		t.Errorf("MAGDA-3 tier %v state %v, want dedicated and resolved", got.Tier, got.State)
	}
	if _, ok, err := s.Ticket(ctx, "MAGDA-9"); ok || err != nil {
		t.Errorf("MAGDA-9: %t, %v; want not found", ok, err)
	}
}

func TestTickets(t *testing.T) {
	tests := []struct {
		customer string
		openOnly bool
		want     []string
	}{
		{"", false, []string{"MAGDA-1", "MAGDA-2", "MAGDA-3"}},
		{"", true, []string{"MAGDA-1", "MAGDA-2"}},
		{"agency-x", false, []string{"MAGDA-1", "MAGDA-3"}},
		{"AGENCY-X", true, []string{"MAGDA-1"}},
		{"agency-z", false, nil},
	}
	s := commandstest.NewStore(cals, tierOf, log()...)
	var asked []string
	for _, tt := range tests {
		ts, err := s.Tickets(ctx, tt.customer, tt.openOnly)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tk := range ts {
			got = append(got, tk.Key)
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("Tickets(%q, %t) = %v, want %v", tt.customer, tt.openOnly, got, tt.want)
		}
		asked = append(asked, tt.customer)
	}
	if diff := cmp.Diff(asked, s.Asked()); diff != "" {
		t.Errorf("Asked (-want +got):\n%s", diff)
	}
}

// TestAppend: known event ids and repeated deliveries of a source store nothing; every
// call is recorded with what was new.
func TestAppend(t *testing.T) {
	esc := sla.Event{ID: "esc-1", Ticket: "MAGDA-1", Type: sla.Escalated, At: dt(2026, time.July, 10, 9, 0)}
	upd := sla.Event{Ticket: "MAGDA-1", Type: sla.Updated, At: dt(2026, time.July, 10, 9, 5), Reason: "no id"}
	steps := []struct {
		name             string
		source, delivery string
		evs              []sla.Event
		want             int
	}{
		{"new event", "slack", "d1", []sla.Event{esc}, 1},
		{"repeated delivery", "slack", "d1", []sla.Event{upd}, 0},
		{"same delivery id from another source", "teams", "d1", []sla.Event{upd}, 1},
		{"known id, new delivery", "slack", "d2", []sla.Event{esc}, 0},
		{"known id from the start", "slack", "", []sla.Event{log()[0]}, 0},
		{"twice in one call, no delivery id", "slack", "", []sla.Event{upd, upd, {ID: "x", Ticket: "MAGDA-1", Type: sla.Updated, At: upd.At}, {ID: "x", Ticket: "MAGDA-1", Type: sla.Updated, At: upd.At}}, 3},
		{"no delivery id again", "slack", "", []sla.Event{upd}, 1},
	}
	s := commandstest.NewStore(cals, tierOf, log()...)
	var calls []commandstest.AppendCall
	for _, st := range steps {
		n, err := s.Append(ctx, st.source, st.delivery, st.evs)
		if n != st.want || err != nil {
			t.Errorf("%s: %d, %v; want %d", st.name, n, err, st.want)
		}
		calls = append(calls, commandstest.AppendCall{Source: st.source, Delivery: st.delivery, Events: st.evs, New: st.want})
	}
	stored := []sla.Event{esc, upd, upd, upd, {ID: "x", Ticket: "MAGDA-1", Type: sla.Updated, At: upd.At}, upd}
	if diff := cmp.Diff(calls, s.Appends()); diff != "" {
		t.Errorf("Appends (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(stored, s.Stored()); diff != "" {
		t.Errorf("Stored (-want +got):\n%s", diff)
	}
	if tk, _, _ := s.Ticket(ctx, "MAGDA-1"); tk.Escalation != 1 {
		t.Errorf("MAGDA-1 escalation level %d, want 1", tk.Escalation)
	}
	if got := s.Calls(); got != len(steps)+1 {
		t.Errorf("Calls = %d, want %d", got, len(steps)+1)
	}
}

// TestAdd: Add seeds the log without recording or de-duplicating.
func TestAdd(t *testing.T) {
	s := commandstest.NewStore(cals, tierOf)
	s.Add(log()...)
	if ts, _ := s.Tickets(ctx, "", false); len(ts) != 3 {
		t.Errorf("%d tickets after Add, want 3", len(ts))
	}
	if len(s.Appends()) != 0 || len(s.Stored()) != 0 || s.Calls() != 1 {
		t.Errorf("Add recorded: appends %v, stored %v, calls %d", s.Appends(), s.Stored(), s.Calls())
	}
}

// TestConcurrent: handlers call the store from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	s := commandstest.NewStore(cals, tierOf, log()...)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			ev := sla.Event{ID: fmt.Sprint("u", i%10), Ticket: "MAGDA-1", Type: sla.Updated, At: dt(2026, time.July, 10, 9, i)}
			s.Append(ctx, "slack", "", []sla.Event{ev})
			s.Ticket(ctx, "MAGDA-1")
			s.Tickets(ctx, "agency-x", true)
			s.Stored()
			s.Appends()
		})
	}
	wg.Wait()
	if n := len(s.Stored()); n != 10 {
		t.Errorf("stored %d, want the 10 distinct ids", n)
	}
	if n := s.Calls(); n != 60 {
		t.Errorf("Calls = %d, want 60", n)
	}
}
