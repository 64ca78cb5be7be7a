package commands

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

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
				if r.Kind != KindRecorded || len(log.Appends()) != 1 {
					t.Errorf("got %s %v, stored %d", r.Kind, r.Lines, len(log.Appends()))
				}
				return
			}
			if r.Error != tt.wantCode || !r.Ephemeral || len(log.Appends()) != 0 {
				t.Errorf("got %s %q ephemeral=%t, stored %d; want %s and nothing stored", r.Error, r.Lines, r.Ephemeral, len(log.Appends()), tt.wantCode)
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
		{"escalate MAGDA-1 chain down", sla.Event{ID: "bot:escalated:MAGDA-1:1", Ticket: "MAGDA-1", Type: sla.Escalated, At: now, Reason: "chain down", By: "Ann Agent", Level: 1}},
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
		if len(log.Appends()) != 1 || len(log.Appends()[0].Events) != 1 {
			t.Fatalf("%s: stored %+v", tt.text, log.Appends())
		}
		a := log.Appends()[0]
		if a.Source != "slack" || a.Delivery != "slack:req-1" {
			t.Errorf("%s: source %q delivery %q", tt.text, a.Source, a.Delivery)
		}
		got := a.Events[0]
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
// two requests that both saw level 0 store one escalation, to level 1 (R7).
func TestEscalateIdempotent(t *testing.T) {
	h, log := newTest(func(*Options) {})
	c := staffCaller
	c.RequestID = "click-1"
	first := h.Handle(ctx, c, "escalate MAGDA-1 again")
	second := h.Handle(ctx, c, "escalate MAGDA-1 again")
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("the repeated request got another answer:\n%s", diff)
	}
	apps := log.Appends()
	if len(apps) != 1 {
		t.Fatalf("stored %d times; want once", len(apps))
	}
	if e := apps[0].Events[0]; e.Type != sla.Escalated || e.Level != 1 || e.By != "Ann Agent" || e.Reason != "again" {
		t.Errorf("stored %+v; want an escalation to level 1 by Ann Agent, reason again", e)
	}

	// Two clicks with their own request ids, both reading level 0 (a stale read).
	h, log = newTest(func(o *Options) {
		store := o.Store.(*fakeStore)
		read := store.Store.Ticket
		store.TicketFunc = func(ctx context.Context, key string) (sla.Ticket, bool, error) {
			t, ok, err := read(ctx, key)
			t.Escalation = 0
			return t, ok, err
		}
	})
	a, b := staffCaller, staffCaller
	a.RequestID, b.RequestID = "click-a", "click-b"
	h.Handle(ctx, a, "escalate MAGDA-1")
	r := h.Handle(ctx, b, "escalate MAGDA-1")
	if r.Kind != KindRecorded || r.Lines[0] != "Already recorded: nothing changed." {
		t.Errorf("second click: %s %v", r.Kind, r.Lines)
	}
	tk, _, _ := log.Ticket(ctx, "MAGDA-1")
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
	if len(log.Appends()) != 1 {
		t.Errorf("stored %d, want 1", len(log.Appends()))
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
		if r.Error != CodeConflict || r.Lines[0] != tt.want || len(log.Appends()) != 0 {
			t.Errorf("%s: %s %q, stored %d; want conflict %q", tt.text, r.Error, r.Lines, len(log.Appends()), tt.want)
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
	if r := h2.Handle(ctx, staffCaller, "update MAGDA-1"); r.Form == nil || r.Form.ID != FormUpdate || r.Form.Value != "MAGDA-1" || len(log.Appends()) != 0 {
		t.Errorf("update without text: %+v, stored %d", r.Form, len(log.Appends()))
	}
}
