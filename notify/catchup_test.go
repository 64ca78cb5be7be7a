package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/google/go-cmp/cmp"
)

// kinds lists the (ticket kind) of the notices delivered, in order.
func kinds(rs []row) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rs {
		k := r.Ticket + " " + r.Kind
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// TestCatchUpAfterDowntime: a bot down from 09:01 to 14:30 sends, at restart, what is
// still true of each clock once (both breached), not the at-risk warnings the breaches
// superseded; a second pass sends nothing.
func TestCatchUpAfterDowntime(t *testing.T) {
	db, path := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, mon(9, 0)))
	step(t, newNotifier(t, options(db, c, rec)), c, mon(9, 0))
	if got := kinds(delivered(t, db)); !cmp.Equal(got, []string{"MAGDA-1 p1_reported"}) {
		t.Fatalf("before the stop: %v", got)
	}

	// Restart: another handle on the file, another notifier.
	db2 := openStore(t, path)
	n2 := newNotifier(t, options(db2, c, rec))
	step(t, n2, c, mon(14, 30))
	step(t, n2, c, mon(14, 31))
	want := []string{"MAGDA-1 p1_reported", "MAGDA-1 resolution_breached", "MAGDA-1 response_breached"}
	if got := kinds(delivered(t, db2)); !cmp.Equal(got, want) {
		t.Errorf("after the restart: %v; want %v", got, want)
	}
	if got, want := len(rec.all()), 3+2*2; got != want {
		t.Errorf("%d messages sent, want %d", got, want)
	}
}

// TestFirstPassIsHistory: what could have gone out before the outbox's first pass
// ever is history: the first start sends nothing about it, not even an old P1's notice,
// and stores nothing. What becomes due later goes out, old ticket or new.
func TestFirstPassIsHistory(t *testing.T) {
	ctx := context.Background()
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
	mustAppend(t, db,
		created("OLD-1", "agency-x", sla.P1, mon(9, 0)), // breached at 10:00 and 14:00
		created("OLD-2", "agency-x", sla.P2, mon(9, 0)), // response breached 11:00
		created("OLD-3", "agency-y", sla.P3, mon(9, 0)), // response at risk 15:00
	)
	n := newNotifier(t, options(db, c, rec))
	step(t, n, c, mon(14, 30))
	if got := rec.all(); len(got) != 0 {
		t.Errorf("the first pass sent %d messages, want none", len(got))
	}
	for _, k := range []struct {
		ticket, kind string
		slot         time.Time
	}{
		{"OLD-1", notify.KindP1Reported, mon(9, 0)},
		{"OLD-1", notify.KindResolutionBreached, mon(14, 0)},
		{"OLD-2", notify.KindResponseBreached, mon(11, 0)},
	} {
		if yes, err := db.Decided(ctx, k.ticket, k.kind, k.slot.Unix()); yes || err != nil {
			t.Errorf("%s %s stored (%v)", k.ticket, k.kind, err)
		}
	}
	mustAppend(t, db, created("NEW-2", "agency-x", sla.P2, mon(14, 30))) // at risk 16:00
	for now := mon(14, 31); !now.After(mon(16, 0)); now = now.Add(time.Minute) {
		step(t, n, c, now)
	}
	want := []string{"OLD-3 response_at_risk", "NEW-2 response_at_risk"}
	if got := kinds(delivered(t, db)); !cmp.Equal(got, want) {
		t.Errorf("delivered %v; want %v", got, want)
	}
}

// TestRaisedToP1: a ticket raised to P1 after it was reported is told to the SDM at
// once too (R7.1), once.
func TestRaisedToP1(t *testing.T) {
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	n := newNotifier(t, options(db, c, rec))
	mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
	step(t, n, c, mon(8, 0))
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P3, mon(9, 0)), ev("MAGDA-1", sla.Responded, mon(9, 10)))
	step(t, n, c, mon(9, 10))
	mustAppend(t, db, sla.Event{Ticket: "MAGDA-1", Type: sla.PriorityChanged, At: mon(11, 0), Priority: sla.P1, By: "sdm", Reason: "all users"})
	step(t, n, c, mon(11, 0))
	step(t, n, c, mon(11, 1))
	var p1 []string
	for _, s := range rec.all() {
		if s.Channel == "C-SDM" && strings.HasPrefix(s.Title, "P1 reported") {
			p1 = append(p1, s.At.Format("15:04")+" "+s.Title)
		}
	}
	if want := []string{"11:00 P1 reported: MAGDA-1 · Agentschap X"}; !cmp.Equal(want, p1) {
		t.Errorf("SDM channel got %v; want %v", p1, want)
	}
}
