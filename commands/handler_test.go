package commands

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

var ctx = context.Background()

// TestWhatIfContractExample: the what-if gives exactly the contract's `bot sla due`
// example (dedicated P2 reported Fri 10 Jul 16:30, no closures).
func TestWhatIfContractExample(t *testing.T) {
	h, _ := newTest(func(o *Options) { o.Calendars = sla.NewCalendars(nil) })
	r := h.Handle(ctx, staffCaller, "when is P2 due for agency-x")
	want := []Fact{
		{"Customer", "Agentschap X (agency-x) · dedicated"},
		{"Reported", "Fri 10 Jul 16:30"},
		{"Priority", "P2"},
		{"Response due", "Mon 13 Jul 09:30 (2h00 business time)"},
		{"Resolution due", "Tue 14 Jul 14:30 (16h00 business time)"},
		{"Updates", "at least 1 update a day, every 9h00 (R5.3)"},
	}
	if diff := cmp.Diff(want, r.Facts); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

// TestCustomerMatch: ids and names in any case, small typos (R1.1 customers), and no
// guess between customers that differ in a short word.
func TestCustomerMatch(t *testing.T) {
	tests := []struct {
		text string
		want string // matched id, "" for none
		near []string
	}{
		{"agency-x", "agency-x", nil},
		{"AGENCY-X", "agency-x", nil},
		{"Agentschap X", "agency-x", nil},
		{"agentschap   x", "agency-x", nil},
		{"agentschap-x", "agency-x", nil},
		{"agentchap x", "agency-x", nil},
		{"agnetschap x", "agency-x", nil},
		{"departement zrog", "dept-zorg", nil},
		{"dept-zorg", "dept-zorg", nil},
		{"agentschp z", "", []string{"agency-x", "agency-y"}},
		{"agency-q", "", []string{"agency-x", "agency-y"}},
		{"departement", "", []string{"dept-zorg"}},
		{"nasa", "", nil},
	}
	for _, tt := range tests {
		got, ok, near := match(tt.text, testCustomers)
		if tt.want != "" {
			if !ok || got.ID != tt.want {
				t.Errorf("match(%q) = %q, %t; want %q", tt.text, got.ID, ok, tt.want)
			}
			continue
		}
		if ok {
			t.Errorf("match(%q) = %q, want no match", tt.text, got.ID)
		}
		var ids []string
		for _, c := range near {
			ids = append(ids, c.ID)
		}
		if diff := cmp.Diff(tt.near, ids); diff != "" {
			t.Errorf("match(%q) suggestions (-want +got):\n%s", tt.text, diff)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"sla", "sla", 0}, {"sla", "slaa", 1}, {"sla", "lsa", 1},
		{"agentschap", "agnetschap", 1}, {"kitten", "sitting", 3}, {"zorg", "zrog", 1}, {"ë", "e", 1},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

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
			if len(log.appended) != 0 {
				t.Errorf("%s as %s: stored %v", cmd, caller.UserID, log.appended)
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
		if diff := cmp.Diff(refusal, got); diff != "" {
			t.Errorf("%s in the agency-x channel (-refusal +got):\n%s", cmd, diff)
		}
		if strings.Contains(got.PlainText(), "MAGDA-4") || strings.Contains(got.PlainText(), "Y") {
			t.Errorf("%s leaks: %s", cmd, got.PlainText())
		}
	}
	for _, a := range log.asked {
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
		o.Store.(*fakeStore).TicketsFunc = func(context.Context, string, bool) ([]sla.Ticket, error) {
			other := sla.Replay([]sla.Event{created("MAGDA-4", "agency-y", dt(2026, time.July, 6, 10, 0), sla.Incident, sla.P4)}, tierOf, testCals)
			own := sla.Replay([]sla.Event{created("MAGDA-1", "agency-x", dt(2026, time.July, 9, 10, 0), sla.Incident, sla.P2)}, tierOf, testCals)
			return []sla.Ticket{other, own}, nil
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
	if r := h.Handle(ctx, Caller{Platform: "cli"}, "sla MAGDA-4"); r.Kind != KindTicket {
		t.Errorf("bot ask: %s %v", r.Kind, r.Lines)
	}
}

// TestRecordPermissions: agents and SDMs record; a customer may only escalate, in its
// own channel, when allowed (R7); refusals store nothing.
func TestRecordPermissions(t *testing.T) {
	tests := []struct {
		name     string
		caller   Caller
		text     string
		mayEsc   bool
		wantCode Code
	}{
		{"customer escalates, not allowed", customerCaller, "escalate MAGDA-1", false, CodeForbidden},
		{"customer escalates, allowed", customerCaller, "escalate MAGDA-1", true, ""},
		{"customer escalates elsewhere", Caller{UserID: outsider, ChannelID: "D-1", Platform: "slack"}, "escalate MAGDA-1", true, CodeForbidden},
		{"customer updates", customerCaller, "update MAGDA-1 done", true, CodeForbidden},
		{"customer pauses", customerCaller, "pause MAGDA-1 customer", true, CodeForbidden},
		{"customer resumes", customerCaller, "resume MAGDA-3", true, CodeForbidden},
		{"agent pauses", staffCaller, "pause MAGDA-1 customer", false, ""},
		{"SDM group resumes", Caller{UserID: groupUser, Groups: []string{sdmGroup}, Platform: "teams"}, "resume MAGDA-3", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, log := newTest(func(o *Options) { o.Access.CustomersMayEscalate = tt.mayEsc })
			r := h.Handle(ctx, tt.caller, tt.text)
			if tt.wantCode == "" {
				if r.Kind != KindRecorded || len(log.appended) != 1 {
					t.Errorf("got %s %v, stored %d", r.Kind, r.Lines, len(log.appended))
				}
				return
			}
			if r.Error != tt.wantCode || !r.Ephemeral || len(log.appended) != 0 {
				t.Errorf("got %s %q ephemeral=%t, stored %d; want %s and nothing stored", r.Error, r.Lines, r.Ephemeral, len(log.appended), tt.wantCode)
			}
		})
	}
}

// TestRecordEvents: the event stored for each command, from the caller's platform.
func TestRecordEvents(t *testing.T) {
	tests := []struct {
		text string
		want sla.Event
	}{
		{"escalate MAGDA-1 chain down", sla.Event{ID: "bot:escalated:MAGDA-1:1", Ticket: "MAGDA-1", Type: sla.Escalated, At: now, Reason: "chain down", By: "Ann Agent"}},
		{"update MAGDA-1 deployed", sla.Event{Ticket: "MAGDA-1", Type: sla.Updated, At: now, Reason: "deployed", By: "Ann Agent"}},
		{"pause MAGDA-1 third-party", sla.Event{Ticket: "MAGDA-1", Type: sla.Paused, At: now, Reason: sla.WaitThirdParty, By: "Ann Agent"}},
		{"hervat MAGDA-3", sla.Event{Ticket: "MAGDA-3", Type: sla.Resumed, At: now, By: "Ann Agent"}},
	}
	for _, tt := range tests {
		h, log := newTest()
		caller := staffCaller
		caller.RequestID = "req-1"
		if r := h.Handle(ctx, caller, tt.text); r.Kind != KindRecorded {
			t.Fatalf("%s: %s %v", tt.text, r.Kind, r.Lines)
		}
		if len(log.appended) != 1 || len(log.appended[0].evs) != 1 {
			t.Fatalf("%s: stored %+v", tt.text, log.appended)
		}
		a := log.appended[0]
		if a.source != "slack" || a.delivery != "slack:req-1" {
			t.Errorf("%s: source %q delivery %q", tt.text, a.source, a.delivery)
		}
		got := a.evs[0]
		if got.ID == "" || tt.want.ID != "" && got.ID != tt.want.ID {
			t.Errorf("%s: id %q, want %q", tt.text, got.ID, tt.want.ID)
		}
		got.ID, tt.want.ID = "", ""
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestEscalateIdempotent: the same request twice escalates once and answers the same;
// two requests that both saw level 0 store one escalation (R7).
func TestEscalateIdempotent(t *testing.T) {
	var calls []int
	h, log := newTest(func(o *Options) {
		o.OnEscalated = func(_ context.Context, tk sla.Ticket, level int, by, reason string) {
			if tk.Escalation != level || by != "Ann Agent" || reason != "again" {
				t.Errorf("hook got level %d (ticket %d), by %q, reason %q", level, tk.Escalation, by, reason)
			}
			calls = append(calls, level)
		}
	})
	c := staffCaller
	c.RequestID = "click-1"
	first := h.Handle(ctx, c, "escalate MAGDA-1 again")
	second := h.Handle(ctx, c, "escalate MAGDA-1 again")
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("the repeated request got another answer:\n%s", diff)
	}
	if len(log.appended) != 1 || len(calls) != 1 {
		t.Errorf("stored %d times, hook called %v; want once", len(log.appended), calls)
	}

	// Two clicks with their own request ids, both reading level 0 (a stale read).
	h, log = newTest(func(o *Options) {
		o.OnEscalated = func(_ context.Context, _ sla.Ticket, level int, _, _ string) { calls = append(calls, level) }
		store := o.Store.(*fakeStore)
		read := store.TicketFunc
		store.TicketFunc = func(ctx context.Context, key string) (sla.Ticket, bool, error) {
			t, ok, err := read(ctx, key)
			t.Escalation = 0
			return t, ok, err
		}
	})
	calls = nil
	a, b := staffCaller, staffCaller
	a.RequestID, b.RequestID = "click-a", "click-b"
	h.Handle(ctx, a, "escalate MAGDA-1")
	r := h.Handle(ctx, b, "escalate MAGDA-1")
	if r.Kind != KindRecorded || r.Lines[0] != "Already recorded: nothing changed." {
		t.Errorf("second click: %s %v", r.Kind, r.Lines)
	}
	if len(calls) != 1 {
		t.Errorf("hook called %v, want once", calls)
	}
	got := log.store()
	tk, _, _ := got.Ticket(ctx, "MAGDA-1")
	if tk.Escalation != 1 {
		t.Errorf("escalation level %d, want 1", tk.Escalation)
	}
}

// TestEscalateBeyondLast: R7 has two steps; a third is refused politely.
func TestEscalateBeyondLast(t *testing.T) {
	h, log := newTest()
	if r := h.Handle(ctx, staffCaller, "escalate MAGDA-2"); r.Kind != KindRecorded ||
		r.Title != "MAGDA-2 escalated to level 2: 3rd line (R7)" {
		t.Fatalf("to level 2: %s %q %v", r.Kind, r.Title, r.Lines)
	}
	r := h.Handle(ctx, staffCaller, "escaleer MAGDA-2")
	if r.Error != CodeConflict || r.Lines[0] != "MAGDA-2 staat al op de laatste escalatiestap, niveau 2: 3de lijn (R7)." {
		t.Errorf("beyond: %s %q", r.Error, r.Lines)
	}
	if len(log.appended) != 1 {
		t.Errorf("stored %d, want 1", len(log.appended))
	}
	card := h.Handle(ctx, staffCaller, "sla MAGDA-2")
	for _, b := range card.Buttons {
		if b.Action == ActEscalate {
			t.Errorf("card of a ticket at the last level offers %+v", b)
		}
	}
}

func TestRecordConflicts(t *testing.T) {
	tests := []struct{ text, want string }{
		{"escalate MAGDA-5", "MAGDA-5 is resolved; reopen it in the service desk first."},
		{"update MAGDA-5 x", "MAGDA-5 is resolved; reopen it in the service desk first."},
		{"pause MAGDA-3 customer", "MAGDA-3 is already paused (waiting for the customer)."},
		{"resume MAGDA-1", "MAGDA-1 is not paused."},
	}
	for _, tt := range tests {
		h, log := newTest()
		r := h.Handle(ctx, staffCaller, tt.text)
		if r.Error != CodeConflict || r.Lines[0] != tt.want || len(log.appended) != 0 {
			t.Errorf("%s: %s %q, stored %d; want conflict %q", tt.text, r.Error, r.Lines, len(log.appended), tt.want)
		}
	}
}

// TestUpdateHook: a progress update (R5.3) reaches OnUpdated with the stored ticket.
func TestUpdateHook(t *testing.T) {
	var got []string
	h, _ := newTest(func(o *Options) {
		o.OnUpdated = func(_ context.Context, tk sla.Ticket, text, by string) {
			got = append(got, tk.Key+"|"+text+"|"+by+"|"+tk.LastEvent.Format(time.RFC3339))
		}
	})
	h.Handle(ctx, staffCaller, "update MAGDA-1 fix is live")
	want := []string{"MAGDA-1|fix is live|Ann Agent|2026-07-10T16:30:00+02:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Without text the form opens and nothing is stored or told.
	h2, log := newTest(func(o *Options) {
		o.OnUpdated = func(context.Context, sla.Ticket, string, string) { t.Error("hook called") }
	})
	if r := h2.Handle(ctx, staffCaller, "update MAGDA-1"); r.Form == nil || r.Form.ID != FormUpdate || r.Form.Value != "MAGDA-1" || len(log.appended) != 0 {
		t.Errorf("update without text: %+v, stored %d", r.Form, len(log.appended))
	}
}

// TestButtonsAndForms: the card's buttons and the forms come back as commands.
func TestButtonsAndForms(t *testing.T) {
	h, log := newTest()
	card := h.Handle(ctx, staffCaller, "sla MAGDA-1")
	want := []Button{
		{Action: ActEscalate, Label: "Escalate", Value: "MAGDA-1", Style: StyleDanger, Confirm: &Confirm{
			Title: "Escalate MAGDA-1?", Text: "This escalates MAGDA-1 to level 1: 2nd line + MAGDA Service Delivery (R7).",
			Yes: "Escalate", No: "Cancel"}},
		{Action: ActUpdate, Label: "Post update", Value: "MAGDA-1", Style: StylePrimary},
		{Action: ActExplain, Label: "Explain", Value: "MAGDA-1"},
	}
	if diff := cmp.Diff(want, card.Buttons); diff != "" {
		t.Fatalf("buttons (-want +got):\n%s", diff)
	}
	cmd, err := ActionCommand(card.Buttons[1].Action, card.Buttons[1].Value, card.Lang)
	if err != nil {
		t.Fatal(err)
	}
	form := h.Run(ctx, staffCaller, cmd)
	if form.Kind != KindForm || form.Form.ID != FormUpdate {
		t.Fatalf("Post update: %+v", form)
	}
	cmd, err = FormCommand(form.Form.ID, form.Form.Value, map[string]string{"text": "on its way"}, form.Lang)
	if err != nil {
		t.Fatal(err)
	}
	if r := h.Run(ctx, staffCaller, cmd); r.Kind != KindRecorded || len(log.appended) != 1 || log.appended[0].evs[0].Reason != "on its way" {
		t.Errorf("submitted update: %s %v, stored %+v", r.Kind, r.Lines, log.appended)
	}
	wiz := h.Handle(ctx, staffCaller, "prioriteit")
	if wiz.Lang != Dutch || wiz.Form == nil || len(wiz.Form.Fields) != 5 || wiz.Form.Fields[1].Options[1].Description != sla.Criterion(sla.Users, sla.P2, true) {
		t.Fatalf("wizard: %+v", wiz.Form)
	}
	cmd, err = FormCommand(wiz.Form.ID, wiz.Form.Value, map[string]string{"scope": "P3", "users": "P2", "security": "none", "env": "tni"}, wiz.Lang)
	if err != nil {
		t.Fatal(err)
	}
	r := h.Run(ctx, staffCaller, cmd)
	if r.Title != "Voorgestelde prioriteit: P3" || !strings.Contains(strings.Join(r.Lines, "\n"), "Op TNI zonder motivatie wordt P2 P3 (R4.2)") {
		t.Errorf("wizard answer: %q %q", r.Title, r.Lines)
	}
}

// TestLanguage: Dutch words get Dutch answers; words of neither language get the
// configured default.
func TestLanguage(t *testing.T) {
	en, _ := newTest()
	nl, _ := newTest(dutch)
	tests := []struct {
		h     *Handler
		text  string
		title string
	}{
		{en, "sla MAGDA-1", "MAGDA-1 · Agentschap X"},
		{en, "uitleg MAGDA-1", "Hoe de deadlines van MAGDA-1 geteld worden"},
		{nl, "explain MAGDA-1", "How the due times of MAGDA-1 are counted"},
		{nl, "sla P2 agency-x", "P2 incident voor Agentschap X, nu gemeld"},
		{en, "sla P2 agency-x", "P2 incident for Agentschap X, reported now"},
		{nl, "sla P2 for agency-x", "P2 incident for Agentschap X, reported now"},
	}
	for _, tt := range tests {
		if r := tt.h.Handle(ctx, staffCaller, tt.text); r.Title != tt.title {
			t.Errorf("%s (default %s): title %q, want %q", tt.text, tt.h.o.Language, r.Title, tt.title)
		}
	}
	r := nl.Handle(ctx, staffCaller, "slaa MAGDA-1")
	if r.Lang != Dutch || r.Lines[0] != "Ik ken “slaa MAGDA-1” niet. Bedoel je `sla MAGDA-1`?" {
		t.Errorf("unknown input with a Dutch default: %s %q", r.Lang, r.Lines[0])
	}
}

// TestInternalError: a store failure is logged with its detail and shown without it.
func TestInternalError(t *testing.T) {
	var buf bytes.Buffer
	h, _ := newTest(func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&buf, nil))
		o.Store.(*fakeStore).TicketFunc = func(context.Context, string) (sla.Ticket, bool, error) {
			return sla.Ticket{}, false, errors.New("database is locked: /var/lib/magda.db")
		}
	})
	r := h.Handle(ctx, staffCaller, "sla MAGDA-1")
	want := Reply{Kind: KindError, Lang: English, Ephemeral: true, Error: CodeInternal,
		Lines: []string{"Internal error: the MAGDA team has been told in the logs."}}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(buf.String(), "database is locked") || !strings.Contains(buf.String(), "MAGDA-1") {
		t.Errorf("log: %s", buf.String())
	}
	h2, _ := newTest(func(o *Options) { o.Store, o.Logger = nil, slog.New(slog.DiscardHandler) })
	if r := h2.Handle(ctx, staffCaller, "escalate MAGDA-1"); r.Error != CodeInternal {
		t.Errorf("no store: %s %v", r.Error, r.Lines)
	}
}

func TestListOrderAndLimit(t *testing.T) {
	h, log := newTest()
	for i := 10; i < 22; i++ {
		key := "MAGDA-" + string(rune('0'+i/10)) + string(rune('0'+i%10))
		log.events = append(log.events, created(key, "agency-x", dt(2026, time.July, 10, 8, i-10), sla.Incident, sla.P4))
	}
	r := h.Handle(ctx, staffCaller, "sla agency-x")
	if r.Title != "Open tickets of Agentschap X (agency-x): 17" || len(r.Items) != maxItems {
		t.Fatalf("%q with %d items", r.Title, len(r.Items))
	}
	var keys []string
	for _, it := range r.Items {
		keys = append(keys, strings.Fields(it.Title)[0])
	}
	// Soonest due first (MAGDA-6's breached response and MAGDA-10's are both due at
	// 12:00, keys in number order), then the P4s' responses (12:01-12:11).
	want := []string{"MAGDA-6", "MAGDA-10", "MAGDA-11", "MAGDA-12", "MAGDA-13", "MAGDA-14", "MAGDA-15", "MAGDA-16", "MAGDA-17", "MAGDA-18"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"The 10 due soonest of 17 are shown."}, r.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}
