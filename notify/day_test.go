package notify_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	gocmp "github.com/google/go-cmp/cmp"
)

// row is one delivered message as the test checks it.
type row struct {
	At                time.Time
	Ticket, Kind      string
	Slot              time.Time
	Platform, Channel string
}

func sortRows(rs []row) {
	slices.SortFunc(rs, func(a, b row) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Ticket, b.Ticket), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Platform, b.Platform), cmp.Compare(a.Channel, b.Channel))
	})
}

// delivered gives the outbox rows, all of which must be sent.
func delivered(t *testing.T, db *storage.DB) []row {
	t.Helper()
	ds, err := db.Deliveries(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var rs []row
	for _, d := range ds {
		if d.State != storage.StateSent {
			t.Errorf("%s %s to %s %s is %s (%s)", d.Ticket, d.Kind, d.Platform, d.Channel, d.State, d.LastError)
		}
		rs = append(rs, row{d.SentAt.In(sla.Brussels), d.Ticket, d.Kind, time.Unix(d.Slot, 0).In(sla.Brussels), d.Platform, d.Channel})
	}
	sortRows(rs)
	return rs
}

// destinations of each notice in the test deployment (options).
func destinations(ticket, kind string) [][2]string {
	sdm := [][2]string{{"slack", "C-SDM"}, {"teams", "19:sdm"}}
	switch {
	case kind == notify.KindP1Reported:
		return append(sdm, [2]string{"mail", serviceDelivery})
	case kind == notify.KindDigest:
		return sdm
	case ticket == "MAGDA-3" || ticket == "MAGDA-6":
		return [][2]string{{"slack", "C-Y"}}
	}
	return [][2]string{{"slack", "C-X"}, {"teams", "19:x"}}
}

// TestDedicatedP1Day steps a fake clock minute by minute from Monday 08:00 to Tuesday
// 10:00 over a dedicated P1 reported at 09:00 (and a few neighbours), and checks that
// each notice goes out once, at its time: the SDM's P1 notice at once (R7.1), the
// at-risk and breached warnings (R5.1, R5.2), the update reminders 30 minutes before
// each due time and when it is overdue (R5.3), P1 notices at night, nothing outside the
// service window for the others (R3.2) but at the closing instant itself (R3.5).
func TestDedicatedP1Day(t *testing.T) {
	mon := func(h, m int) time.Time { return dt(2026, 7, 6, h, m) }
	tue := func(h, m int) time.Time { return dt(2026, 7, 7, h, m) }
	events := []sla.Event{
		created("MAGDA-4", "agency-x", sla.P2, mon(8, 0)), ev("MAGDA-4", sla.Responded, mon(8, 15)),
		created("MAGDA-1", "agency-x", sla.P1, mon(9, 0)), ev("MAGDA-1", sla.Responded, mon(9, 50)),
		created("MAGDA-5", "agency-x", sla.P1, mon(12, 0)), ev("MAGDA-5", sla.Responded, mon(12, 40)),
		created("MAGDA-6", "agency-y", sla.P2, mon(13, 0)),
		created("MAGDA-2", "agency-x", sla.P1, mon(22, 0)),
		created("MAGDA-3", "agency-y", sla.P3, mon(22, 0)),
	}
	type notice struct {
		at           time.Time
		ticket, kind string
		slot         time.Time
	}
	notices := []notice{
		{mon(8, 30), "", notify.KindDigest, mon(8, 30)},
		{mon(9, 0), "MAGDA-1", notify.KindP1Reported, mon(9, 0)},
		{mon(9, 45), "MAGDA-1", notify.KindResponseAtRisk, mon(9, 45)}, // 75% of 1h
		{mon(12, 0), "MAGDA-5", notify.KindP1Reported, mon(12, 0)},
		{mon(12, 45), "MAGDA-1", notify.KindResolutionAtRisk, mon(12, 45)}, // 75% of 5h
		{mon(13, 50), "MAGDA-1", notify.KindUpdateDue, mon(14, 20)},        // responded 09:50 + 4h30
		{mon(14, 0), "MAGDA-1", notify.KindResolutionBreached, mon(14, 0)},
		{mon(14, 20), "MAGDA-1", notify.KindUpdateOverdue, mon(14, 20)},
		{mon(15, 45), "MAGDA-5", notify.KindResolutionAtRisk, mon(15, 45)},
		{mon(16, 0), "MAGDA-6", notify.KindResponseAtRisk, mon(16, 0)},
		{mon(17, 0), "MAGDA-5", notify.KindResolutionBreached, mon(17, 0)}, // due at closing (R3.5)
		{mon(17, 0), "MAGDA-6", notify.KindResponseBreached, mon(17, 0)},   // a P2, at closing
		{mon(22, 0), "MAGDA-2", notify.KindP1Reported, mon(22, 0)},         // a P1 at night
		{tue(7, 40), "MAGDA-5", notify.KindUpdateDue, tue(8, 10)},          // a P1 before opening
		{tue(8, 0), "MAGDA-4", notify.KindUpdateDue, tue(8, 15)},           // a P2's 07:45 waits for 08:00
		{tue(8, 10), "MAGDA-5", notify.KindUpdateOverdue, tue(8, 10)},
		{tue(8, 15), "MAGDA-4", notify.KindUpdateOverdue, tue(8, 15)},
		{tue(8, 30), "", notify.KindDigest, tue(8, 30)},
		{tue(8, 45), "MAGDA-2", notify.KindResponseAtRisk, tue(8, 45)},
		{tue(9, 0), "MAGDA-2", notify.KindResponseBreached, tue(9, 0)},
		{tue(9, 20), "MAGDA-1", notify.KindUpdateDue, tue(9, 50)}, // 14:20 + 4h30 of service time
		{tue(9, 50), "MAGDA-1", notify.KindUpdateOverdue, tue(9, 50)},
	}
	var want []row
	for _, w := range notices {
		for _, d := range destinations(w.ticket, w.kind) {
			want = append(want, row{w.at, w.ticket, w.kind, w.slot, d[0], d[1]})
		}
	}
	sortRows(want)

	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	n := newNotifier(t, options(db, c, rec))
	for now := mon(8, 0); !now.After(tue(10, 0)); now = now.Add(time.Minute) {
		for len(events) > 0 && !events[0].At.After(now) {
			mustAppend(t, db, events[0])
			events = events[1:]
		}
		step(t, n, c, now)
	}
	got := delivered(t, db)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}

	// The platforms got exactly those messages, each once.
	sends := rec.all()
	if len(sends) != len(got) {
		t.Errorf("the platforms got %d messages, the outbox sent %d", len(sends), len(got))
	}
	seen := map[[3]string]bool{}
	for _, s := range sends {
		k := [3]string{s.Platform, s.Channel, s.Title}
		if seen[k] {
			t.Errorf("sent twice to %s %s: %s", s.Platform, s.Channel, s.Title)
		}
		seen[k] = true
	}
	// Nothing but P1 notices outside the service window, bar the digest at 08:30.
	for _, r := range got {
		p1 := r.Ticket == "MAGDA-1" || r.Ticket == "MAGDA-2" || r.Ticket == "MAGDA-5"
		cal := calendars().For(sla.Dedicated)
		if r.Ticket == "MAGDA-3" || r.Ticket == "MAGDA-6" {
			cal = calendars().For(sla.Standard)
		}
		if r.Ticket != "" && !p1 && !cal.IsOpen(r.At) && !cal.IsOpen(r.At.Add(-time.Second)) {
			t.Errorf("%s %s sent at %v, outside the service window", r.Ticket, r.Kind, r.At)
		}
	}
	for _, s := range sends {
		if strings.Contains(s.Title, "Morning digest Tue") && !strings.Contains(s.Title, ": 4 open tickets") {
			t.Errorf("Tuesday's digest: %q; want 4 tickets (MAGDA-1, -4, -5, -6)", s.Title)
		}
	}
}
