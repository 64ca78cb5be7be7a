package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// historyTicket is MAGDA-10 of agency-x: the customer's estimate P3, raised to P1 and
// lowered to P2 with who and why (R4.1), escalated twice (R7), resolved and reopened
// (R5.2), seen on Wednesday 15 July 2026 10:00.
func historyTicket(log *commandstest.Store) time.Time {
	key := "MAGDA-10"
	mon := dt(2026, time.July, 13, 9, 0)
	c := created(key, "agency-x", mon, sla.Incident, sla.P3)
	c.By = "Carl Customer"
	raise := ev(key, sla.PriorityChanged, mon.Add(30*time.Minute))
	raise.Priority, raise.By, raise.Reason = sla.P1, "Henk Smets", "whole chain down,\nno workaround"
	lower := ev(key, sla.PriorityChanged, mon.Add(5*time.Hour))
	lower.Priority, lower.By, lower.Reason = sla.P2, "Ann Agent", "workaround found"
	esc1 := ev(key, sla.Escalated, mon.Add(time.Hour))
	esc1.By, esc1.Reason, esc1.Level = "Ann Agent", "no answer from 2nd line", 1
	esc2 := ev(key, sla.Escalated, mon.Add(2*time.Hour))
	esc2.By, esc2.Level = "Henk Smets", 2
	log.Add(c, ev(key, sla.Responded, mon.Add(10*time.Minute)), raise, esc1, esc2, lower,
		ev(key, sla.Resolved, mon.Add(6*time.Hour)), ev(key, sla.Reopened, dt(2026, time.July, 15, 8, 30)))
	return dt(2026, time.July, 15, 10, 0)
}

// TestGoldenHistory_R4_1_R7_R1_2 shows the card with the estimate and every priority
// change, the escalation trail and the customer's SPOC and SDM, in English and Dutch,
// and the explanation with the priority changes and the resolved gap (R5.2).
func TestGoldenHistory_R4_1_R7_R1_2(t *testing.T) {
	for _, tt := range []struct{ name, text string }{
		{"card_history", "sla MAGDA-10"},
		{"card_history_nl", "wanneer is MAGDA-10 due"},
		{"explain_history", "explain MAGDA-10"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var at time.Time
			h, log := newTest(func(o *Options) { o.Now = func() time.Time { return at } })
			at = historyTicket(log)
			r := h.Handle(context.Background(), staffCaller, tt.text)
			goldenReply(t, tt.name, r)
		})
	}
}

// TestCardHistory_R4_1 checks the card's facts themselves, not only their text: each
// change in order with its author and reason on one line, the levels with their authors.
func TestCardHistory_R4_1(t *testing.T) {
	var at time.Time
	h, log := newTest(func(o *Options) { o.Now = func() time.Time { return at } })
	at = historyTicket(log)
	r := h.Handle(context.Background(), staffCaller, "sla MAGDA-10")
	if len(r.Items) != 2 {
		t.Fatalf("items %+v; want the priority changes and the escalations", r.Items)
	}
	prio, esc := r.Items[0], r.Items[1]
	if !strings.Contains(prio.Title, "estimate P3") || !strings.Contains(prio.Title, "now P2") || len(prio.Lines) != 2 {
		t.Errorf("priority item %+v; want estimate P3, now P2, two changes", prio)
	}
	if want := "Mon 13 Jul 09:30 · P3 → P1 · Henk Smets · whole chain down, no workaround"; prio.Lines[0] != want {
		t.Errorf("first change %q; want %q", prio.Lines[0], want)
	}
	if len(esc.Lines) != 2 || !strings.HasPrefix(esc.Lines[1], "level 2 · Mon 13 Jul 11:00 · Henk Smets") {
		t.Errorf("escalations %+v; want levels 1 and 2 with who", esc.Lines)
	}
	var spoc, sdm string
	for _, f := range r.Facts {
		switch f.Label {
		case "SPOC":
			spoc = f.Value
		case "SDM":
			sdm = f.Value
		}
	}
	if spoc != "Jan Peeters" || sdm != "Henk Smets" {
		t.Errorf("SPOC %q, SDM %q; want the configured contacts (R1.2)", spoc, sdm)
	}
}

// TestOneLine cuts a long reason on a rune, never inside one.
func TestOneLine(t *testing.T) {
	if got := oneLine("a\tb\n\nc", 10); got != "a b c" {
		t.Errorf("oneLine folds to %q; want %q", got, "a b c")
	}
	if got := oneLine(strings.Repeat("é", 120), maxReason); len([]rune(got)) != maxReason || !strings.HasSuffix(got, "…") {
		t.Errorf("oneLine(120 runes) = %d runes; want %d ending in …", len([]rune(got)), maxReason)
	}
}
