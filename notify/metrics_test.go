package notify_test

import (
	"context"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// TestOutboxDepthZeroForEveryConfiguredPlatform: magda_outbox_depth has a series for
// every state and configured platform, 0 on an empty outbox, so that an alert on it has
// something to compare; a row of a platform no longer configured is shown too.
func TestOutboxDepthZeroForEveryConfiguredPlatform(t *testing.T) {
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	n := newNotifier(t, options(db, c, rec)) // slack, teams and mail
	for _, state := range []string{"pending", "parked"} {
		for _, p := range []string{"slack", "teams", "mail"} {
			if got, ok := metric(t, n, "magda_outbox_depth", "state", state, "platform", p); !ok || got != 0 {
				t.Errorf("magda_outbox_depth{state=%s,platform=%s} = %v (present %v); want 0", state, p, got, ok)
			}
		}
	}

	o := options(db, c, rec)
	delete(o.Platforms, "teams")
	o.Mailer = nil
	only := newNotifier(t, o)
	at := dt(2026, 7, 6, 9, 0)
	if _, err := db.Enqueue(context.Background(), storage.Notification{Kind: notify.KindDigest, Slot: at.Unix(), At: at,
		Messages: func() ([]storage.Message, error) {
			return []storage.Message{{Platform: "teams", Channel: "19:sdm", Body: []byte("{}")}}, nil
		}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		state, platform string
		want            float64
		present         bool
	}{
		{"pending", "slack", 0, true}, {"parked", "slack", 0, true},
		{"pending", "teams", 1, true}, {"parked", "teams", 0, false},
		{"pending", "mail", 0, false},
	} {
		got, ok := metric(t, only, "magda_outbox_depth", "state", tc.state, "platform", tc.platform)
		if ok != tc.present || got != tc.want {
			t.Errorf("slack only: magda_outbox_depth{state=%s,platform=%s} = %v (present %v); want %v (present %v)",
				tc.state, tc.platform, got, ok, tc.want, tc.present)
		}
	}
}

// TestSchedulerDueTickets: magda_scheduler_due_tickets counts the open tickets the
// scheduler is to look at: each new one until a pass has looked at it, none after, and
// one again when its next notice (here the response's at-risk warning, R5.1) comes due.
func TestSchedulerDueTickets(t *testing.T) {
	db, _ := tempStore(t)
	c := &clock{}
	n := newNotifier(t, options(db, c, &recorder{clock: c}))
	mon := dt(2026, 7, 6, 9, 0)
	c.set(mon)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P3, mon), created("MAGDA-2", "agency-y", sla.P4, mon))
	if got, _ := metric(t, n, "magda_scheduler_due_tickets"); got != 2 {
		t.Fatalf("before a pass: %v due; want 2", got)
	}
	if err := n.Tick(context.Background(), mon); err != nil {
		t.Fatal(err)
	}
	if got, _ := metric(t, n, "magda_scheduler_due_tickets"); got != 0 {
		t.Fatalf("after the pass: %v due; want 0", got)
	}
	c.set(mon.AddDate(0, 0, 14)) // every target long passed: both have a notice due
	if got, _ := metric(t, n, "magda_scheduler_due_tickets"); got != 2 {
		t.Fatalf("two weeks on: %v due; want 2", got)
	}
}
