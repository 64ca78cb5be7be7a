package sla

import (
	"fmt"
	"time"
)

// State is where a ticket stands.
type State string

// Ticket states of the contract.
const (
	Open          State = "open"
	PausedState   State = "paused"
	ResolvedState State = "resolved"
)

// Ticket is a ticket's state derived from its events: the clocks as of the last event
// applied. It does not depend on the wall clock; At gives the view at an instant.
type Ticket struct {
	Key      string `json:"ticket"`
	Known    bool   `json:"known"` // a created event has been seen
	Customer string `json:"customer"`
	Tier     Tier   `json:"tier"`
	Kind     Kind   `json:"kind"`
	// Estimate is the customer's own priority (R4.1); Priority the effective one.
	Estimate       Priority         `json:"estimate,omitempty"`
	Priority       Priority         `json:"priority,omitempty"`
	PriorityBy     string           `json:"priority_by,omitempty"`
	PriorityReason string           `json:"priority_reason,omitempty"`
	Env            Env              `json:"env"`
	Motivation     string           `json:"motivation,omitempty"`
	Source         Source           `json:"source"`
	Created        time.Time        `json:"created"`
	State          State            `json:"state"`
	PausedAt       time.Time        `json:"paused_at,omitzero"`
	PauseReason    string           `json:"pause_reason,omitempty"`
	RespondedAt    time.Time        `json:"responded_at,omitzero"`
	ResolvedAt     time.Time        `json:"resolved_at,omitzero"`
	Response       *Clock           `json:"response,omitempty"`
	Resolution     *Clock           `json:"resolution,omitempty"`
	Updates        *Updates         `json:"updates,omitempty"`
	Escalation     int              `json:"escalation_level"`
	EscalatedAt    time.Time        `json:"escalated_at,omitzero"`
	EscalatedBy    string           `json:"escalated_by,omitempty"`
	Escalations    []EscalationStep `json:"escalations,omitempty"` // each level reached, in order (R7)
	// PriorityChanges are the changes of the effective priority, in order (R4.1).
	PriorityChanges []PriorityChange `json:"priority_changes,omitempty"`
	Notes           []string         `json:"notes,omitempty"`
	LastEvent       time.Time        `json:"last_event,omitzero"`
	Events          int              `json:"events"`
}

// MaxEscalation is the last escalation step of R7 (2nd escalation: 3rd line).
const MaxEscalation = 2

