package notify

import (
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// Notification kinds: the outbox key's kind and the metrics' label.
const (
	KindP1Reported         = "p1_reported"         // R7.1: to the SDM at once
	KindUpdateDue          = "update_due"          // R5.3: UpdateLead before an update is due
	KindUpdateOverdue      = "update_overdue"      // R5.3: an update's due time passed
	KindResponseAtRisk     = "response_at_risk"    // R5.1: AtRisk of the target used
	KindResponseBreached   = "response_breached"   // R5.1
	KindResolutionAtRisk   = "resolution_at_risk"  // R5.2
	KindResolutionBreached = "resolution_breached" // R5.2
	KindMaintenance        = "maintenance"         // R8: the working day before a window
	KindDigest             = "digest"              // the SDMs' morning digest
	KindEscalation         = "escalation"          // R7: slot is the level
	KindUpdated            = "updated"             // a progress update posted (R5.3)
)

// stage is one notification a ticket's clock may give. The stages of one clock (a
// track) supersede each other: at-risk then breached; update due then overdue, and so
// on for each due time of the update clock.
type stage struct {
	kind string
	slot time.Time // the key: the instant the notice is about
	when time.Time // when it is due to go out, before the service window
	send time.Time // when it may go out: when, or the next opening (R3.2, R3.3)
}

// stages gives r's tracks as of now: for each running clock the stages around now.
func (n *Notifier) stages(r storage.Running, now time.Time) [][]stage {
	cal := n.o.Calendars.For(r.Tier)
	p1 := r.Priority == sla.P1
	mk := func(kind string, slot, when time.Time) stage {
		return stage{kind: kind, slot: slot, when: when, send: window(cal, when, p1)}
	}
	var tracks [][]stage
	if p1 && r.State != sla.ResolvedState {
		tracks = append(tracks, []stage{mk(KindP1Reported, r.Created, r.Created)})
	}
	clocks := []struct {
		c              *sla.Clock
		atRisk, breach string
	}{
		{r.Response, KindResponseAtRisk, KindResponseBreached},
		{r.Resolution, KindResolutionAtRisk, KindResolutionBreached},
	}
	for _, c := range clocks {
		if !c.c.Running() {
			continue
		}
		var tr []stage
		if risk := c.c.RiskAt(cal, n.o.AtRisk); !risk.IsZero() {
			tr = append(tr, mk(c.atRisk, risk, risk))
		}
		tracks = append(tracks, append(tr, mk(c.breach, c.c.Due, c.c.Due)))
	}
	if u := r.Updates; u.Running() && u.Interval > 0 {
		tracks = append(tracks, n.updateStages(cal, u, now, mk))
	}
	return tracks
}

// updateStages applies R5.3: before the next due time a reminder, at it (no update
// came) an overdue notice; a missed due time is followed by the next one an interval of
// business time later, as sla counts missed updates. Of those only the stages around
// now matter: the last due time passed, and the next one.
func (n *Notifier) updateStages(cal *sla.Calendar, u *sla.Updates, now time.Time, mk func(string, time.Time, time.Time) stage) []stage {
	lead := n.o.UpdateLead
	if now.Before(u.Due) {
		return []stage{mk(KindUpdateDue, u.Due, u.Due.Add(-lead))}
	}
	k := cal.Worked(u.Due, now) / u.Interval
	last := cal.Due(u.Due, k*u.Interval)
	next := cal.Due(u.Due, (k+1)*u.Interval)
	return []stage{mk(KindUpdateOverdue, last, last), mk(KindUpdateDue, next, next.Add(-lead))}
}

// closingGrace is how long after the service window closes a notice kept to it may
// still go out: a notice due at the closing instant itself (a target ending at 17:00,
// R3.5) is decided by the next pass, up to Interval later, and claimed a moment after.
const closingGrace = time.Minute

// window gives the first instant from t on at which a notice may go out: t itself when
// it is urgent (any notice of a P1, R7.1) or the service window of the ticket's tier is
// open (or closed less than closingGrace ago), else the next opening (R3.2, R3.3):
// nothing else at night, in weekends or on holidays.
func window(cal *sla.Calendar, t time.Time, urgent bool) time.Time {
	if urgent || cal.IsOpen(t) || cal.IsOpen(t.Add(-closingGrace)) {
		return t
	}
	return cal.NextOpen(t)
}

// decide gives the notifications r has due at now: per track, of the stages that may
// go out by now, the latest one. Earlier stages it supersedes (an at-risk warning when
// the clock has breached meanwhile) are not sent: after a long stop only what is still
// true goes out. A stage that could go out before start, the outbox's first pass ever,
// is history and gives nothing: the first start of the bot does not flood the channels
// with the warnings of old tickets.
//
// A notice that is not a P1's goes out at the later of now and the next opening of the
// window, evaluated now, not at its own due time: one decided late (after downtime, or
// on an event that came in late) at 21:30 waits for the morning (R3.2). Its messages
// keep to the window when they are retried too (Notification.Window).
//
// next is the earliest instant after now at which decide may give a notification it
// does not give now, while r stays as it is: the send instant of a stage not sendable
// yet (R7.1 for a P1, R5.1/R5.2 at risk and breached, R5.3 the update reminder, each
// at the next opening of the window when it falls outside it, R3.2/R3.3), or the next
// due time of the update clock, at which its stages move on (updateStages). Until then
// every track's pick stays the one of now, stored now, so the pass need not look at r
// (storage.DB.Decide); zero: no stage is left to come.
func (n *Notifier) decide(r storage.Running, now, start time.Time) (out []storage.Notification, next time.Time) {
	cal := n.o.Calendars.For(r.Tier)
	urgent := r.Priority == sla.P1
	at, kept := window(cal, now, urgent), string(cal.Tier())
	if urgent {
		kept = ""
	}
	later := func(t time.Time) {
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for _, tr := range n.stages(r, now) {
		var pick *stage
		for i := range tr {
			s := &tr[i]
			if !s.send.After(now) && (pick == nil || !s.when.Before(pick.when)) {
				pick = s
			}
			later(s.send)
			if s.kind == KindUpdateDue {
				later(s.slot)
			}
		}
		if pick == nil || pick.send.Before(start) {
			continue
		}
		out = append(out, storage.Notification{Ticket: r.Key, Kind: pick.kind, Slot: pick.slot.Unix(), At: at,
			Window: kept, Messages: n.ticketMessages(r, *pick, now)})
	}
	return out, next
}
