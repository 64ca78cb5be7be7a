package commands

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// whatIf answers `sla P2 for agency-x`: the due times of a ticket reported now, as the
// engine clocks it (sla.WhatIf replays one created event: R3-R5, R4.2).
func (h *Handler) whatIf(c Caller, cmd Command, l Lang) (Reply, error) {
	cu, err := h.customer(c, cmd.Customer, l)
	if err != nil {
		return Reply{}, err
	}
	now := h.o.Now()
	a := sla.WhatIf(h.o.Calendars, sla.WhatIfQuestion{
		Customer: cu.ID, Tier: cu.Tier, Kind: cmd.Kind, Priority: cmd.Priority,
		Env: cmd.Env, Motivation: cmd.Motivation, Source: sla.Portal, At: now,
	})
	what := KindName(cmd.Kind, l)
	eff := sla.NoPriority
	if a.Effective != nil {
		eff, _ = sla.ParsePriority(*a.Effective)
		what = cmd.Priority.String() + " " + what
	}
	tg := sla.TargetsFor(cu.Tier, cmd.Kind, eff, sla.Portal)
	if cmd.Env == sla.TNI {
		what += " (TNI)"
	}
	r := Reply{Kind: KindWhatIf, Title: capital(l.pick(
		fmt.Sprintf("%s for %s, reported now", what, displayName(cu)),
		fmt.Sprintf("%s voor %s, nu gemeld", what, displayName(cu))))}
	r.Facts = []Fact{
		{l.pick("Customer", "Klant"), cu.label() + " · " + tierName(cu.Tier, l)},
		{l.pick("Reported", "Gemeld"), l.When(now, now)},
	}
	if a.Effective != nil {
		p := *a.Effective
		if eff != cmd.Priority {
			p += l.pick(fmt.Sprintf(" (%s capped on TNI without a motivation, R4.2)", cmd.Priority),
				fmt.Sprintf(" (%s begrensd op TNI zonder motivatie, R4.2)", cmd.Priority))
		}
		r.Facts = append(r.Facts, Fact{l.pick("Priority", "Prioriteit"), p})
	}
	r.Facts = append(r.Facts,
		Fact{l.pick("Response due", "Antwoord tegen"), dueText(a.ResponseDue, tg.Response, l, now)},
		Fact{l.pick("Resolution due", "Oplossing tegen"), dueText(a.ResolutionDue, tg.Resolution, l, now)})
	if a.UpdatesPerDay > 0 {
		r.Facts = append(r.Facts, Fact{l.pick("Updates", "Updates"),
			cadence(a.UpdatesPerDay, time.Duration(a.UpdateInterval)*time.Second, l) + " (R5.3)"})
	}
	for _, n := range a.Notes {
		r.Notes = append(r.Notes, note(n, l))
	}
	if tg.None() {
		r.Notes = append(r.Notes, l.pick(
			fmt.Sprintf("No SL for a %s of a %s customer (R5).", KindName(cmd.Kind, l), tierName(cu.Tier, l)),
			fmt.Sprintf("Geen SL voor een %s van een %s klant (R5).", KindName(cmd.Kind, l), tierName(cu.Tier, l))))
	}
	return r, nil
}

func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// dueText gives "Mon 13 Jul 09:30 (2h00 business time)", or "no SL".
func dueText(due *time.Time, target time.Duration, l Lang, now time.Time) string {
	if due == nil {
		return l.pick("no SL", "geen SL")
	}
	return l.When(*due, now) + l.pick(" ("+Hours(target)+" business time)", " ("+Hours(target)+" werktijd)")
}
