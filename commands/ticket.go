package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// maxItems bounds a list: chat messages have room for about ten tickets.
const maxItems = 10

// card answers `sla MAGDA-123` with the ticket's clocks (R5) and escalation (R7). A key
// that is no ticket but a customer's id ("agency-1") lists that customer's tickets; in a
// customer's channel only when it is that customer, so that any other key is "not found".
func (h *Handler) card(ctx context.Context, c Caller, key string, l Lang) (Reply, error) {
	t, err := h.ticket(ctx, c, key, l)
	if err != nil {
		_, isCustomer := h.byID[strings.ToLower(key)]
		scope, scoped := h.scope(c)
		if isCustomer && ErrorCode(err) == CodeNotFound && (!scoped || strings.EqualFold(scope, key)) {
			return h.list(ctx, c, key, l)
		}
		return Reply{}, err
	}
	r := h.Card(t, l, h.o.Now())
	r.Buttons = append(h.actions(c, t, l), Button{Action: ActExplain, Label: l.pick("Explain", "Uitleg"), Value: t.Key})
	return r, nil
}

// Card is a ticket's SLA card at now, without buttons: the answer to `sla MAGDA-123`,
// and the body of notifications (the escalation mail, R7).
func (h *Handler) Card(t sla.Ticket, l Lang, now time.Time) Reply {
	if l == "" {
		l = h.o.Language
	}
	v := t.At(h.o.Calendars, now)
	cu, _ := h.customerByID(t.Customer)
	facts := []Fact{
		{l.pick("Customer", "Klant"), cu.label()},
		{l.pick("Tier", "Niveau"), tierName(t.Tier, l)},
		{l.pick("Kind", "Soort"), KindName(t.Kind, l)},
	}
	if t.Kind != sla.Connection {
		facts = append(facts, Fact{l.pick("Priority", "Prioriteit"), priorityText(t, l)})
	}
	if t.Env == sla.TNI {
		facts = append(facts, Fact{l.pick("Environment", "Omgeving"), "TNI"})
	}
	facts = append(facts, Fact{l.pick("State", "Status"), stateText(t, l, now)})
	clocks, status := h.clockFacts(t, v, l, now)
	facts = append(facts, clocks...)
	facts = append(facts, Fact{l.pick("Escalation", "Escalatie"), EscalationName(t.Escalation, l)})
	facts = append(facts, contactFacts(cu, l)...)
	what := KindName(t.Kind, l)
	if t.Kind != sla.Connection {
		what = t.Priority.String() + " " + what
	}
	return Reply{
		Kind: KindTicket, Lang: l, Title: t.Key + " · " + what + " · " + displayName(cu), Status: status,
		Facts: facts, Items: historyItems(t, l, now), Notes: notes(t, l),
	}
}

// list answers `sla agency-x` with the customer's open tickets, soonest due first.
func (h *Handler) list(ctx context.Context, c Caller, text string, l Lang) (Reply, error) {
	if _, scoped := h.scope(c); !scoped && !h.isStaff(c) {
		return Reply{}, errorf(CodeForbidden, "%s", l.pick(
			"Ticket details are for the MAGDA team, or in the customer's own channel.",
			"Ticketdetails zijn voor het MAGDA-team, of in het eigen kanaal van de klant."))
	}
	cu, err := h.customer(c, text, l)
	if err != nil {
		return Reply{}, err
	}
	if h.o.Store == nil {
		return Reply{}, internal(fmt.Errorf("list %s: no store configured", cu.ID))
	}
	now := h.o.Now()
	ts, total, err := h.o.Store.List(ctx, cu.ID, maxItems)
	if err != nil {
		return Reply{}, internal(fmt.Errorf("list %s: %w", cu.ID, err))
	}
	open := h.entries(ts, now, func(t sla.Ticket, _ sla.View) bool { return strings.EqualFold(t.Customer, cu.ID) })
	r := Reply{Kind: KindTickets, Title: l.pick(
		fmt.Sprintf("Open tickets of %s: %d", cu.label(), total),
		fmt.Sprintf("Open tickets van %s: %d", cu.label(), total))}
	if len(open) == 0 {
		r.Lines = []string{l.pick("No open tickets.", "Geen open tickets.")}
	}
	if _, scoped := h.scope(c); !scoped { // the team's: a customer has no shell on the bot's server
		r.More = l.pick("`bot tickets --customer "+cu.ID+" --open` lists them all.",
			"`bot tickets --customer "+cu.ID+" --open` toont ze allemaal.")
	}
	h.addItems(&r, c, open, total, l, now)
	return r, nil
}

