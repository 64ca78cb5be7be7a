package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// queueQuery is what the queue asks the store (Store.Queue).
type queueQuery struct {
	Customer      string
	Priority      sla.Priority
	DueBy, RiskBy time.Time
}

// queueMax bounds the tickets one queue answer lists; the renderers may show fewer
// (Reply.Shorten) and say how many more there are.
const queueMax = 30

// spanEnd gives the instant a span runs to, and whether the at-risk clocks count:
// today to midnight, this week to Monday 00:00, at risk and breached now.
func spanEnd(s Span, now time.Time) (time.Time, bool) {
	today := sla.DateOf(now)
	switch s {
	case SpanWeek:
		return today.AddDays(7-(int(today.Weekday())+6)%7).At(0, 0), true
	case SpanAtRisk:
		return now, true
	case SpanBreached:
		return now, false
	}
	return today.AddDays(1).At(0, 0), true
}

// queue answers `today`, `this week`, `at risk` and `breached` [P1] [for CUSTOMER]: the
// open tickets whose running clocks fall due, breach (R3.5, R5.3) or get at risk in
// that span, soonest first, grouped by customer, for the customers the caller may see
// (a customer's channel sees its own only, elsewhere only the MAGDA team asks).
func (h *Handler) queue(ctx context.Context, c Caller, cmd Command, l Lang) (Reply, error) {
	scope, scoped := h.scope(c)
	if !scoped && !h.isStaff(c) {
		return Reply{}, errorf(CodeForbidden, "%s", l.pick(
			"The queue is for the MAGDA team, or in the customer's own channel.",
			"De wachtrij is voor het MAGDA-team, of in het eigen kanaal van de klant."))
	}
	if cmd.Span == "" { // a Command built by hand: the day's queue
		cmd.Span = SpanToday
	}
	q := queueQuery{Priority: cmd.Priority}
	var cu Customer
	if cmd.Customer != "" || scoped {
		var err error
		if cu, err = h.customer(c, cmd.Customer, l); err != nil {
			return Reply{}, err
		}
		q.Customer = cu.ID
	}
	if h.o.Store == nil {
		return Reply{}, internal(fmt.Errorf("queue: no store configured"))
	}
	now := h.o.Now()
	end, risk := spanEnd(cmd.Span, now)
	q.DueBy = end
	if risk {
		q.RiskBy = end
	}
	ts, total, err := h.o.Store.Queue(ctx, q.Customer, q.Priority, q.DueBy, q.RiskBy, queueMax)
	if err != nil {
		return Reply{}, internal(fmt.Errorf("queue: %w", err))
	}
	open := h.entries(ts, now, func(t sla.Ticket, _ sla.View) bool {
		return (!scoped || strings.EqualFold(t.Customer, scope)) && (q.Customer == "" || strings.EqualFold(t.Customer, q.Customer)) &&
			(q.Priority == sla.NoPriority || t.Priority == q.Priority)
	})
	open = byCustomer(open)
	what := spanTitle(cmd.Span, l)
	if cmd.Priority != sla.NoPriority {
		what += " · " + cmd.Priority.String()
	}
	if q.Customer != "" {
		what += " · " + cu.label()
	}
	r := Reply{Kind: KindTickets, Title: what + ": " + fmt.Sprint(total)}
	if total == 0 {
		r.Lines = []string{l.pick("Nothing falls due or is at risk then.", "Niets vervalt of is dan in gevaar.")}
	}
	for _, e := range open {
		facts, status := h.clockFacts(e.t, e.v, l, now)
		cn, _ := h.customerByID(e.t.Customer)
		title := e.t.Key + " · " + KindName(e.t.Kind, l)
		if e.t.Kind != sla.Connection {
			title = e.t.Key + " · " + e.t.Priority.String() + " " + KindName(e.t.Kind, l)
		}
		r.Items = append(r.Items, Item{
			Title: displayName(cn) + " · " + title + " · " + stateText(e.t, l, now), Status: status, Facts: facts,
			Buttons: append([]Button{{Action: ActTicket, Label: l.pick("Details", "Details"), Value: e.t.Key}}, h.actions(c, e.t, l)...),
		})
		if status == StatusBreached || status == StatusAtRisk && r.Status != StatusBreached {
			r.Status = status
		}
	}
	if more := total - len(r.Items); more > 0 {
		r.Notes = append(r.Notes, l.pick(fmt.Sprintf("%d more: ask for one customer or priority (`today P1 for agency-x`).", more),
			fmt.Sprintf("Nog %d: vraag naar één klant of prioriteit (`vandaag P1 voor agentschap-x`).", more)))
	}
	r.More = l.pick("`today P1 for CUSTOMER` narrows the queue.", "`vandaag P1 voor KLANT` beperkt de wachtrij.")
	return r, nil
}

// byCustomer groups entries by customer, keeping their order within each: the customer
// with the soonest ticket first.
func byCustomer(es []entry) []entry {
	var order []string
	groups := map[string][]entry{}
	for _, e := range es {
		k := strings.ToLower(e.t.Customer)
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], e)
	}
	out := make([]entry, 0, len(es))
	for _, k := range order {
		out = append(out, groups[k]...)
	}
	return out
}
