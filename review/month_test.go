package review_test

import (
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

func dt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, sla.Brussels)
}

func dedicated(string) (sla.Tier, bool) { return sla.Dedicated, true }

// ev builds one event; extra sets the fields of a few types.
func ev(key string, typ sla.EventType, at time.Time, extra ...func(*sla.Event)) sla.Event {
	e := sla.Event{Ticket: key, Type: typ, At: at}
	for _, f := range extra {
		f(&e)
	}
	return e
}

func created(kind sla.Kind, p sla.Priority, src sla.Source) func(*sla.Event) {
	return func(e *sla.Event) { e.Customer, e.Kind, e.Priority, e.Source = "agency-x", kind, p, src }
}

func reason(r string) func(*sla.Event) { return func(e *sla.Event) { e.Reason = r } }

func by(who, why string) func(*sla.Event) { return func(e *sla.Event) { e.By, e.Reason = who, why } }

func prio(p sla.Priority) func(*sla.Event) { return func(e *sla.Event) { e.Priority = p } }

func level(l int) func(*sla.Event) { return func(e *sla.Event) { e.Level = l } }

// november is the generated month of the report tests: a dedicated customer in
// November 2026 (Mon 2 Nov is a Flemish leave day, Wed 11 Nov a holiday, R3.3), with
// two October tickets for the comparison. The window is 08:00-17:00 (9h a day, R3.2).
// Each ticket's comment gives the hand-computed business times the tests expect.
func november() [][]sla.Event {
	inc, q := sla.Incident, sla.Question
	return [][]sla.Event{
		// MAGDA-1 P2: response 1h (met), update Wed 09:00 (next due Thu 09:00: none
		// missed), resolved after Tue 09-17 8h + Wed 08-12 4h = 12h (met). Open 12h.
		{ev("MAGDA-1", sla.Created, dt(2026, 11, 3, 9, 0), created(inc, sla.P2, sla.Portal)),
			ev("MAGDA-1", sla.Responded, dt(2026, 11, 3, 10, 0)),
			ev("MAGDA-1", sla.Updated, dt(2026, 11, 4, 9, 0)),
			ev("MAGDA-1", sla.Resolved, dt(2026, 11, 4, 12, 0))},
		// MAGDA-2 P2: response 3h (breached at 10:00, 1h late); paused for the customer
		// Thu 12-17 5h + Fri 08-12 4h = 9h; resolution 4h + 5h + Mon 9h = 18h, breached
		// Mon 9 Nov 15:00 (2h late); the update due Mon 11:00 is missed (1). Open 27h.
		{ev("MAGDA-2", sla.Created, dt(2026, 11, 5, 8, 0), created(inc, sla.P2, sla.Portal)),
			ev("MAGDA-2", sla.Responded, dt(2026, 11, 5, 11, 0)),
			ev("MAGDA-2", sla.Paused, dt(2026, 11, 5, 12, 0), reason(sla.WaitCustomer)),
			ev("MAGDA-2", sla.Resumed, dt(2026, 11, 6, 12, 0)),
			ev("MAGDA-2", sla.Resolved, dt(2026, 11, 9, 17, 0))},
		// MAGDA-3 estimated P3, raised to P1 at 08:30 by henk; response 45m (met);
		// escalated by jan; paused for a third party Tue 10-17 7h + Thu 08-11 3h = 10h
		// (Wed 11 Nov is a holiday); resolution 2h + 1h = 3h (met). Open 9h + 4h = 13h.
		{ev("MAGDA-3", sla.Created, dt(2026, 11, 10, 8, 0), created(inc, sla.P3, sla.Portal)),
			ev("MAGDA-3", sla.PriorityChanged, dt(2026, 11, 10, 8, 30), prio(sla.P1), by("henk", "outage wider")),
			ev("MAGDA-3", sla.Responded, dt(2026, 11, 10, 8, 45)),
			ev("MAGDA-3", sla.Escalated, dt(2026, 11, 10, 9, 30), level(1), by("jan", "customer asks")),
			ev("MAGDA-3", sla.Paused, dt(2026, 11, 10, 10, 0), reason(sla.WaitThirdParty)),
			ev("MAGDA-3", sla.Resumed, dt(2026, 11, 12, 11, 0)),
			ev("MAGDA-3", sla.Resolved, dt(2026, 11, 12, 12, 0))},
		// MAGDA-4 by mail: no SL (R3.1). Open 1h.
		{ev("MAGDA-4", sla.Created, dt(2026, 11, 16, 9, 0), created(inc, sla.P4, sla.Mail)),
			ev("MAGDA-4", sla.Resolved, dt(2026, 11, 16, 10, 0))},
		// MAGDA-5 question P2 (56h): still open at the end. Open 2h.
		{ev("MAGDA-5", sla.Created, dt(2026, 11, 30, 15, 0), created(q, sla.P2, sla.Portal))},
		// MAGDA-6 P2 from October: response 1h met in October; resolution Fri 9h + Tue
		// 3 Nov 8h (Mon 2 Nov closed) = 17h, breached Tue 3 Nov 15:00 (1h late); the
		// update due Tue 09:00 is missed in November. Open in November 8h.
		{ev("MAGDA-6", sla.Created, dt(2026, 10, 30, 8, 0), created(inc, sla.P2, sla.Portal)),
			ev("MAGDA-6", sla.Responded, dt(2026, 10, 30, 9, 0)),
			ev("MAGDA-6", sla.Resolved, dt(2026, 11, 3, 16, 0))},
		// MAGDA-7 P2 in October: response 30m, resolution 4h, both met.
		{ev("MAGDA-7", sla.Created, dt(2026, 10, 5, 8, 0), created(inc, sla.P2, sla.Portal)),
			ev("MAGDA-7", sla.Responded, dt(2026, 10, 5, 8, 30)),
			ev("MAGDA-7", sla.Resolved, dt(2026, 10, 5, 12, 0))},
	}
}

var cals = sla.NewCalendars(nil)

func inputs() []review.Input {
	var in []review.Input
	for _, evs := range november() {
		in = append(in, review.Input{Ticket: sla.Replay(evs, dedicated, cals), Events: evs})
	}
	return in
}

func novemberReport(lang string) review.Report {
	return review.Build(review.Options{
		Customer: "agency-x", Name: "Agentschap X", Period: review.Month(2026, time.November),
		Now: dt(2026, 12, 2, 10, 0), Lang: lang, TierOf: dedicated, Cals: cals,
	}, inputs())
}
