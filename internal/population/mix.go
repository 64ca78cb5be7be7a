package population

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// The mix, in parts per thousand, as tickets come to the MAGDA service desk: mostly P3
// and P4 incidents and questions, few connection requests, few P1s.
var (
	kinds      = weights[sla.Kind]{{sla.Incident, 600}, {sla.Question, 350}, {sla.Connection, 50}}
	priorities = weights[sla.Priority]{{sla.P1, 30}, {sla.P2, 120}, {sla.P3, 450}, {sla.P4, 400}}
	envs       = weights[sla.Env]{{sla.Prod, 850}, {sla.TNI, 150}}
	sources    = weights[sla.Source]{{sla.Portal, 900}, {sla.Mail, 50}, {sla.Phone, 30}, {sla.Chat, 20}}
)

// The shares of what happens to a ticket, per thousand.
const (
	openShare       = 500 // still open at Now (some of them paused): "half of them open"
	respondedShare  = 950 // responded before Now or before being resolved (R5.1)
	motivatedShare  = 500 // a P1/P2 on TNI with a motivation keeps its priority (R4.2)
	changedShare    = 80  // an incident or question whose priority changes once (R4.4)
	pausedShare     = 200 // paused once for the customer or a third party (R3.4)
	customerShare   = 700 // of the pauses: waiting for the customer
	waitingShare    = 250 // of the pauses of an open ticket: not answered yet
	updatedShare    = 300 // a ticket without R5.3 updates that still gets one or two
	escalatedShare  = 30  // escalated to the first step (R7)
	secondStepShare = 250 // of those: on to the second step
	reopenedShare   = 60  // of the resolved: reopened (R5.2)
	againShare      = 500 // of the reopened: resolved again
)

// maxUpdates bounds the progress updates of a long-running dedicated P1/P2, so that a
// ticket left open for months is not thousands of events.
const maxUpdates = 40

type weights[T any] []struct {
	v T
	w int // parts per thousand
}

func (ws weights[T]) pick(rng *rand.Rand) T {
	n := rng.IntN(1000)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

// gen makes one ticket's events.
type gen struct {
	rng *rand.Rand
	key string
	now time.Time
	evs []sla.Event
}

func (g *gen) chance(perMille int) bool { return g.rng.IntN(1000) < perMille }

// between is a uniform instant in [from, to).
func (g *gen) between(from, to time.Time) time.Time {
	if !from.Before(to) {
		return from
	}
	return from.Add(time.Duration(g.rng.Int64N(int64(to.Sub(from))))).Truncate(time.Second)
}

// gap is a duration between lo and hi drawn log-uniformly: most waits are short, a few
// are long, as service desk waits are.
func (g *gen) gap(lo, hi time.Duration) time.Duration {
	l, h := math.Log(float64(lo)), math.Log(float64(hi))
	return time.Duration(math.Exp(l + g.rng.Float64()*(h-l))).Truncate(time.Second)
}

func (g *gen) add(typ sla.EventType, at time.Time, e sla.Event) {
	e.Ticket, e.Type, e.At = g.key, typ, at
	g.evs = append(g.evs, e)
}

// ticket draws the life of a ticket of c created at `at`: its kind and priority, then
// what happened to it until it was resolved or until now.
func (g *gen) ticket(c Customer, at time.Time) []sla.Event {
	kind, prio := kinds.pick(g.rng), priorities.pick(g.rng)
	created := sla.Event{Customer: c.ID, Kind: kind, Priority: prio, Env: envs.pick(g.rng), Source: sources.pick(g.rng)}
	if kind == sla.Connection {
		created.Priority, created.Env = sla.NoPriority, sla.Prod // R2.3: no priority
	}
	if created.Env == sla.TNI && prio <= sla.P2 && g.chance(motivatedShare) {
		created.Motivation = "the production release waits on this test environment"
	}
	g.add(sla.Created, at, created)

	// end is when the ticket's life stops: resolved, or still open at now.
	end, resolved := g.now, false
	if !g.chance(openShare) && g.now.Sub(at) > 2*time.Minute {
		d := g.gap(30*time.Minute, 30*24*time.Hour)
		if at.Add(d).Before(g.now) {
			end = at.Add(d)
		} else {
			end = g.between(at.Add(time.Minute), g.now)
		}
		resolved = true
	}
	start := at
	if g.chance(respondedShare) {
		if r := at.Add(g.gap(2*time.Minute, 8*time.Hour)); r.Before(end) {
			g.add(sla.Responded, r, sla.Event{By: "agent"})
			start = r
		}
	}
	if kind != sla.Connection && g.chance(changedShare) {
		to := prio + 1
		if prio == sla.P4 || (prio > sla.P1 && g.chance(500)) {
			to = prio - 1
		}
		g.add(sla.PriorityChanged, g.between(at, end), sla.Event{Priority: to, By: "sdm", Reason: "agreed with the customer"})
	}
	if g.chance(pausedShare) {
		p := g.between(start, end)
		reason := sla.WaitThirdParty
		if g.chance(customerShare) {
			reason = sla.WaitCustomer
		}
		g.add(sla.Paused, p, sla.Event{Reason: reason})
		// An open ticket now and then still waits for its answer: paused at Now.
		if r := p.Add(g.gap(30*time.Minute, 5*24*time.Hour)); r.Before(end) && (resolved || !g.chance(waitingShare)) {
			g.add(sla.Resumed, r, sla.Event{})
		}
	}
	g.updates(c, kind, prio, start, end)
	if g.chance(escalatedShare) {
		e := g.between(at, end)
		g.add(sla.Escalated, e, sla.Event{Level: 1, By: "sdm", Reason: "customer asked"})
		if g.chance(secondStepShare) {
			g.add(sla.Escalated, g.between(e, end), sla.Event{Level: 2, By: "sdm", Reason: "no fix in sight"})
		}
	}
	if resolved {
		g.add(sla.Resolved, end, sla.Event{By: "agent"})
		if g.chance(reopenedShare) {
			if r := end.Add(g.gap(time.Hour, 3*24*time.Hour)); r.Before(g.now) {
				g.add(sla.Reopened, r, sla.Event{By: "customer"})
				if again := r.Add(g.gap(time.Hour, 5*24*time.Hour)); g.chance(againShare) && again.Before(g.now) {
					g.add(sla.Resolved, again, sla.Event{By: "agent"})
				}
			}
		}
	}
	sla.SortEvents(g.evs)
	for n := range g.evs {
		g.evs[n].ID = g.key + "/" + strconv.Itoa(n+1)
	}
	return g.evs
}

// updates adds the progress updates after the response: a dedicated P1/P2 incident
// gets them about as often as R5.3 asks (P1 twice, P2 once a working day, in wall time
// with some missed), any other ticket now and then one or two.
func (g *gen) updates(c Customer, kind sla.Kind, prio sla.Priority, from, end time.Time) {
	if c.Tier == sla.Dedicated && kind == sla.Incident && prio <= sla.P2 {
		every := 20 * time.Hour
		if prio == sla.P1 {
			every = 6 * time.Hour
		}
		t := from
		for range maxUpdates {
			t = t.Add(g.gap(every/2, every*2))
			if !t.Before(end) {
				return
			}
			g.add(sla.Updated, t, sla.Event{By: "agent"})
		}
		return
	}
	if g.chance(updatedShare) {
		for range 1 + g.rng.IntN(2) {
			g.add(sla.Updated, g.between(from, end), sla.Event{By: "agent"})
		}
	}
}
