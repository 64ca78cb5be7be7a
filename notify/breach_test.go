package notify_test

import (
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestBreachAnnouncedOnce_R3_5: a clock that breached, then was paused and resumed, or
// resolved and reopened, keeps the instant it breached at, so its breach is told once,
// "was due" the instant it was due, not the resume.
func TestBreachAnnouncedOnce_R3_5(t *testing.T) {
	db, _ := tempStore(t)
	c := &clock{}
	n := newNotifier(t, options(db, c, &recorder{clock: c}))
	mon := func(h, m int) time.Time { return dt(2026, 10, 5, h, m) }
	step(t, n, c, mon(7, 59)) // the outbox's first pass
	// Dedicated P2: response due 10:00 (2h), resolution due Tuesday 08:00 (16h).
	for now := mon(8, 0); !now.After(dt(2026, 10, 6, 9, 0)); now = now.Add(time.Minute) {
		switch now {
		case mon(8, 0):
			mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P2, now))
		case mon(12, 0):
			mustAppend(t, db, sla.Event{Ticket: "MAGDA-1", Type: sla.Paused, At: now, Reason: sla.WaitCustomer})
		case mon(14, 0):
			mustAppend(t, db, ev("MAGDA-1", sla.Resumed, now))
		case mon(16, 0):
			mustAppend(t, db, ev("MAGDA-1", sla.Responded, now))
		}
		step(t, n, c, now)
	}
	var breaches []row
	for _, r := range delivered(t, db) {
		if r.Kind == notify.KindResponseBreached && r.Platform == "slack" {
			breaches = append(breaches, r)
		}
	}
	if len(breaches) != 1 || !breaches[0].Slot.Equal(mon(10, 0)) || !breaches[0].At.Equal(mon(10, 0)) {
		t.Errorf("response breach notices %+v; want one, about 10:00, sent at 10:00", breaches)
	}
}
