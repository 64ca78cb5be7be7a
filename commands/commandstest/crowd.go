package commandstest

import (
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Crowd is a deployment at scale, for the tests that every message still fits its
// platform: many customers with long names, each with many open tickets reported
// before a given instant, most of them breached or at risk by then.
type Crowd struct {
	Customers []CrowdCustomer
	Events    []sla.Event
}

// CrowdCustomer is one customer of a Crowd, as the configuration gives it.
type CrowdCustomer struct {
	ID, Name string
	Tier     sla.Tier
}

// NewCrowd gives customers customers (agency-000, agency-001, …; every other one
// dedicated) with perCustomer open tickets each, reported on the days before now, so
// that nearly all are breached or at risk by then: incidents of every priority, every
// tenth a question, every seventh a TNI incident with a long motivation; the P1s were
// answered half an hour after they came in. Names carry "&" and "—", which grow when
// escaped or encoded.
func NewCrowd(customers, perCustomer int, now time.Time) Crowd {
	var c Crowd
	y, m, d := now.Date()
	for i := range customers {
		cu := CrowdCustomer{ID: fmt.Sprintf("agency-%03d", i),
			Name: fmt.Sprintf("Agentschap Innovatie & Ondernemen — afdeling %03d", i), Tier: sla.Standard}
		if i%2 == 0 {
			cu.Tier = sla.Dedicated
		}
		c.Customers = append(c.Customers, cu)
		for j := range perCustomer {
			key := fmt.Sprintf("MAGDA-%d", 10000+i*perCustomer+j)
			at := time.Date(y, m, d-3-j, 10+j%6, 0, 0, 0, now.Location())
			e := sla.Event{ID: key + "-c", Ticket: key, Type: sla.Created, At: at, Customer: cu.ID,
				Kind: sla.Incident, Priority: sla.Priority(1 + j%4), Env: sla.Prod, Source: sla.Portal}
			if j%10 == 9 {
				e.Kind = sla.Question
			}
			if j%7 == 6 {
				e.Env, e.Motivation = sla.TNI, strings.Repeat("Blocks the yearly tax run for every municipality. ", 8)
			}
			c.Events = append(c.Events, e)
			if e.Priority == sla.P1 {
				c.Events = append(c.Events, sla.Event{ID: key + "-r", Ticket: key, Type: sla.Responded, At: at.Add(30 * time.Minute)})
			}
		}
	}
	return c
}

// TierOf gives a customer's tier, for Replay and NewStore.
func (c Crowd) TierOf(id string) (sla.Tier, bool) {
	for _, cu := range c.Customers {
		if cu.ID == id {
			return cu.Tier, true
		}
	}
	return sla.Standard, false
}

// CrowdAsk is a command asked in a Crowd and the kind of reply (a commands.Kind) it gets
// from the team and in a customer's channel (agency-007's).
type CrowdAsk struct{ Text, Team, Customer string }

// CrowdAsks are the commands the size tests of every platform ask in a Crowd: every
// kind of answer, with an escalation and an update pasted whole.
func CrowdAsks() []CrowdAsk {
	long := strings.Repeat("The fix is in test; production follows tonight. ", 400)
	return []CrowdAsk{
		{"sla agency-007", "tickets", "tickets"},
		{"sla", "error", "tickets"},
		{"sla MAGDA-10146", "ticket", "ticket"},
		{"explain MAGDA-10146", "explain", "explain"},
		{"sla P1 for agency-007", "whatif", "whatif"},
		{"help", "help", "help"},
		{"holidays 2026", "holidays", "holidays"},
		{"maintenance", "maintenance", "maintenance"},
		{"escalate MAGDA-10140 " + long, "recorded", "error"},
		{"update MAGDA-10141 " + long, "recorded", "error"},
		{"what's due today", "tickets", "tickets"},
		{"breached", "tickets", "tickets"},
		{"hello there", "error", "error"},
	}
}
