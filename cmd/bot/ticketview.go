package main

import (
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// ticketView is what `bot ticket` and `bot tickets` print: the contract's replay view,
// extended (never changed) with when and how the ticket came in, its history (R4.1, R7)
// and its customer's contacts (R1.2), for scripts that prepare a service review.
type ticketView struct {
	sla.View
	Created  time.Time  `json:"created"`
	Env      sla.Env    `json:"env"`
	Source   sla.Source `json:"source"`
	Estimate string     `json:"estimate,omitempty"` // the customer's own priority (R4.1), also when unchanged
	// PriorityChanges and Escalations are empty lists, never null, so that a script can
	// count them without a check.
	PriorityChanges []priorityChangeView `json:"priority_changes"`
	Escalations     []escalationView     `json:"escalations"`
	Contacts        contactsView         `json:"contacts"`
}

type priorityChangeView struct {
	At     time.Time `json:"at"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
}

type escalationView struct {
	Level  int       `json:"level"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Reason string    `json:"reason"`
}

type contactsView struct {
	SPOC string `json:"spoc"`
	SDM  string `json:"sdm"`
}

// viewTicket gives t at now as the CLI prints it. Times are in Brussels (the contract's
// output times); a customer no longer configured has no contacts.
func viewTicket(t sla.Ticket, cfg *config.Config, cals *sla.Calendars, now time.Time) ticketView {
	v := ticketView{
		View: t.At(cals, now), Created: t.Created.In(sla.Brussels), Env: t.Env, Source: t.Source,
		Estimate:        t.Estimate.String(),
		PriorityChanges: []priorityChangeView{}, Escalations: []escalationView{},
	}
	for _, c := range t.PriorityChanges {
		v.PriorityChanges = append(v.PriorityChanges, priorityChangeView{At: c.At.In(sla.Brussels),
			From: c.From.String(), To: c.To.String(), By: c.By, Reason: c.Reason})
	}
	for _, e := range t.Escalations {
		v.Escalations = append(v.Escalations, escalationView{Level: e.Level, At: e.At.In(sla.Brussels), By: e.By, Reason: e.Reason})
	}
	if cu, ok := cfg.Customer(t.Customer); ok {
		v.Contacts = contactsView{SPOC: cu.Contacts.SPOC, SDM: cu.Contacts.SDM}
	}
	return v
}

// createdIn says whether t was created in [from, to); a zero bound is no bound.
func createdIn(t sla.Ticket, from, to time.Time) bool {
	return (from.IsZero() || !t.Created.Before(from)) && (to.IsZero() || t.Created.Before(to))
}

// parseBound reads a --from or --to value: a date (2026-11-01, a whole day in Brussels)
// or an RFC 3339 instant. For --to a date includes its day: the bound is the next midnight.
func parseBound(flag, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, sla.Brussels); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("tickets: %s: %q is neither a date (2026-11-01) nor RFC 3339 (2026-11-01T09:00:00+01:00)", flag, s)
	}
	return t, nil
}
