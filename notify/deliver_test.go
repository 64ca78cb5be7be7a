package notify_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// metric gives the value of the series of name with labels (name=value pairs) among the
// notifier's collectors; false when there is none.
func metric(t *testing.T, n *notify.Notifier, name string, labels ...string) (float64, bool) {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(n.Collectors()...)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue series
				}
			}
			return value(m), true
		}
	}
	return 0, false
}

func value(m *dto.Metric) float64 {
	if m.GetCounter() != nil {
		return m.GetCounter().GetValue()
	}
	return m.GetGauge().GetValue()
}

func pending(t *testing.T, db *storage.DB, platform string) storage.Delivery {
	t.Helper()
	ds, err := db.Deliveries(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Platform == platform {
			return d
		}
	}
	t.Fatalf("no %s row", platform)
	return storage.Delivery{}
}

// TestParkAfterFailures: a message that keeps failing is retried after 30s, 1m, 2m, …
// (doubling), and parked after the 8th failure: never tried again, counted in the
// metrics and the outbox depth. The other destinations are not held up.
func TestParkAfterFailures(t *testing.T) {
	ctx := context.Background()
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c, fail: func(platform, channel string, r commands.Reply) error {
		if platform == "slack" {
			return errors.New("slack is down")
		}
		return nil
	}}
	n := newNotifier(t, options(db, c, rec))
	at := dt(2026, 7, 6, 9, 0)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, at))
	step(t, n, c, at)
	if got := len(rec.all()); got != 2 {
		t.Fatalf("%d sent; want teams and mail", got)
	}
	now := at
	for try := 1; try <= 8; try++ {
		d := pending(t, db, "slack")
		if d.Attempts != try || d.LastError != "slack is down" {
			t.Fatalf("after try %d: %+v", try, d)
		}
		if try == 8 {
			if d.State != storage.StateParked {
				t.Fatalf("after 8 tries: %s, want parked", d.State)
			}
			break
		}
		wait := 30 * time.Second << (try - 1)
		if d.State != storage.StatePending || !d.NotBefore.Equal(now.Add(wait)) {
			t.Fatalf("after try %d: %s, next try %v; want pending, %v later", try, d.State, d.NotBefore, wait)
		}
		if k, _ := n.Deliver(ctx, d.NotBefore.Add(-time.Millisecond)); k != 0 || pending(t, db, "slack").Attempts != try {
			t.Fatalf("tried before the backoff ran out")
		}
		now = d.NotBefore
		c.set(now)
		if _, err := n.Deliver(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	if k, _ := n.Deliver(ctx, now.Add(24*time.Hour)); k != 0 || pending(t, db, "slack").Attempts != 8 {
		t.Error("a parked message was tried again")
	}
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"magda_notifications_parked_total", []string{"kind", notify.KindP1Reported, "platform", "slack"}, 1},
		{"magda_notifications_failed_total", []string{"kind", notify.KindP1Reported, "platform", "slack"}, 8},
		{"magda_notifications_sent_total", []string{"kind", notify.KindP1Reported, "platform", "mail"}, 1},
		{"magda_outbox_depth", []string{"state", "parked", "platform", "slack"}, 1},
	}
	for _, ch := range checks {
		if got, ok := metric(t, n, ch.name, ch.labels...); !ok || got != ch.want {
			t.Errorf("%s%v = %v (%v); want %v", ch.name, ch.labels, got, ok, ch.want)
		}
	}
}

// TestUnreadableBodyParks: a row no retry can send is parked at the first try.
func TestUnreadableBodyParks(t *testing.T) {
	ctx := context.Background()
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	n := newNotifier(t, options(db, c, rec))
	at := dt(2026, 7, 6, 9, 0)
	bad := storage.Notification{Kind: notify.KindDigest, Slot: at.Unix(), At: at, Messages: func() ([]storage.Message, error) {
		return []storage.Message{{Platform: "slack", Channel: "C-SDM", Body: []byte("{not json")}}, nil
	}}
	if _, err := db.Enqueue(ctx, bad); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Deliver(ctx, at); err != nil {
		t.Fatal(err)
	}
	if d := pending(t, db, "slack"); d.State != storage.StateParked || d.Attempts != 1 || len(rec.all()) != 0 {
		t.Errorf("row %+v, %d sent; want parked after one try, nothing sent", d, len(rec.all()))
	}
}

// TestRun: Run passes the scheduler at once and its workers deliver; a notice queued
// later (an escalation) wakes them without waiting for a poll; cancelling returns.
func TestRun(t *testing.T) {
	db, _ := tempStore(t)
	c := &clock{now: dt(2026, 7, 6, 9, 0)}
	rec := &recorder{clock: c}
	n := newNotifier(t, options(db, c, rec))
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, c.Now()))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var runErr error
	wg.Go(func() { runErr = n.Run(ctx) })
	waitFor := func(count int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for len(rec.all()) < count {
			if time.Now().After(deadline) {
				t.Fatalf("%d messages sent, want %d", len(rec.all()), count)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor(3) // the P1 notice: SDM on Slack and Teams, Service Delivery by mail
	mustAppend(t, db, sla.Event{Ticket: "MAGDA-1", Type: sla.Escalated, At: c.Now(), By: "carol"})
	if _, err := n.Announce(context.Background(), c.Now()); err != nil {
		t.Fatal(err)
	}
	waitFor(6) // the fake clock's timers never fire: only the wake-up can do this
	cancel()
	wg.Wait()
	if runErr != nil {
		t.Errorf("Run = %v", runErr)
	}
	if got := len(rec.all()); got != 6 {
		t.Errorf("%d sent, want 6", got)
	}
}
