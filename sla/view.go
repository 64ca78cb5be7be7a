package sla

import "time"

// ClockView is a clock as seen at an instant, in the contract's JSON shape.
type ClockView struct {
	Due       *time.Time `json:"due"`     // nil while paused
	DoneAt    *time.Time `json:"done_at"` // nil while it runs
	Met       *bool      `json:"met"`     // nil while running and not yet due
	Remaining int64      `json:"remaining_s"`
	TargetS   int64      `json:"target_s"`
	// Used is the share of the target counted so far (1 = all of it), for at-risk warnings.
	Used float64 `json:"-"`
}

// UpdatesView is the R5.3 update clock as seen at an instant.
type UpdatesView struct {
	Interval int64      `json:"interval_s"`
	PerDay   int        `json:"per_day"`
	LastAt   *time.Time `json:"last_at"`
	NextDue  *time.Time `json:"next_due"`
	Missed   int        `json:"missed"`
}

// View is a ticket at an instant: the `bot sla replay` output of the contract.
type View struct {
	Ticket     string       `json:"ticket"`
	Customer   string       `json:"customer"`
	Tier       Tier         `json:"tier"`
	Kind       Kind         `json:"kind"`
	Priority   string       `json:"priority"`
	Estimate   string       `json:"customer_priority,omitempty"`
	State      State        `json:"state"`
	Response   *ClockView   `json:"response"`
	Resolution *ClockView   `json:"resolution"`
	Updates    *UpdatesView `json:"updates"`
	Escalation int          `json:"escalation_level"`
	Notes      []string     `json:"notes"`
}

// At views the ticket at now with the calendars its clocks count in.
func (t Ticket) At(cals *Calendars, now time.Time) View {
	cal := cals.For(t.Tier)
	v := View{
		Ticket: t.Key, Customer: t.Customer, Tier: t.Tier, Kind: t.Kind,
		Priority: t.Priority.String(), State: t.State, Escalation: t.Escalation,
		Response:   t.Response.At(cal, now),
		Resolution: t.Resolution.At(cal, now),
		Updates:    t.Updates.At(cal, now),
		Notes:      t.Notes,
	}
	if t.Estimate != t.Priority {
		v.Estimate = t.Estimate.String()
	}
	if v.Notes == nil {
		v.Notes = []string{}
	}
	return v
}

func brussels(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	b := t.In(Brussels)
	return &b
}

var yes, no = true, false

// At views the clock at now (nil for a clock without SL).
func (c *Clock) At(cal *Calendar, now time.Time) *ClockView {
	if c == nil {
		return nil
	}
	counted := c.Counted
	if c.Running() {
		counted += cal.Worked(c.Since, now)
	}
	v := &ClockView{
		Remaining: int64((c.Target - counted) / time.Second),
		TargetS:   int64(c.Target / time.Second),
		Used:      float64(counted) / float64(c.Target),
		DoneAt:    brussels(c.DoneAt),
	}
	switch {
	case c.Done():
		v.Due = brussels(c.Due)
		v.Met = &yes
		if c.Breached {
			v.Met = &no
		}
	case c.Running():
		v.Due = brussels(c.Due)
		if c.Breached || now.After(c.Due) {
			v.Met = &no
		}
	default: // paused: due at no instant, unless it breached at one (R3.5)
		if c.Breached {
			v.Due, v.Met = brussels(c.Due), &no
		}
	}
	return v
}

// At views the update clock at now, counting the updates missed up to now (R5.3).
func (u *Updates) At(cal *Calendar, now time.Time) *UpdatesView {
	if u == nil || u.Off {
		return nil
	}
	s := *u
	s.settle(cal, now)
	v := &UpdatesView{
		Interval: int64(s.Interval / time.Second),
		PerDay:   s.PerDay,
		LastAt:   brussels(s.LastAt),
		Missed:   s.Missed,
	}
	if s.Running() && !s.Stopped {
		v.NextDue = brussels(s.Due)
	}
	return v
}