// EscalationStep is one escalation that raised a ticket to Level (R7): the fact the SDM post and
// the ESCALATIE mail are decided from, once per (ticket, level).
type EscalationStep struct {
	Level  int       `json:"level"`
	At     time.Time `json:"at"`
	By     string    `json:"by,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// Replay derives a ticket's state from its events (any order; they are sorted by `at`
// as the contract says), counting whole seconds. tierOf gives a customer's tier (R1.1); an unknown customer
// counts as standard, with a note, unless the created event carries the tier it was
// stored under (Event.Tier): a ticket keeps that tier for its life. Events dated before the ticket's creation apply at
// its creation; without a created event the ticket is not Known.
func Replay(evs []Event, tierOf func(customer string) (Tier, bool), cals *Calendars) Ticket {
	// The model counts whole seconds (R3.5): an instant's fraction would otherwise make a
	// response given at the due second look late.
	sorted := make([]Event, len(evs))
	for i, e := range evs {
		e.At = e.At.Truncate(time.Second)
		sorted[i] = e
	}
	SortEvents(sorted)
	var t Ticket
	created := -1
	for i, e := range sorted {
		if e.Type == Created {
			created = i
			break
		}
	}
	if len(sorted) > 0 {
		t.Key = sorted[0].Ticket
	}
	if created < 0 {
		t.Events = len(sorted)
		return t
	}
	c := sorted[created]
	t.create(c, tierOf)
	cal := cals.For(t.Tier)
	t.Response.start(cal, c.At)
	t.Resolution.start(cal, c.At)
	for i, e := range sorted {
		if i == created {
			continue
		}
		if e.At.Before(c.At) {
			e.At = c.At
		}
		t.Apply(cal, e)
	}
	t.Events = len(sorted)
	return t
}

func (t *Ticket) create(e Event, tierOf func(string) (Tier, bool)) {
	t.Key, t.Known = e.Ticket, true
	t.Customer, t.Kind, t.Created, t.LastEvent = e.Customer, e.Kind, e.At, e.At
	t.Env, t.Motivation, t.Source = e.Env, e.Motivation, e.Source
	if t.Env == "" {
		t.Env = Prod
	}
	if t.Source == "" {
		t.Source = Portal
	}
	tier, ok := e.Tier, e.Tier != ""
	if !ok {
		tier, ok = tierOf(e.Customer)
	}
	if !ok {
		tier = Standard
		t.note(fmt.Sprintf("unknown customer %q: counted as standard", e.Customer))
	}
	t.Tier = tier
	t.State = Open
	if t.Kind != Connection {
		t.Estimate = e.Priority
		t.Priority = t.cap(e.Priority)
		t.PriorityBy = e.By
	}
	if t.Source != Portal {
		t.note(fmt.Sprintf("no SL: logged through %s, not the portal (R3.1)", t.Source))
	}
	tg := TargetsFor(t.Tier, t.Kind, t.Priority, t.Source)
	t.Response, t.Resolution = newClock(tg.Response), newClock(tg.Resolution)
	if tg.UpdatesPerDay > 0 {
		t.Updates = &Updates{Interval: tg.UpdateInterval, PerDay: tg.UpdatesPerDay}
	}
}

// cap applies R4.2 to an incident's priority and notes when it lowered it.
func (t *Ticket) cap(p Priority) Priority {
	if t.Kind != Incident {
		return p
	}
	capped := CapTNI(p, t.Env, t.Motivation)
	if capped != p {
		t.note(fmt.Sprintf("TNI incident without motivation: %s capped to %s (R4.2)", p, capped))
	}
	return capped
}

func (t *Ticket) note(s string) {
	for _, n := range t.Notes {
		if n == s {
			return
		}
	}
	t.Notes = append(t.Notes, s)
}

// Apply moves the ticket's clocks by one event, which must not be older than the last
// one applied (Replay sorts). cal is the calendar of the ticket's tier.
func (t *Ticket) Apply(cal *Calendar, e Event) {
	if !t.Known || e.Type == Created {
		return
	}
	if e.At.After(t.LastEvent) {
		t.LastEvent = e.At
	}
	at := e.At
	switch e.Type {
	case Responded, Updated:
		t.respond(cal, at)
		if e.Type == Updated {
			t.Updates.update(cal, at)
		}
	case Paused:
		if t.State == PausedState && e.Reason != "" {
			t.PauseReason = e.Reason // from waiting on the customer to a third party
		}
		if t.State != Open {
			return
		}
		t.State, t.PausedAt, t.PauseReason = PausedState, at, e.Reason
		t.Response.pause(cal, at)
		t.Resolution.pause(cal, at)
		t.Updates.pause(cal, at)
	case Resumed:
		if t.State != PausedState {
			return
		}
		t.State, t.PausedAt, t.PauseReason = Open, time.Time{}, ""
		if !t.Response.Done() {
			t.Response.start(cal, at)
		}
		t.Resolution.start(cal, at)
		t.Updates.resume(cal, at)
	case PriorityChanged:
		t.changePriority(cal, e)
	case Resolved:
		if t.State == ResolvedState {
			return
		}
		t.respond(cal, at)
		t.State, t.ResolvedAt, t.PausedAt, t.PauseReason = ResolvedState, at, time.Time{}, ""
		t.Resolution.stop(cal, at)
		t.Updates.stop(cal, at)
	case Reopened:
		if t.State != ResolvedState {
			return
		}
		resolved := t.ResolvedAt
		t.State, t.ResolvedAt = Open, time.Time{}
		t.Resolution.reopen(cal, at, resolved)
		if t.Updates != nil {
			t.Updates.Stopped = false
			t.Updates.begin(cal, at)
		}
	case Escalated:
		t.escalate(e)
	}
}

// escalate applies R7: an escalation raises the ticket to e.Level, or to the next step
// without one. One to a level the ticket already has is the same step asked twice (two
// people who saw the same level) and changes nothing; there is no step after the last.
func (t *Ticket) escalate(e Event) {
	level := e.Level
	if level == 0 {
		level = t.Escalation + 1
	}
	if level <= t.Escalation || level > MaxEscalation {
		return
	}
	t.Escalation, t.EscalatedAt, t.EscalatedBy = level, e.At, e.By
	t.Escalations = append(t.Escalations, EscalationStep{Level: level, At: e.At, By: e.By, Reason: e.Reason})
}

// respond records the first response (R5.1): it stops the response clock and starts the
// update clock (R5.3). A paused ticket's response still counts as given.
func (t *Ticket) respond(cal *Calendar, at time.Time) {
	if !t.RespondedAt.IsZero() {
		return
	}
	t.RespondedAt = at
	t.Response.stop(cal, at)
	if t.State == Open {
		t.Updates.begin(cal, at)
	} else if t.Updates != nil {
		t.Updates.Started = true // starts counting at resume
	}
}

// changePriority applies R4.1, R4.2 and R4.4.
func (t *Ticket) changePriority(cal *Calendar, e Event) {
	if t.Kind == Connection {
		return
	}
	if hasText(e.Motivation) {
		t.Motivation = e.Motivation
	}
	p := t.cap(e.Priority)
	t.recordPriority(e, t.Priority, p)
	t.Priority, t.PriorityBy, t.PriorityReason = p, e.By, e.Reason
	tg := TargetsFor(t.Tier, t.Kind, p, t.Source)
	t.Response.retarget(cal, e.At, tg.Response)
	t.Resolution.retarget(cal, e.At, tg.Resolution)
	switch {
	case tg.UpdatesPerDay == 0:
		if t.Updates != nil && !t.Updates.Off {
			t.Updates.off(cal, e.At)
		}
	case t.Updates == nil:
		t.Updates = &Updates{Interval: tg.UpdateInterval, PerDay: tg.UpdatesPerDay}
		if !t.RespondedAt.IsZero() && t.State != ResolvedState {
			if t.State == Open {
				t.Updates.begin(cal, e.At)
			} else {
				t.Updates.Started = true
			}
		}
	default:
		t.Updates.retarget(cal, e.At, tg.UpdateInterval, tg.UpdatesPerDay, t.State == Open)
	}
}
