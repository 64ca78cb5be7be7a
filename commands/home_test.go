package commands

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestHomeAgreesWithCards_R3_1_R3_5_R5_3: the App Home counts and lists exactly the open
// tickets whose cards are at risk (R3.1) or breached (R3.5, R5.3), the first ten in the
// lists' order, although it asks the store (Store.Urgent) for no more than it shows;
// and `sla CUSTOMER` counts all of a customer's open tickets and lists its first ten.
// Random lives of tickets of both tiers, stored up to each instant.
func TestHomeAgreesWithCards_R3_1_R3_5_R5_3(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 1))
	base := dt(2026, time.July, 6, 8, 0)
	var all []sla.Event
	for i := range 400 {
		key := fmt.Sprintf("MAGDA-%d", 100+i)
		at := base.Add(time.Duration(r.IntN(6*24*60)) * time.Minute)
		cu := []string{"agency-x", "agency-y"}[i%2]
		all = append(all, created(key, cu, at, sla.Incident, sla.Priority(1+r.IntN(4))))
		for k := r.IntN(6); k > 0; k-- {
			at = at.Add(time.Duration(1+r.IntN(12*60)) * time.Minute)
			e := sla.Event{Ticket: key, At: at, Type: []sla.EventType{sla.Responded, sla.Updated, sla.Resolved,
				sla.Paused, sla.Resumed, sla.PriorityChanged, sla.Reopened}[r.IntN(7)]}
			switch e.Type {
			case sla.Paused:
				e.Reason = sla.WaitCustomer
			case sla.PriorityChanged:
				e.Priority = sla.Priority(1 + r.IntN(4))
			}
			all = append(all, e)
		}
	}
	for _, now := range []time.Time{dt(2026, time.July, 7, 9, 30), dt(2026, time.July, 9, 14, 0), dt(2026, time.July, 13, 16, 45)} {
		var evs []sla.Event
		for _, e := range all {
			if !e.At.After(now) {
				evs = append(evs, e)
			}
		}
		log := commandstest.NewStore(testCals, tierOf, evs...)
		var limits []int // what the handler asks for: no more than it shows
		fake := &fakeStore{Store: log,
			UrgentFunc: func(ctx context.Context, at time.Time, limit int) ([]sla.Ticket, int, error) {
				limits = append(limits, limit)
				return log.Urgent(ctx, at, limit)
			},
			ListFunc: func(ctx context.Context, customer string, limit int) ([]sla.Ticket, int, error) {
				limits = append(limits, limit)
				return log.List(ctx, customer, limit)
			}}
		h := New(Options{Store: fake, Customers: testCustomers, Access: testAccess, Calendars: testCals,
			Now: func() time.Time { return now }})
		open, _ := log.Tickets(ctx, "", true)
		slices.SortFunc(open, sla.CompareNextDue)
		var urgent []string
		status := map[string]Status{}
		for _, tk := range open {
			if s := h.Card(tk, English, now).Status; s == StatusAtRisk || s == StatusBreached {
				urgent = append(urgent, tk.Key)
				status[tk.Key] = s
			}
		}
		if len(urgent) <= maxItems || len(urgent) == len(open) {
			t.Fatalf("at %v: %d of %d open tickets urgent; the test proves little", now, len(urgent), len(open))
		}
		home := h.Home(ctx, staffCaller, English)
		if want := fmt.Sprintf("Tickets at risk or breached: %d", len(urgent)); home.Title != want {
			t.Errorf("at %v: %q, want %q", now, home.Title, want)
		}
		var got []string
		for _, it := range home.Items {
			key := strings.Fields(it.Title)[0]
			got = append(got, key)
			if it.Status != status[key] {
				t.Errorf("at %v: %s is %q on the Home, %q on its card", now, key, it.Status, status[key])
			}
		}
		if diff := cmp.Diff(urgent[:maxItems], got); diff != "" {
			t.Errorf("at %v (-cards +home):\n%s", now, diff)
		}
		var ofX []string
		for _, tk := range open {
			if tk.Customer == "agency-x" {
				ofX = append(ofX, tk.Key)
			}
		}
		list := h.Handle(ctx, staffCaller, "sla agency-x")
		if want := fmt.Sprintf("Open tickets of Agentschap X (agency-x): %d", len(ofX)); list.Title != want {
			t.Errorf("at %v: %q, want %q", now, list.Title, want)
		}
		got = got[:0]
		for _, it := range list.Items {
			got = append(got, strings.Fields(it.Title)[0])
		}
		if diff := cmp.Diff(ofX[:min(maxItems, len(ofX))], got); diff != "" {
			t.Errorf("at %v, sla agency-x (-all sorted +list):\n%s", now, diff)
		}
		if diff := cmp.Diff([]int{maxItems, maxItems}, limits); diff != "" {
			t.Errorf("limits asked (-want +got):\n%s", diff)
		}
	}
}
