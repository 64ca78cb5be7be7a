package sla

import (
	"slices"
	"time"
)

// Advance applies one more event to a ticket derived by Replay (or by Advance), when
// that gives exactly what Replay of all the ticket's events would: the store then
// rewrites one ticket from its stored state instead of reading and replaying all of its
// events. ok is false, and t is returned unchanged, when it cannot tell:
//
//   - the ticket is not Known yet: its created event may still come, and events dated
//     before the creation apply at it;
//   - e is a created event: the first one (in Compare order) is the one that counts;
//   - e's whole second is before the ticket's last event: it belongs earlier in the
//     sequence, so every clock after it moves;
//   - e's whole second is the last event's: Compare orders events of one instant by
//     type and fields the ticket does not keep, so e might sort before one of them.
//
// Replay is a fold of Apply over the sorted events, so an event strictly after all of
// them ends the sorted sequence and applying it to the stored state is the same fold.
// Advance counts whole seconds as Replay does (R3.5) and leaves t as it was: it copies
// what Apply changes in place. cals gives the calendar of the ticket's tier (R3.2, R3.3),
// which must be the one the ticket was derived with.
func Advance(t Ticket, e Event, cals *Calendars) (Ticket, bool) {
	e.At = e.At.Truncate(time.Second)
	if !t.Known || e.Type == Created || !e.At.After(t.LastEvent) {
		return t, false
	}
	next := t.clone()
	next.Apply(cals.For(next.Tier), e)
	next.Events++
	return next, true
}

// clone copies what Apply writes through a pointer or appends to, so that the caller's
// ticket, which may be shared, stays as it was.
func (t Ticket) clone() Ticket {
	if t.Response != nil {
		c := *t.Response
		c.Runs = slices.Clone(c.Runs)
		t.Response = &c
	}
	if t.Resolution != nil {
		c := *t.Resolution
		c.Runs = slices.Clone(c.Runs)
		t.Resolution = &c
	}
	if t.Updates != nil {
		u := *t.Updates
		t.Updates = &u
	}
	t.Escalations = slices.Clone(t.Escalations)
	t.PriorityChanges = slices.Clone(t.PriorityChanges)
	t.Notes = slices.Clone(t.Notes)
	return t
}
