package review

import (
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// sortedEvents is a ticket's events in the order sla.Replay applies them: whole
// seconds, sorted, and none before the ticket's creation.
func sortedEvents(evs []sla.Event, created time.Time) []sla.Event {
	out := make([]sla.Event, len(evs))
	for i, e := range evs {
		e.At = e.At.Truncate(time.Second)
		if e.Type != sla.Created && e.At.Before(created) {
			e.At = created
		}
		out[i] = e
	}
	sla.SortEvents(out)
	return out
}

// before is the events strictly before at (evs sorted).
func before(evs []sla.Event, at time.Time) []sla.Event {
	for i, e := range evs {
		if !e.At.Before(at) {
			return evs[:i]
		}
	}
	return evs
}

type pauseTimes struct{ open, customer, third, other time.Duration }

// pauses adds up, in business time between from and to, the time the ticket was not
// resolved and the part of it paused for the customer, for a third party (R3.4) or for
// no reason given, following the state changes of sla.Ticket.Apply.
func pauses(evs []sla.Event, cal *sla.Calendar, from, to time.Time) pauseTimes {
	var pt pauseTimes
	state, reason := sla.ResolvedState, ""
	var since time.Time
	add := func(until time.Time) {
		a, b := later(since, from), earlier(until, to)
		if state == sla.ResolvedState || !a.Before(b) {
			return
		}
		w := cal.Worked(a, b)
		pt.open += w
		if state != sla.PausedState {
			return
		}
		switch reason {
		case sla.WaitCustomer:
			pt.customer += w
		case sla.WaitThirdParty:
			pt.third += w
		default:
			pt.other += w
		}
	}
	created := false
	for _, e := range evs {
		if !e.At.Before(to) {
			break
		}
		next, nextReason := state, reason
		switch {
		case e.Type == sla.Created && !created:
			created, next = true, sla.Open
		case !created:
			continue
		case e.Type == sla.Paused && state == sla.Open:
			next, nextReason = sla.PausedState, e.Reason
		case e.Type == sla.Paused && state == sla.PausedState && e.Reason != "":
			nextReason = e.Reason
		case e.Type == sla.Resumed && state == sla.PausedState:
			next, nextReason = sla.Open, ""
		case e.Type == sla.Resolved && state != sla.ResolvedState:
			next, nextReason = sla.ResolvedState, ""
		case e.Type == sla.Reopened && state == sla.ResolvedState:
			next = sla.Open
		default:
			continue
		}
		add(e.At)
		state, reason, since = next, nextReason, e.At
	}
	add(to)
	return pt
}

// priorityChanges lists the priority changes in the period (R4.1) with the effective
// priority before and after each (R4.2 may cap what was asked).
func priorityChanges(o Options, evs []sla.Event, p Period, at time.Time) []PriorityChange {
	var out []PriorityChange
	for i, e := range evs {
		if e.Type != sla.PriorityChanged || !p.Contains(e.At) || !e.At.Before(at) {
			continue
		}
		was := sla.Replay(evs[:i], o.TierOf, o.Cals)
		now := sla.Replay(evs[:i+1], o.TierOf, o.Cals)
		if !was.Known || was.Priority == now.Priority {
			continue
		}
		out = append(out, PriorityChange{
			Ticket: now.Key, At: e.At, Estimate: now.Estimate.String(), From: was.Priority.String(),
			To: now.Priority.String(), By: e.By, Reason: e.Reason,
		})
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
