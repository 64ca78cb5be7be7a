package sla

import "time"

// PriorityChange is one change of a ticket's effective priority (R4.1): when, from which
// to which, who and why. The customer's own estimate stays in Ticket.Estimate; the
// changes are the trail from it to the effective priority, for the card and the review.
type PriorityChange struct {
	At     time.Time `json:"at"`
	From   Priority  `json:"from"`
	To     Priority  `json:"to"`
	By     string    `json:"by,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// recordPriority appends a change of the effective priority (R4.1). A priority_changed
// event that leaves it where it is (the same priority again, or one R4.2 caps back to
// it) changes nothing and is no change in the trail.
func (t *Ticket) recordPriority(e Event, from, to Priority) {
	if from == to {
		return
	}
	t.PriorityChanges = append(t.PriorityChanges, PriorityChange{At: e.At, From: from, To: to, By: e.By, Reason: e.Reason})
}
