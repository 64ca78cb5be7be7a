package notify_test

import (
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/google/go-cmp/cmp"
)

// TestMaintenanceNotice (R8): each window is announced once, at 08:30 on the last
// working day before it, in the announcements channel: the third weekend of July 2026
// on Friday 17 July; an extra window on Wednesday 22 July on Monday 20 July, since
// Tuesday 21 July is a holiday (R3.3); a cancelled weekend not at all.
func TestMaintenanceNotice(t *testing.T) {
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	o := options(db, c, rec)
	o.Maintenance = commands.Maintenance{
		Extra:     []sla.MaintenanceWindow{{Start: dt(2026, 7, 22, 22, 0), End: dt(2026, 7, 23, 2, 0), Note: "Database upgrade"}},
		Cancelled: []sla.Date{{Year: 2026, Month: time.August, Day: 15}},
	}
	n := newNotifier(t, o)
	for now := dt(2026, 7, 16, 0, 0); now.Before(dt(2026, 8, 16, 0, 0)); now = now.Add(30 * time.Minute) {
		step(t, n, c, now)
	}
	var got []string
	for _, s := range rec.all() {
		if s.Channel == "C-NEWS" {
			got = append(got, s.At.Format("Mon 2 Jan 15:04")+" "+s.Title)
		}
	}
	want := []string{
		"Fri 17 Jul 08:30 Planned maintenance Sat 18 Jul – Sun 19 Jul (R8)",
		"Mon 20 Jul 08:30 Planned maintenance Wed 22 Jul – Thu 23 Jul (R8)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("announcements (-want +got):\n%s", diff)
	}
}

// TestDigestWorkingDays: the SDMs' digest goes out at 08:30 on working days only, once
// a day; a bot started after the standard window's closing sends none that day.
func TestDigestWorkingDays(t *testing.T) {
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	n := newNotifier(t, options(db, c, rec))
	mustAppend(t, db, created("MAGDA-1", "agency-y", sla.P3, dt(2026, 7, 9, 10, 0)))
	// Thursday 9 July 17:30, to Tuesday 14 July 12:00: Friday and Monday are working
	// days, the weekend is not.
	for now := dt(2026, 7, 9, 17, 30); now.Before(dt(2026, 7, 14, 12, 0)); now = now.Add(15 * time.Minute) {
		step(t, n, c, now)
	}
	var got []string
	for _, s := range rec.all() {
		if s.Channel == "C-SDM" {
			got = append(got, s.At.Format("Mon 2 Jan 15:04")+" "+s.Title)
		}
	}
	want := []string{
		"Fri 10 Jul 08:30 Morning digest Fri 10 Jul: 1 open ticket at risk or breached",
		"Mon 13 Jul 08:30 Morning digest Mon 13 Jul: 1 open ticket at risk or breached",
		"Tue 14 Jul 08:30 Morning digest Tue 14 Jul: 1 open ticket at risk or breached",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("digests (-want +got):\n%s", diff)
	}
	// The P3's response (8h from Thursday 10:00) is at risk from Thursday 16:00 and
	// breached from Friday 10:00.
	var items []string
	for _, s := range rec.all() {
		if s.Channel == "C-SDM" {
			items = append(items, s.Reply.Items[0].Title+" | "+s.Reply.Items[0].Lines[0])
		}
	}
	wantItems := []string{
		"Agentschap Y: 0 breached, 1 at risk | MAGDA-1 · P3 incident: response at risk, due Fri 10 Jul 10:00",
		"Agentschap Y: 1 breached, 0 at risk | MAGDA-1 · P3 incident: response breached, was due Fri 10 Jul 10:00",
		"Agentschap Y: 1 breached, 0 at risk | MAGDA-1 · P3 incident: response breached, was due Fri 10 Jul 10:00",
	}
	if diff := cmp.Diff(wantItems, items); diff != "" {
		t.Errorf("digest items (-want +got):\n%s", diff)
	}
}

// TestNoSenderNoMessage: a channel on a platform without a sender gets nothing and
// breaks nothing; the other destinations get theirs.
func TestNoSenderNoMessage(t *testing.T) {
	db, _ := tempStore(t)
	c := &clock{}
	rec := &recorder{clock: c}
	o := options(db, c, rec)
	delete(o.Platforms, "teams")
	o.Mailer = nil
	n := newNotifier(t, o)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, dt(2026, 7, 6, 9, 0)))
	step(t, n, c, dt(2026, 7, 6, 9, 0))
	var where []string
	for _, s := range rec.all() {
		where = append(where, s.Platform+" "+s.Channel)
	}
	if want := []string{"slack C-SDM"}; !cmp.Equal(want, where) {
		t.Errorf("sent to %v; want %v", where, want)
	}
	if got := kinds(delivered(t, db)); !cmp.Equal(got, []string{"MAGDA-1 " + notify.KindP1Reported}) {
		t.Errorf("outbox: %v", got)
	}
}