// Home is the App Home of a user: for the MAGDA team, every open ticket at risk or
// breached, the most urgent first; for anyone else, the command list.
func (h *Handler) Home(ctx context.Context, c Caller, l Lang) Reply {
	if l == "" {
		l = h.o.Language
	}
	if !h.isStaff(c) {
		return help(l)
	}
	now := h.o.Now()
	ts, total, err := h.o.Store.Urgent(ctx, now, maxItems)
	if err != nil {
		return h.fail(l, Command{Verb: VerbCustomer}, internal(fmt.Errorf("home: %w", err)))
	}
	// The store chooses by the instants it keeps; the cards' statuses have the last word
	// on what is shown (TestHomeAgreesWithCards_R3_1_R3_5_R5_3).
	urgent := h.entries(ts, now, func(t sla.Ticket, v sla.View) bool {
		_, status := h.clockFacts(t, v, l, now)
		return status == StatusAtRisk || status == StatusBreached
	})
	r := Reply{Kind: KindTickets, Lang: l, Title: l.pick(
		fmt.Sprintf("Tickets at risk or breached: %d", total),
		fmt.Sprintf("Tickets in gevaar of over tijd: %d", total))}
	if len(urgent) == 0 {
		r.Lines = []string{l.pick("Every open ticket is on track.", "Alle open tickets liggen op schema.")}
	}
	r.More = l.pick("`sla CUSTOMER` lists a customer's open tickets.", "`sla KLANT` toont de open tickets van een klant.")
	h.addItems(&r, c, urgent, total, l, now)
	return r
}

type entry struct {
	t sla.Ticket
	v sla.View
}

// entries views the open, known tickets that keep accepts, in the lists' order
// (sla.CompareNextDue): the order the store reads them in from its indexes, so that the
// few it gives are the first of all. That order is by the due times the ticket keeps,
// not by those its view shows at now: a paused clock that breached sorts with the
// tickets without a running clock, and an update clock past due at the update missed.
func (h *Handler) entries(ts []sla.Ticket, now time.Time, keep func(sla.Ticket, sla.View) bool) []entry {
	ts = slices.Clone(ts)
	slices.SortFunc(ts, sla.CompareNextDue)
	var open []entry
	for _, t := range ts {
		if !t.Known || t.State == sla.ResolvedState {
			continue
		}
		v := t.At(h.o.Calendars, now)
		if keep(t, v) { // the store's filter is not trusted with another customer's tickets
			open = append(open, entry{t, v})
		}
	}
	return open
}

// addItems adds one item per entry, at most maxItems, to r; when total (how many the
// store has) is more than it shows, a note says so and tells, from r.More, where to see
// them all.
func (h *Handler) addItems(r *Reply, c Caller, open []entry, total int, l Lang, now time.Time) {
	for i, e := range open {
		if i == maxItems {
			break
		}
		facts, status := h.clockFacts(e.t, e.v, l, now)
		title := e.t.Key + " · " + KindName(e.t.Kind, l)
		if e.t.Kind != sla.Connection {
			title = e.t.Key + " · " + e.t.Priority.String() + " " + KindName(e.t.Kind, l)
		}
		r.Items = append(r.Items, Item{
			Title: title + " · " + stateText(e.t, l, now), Status: status, Facts: facts,
			Buttons: append([]Button{{Action: ActTicket, Label: l.pick("Details", "Details"), Value: e.t.Key}}, h.actions(c, e.t, l)...),
		})
		if status == StatusBreached || status == StatusAtRisk && r.Status != StatusBreached {
			r.Status = status
		}
	}
	if shown := len(r.Items); shown > 0 && total > shown {
		note := l.pick(fmt.Sprintf("The %d due soonest of %d are shown.", shown, total),
			fmt.Sprintf("De %d dringendste van %d worden getoond.", shown, total))
		if r.More != "" {
			note += " " + r.More
		}
		r.Notes = []string{note}
	}
}

func displayName(cu Customer) string {
	if cu.Name != "" {
		return cu.Name
	}
	return cu.ID
}

// actions gives the buttons the caller may use on t: Escalate (staff, or the customer
// when allowed, R7) and Post update (staff, R5.3).
func (h *Handler) actions(c Caller, t sla.Ticket, l Lang) []Button {
	if t.State == sla.ResolvedState {
		return nil
	}
	var out []Button
	_, scoped := h.scope(c)
	staff := h.isStaff(c)
	if t.Escalation < sla.MaxEscalation && (staff || scoped && h.o.Access.CustomersMayEscalate) {
		out = append(out, Button{Action: ActEscalate, Label: l.pick("Escalate", "Escaleer"), Value: EscalateValue(t.Key, t.Escalation), Style: StyleDanger,
			Confirm: &Confirm{
				Title: l.pick("Escalate "+t.Key+"?", t.Key+" escaleren?"),
				Text: l.pick("This escalates "+t.Key+" to ", "Dit escaleert "+t.Key+" naar ") +
					EscalationName(t.Escalation+1, l) + ".",
				Yes: l.pick("Escalate", "Escaleer"), No: l.pick("Cancel", "Annuleer"),
			}})
	}
	if staff {
		out = append(out, Button{Action: ActUpdate, Label: l.pick("Post update", "Update posten"), Value: t.Key, Style: StylePrimary})
	}
	return out
}

