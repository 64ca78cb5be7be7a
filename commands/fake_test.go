package commands

import (
	"context"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// fakeStore is the log of a commandstest.Store with function fields to make it fail or
// lie: a nil field gives the log's own answer.
type fakeStore struct {
	*commandstest.Store
	TicketFunc func(ctx context.Context, key string) (sla.Ticket, bool, error)
	ListFunc   func(ctx context.Context, customer string, limit int) ([]sla.Ticket, int, error)
	UrgentFunc func(ctx context.Context, now time.Time, limit int) ([]sla.Ticket, int, error)
	AppendFunc func(ctx context.Context, source, deliveryID string, evs []sla.Event) (int, error)
}

func (f *fakeStore) Ticket(ctx context.Context, key string) (sla.Ticket, bool, error) {
	if f.TicketFunc == nil {
		return f.Store.Ticket(ctx, key)
	}
	return f.TicketFunc(ctx, key)
}

func (f *fakeStore) List(ctx context.Context, customer string, limit int) ([]sla.Ticket, int, error) {
	if f.ListFunc == nil {
		return f.Store.List(ctx, customer, limit)
	}
	return f.ListFunc(ctx, customer, limit)
}

func (f *fakeStore) Urgent(ctx context.Context, now time.Time, limit int) ([]sla.Ticket, int, error) {
	if f.UrgentFunc == nil {
		return f.Store.Urgent(ctx, now, limit)
	}
	return f.UrgentFunc(ctx, now, limit)
}

func (f *fakeStore) Append(ctx context.Context, source, deliveryID string, evs []sla.Event) (int, error) {
	if f.AppendFunc == nil {
		return f.Store.Append(ctx, source, deliveryID, evs)
	}
	return f.AppendFunc(ctx, source, deliveryID, evs)
}

func tierOf(id string) (sla.Tier, bool) {
	for _, c := range testCustomers {
		if c.ID == id {
			return c.Tier, true
		}
	}
	return sla.Standard, false
}

func dt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, sla.Brussels)
}

var testCustomers = []Customer{
	{ID: "agency-x", Name: "Agentschap X", Tier: sla.Dedicated, SPOC: "Jan Peeters", SDM: "Henk Smets"},
	{ID: "agency-y", Name: "Agentschap Y", Tier: sla.Standard},
	{ID: "dept-zorg", Name: "Departement Zorg", Tier: sla.Standard},
	{ID: "team-7", Name: "Team Zeven", Tier: sla.Standard},
}

// now is Friday 10 July 2026 16:30, the contract's example instant.
var now = dt(2026, time.July, 10, 16, 30)

func created(key, customer string, at time.Time, kind sla.Kind, p sla.Priority) sla.Event {
	return sla.Event{ID: key + "-c", Ticket: key, Type: sla.Created, At: at, Customer: customer, Kind: kind, Priority: p, Env: sla.Prod, Source: sla.Portal}
}

func ev(key string, typ sla.EventType, at time.Time) sla.Event {
	return sla.Event{ID: key + "-" + string(typ) + at.Format("0215"), Ticket: key, Type: typ, At: at}
}

