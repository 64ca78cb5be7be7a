package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	gocmp "github.com/google/go-cmp/cmp"
)

// TestNightAfterDowntime (issue 10.2, R3.2, R7.1): the bot runs on Monday until 14:50,
// is down until 21:30, and is then stepped minute by minute through the night to
// Tuesday 10:00; one ticket's events come in late, at 22:00. What became due while it
// was down is decided at 21:30 (or at 22:00), but only the P1s' notices go out then:
// the others wait for the next opening of their customer's window, 08:00 dedicated,
// 09:00 standard.
func TestNightAfterDowntime(t *testing.T) {
	mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
	tue := func(h, m int) time.Time { return dt(2026, 7, 7, h, m) }
	type arrival struct {
		at time.Time // when the event reaches the bot
		ev sla.Event
	}
	arrivals := []arrival{
		{mon(8, 0), created("MAGDA-11", "agency-x", sla.P2, mon(7, 50))}, // update due at 17:00 (R5.3)
		{mon(8, 0), ev("MAGDA-11", sla.Responded, mon(8, 0))},
		{mon(10, 0), created("MAGDA-13", "agency-y", sla.P3, mon(10, 0))},   // response at risk 16:00
		{mon(13, 30), created("MAGDA-12", "agency-x", sla.P2, mon(13, 30))}, // response due 15:30
		{mon(14, 0), created("MAGDA-15", "agency-x", sla.P1, mon(14, 0))},   // response due 15:00
		{mon(21, 30), created("MAGDA-16", "agency-x", sla.P1, mon(20, 0))},  // a P1 reported while down
		{mon(22, 0), created("MAGDA-14", "agency-y", sla.P4, mon(9, 0))},    // late: breached at 17:00
	}
	type notice struct {
		at           time.Time
		ticket, kind string
		slot         time.Time
	}
	notices := []notice{
		{mon(8, 30), "", notify.KindDigest, mon(8, 30)},
		{mon(14, 0), "MAGDA-15", notify.KindP1Reported, mon(14, 0)},
		{mon(14, 45), "MAGDA-15", notify.KindResponseAtRisk, mon(14, 45)},
		// At the restart: the P1s at once, at night.
		{mon(21, 30), "MAGDA-15", notify.KindResponseBreached, mon(15, 0)},
		{mon(21, 30), "MAGDA-16", notify.KindP1Reported, mon(20, 0)},
		// The others at the opening, whenever they were decided.
		{tue(8, 0), "MAGDA-11", notify.KindUpdateOverdue, mon(17, 0)},
		{tue(8, 0), "MAGDA-12", notify.KindResponseBreached, mon(15, 30)},
		{tue(8, 30), "", notify.KindDigest, tue(8, 30)},
		{tue(8, 45), "MAGDA-15", notify.KindResolutionAtRisk, tue(8, 45)},
		{tue(8, 45), "MAGDA-16", notify.KindResponseAtRisk, tue(8, 45)},
		{tue(9, 0), "MAGDA-13", notify.KindResponseAtRisk, mon(16, 0)},
		{tue(9, 0), "MAGDA-14", notify.KindResponseBreached, mon(17, 0)},
		{tue(9, 0), "MAGDA-16", notify.KindResponseBreached, tue(9, 0)},
		{tue(10, 0), "MAGDA-13", notify.KindResponseBreached, tue(10, 0)},
		{tue(10, 0), "MAGDA-15", notify.KindResolutionBreached, tue(10, 0)},
	}
	var want []row
	for _, w := range notices {
		dests := [][2]string{{"slack", "C-X"}, {"teams", "19:x"}}
		switch {
		case w.kind == notify.KindP1Reported:
			dests = [][2]string{{"slack", "C-SDM"}, {"teams", "19:sdm"}, {"mail", serviceDelivery}}
		case w.kind == notify.KindDigest:
			dests = [][2]string{{"slack", "C-SDM"}, {"teams", "19:sdm"}}
		case w.ticket == "MAGDA-13" || w.ticket == "MAGDA-14":
			dests = [][2]string{{"slack", "C-Y"}}
		}
		for _, d := range dests {
			want = append(want, row{w.at, w.ticket, w.kind, w.slot, d[0], d[1]})
		}
	}
	sortRows(want)

	db, path := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	run := func(n *notify.Notifier, from, to time.Time) {
		for now := from; !now.After(to); now = now.Add(time.Minute) {
			for len(arrivals) > 0 && !arrivals[0].at.After(now) {
				mustAppend(t, db, arrivals[0].ev)
				arrivals = arrivals[1:]
			}
			step(t, n, c, now)
		}
	}
	run(newNotifier(t, options(db, c, rec)), mon(8, 0), mon(14, 50))
	if len(arrivals) > 0 && arrivals[0].at.Before(mon(21, 30)) {
		t.Fatal("an arrival during the downtime") // keep the scenario honest
	}
	restarted := newNotifier(t, options(openStore(t, path), c, rec))
	run(restarted, mon(21, 30), mon(22, 0))
	// Decided now, sent at the opening: max(decision, next opening), not the due time.
	waiting, err := db.Deliveries(context.Background(), storage.StatePending)
	if err != nil || len(waiting) != 6 {
		t.Fatalf("%d rows wait at 22:00 (%v); want the 6 of MAGDA-11, -12, -13 and -14", len(waiting), err)
	}
	for _, d := range waiting {
		open := tue(8, 0)
		if d.Window == string(sla.Standard) {
			open = tue(9, 0)
		}
		if !d.NotBefore.Equal(open) || d.Window == "" {
			t.Errorf("%s %s waits until %v in window %q; want %v", d.Ticket, d.Kind, d.NotBefore, d.Window, open)
		}
	}
	run(restarted, mon(22, 1), tue(10, 0))

	got := delivered(t, db)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
	if len(rec.all()) != len(got) {
		t.Errorf("the platforms got %d messages, the outbox sent %d", len(rec.all()), len(got))
	}
	for _, r := range got {
		p1 := r.Ticket == "MAGDA-15" || r.Ticket == "MAGDA-16"
		open := tue(8, 0)
		if r.Ticket == "MAGDA-13" || r.Ticket == "MAGDA-14" {
			open = tue(9, 0)
		}
		if r.At.After(mon(17, 0)) && r.At.Before(open) && !p1 {
			t.Errorf("%s %s sent at %v, before its window opened at %v", r.Ticket, r.Kind, r.At, open)
		}
	}
}

