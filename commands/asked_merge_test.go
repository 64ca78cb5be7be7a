package commands

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestAskedOtherCommands: contacts (R1.2), availability (R6.1), the status page (R6.2)
// and an explained what-if at a moment (R3.5) answer the way people ask, the command's
// word anywhere in the question, in the question's language; "status" with a ticket is
// still the ticket's card.
func TestAskedOtherCommands(t *testing.T) {
	read := now.Add(-10 * time.Minute)
	h, _ := newTest(withOutages, func(o *Options) {
		o.StatusPage = func() StatusPage { return StatusPage{URL: "https://status.magda.be", Read: read} }
	})
	for _, tt := range []struct {
		text  string
		kind  Kind
		lang  Lang
		title string // a part of the title
		line  string // a part of the first line, if any
	}{
		{"what is the SDM of agency-x", KindContacts, English, "Contacts of Agentschap X", "The SDM of Agentschap X is Henk Smets (R1.2)."},
		{"can you tell me who the SDM of agency-x is?", KindContacts, English, "Contacts of Agentschap X", "The SDM of Agentschap X is Henk Smets (R1.2)."},
		{"sdm voor agentschap x", KindContacts, Dutch, "Contactpersonen van Agentschap X", "De SDM van Agentschap X is Henk Smets (R1.2)."},
		{"what's the availability this month", KindAvailability, English, "", ""},
		{"wat was de beschikbaarheid in 2026-06", KindAvailability, Dutch, "", ""},
		{"what's the status", KindStatus, English, "", ""},
		{"wat is de status van magda", KindStatus, Dutch, "", ""},
		{"status MAGDA-1", KindTicket, English, "MAGDA-1 · P2 incident", ""},
		{"explain friday 16:45 a P2 for agency-x", KindExplain, English, "reported Fri 10 Jul 16:45", ""},
		{"uitleg een P2 voor agentschap x als ik het morgen om 9u meld", KindExplain, Dutch, "gemeld za 11 jul 09:00", ""},
	} {
		r := h.Handle(context.Background(), staffCaller, tt.text)
		first := ""
		if len(r.Lines) > 0 {
			first = r.Lines[0]
		}
		if r.Kind != tt.kind || r.Lang != tt.lang || !strings.Contains(r.Title, tt.title) || !strings.Contains(first, tt.line) {
			t.Errorf("%q: %s %s %q %q; want %s %s %q %q", tt.text, r.Kind, r.Lang, r.Title, first, tt.kind, tt.lang, tt.title, tt.line)
		}
	}
}