// fixture gives the test tickets:
//
//	MAGDA-1 agency-x P2 incident: response met, resolution at risk, one update missed
//	MAGDA-2 agency-x P1 incident: response breached, escalated once
//	MAGDA-3 agency-x P3 question: paused, waiting for the customer
//	MAGDA-4 agency-y P4 incident: another customer's
//	MAGDA-5 agency-x P3 incident: resolved
//	MAGDA-6 agency-x TNI P1 incident without motivation: capped to P3 (R4.2)
//	MAGDA-7 agency-x P2 incident by mail: no SL (R3.1)
//	MAGDA-8 agency-y P2 incident: paused and resumed, over a weekend and a closure day
func fixture() []sla.Event {
	tni := created("MAGDA-6", "agency-x", dt(2026, time.July, 10, 9, 0), sla.Incident, sla.P1)
	tni.Env = sla.TNI
	mail := created("MAGDA-7", "agency-x", dt(2026, time.July, 10, 9, 0), sla.Incident, sla.P2)
	mail.Source = sla.Mail
	esc := ev("MAGDA-2", sla.Escalated, dt(2026, time.July, 10, 15, 30))
	esc.By = "Sofie"
	pause3 := ev("MAGDA-3", sla.Paused, dt(2026, time.July, 9, 14, 0))
	pause3.Reason = sla.WaitCustomer
	pause8 := ev("MAGDA-8", sla.Paused, dt(2026, time.July, 10, 12, 0))
	pause8.Reason = sla.WaitThirdParty
	return []sla.Event{
		created("MAGDA-1", "agency-x", dt(2026, time.July, 9, 10, 0), sla.Incident, sla.P2),
		ev("MAGDA-1", sla.Responded, dt(2026, time.July, 9, 11, 0)),
		created("MAGDA-2", "agency-x", dt(2026, time.July, 10, 14, 0), sla.Incident, sla.P1),
		esc,
		created("MAGDA-3", "agency-x", dt(2026, time.July, 8, 10, 0), sla.Question, sla.P3),
		pause3,
		created("MAGDA-4", "agency-y", dt(2026, time.July, 6, 10, 0), sla.Incident, sla.P4),
		created("MAGDA-5", "agency-x", dt(2026, time.July, 6, 10, 0), sla.Incident, sla.P3),
		ev("MAGDA-5", sla.Resolved, dt(2026, time.July, 7, 12, 0)),
		tni,
		mail,
		created("MAGDA-8", "agency-y", dt(2026, time.July, 10, 10, 0), sla.Incident, sla.P2),
		pause8,
		ev("MAGDA-8", sla.Resumed, dt(2026, time.July, 10, 14, 0)),
	}
}

// closures makes Tuesday 14 July 2026 a bridge day (R3.3).
var closures = []sla.Closure{{Date: sla.Date{Year: 2026, Month: time.July, Day: 14}, Name: "Brugdag"}}

var testCals = sla.NewCalendars(closures)

const (
	chanX     = "C-AGENCY-X" // agency-x's own channel
	chanTeam  = "C-TEAM"     // the MAGDA team's channel, no customer
	agent     = "U-AGENT"
	sdmGroup  = "G-SDM"
	outsider  = "U-CUSTOMER"
	groupUser = "U-IN-SDM-GROUP"
)

var testAccess = Access{
	Agents:          []string{agent},
	SDMs:            []string{sdmGroup},
	ChannelCustomer: map[string]string{chanX: "agency-x"},
}

// newTest gives a handler over the fixture's event log at now.
func newTest(mod ...func(*Options)) (*Handler, *commandstest.Store) {
	log := commandstest.NewStore(testCals, tierOf, fixture()...)
	o := Options{
		Store: &fakeStore{Store: log}, Customers: testCustomers, Access: testAccess, Calendars: testCals,
		Now: func() time.Time { return now },
		Maintenance: Maintenance{
			Extra:     []sla.MaintenanceWindow{{Start: dt(2026, time.July, 22, 20, 0), End: dt(2026, time.July, 22, 23, 0), Note: "database upgrade"}},
			Cancelled: []sla.Date{{Year: 2026, Month: time.August, Day: 15}},
		},
	}
	for _, m := range mod {
		m(&o)
	}
	return New(o), log
}

var (
	staffCaller    = Caller{UserID: agent, ChannelID: chanTeam, Platform: "slack", Name: "Ann Agent"}
	customerCaller = Caller{UserID: outsider, ChannelID: chanX, Platform: "slack", Name: "Carl Customer"}
	staffInX       = Caller{UserID: agent, ChannelID: chanX, Platform: "slack", Name: "Ann Agent"}
)
