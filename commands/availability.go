package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Availability counts a month's R6.1 figure up to now.
type Availability interface {
	Month(ctx context.Context, m sla.Month, now time.Time) (sla.Availability, error)
}

// maxOutagesShown bounds the outages listed per component in chat; `bot outages`
// lists them all.
const maxOutagesShown = 5

// availability answers "availability [YYYY-MM]" (R6.1): the month up to now.
func (h *Handler) availability(ctx context.Context, cmd Command, l Lang) (Reply, error) {
	if h.o.Availability == nil {
		return Reply{}, &Error{Code: CodeInvalid, Message: l.pick("Availability is not measured here: no outage source is configured.",
			"Beschikbaarheid wordt hier niet gemeten: er is geen bron van storingen ingesteld.")}
	}
	now := h.o.Now()
	m := cmd.Month
	if m == (sla.Month{}) {
		m = sla.MonthOf(now)
	}
	if start, _ := m.Bounds(); start.After(now) {
		return Reply{}, &Error{Code: CodeInvalid, Message: l.pick(fmt.Sprintf("%s has not started yet.", m), fmt.Sprintf("%s is nog niet begonnen.", m))}
	}
	a, err := h.o.Availability.Month(ctx, m, now)
	if err != nil {
		return Reply{}, err
	}
	return AvailabilityReply(a, l, now), nil
}

// AvailabilityReply shows a month's figure (R6.1): the infrastructure as a whole first,
// then per component the ratio, the downtime, the error budget left and the outages. It
// serves chat, `bot ask`, `bot availability` and the SDM warnings alike.
func AvailabilityReply(a sla.Availability, l Lang, now time.Time) Reply {
	infra := a.Of(sla.Infrastructure)
	r := Reply{Kind: KindAvailability, Status: budgetStatus(infra),
		Title: l.pick(fmt.Sprintf("Availability %s (R6.1: %s)", a.Month, Percent(sla.Target, l)),
			fmt.Sprintf("Beschikbaarheid %s (R6.1: %s)", a.Month, Percent(sla.Target, l)))}
	r.Lines = append(r.Lines, l.pick("Infrastructure: ", "Infrastructuur: ")+figureText(infra, l))
	for _, c := range a.Components[:len(sla.Components)] {
		it := Item{Title: string(c.Component) + ": " + Percent(c.Ratio, l), Facts: []Fact{
			{l.pick("Down", "Onbeschikbaar"), Hours(c.Downtime)},
			{l.pick("Budget left", "Budget over"), budgetText(c, l)},
		}}
		for i, o := range c.Outages {
			if i == maxOutagesShown {
				it.Lines = append(it.Lines, l.pick(fmt.Sprintf("and %d more: `bot outages --month %s`", len(c.Outages)-i, a.Month),
					fmt.Sprintf("en nog %d: `bot outages --month %s`", len(c.Outages)-i, a.Month)))
				break
			}
			it.Lines = append(it.Lines, OutageText(o, l, now))
		}
		r.Items = append(r.Items, it)
	}
	asOf := l.pick("the month's end", "het einde van de maand")
	if _, end := a.Month.Bounds(); a.AsOf.Before(end) {
		asOf = l.When(a.AsOf, now)
	}
	r.Notes = []string{l.pick(
		fmt.Sprintf("Measured 24/7 in Brussels time up to %s, maintenance windows excluded (R6.1, R8): %s of the month's %s count; the error budget is 0.5 %% of that.",
			asOf, Hours(a.Scheduled), Hours(a.Total)),
		fmt.Sprintf("Gemeten 24/7 in Brusselse tijd tot %s, zonder onderhoudsvensters (R6.1, R8): %s van de %s van de maand telt mee; het foutbudget is 0,5 %% daarvan.",
			asOf, Hours(a.Scheduled), Hours(a.Total)))}
	return r
}

func figureText(c sla.ComponentAvailability, l Lang) string {
	return Percent(c.Ratio, l) + " · " + l.pick("down ", "onbeschikbaar ") + Hours(c.Downtime) + " · " +
		l.pick("budget left ", "budget over ") + budgetText(c, l)
}

func budgetText(c sla.ComponentAvailability, l Lang) string {
	if c.Left < 0 {
		return l.pick(fmt.Sprintf("none: %s exceeded by %s", Hours(c.Budget), Hours(-c.Left)),
			fmt.Sprintf("geen: %s overschreden met %s", Hours(c.Budget), Hours(-c.Left)))
	}
	return l.pick(fmt.Sprintf("%s of %s", Hours(c.Left), Hours(c.Budget)),
		fmt.Sprintf("%s van %s", Hours(c.Left), Hours(c.Budget)))
}

func budgetStatus(c sla.ComponentAvailability) Status {
	switch {
	case c.Left < 0:
		return StatusBreached
	case c.Used() >= 0.5:
		return StatusAtRisk
	}
	return StatusOK
}

// Percent gives a ratio as "99.87 %" (Dutch "99,87 %"), never rounded up to 100 % while
// anything was down.
func Percent(r float64, l Lang) string {
	s := fmt.Sprintf("%.2f", float64(int64(r*10000))/100)
	if l == Dutch {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " %"
}

// OutageText gives "Tue 10 Nov 10:00 – 10:30 · database · PostgresDown", or "… – now"
// for one still open.
func OutageText(o sla.Outage, l Lang, now time.Time) string {
	end := l.pick("now", "nu")
	switch {
	case o.End.IsZero():
	case sla.DateOf(o.End) == sla.DateOf(o.Start):
		end = o.End.In(sla.Brussels).Format("15:04")
	default:
		end = l.When(o.End, now)
	}
	s := l.When(o.Start, now) + " – " + end + " · " + string(o.Component)
	if o.Note != "" {
		s += " · " + o.Note
	}
	return s
}
