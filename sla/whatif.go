package sla

import "time"

// WhatIfQuestion is a what-if: "when is P2 due for customer X if reported at At?".
type WhatIfQuestion struct {
	Customer   string // optional; only echoed
	Tier       Tier
	Kind       Kind
	Priority   Priority // the customer's estimate; none for connection requests
	Env        Env
	Motivation string
	Source     Source
	At         time.Time
}

// Answer is the `bot sla due` output of the contract.
type Answer struct {
	Customer      string     `json:"customer,omitempty"`
	Tier          Tier       `json:"tier"`
	Kind          Kind       `json:"kind"`
	Priority      *string    `json:"priority"`
	Effective     *string    `json:"effective_priority"`
	Reported      time.Time  `json:"reported"`
	ResponseDue   *time.Time `json:"response_due"`
	ResolutionDue *time.Time `json:"resolution_due"`
	UpdatesPerDay int        `json:"updates_per_day"`
	// UpdateInterval is the R5.3 business time between updates, in seconds.
	UpdateInterval int64    `json:"update_interval_s"`
	Notes          []string `json:"notes"`
}

// WhatIf answers a question exactly as a ticket created at q.At would be clocked: it
// replays a single `created` event through the engine (R3-R5, R4.2).
func WhatIf(cals *Calendars, q WhatIfQuestion) Answer {
	t := Replay([]Event{{
		Ticket: "WHAT-IF", Type: Created, At: q.At, Customer: q.Customer, Kind: q.Kind,
		Priority: q.Priority, Env: q.Env, Motivation: q.Motivation, Source: q.Source,
	}}, func(string) (Tier, bool) { return q.Tier, true }, cals)
	v := t.At(cals, q.At)
	a := Answer{Customer: q.Customer, Tier: q.Tier, Kind: q.Kind, Reported: q.At.In(Brussels), Notes: v.Notes}
	if q.Kind != Connection {
		est, eff := t.Estimate.String(), t.Priority.String()
		a.Priority, a.Effective = &est, &eff
	}
	if v.Response != nil {
		a.ResponseDue = v.Response.Due
	}
	if v.Resolution != nil {
		a.ResolutionDue = v.Resolution.Due
	}
	if v.Updates != nil {
		a.UpdatesPerDay, a.UpdateInterval = v.Updates.PerDay, v.Updates.Interval
	}
	return a
}