// clockFacts gives the response, resolution and update clocks (R5.1-R5.3) and the
// status of the worst of them.
func (h *Handler) clockFacts(t sla.Ticket, v sla.View, l Lang, now time.Time) ([]Fact, Status) {
	status := StatusNone
	worse := func(s Status) {
		rank := map[Status]int{StatusNone: 0, StatusOK: 1, StatusAtRisk: 2, StatusBreached: 3}
		if rank[s] > rank[status] {
			status = s
		}
	}
	resp, s1 := h.clockText(v.Response, l, now)
	res, s2 := h.clockText(v.Resolution, l, now)
	worse(s1)
	worse(s2)
	facts := []Fact{{l.pick("Response", "Antwoord"), resp}, {l.pick("Resolution", "Oplossing"), res}}
	if v.Updates != nil {
		u, s := updatesText(t, v.Updates, l, now)
		worse(s)
		facts = append(facts, Fact{l.pick("Updates", "Updates"), u})
	}
	return facts, status
}

// clockText renders one clock at now: met, on track, at risk (the at-risk share of its
// target used), breached, paused, or no SL (R3.1, R5).
func (h *Handler) clockText(v *sla.ClockView, l Lang, now time.Time) (string, Status) {
	if v == nil {
		return l.pick("no SL", "geen SL"), StatusNone
	}
	left := time.Duration(v.Remaining) * time.Second
	switch {
	case v.DoneAt != nil && v.Met != nil && *v.Met:
		return l.pick("met · done ", "gehaald · klaar ") + l.When(*v.DoneAt, now) +
			l.pick(" (due ", " (deadline ") + l.When(*v.Due, now) + ")", StatusOK
	case v.DoneAt != nil:
		return l.pick("breached · done ", "niet gehaald · klaar ") + l.When(*v.DoneAt, now) +
			l.pick(" (due ", " (deadline ") + l.When(*v.Due, now) + ")", StatusBreached
	case v.Due == nil && v.Met != nil && !*v.Met:
		return l.pick("paused · breached", "gepauzeerd · niet gehaald"), StatusBreached
	case v.Due == nil:
		return l.pick("paused · "+Hours(left)+" left", "gepauzeerd · nog "+Hours(left)), StatusOK
	case v.Met != nil && !*v.Met && left < 0:
		return l.pick("breached "+Hours(left)+" ago · was due ", "overschreden sinds "+Hours(left)+" · deadline was ") +
			l.When(*v.Due, now), StatusBreached
	case v.Met != nil && !*v.Met:
		return l.pick("breached · due ", "niet gehaald · deadline ") + l.When(*v.Due, now), StatusBreached
	case v.Used >= h.o.AtRisk:
		return l.pick("due ", "deadline ") + l.When(*v.Due, now) +
			l.pick(" · "+Hours(left)+" left · at risk", " · nog "+Hours(left)+" · in gevaar"), StatusAtRisk
	}
	return l.pick("due ", "deadline ") + l.When(*v.Due, now) +
		l.pick(" · "+Hours(left)+" left · on track", " · nog "+Hours(left)+" · op schema"), StatusOK
}

// updatesText renders the R5.3 update clock: next due, missed updates and the cadence.
func updatesText(t sla.Ticket, u *sla.UpdatesView, l Lang, now time.Time) (string, Status) {
	var parts []string
	status := StatusOK
	switch {
	case u.NextDue != nil:
		parts = append(parts, l.pick("next due ", "volgende tegen ")+l.When(*u.NextDue, now))
	case t.State == sla.ResolvedState || t.Updates != nil && t.Updates.Stopped:
		parts, status = append(parts, l.pick("stopped", "gestopt")), StatusNone
	case t.State == sla.PausedState:
		parts = append(parts, l.pick("paused", "gepauzeerd"))
	default:
		parts, status = append(parts, l.pick("start at the first response", "starten bij het eerste antwoord")), StatusNone
	}
	if u.LastAt != nil {
		parts = append(parts, l.pick("last ", "laatste ")+l.When(*u.LastAt, now))
	}
	if u.Missed > 0 {
		parts = append(parts, l.pick(fmt.Sprintf("%d missed", u.Missed), fmt.Sprintf("%d gemist", u.Missed)))
		status = StatusBreached
	}
	parts = append(parts, cadence(u.PerDay, time.Duration(u.Interval)*time.Second, l))
	return strings.Join(parts, " · "), status
}

// priorityText gives the effective priority and, when it differs, the customer's own
// estimate (R4.1).
func priorityText(t sla.Ticket, l Lang) string {
	s := t.Priority.String()
	if t.Estimate != t.Priority && t.Estimate != sla.NoPriority {
		s += l.pick(" (customer's estimate: ", " (inschatting van de klant: ") + t.Estimate.String() + ")"
	}
	if t.PriorityReason != "" {
		s += " · " + t.PriorityReason
	}
	return s
}

func stateText(t sla.Ticket, l Lang, now time.Time) string {
	switch t.State {
	case sla.PausedState:
		s := l.pick("paused", "gepauzeerd")
		if w := waitingFor(t.PauseReason, l); w != "" {
			s += " (" + w + ")"
		}
		return s
	case sla.ResolvedState:
		return l.pick("resolved ", "opgelost ") + l.When(t.ResolvedAt, now)
	}
	return "open"
}

func notes(t sla.Ticket, l Lang) []string {
	var out []string
	for _, n := range t.Notes {
		out = append(out, note(n, l))
	}
	return out
}
