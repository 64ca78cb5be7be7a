package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestScopingTickets: in a customer's channel another customer's ticket is "not found",
// answered exactly as a ticket that does not exist, whatever the command and whoever asks.
func TestScopingTickets(t *testing.T) {
	for _, caller := range []Caller{customerCaller, staffInX} {
		for _, cmd := range []string{"sla MAGDA-4", "explain MAGDA-4", "escalate MAGDA-4", "update MAGDA-4 x",
			"pause MAGDA-4 customer", "resume MAGDA-4", "when is MAGDA-4 due"} {
			withOther, log := newTest(func(o *Options) { o.Access.CustomersMayEscalate = true })
			without, _ := newTest(func(o *Options) {
				o.Access.CustomersMayEscalate = true
				o.Store.(*fakeStore).TicketFunc = func(context.Context, string) (sla.Ticket, bool, error) { return sla.Ticket{}, false, nil }
			})
			got := withOther.Handle(ctx, caller, cmd)
			missing := without.Handle(ctx, caller, cmd)
			if diff := cmp.Diff(missing, got); diff != "" {
				t.Errorf("%s in %s as %s: differs from a missing ticket (-missing +got):\n%s", cmd, chanX, caller.UserID, diff)
			}
			if got.Kind != KindError || got.Error != CodeNotFound && got.Error != CodeForbidden {
				t.Errorf("%s as %s: %s %s, want not found (or forbidden before any lookup)", cmd, caller.UserID, got.Kind, got.Error)
			}
			if len(log.Appends()) != 0 {
				t.Errorf("%s as %s: stored %v", cmd, caller.UserID, log.Appends())
			}
		}
	}
	// The same ticket outside the channel is shown to staff.
	h, _ := newTest()
	if r := h.Handle(ctx, staffCaller, "sla MAGDA-4"); r.Kind != KindTicket {
		t.Errorf("staff outside a customer channel: %s %v", r.Kind, r.Lines)
	}
	// And a ticket of the channel's customer is shown in it to anyone.
	if r := h.Handle(ctx, customerCaller, "sla MAGDA-1"); r.Kind != KindTicket {
		t.Errorf("customer in own channel: %s %v", r.Kind, r.Lines)
	}
}

// TestScopingCustomers: in a customer's channel lists and what-ifs are about that
// customer only; any other name is refused with the same words, existing or not.
func TestScopingCustomers(t *testing.T) {
	h, log := newTest()
	refusal := h.Handle(ctx, customerCaller, "sla no-such-agency")
	if refusal.Error != CodeForbidden || refusal.Lines[0] != "In this channel I only answer about Agentschap X (agency-x)." {
		t.Fatalf("refusal: %s %q", refusal.Error, refusal.Lines)
	}
	for _, cmd := range []string{"sla agency-y", "sla Agentschap Y", "sla agentschap-y", "sla P2 for agency-y",
		"sla P2 for agentschap y", "sla dept-zorg", "when is P1 due for Departement Zorg"} {
		got := h.Handle(ctx, customerCaller, cmd)
		want := refusal
		if got.Lang == Dutch { // "Agentschap Y" is Dutch words: the same refusal in Dutch
			want = h.Handle(ctx, customerCaller, "sla voor geen-zulk-agentschap")
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s in the agency-x channel (-refusal +got):\n%s", cmd, diff)
		}
		if strings.Contains(got.PlainText(), "MAGDA-4") || strings.Contains(got.PlainText(), "Y") {
			t.Errorf("%s leaks: %s", cmd, got.PlainText())
		}
	}
	for _, a := range log.Asked() {
		if a != "agency-x" {
			t.Errorf("the store was asked for %q's tickets from the agency-x channel", a)
		}
	}
	// The channel's own customer: by name, by id, with a typo, or implied.
	for _, cmd := range []string{"sla", "sla agency-x", "sla agentschap x", "sla agentchap x", "sla voor agentschap x"} {
		r := h.Handle(ctx, customerCaller, cmd)
		if r.Kind != KindTickets || !strings.Contains(r.Title, "agency-x") {
			t.Errorf("%s: %s %q %v", cmd, r.Kind, r.Title, r.Lines)
		}
	}
	for _, cmd := range []string{"sla P2", "sla P2 for agency-x", "wanneer is P1 due voor agentschap x"} {
		if r := h.Handle(ctx, customerCaller, cmd); r.Kind != KindWhatIf || !strings.Contains(r.Title, "Agentschap X") {
			t.Errorf("%s: %s %q %v", cmd, r.Kind, r.Title, r.Lines)
		}
	}
}

