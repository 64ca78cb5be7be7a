package commands

import (
	"strings"
	"testing"
)

// TestAskedAsPeopleAsk: the questions issue 13 found refused or garbled are answered,
// in the language of the question; unknown text gets one line, never the whole help.
func TestAskedAsPeopleAsk(t *testing.T) {
	h, _ := newTest()
	tests := []struct {
		text  string
		kind  Kind
		lang  Lang
		title string // a part of the title
	}{
		{"wanneer moet een P1 voor agentschap X opgelost zijn", KindWhatIf, Dutch, "P1 incident voor Agentschap X"},
		{"wanneer moet MAGDA-1 opgelost zijn", KindTicket, Dutch, "MAGDA-1 · P2 incident"},
		{"wanneer is een P1 voor agentschap X opgelost", KindWhatIf, Dutch, "P1 incident voor Agentschap X"},
		{"sla P2 for agency-x question", KindWhatIf, English, "P2 question for Agentschap X"},
		{"sla magda 1", KindTicket, English, "MAGDA-1 · P2 incident"},
		{"MAGDA-2", KindTicket, English, "MAGDA-2 · P1 incident"},
		{"what's due today", KindTickets, English, "Due or at risk today: 5"},
		{"which tickets breach this week", KindTickets, English, "Due or at risk this week: 5"},
		{"status MAGDA-1", KindTicket, English, "MAGDA-1 · P2 incident"},
		{"is MAGDA-2 breached", KindTicket, English, "MAGDA-2 · P1 incident"},
		{"P1 agentschap x", KindWhatIf, Dutch, "P1 incident voor Agentschap X"},
		{"agentschap y", KindTickets, Dutch, "Open tickets van Agentschap Y"},
	}
	for _, tt := range tests {
		r := h.Handle(ctx, staffCaller, tt.text)
		if r.Kind != tt.kind || r.Lang != tt.lang || !strings.Contains(r.Title, tt.title) {
			t.Errorf("%q: %s %s %q %v; want %s %s %q", tt.text, r.Kind, r.Lang, r.Title, r.Lines, tt.kind, tt.lang, tt.title)
		}
	}
	for text, want := range map[string]string{
		"agentschp z":  "I don't know “agentschp z”. Did you mean `sla agency-x`?",
		"hello there":  "I don't know “hello there”. Try `sla MAGDA-123`, `sla P2 for agency-x`, `today` or `help`.",
		"goedemorgen!": "I don't know “goedemorgen!”. Try `sla MAGDA-123`, `sla P2 for agency-x`, `today` or `help`.",
	} {
		r := h.Handle(ctx, staffCaller, text)
		if r.Kind != KindError || !r.Ephemeral || len(r.Lines) != 1 || r.Lines[0] != want {
			t.Errorf("%q: %s %q; want the one line %q", text, r.Kind, r.Lines, want)
		}
	}
	if r := h.Handle(ctx, staffCaller, "help"); r.Kind != KindHelp || len(r.Lines) < 10 {
		t.Errorf("help: %s with %d lines", r.Kind, len(r.Lines))
	}
}
