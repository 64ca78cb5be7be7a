package storage_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

func escalated(key string, level int, by string, at ...int) sla.Event {
	return sla.Event{Ticket: key, Type: sla.Escalated, Level: level, By: by, Reason: "no fix", At: dt(2026, 7, 6, at[0], at[1])}
}

// announce runs AnnounceEscalations with a decide that records what it was handed and
// gives one SDM message per step.
func announce(t *testing.T, db *storage.DB) (steps []storage.Escalation, added int) {
	t.Helper()
	var mu sync.Mutex
	added, err := db.AnnounceEscalations(context.Background(), func(tk sla.Ticket, e storage.Escalation) []storage.Notification {
		mu.Lock()
		steps = append(steps, e)
		mu.Unlock()
		if tk.Key != e.Ticket || tk.Escalation < e.Level {
			t.Errorf("step %+v handed with ticket %s at level %d", e, tk.Key, tk.Escalation)
		}
		return []storage.Notification{note(e.Ticket, "escalation", int64(e.Level), e.At, "C-SDM")}
	})
	if err != nil {
		t.Fatal(err)
	}
	return steps, added
}

// TestAnnounceEscalations_R7: the escalation steps are derived from the stored events,
// whatever source stored them, one per (ticket, level); each is announced once.
func TestAnnounceEscalations_R7(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P2, dt(2026, 7, 6, 9, 0)))
	// A Slack and a Teams click that both saw level 0, and an API event for the next.
	for _, in := range []struct {
		source string
		e      sla.Event
	}{
		{storage.SourceSlack, escalated("MAGDA-1", 1, "slack-user", 10, 0)},
		{storage.SourceTeams, escalated("MAGDA-1", 1, "teams-user", 10, 0)},
	} {
		if _, err := db.Append(ctx, in.source, "", []sla.Event{in.e}); err != nil {
			t.Fatal(err)
		}
	}
	steps, added := announce(t, db)
	if len(steps) != 1 || steps[0].Level != 1 || added != 1 {
		t.Fatalf("announced %+v (%d new); want level 1 once", steps, added)
	}
	if steps, _ := announce(t, db); len(steps) != 0 {
		t.Errorf("announced again: %+v", steps)
	}
	// The next step from the events API, then the ticket resolved before any pass: the
	// step is still announced.
	mustAppend(t, db, escalated("MAGDA-1", 0, "api", 11, 0), ev("MAGDA-1", sla.Resolved, dt(2026, 7, 6, 11, 1)))
	steps, _ = announce(t, db)
	if len(steps) != 1 || steps[0].Level != 2 || steps[0].By != "api" {
		t.Fatalf("announced %+v; want level 2 by api", steps)
	}
	tk, _, _ := db.Ticket(ctx, "MAGDA-1")
	if tk.Escalation != 2 {
		t.Errorf("ticket at level %d; want 2", tk.Escalation)
	}
	es, err := db.Escalations(ctx, "MAGDA-1")
	if err != nil {
		t.Fatal(err)
	}
	want := []storage.Escalation{
		{Ticket: "MAGDA-1", Level: 1, By: "slack-user", Reason: "no fix", At: dt(2026, 7, 6, 10, 0)},
		{Ticket: "MAGDA-1", Level: 2, By: "api", Reason: "no fix", At: dt(2026, 7, 6, 11, 0)},
	}
	if diff := cmp.Diff(want, es, sameInstant); diff != "" {
		t.Errorf("Escalations (-want +got):\n%s", diff)
	}
	// Re-deriving every ticket records nothing new and announces nothing again.
	if _, err := db.Rederive(ctx); err != nil {
		t.Fatal(err)
	}
	if steps, _ := announce(t, db); len(steps) != 0 {
		t.Errorf("announced after Rederive: %+v", steps)
	}
}

// TestAnnounceEscalationsTwoProcesses_R7: two stores on one file announcing at once
// announce each step once.
func TestAnnounceEscalationsTwoProcesses_R7(t *testing.T) {
	path := filepath.Join(t.TempDir(), "magda.db")
	a, b := openAt(t, path, derive), openAt(t, path, derive)
	for i := range 50 {
		key := "MAGDA-" + string(rune('1'+i/10)) + string(rune('0'+i%10))
		mustAppend(t, a, created(key, "agency-x", sla.P2, dt(2026, 7, 6, 9, 0)), escalated(key, 0, "carol", 9, 30))
	}
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, db := range []*storage.DB{a, b} {
		wg.Go(func() { steps, _ := announce(t, db); counts[i] = len(steps) })
	}
	wg.Wait()
	if counts[0]+counts[1] != 50 {
		t.Errorf("announced %d + %d steps; want 50 in all", counts[0], counts[1])
	}
	if ds, _ := a.Deliveries(context.Background(), ""); len(ds) != 50 {
		t.Errorf("%d messages stored; want 50", len(ds))
	}
}

// TestTierKeptForLife_R1_1: a created event is stored with the customer's tier of the
// moment; the ticket keeps it when the configuration changes or forgets the customer.
func TestTierKeptForLife_R1_1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	tiers := func(m map[string]sla.Tier) func(string) (sla.Tier, bool) {
		return func(c string) (sla.Tier, bool) { t, ok := m[c]; return t, ok }
	}
	before := map[string]sla.Tier{"agency-x": sla.Dedicated}
	db, err := storage.Open(storage.StoreFor(t, path), storage.Options{Derive: deriveWith(before), TierOf: tiers(before)})
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P2, dt(2026, 10, 5, 8, 0)))
	old, _, _ := db.Ticket(ctx, "MAGDA-1")
	db.Close()

	for name, now := range map[string]map[string]sla.Tier{
		"tier changed":     {"agency-x": sla.Standard},
		"customer removed": {},
	} {
		db, err := storage.Open(storage.StoreFor(t, path), storage.Options{Derive: deriveWith(now), TierOf: tiers(now)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Rederive(ctx); err != nil {
			t.Fatal(err)
		}
		got, _, _ := db.Ticket(ctx, "MAGDA-1")
		if got.Tier != sla.Dedicated || len(got.Notes) != 0 || !got.Response.Due.Equal(old.Response.Due) {
			t.Errorf("%s: tier %s, notes %q, response due %s; want dedicated, none, %s",
				name, got.Tier, got.Notes, got.Response.Due, old.Response.Due)
		}
		db.Close()
	}

	// A ticket created after the change takes the new tier.
	after := map[string]sla.Tier{"agency-x": sla.Standard}
	db, err = storage.Open(storage.StoreFor(t, path), storage.Options{Derive: deriveWith(after), TierOf: tiers(after)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustAppend(t, db, created("MAGDA-2", "agency-x", sla.P2, dt(2026, 10, 5, 8, 0)))
	if got, _, _ := db.Ticket(ctx, "MAGDA-2"); got.Tier != sla.Standard {
		t.Errorf("a ticket created after the change is %s; want standard", got.Tier)
	}
}