// TestScopingDistrustsStore: tickets of another customer that a store returns are
// never listed.
func TestScopingDistrustsStore(t *testing.T) {
	h, _ := newTest(func(o *Options) {
		o.Store.(*fakeStore).ListFunc = func(context.Context, string, int) ([]sla.Ticket, int, error) {
			other := sla.Replay([]sla.Event{created("MAGDA-4", "agency-y", dt(2026, time.July, 6, 10, 0), sla.Incident, sla.P4)}, tierOf, testCals)
			own := sla.Replay([]sla.Event{created("MAGDA-1", "agency-x", dt(2026, time.July, 9, 10, 0), sla.Incident, sla.P2)}, tierOf, testCals)
			return []sla.Ticket{other, own}, 2, nil
		}
	})
	r := h.Handle(ctx, customerCaller, "sla")
	if len(r.Items) != 1 || !strings.HasPrefix(r.Items[0].Title, "MAGDA-1 ") {
		t.Errorf("items: %+v", r.Items)
	}
}

// TestCustomerIDLooksLikeKey: `sla team-7` parses as a ticket key; with no such ticket it
// lists the customer's tickets, except in another customer's channel.
func TestCustomerIDLooksLikeKey(t *testing.T) {
	h, _ := newTest()
	if r := h.Handle(ctx, staffCaller, "sla team-7"); r.Kind != KindTickets || r.Title != "Open tickets of Team Zeven (team-7): 0" {
		t.Errorf("staff: %s %q %v", r.Kind, r.Title, r.Lines)
	}
	r := h.Handle(ctx, customerCaller, "sla team-7")
	if r.Error != CodeNotFound || r.Lines[0] != "I don't know ticket TEAM-7." {
		t.Errorf("agency-x channel: %s %v", r.Error, r.Lines)
	}
}

// TestReadAccess: outside a customer's channel only staff see tickets; what-ifs and the
// rest are for anyone.
func TestReadAccess(t *testing.T) {
	h, _ := newTest()
	stranger := Caller{UserID: outsider, ChannelID: "D-DIRECT", Platform: "teams"}
	for _, cmd := range []string{"sla MAGDA-1", "sla agency-x", "explain MAGDA-1"} {
		r := h.Handle(ctx, stranger, cmd)
		if r.Error != CodeForbidden || !r.Ephemeral {
			t.Errorf("%s by a stranger: %s %v", cmd, r.Error, r.Lines)
		}
	}
	for cmd, kind := range map[string]Kind{"sla P2 for agency-x": KindWhatIf, "prio": KindForm, "maintenance": KindMaintenance,
		"holidays": KindHolidays, "help": KindHelp} {
		if r := h.Handle(ctx, stranger, cmd); r.Kind != kind {
			t.Errorf("%s by a stranger: %s, want %s", cmd, r.Kind, kind)
		}
	}
	bySDMGroup := Caller{UserID: groupUser, Groups: []string{"G-OTHER", sdmGroup}, ChannelID: "D-DIRECT", Platform: "teams"}
	if r := h.Handle(ctx, bySDMGroup, "sla MAGDA-4"); r.Kind != KindTicket {
		t.Errorf("SDM by group: %s %v", r.Kind, r.Lines)
	}
	if r := h.Handle(ctx, Caller{Platform: "cli", Operator: true}, "sla MAGDA-4"); r.Kind != KindTicket {
		t.Errorf("bot ask: %s %v", r.Kind, r.Lines)
	}
	// bot ask --as: the terminal is no way around Access; the user is who they are.
	if r := h.Handle(ctx, Caller{UserID: outsider, Platform: "cli"}, "sla MAGDA-4"); r.Kind != KindError {
		t.Errorf("bot ask --as a stranger: %s %v; want the refusal chat gives", r.Kind, r.Lines)
	}
}

func TestHomeShowsStaffTheUrgentTicketsOnly(t *testing.T) {
	h, _ := newTest()
	staff := h.Home(context.Background(), Caller{UserID: agent, Platform: "slack"}, English)
	if staff.Kind != KindTickets || len(staff.Items) == 0 {
		t.Fatalf("staff home: %s with %d items; want the urgent tickets of the fixture", staff.Kind, len(staff.Items))
	}
	for _, it := range staff.Items {
		if it.Status != StatusAtRisk && it.Status != StatusBreached {
			t.Errorf("home item %q is %q; want only at risk or breached", it.Title, it.Status)
		}
	}
	if want := "`sla CUSTOMER` lists a customer's open tickets."; staff.More != want {
		t.Errorf("home: more %q, want %q", staff.More, want)
	}
	if guest := h.Home(context.Background(), Caller{UserID: outsider, Platform: "slack"}, English); guest.Kind != KindHelp {
		t.Errorf("a customer's home is %s; want the command list, no tickets", guest.Kind)
	}
}