// TestRetryKeepsWindow (R3.2): a P2's breach at 16:50 fails on Slack until 17:10; its
// retries back off past the closing, and the one due at 17:06 waits for Tuesday 08:00
// instead of going out in the evening. The Teams copy went out at 16:50.
func TestRetryKeepsWindow(t *testing.T) {
	mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
	tue := func(h, m int) time.Time { return dt(2026, 7, 7, h, m) }
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c, fail: func(platform, _ string, _ commands.Reply) error {
		if now := c.Now(); platform == "slack" && !now.Before(mon(16, 50)) && now.Before(mon(17, 10)) {
			return errors.New("slack is down")
		}
		return nil
	}}
	n := newNotifier(t, options(db, c, rec))
	mustAppend(t, db, created("MAGDA-21", "agency-x", sla.P2, mon(14, 50))) // response due 16:50
	for now := mon(14, 50); !now.After(tue(8, 5)); now = now.Add(time.Minute) {
		step(t, n, c, now)
	}
	var breach []row
	for _, r := range delivered(t, db) {
		if r.Kind == notify.KindResponseBreached {
			breach = append(breach, r)
		}
	}
	want := []row{
		{mon(16, 50), "MAGDA-21", notify.KindResponseBreached, mon(16, 50), "teams", "19:x"},
		{tue(8, 0), "MAGDA-21", notify.KindResponseBreached, mon(16, 50), "slack", "C-X"},
	}
	if diff := gocmp.Diff(want, breach); diff != "" {
		t.Errorf("breach notices (-want +got):\n%s", diff)
	}
	if d := pending(t, db, "slack"); d.Kind == notify.KindResponseAtRisk && d.Attempts != 0 {
		t.Errorf("the at-risk notice at 16:20 failed: %+v", d)
	}
}
