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

// TestButtonsAndForms: the card's buttons and the forms come back as commands.
func TestButtonsAndForms(t *testing.T) {
	h, log := newTest()
	card := h.Handle(ctx, staffCaller, "sla MAGDA-1")
	want := []Button{
		{Action: ActEscalate, Label: "Escalate", Value: "MAGDA-1@1", Style: StyleDanger, Confirm: &Confirm{
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
	if r := h.Run(ctx, staffCaller, cmd); r.Kind != KindRecorded || len(log.Appends()) != 1 || log.Appends()[0].Events[0].Reason != "on its way" {
		t.Errorf("submitted update: %s %v, stored %+v", r.Kind, r.Lines, log.Appends())
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
		{en, "sla MAGDA-1", "MAGDA-1 · P2 incident · Agentschap X"},
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
	r := nl.Handle(ctx, staffCaller, "zzz 42")
	if r.Lang != Dutch || len(r.Lines) != 1 || r.Lines[0] != "Ik ken “zzz 42” niet. Probeer `sla MAGDA-123`, `sla P2 voor agentschap-x`, `vandaag` of `hulp`." {
		t.Errorf("unknown input with a Dutch default: %s %q", r.Lang, r.Lines)
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
		Lines: []string{"Internal error: please try again later."}}
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
		log.Add(created(key, "agency-x", dt(2026, time.July, 10, 8, i-10), sla.Incident, sla.P4))
	}
	r := h.Handle(ctx, staffCaller, "sla agency-x")
	if r.Title != "Open tickets of Agentschap X (agency-x): 17" || len(r.Items) != maxItems {
		t.Fatalf("%q with %d items", r.Title, len(r.Items))
	}
	var keys []string
	for _, it := range r.Items {
		keys = append(keys, strings.Fields(it.Title)[0])
	}
	// Soonest due first: MAGDA-1's missed update (R5.3, due before noon), MAGDA-6's
	// breached response and MAGDA-10's, both due at 12:00 (keys in number order), then
	// the P4s' responses (12:01-12:11).
	want := []string{"MAGDA-1", "MAGDA-6", "MAGDA-10", "MAGDA-11", "MAGDA-12", "MAGDA-13", "MAGDA-14", "MAGDA-15", "MAGDA-16", "MAGDA-17"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	more := "`bot tickets --customer agency-x --open` lists them all."
	if diff := cmp.Diff([]string{"The 10 due soonest of 17 are shown. " + more}, r.Notes); diff != "" || r.More != more {
		t.Errorf("notes (-want +got):\n%s\nmore %q", diff, r.More)
	}
	// In the customer's channel, to anyone there, the count only: a customer has no
	// shell on the bot's server.
	for _, c := range []Caller{customerCaller, staffInX} {
		r := h.Handle(ctx, c, "sla")
		if diff := cmp.Diff([]string{"The 10 due soonest of 17 are shown."}, r.Notes); diff != "" || r.More != "" || len(r.Items) != maxItems {
			t.Errorf("%s in the customer's channel: notes (-want +got):\n%s\nmore %q", c.UserID, diff, r.More)
		}
	}
}
