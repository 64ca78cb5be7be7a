package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestSettingsChangeLooksAgain_R5_3: a Notifier built with another update lead (a
// reload) looks at every open ticket again on its first pass, instead of waiting for
// the instant the old settings gave: a P1 answered at 09:50 has its update due at
// 14:20 and its resolution at risk at 12:45, the next instant the old pass stored; with
// the lead raised from 30 minutes to 2 hours, the reminder goes out at 12:30.
func TestSettingsChangeLooksAgain_R5_3(t *testing.T) {
	ctx := context.Background()
	db, _ := tempStore(t)
	mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, mon(9, 0)), ev("MAGDA-1", sla.Responded, mon(9, 50)))
	c := &clock{}
	before := newNotifier(t, options(db, c, &recorder{clock: c}))
	for _, at := range []time.Time{mon(9, 0), mon(10, 0)} {
		if err := before.Tick(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	o := options(db, c, &recorder{clock: c})
	o.UpdateLead = 2 * time.Hour
	after := newNotifier(t, o)
	if err := after.Tick(ctx, mon(12, 30)); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.Decided(ctx, "MAGDA-1", notify.KindUpdateDue, mon(14, 20).Unix()); !ok || err != nil {
		t.Errorf("update reminder for 14:20 decided at 12:30 with a 2h lead = %v, %v; want true", ok, err)
	}
}
