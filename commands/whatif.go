package commands

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// whatIf answers `sla P2 for agency-x [friday 16:45]`: the due times of a ticket
// reported now or at the moment asked, as the engine clocks it (sla.WhatIf replays one
// created event: R3-R5, R4.2), with one line naming the days that do not count when a
// weekend, holiday or closure day (R3.3) moves them.
func (h *Handler) whatIf(c Caller, cmd Command, l Lang) (Reply, error) {
	cu, err := h.customer(c, cmd.Customer, l)
	if err != nil {
		return Reply{}, err
	}
	now := h.o.Now()
	at := cmd.At.Resolve(now)
	a := sla.WhatIf(h.o.Calendars, sla.WhatIfQuestion{
		Customer: cu.ID, Tier: cu.Tier, Kind: cmd.Kind, Priority: cmd.Priority,
		Env: cmd.Env, Motivation: cmd.Motivation, Source: sla.Portal, At: at,
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
	when := l.pick("reported now", "nu gemeld")
	if !cmd.At.IsZero() {
		when = l.pick("reported ", "gemeld ") + l.When(at, now)
	}
	r := Reply{Kind: KindWhatIf, Title: capital(l.pick(
		fmt.Sprintf("%s for %s, %s", what, displayName(cu), when),
		fmt.Sprintf("%s voor %s, %s", what, displayName(cu), when)))}
	r.Facts = []Fact{
		{l.pick("Customer", "Klant"), cu.label() + " · " + tierName(cu.Tier, l)},
		{l.pick("Reported", "Gemeld"), l.When(at, now)},
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
	if why := h.skipped(cu.Tier, at, max(tg.Response, tg.Resolution), l, now); why != "" && a.ResolutionDue != nil {
		r.Lines = append(r.Lines, why)
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

// maxSkipped bounds the days the what-if's reason names; the rest are counted.
const maxSkipped = 3

// skipped gives one line naming the days without a service window between a report at
// `at` and its longest target's due time (weekends, holidays, closure days: R3.2, R3.3),
// "" when none lies between.
func (h *Handler) skipped(tier sla.Tier, at time.Time, target time.Duration, l Lang, now time.Time) string {
	if target <= 0 {
		return ""
	}
	x := sla.ExplainDue(h.o.Calendars.For(tier), at, target)
	var days []string
	n := 0
	for _, s := range x.Steps {
		if s.Kind != sla.StepSkipped {
			continue
		}
		if n++; n <= maxSkipped {
			days = append(days, l.span(s.From, s.To.Add(-time.Second), now)+" "+dayText(s.Day, l))
		}
	}
	if n == 0 {
		return ""
	}
	line := l.pick("Not counted: ", "Telt niet: ") + strings.Join(days, ", ")
	if n > maxSkipped {
		line += l.pick(fmt.Sprintf(" and %d more", n-maxSkipped), fmt.Sprintf(" en nog %d", n-maxSkipped))
	}
	return line + " (R3.3)."
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
