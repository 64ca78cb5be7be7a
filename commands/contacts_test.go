package commands

import (
	"context"
	"testing"
)

// TestParseContacts_R1_2 reads the contacts questions in both languages.
func TestParseContacts_R1_2(t *testing.T) {
	for _, tt := range []struct {
		text string
		want Command
	}{
		{"who is the SDM for agency-x", Command{Verb: VerbContacts, Lang: English, Text: roleSDM, Customer: "agency-x"}},
		{"who is the sdm of Agentschap X?", Command{Verb: VerbContacts, Lang: English, Text: roleSDM, Customer: "Agentschap X"}},
		{"wie is de spoc van agentschap X", Command{Verb: VerbContacts, Lang: Dutch, Text: roleSPOC, Customer: "agentschap X"}},
		{"contacts agency-x", Command{Verb: VerbContacts, Lang: English, Customer: "agency-x"}},
		{"contacten van agentschap x", Command{Verb: VerbContacts, Lang: Dutch, Customer: "agentschap x"}},
		{"wie is onze SDM", Command{Verb: VerbContacts, Lang: Dutch, Text: roleSDM}},
	} {
		checkParse(t, tt.text, tt.want)
	}
	if _, err := Parse("who knows"); err == nil {
		t.Error(`Parse("who knows") accepted; want "who do you mean?"`)
	}
}

// TestContacts_R1_2: the SDM and SPOC come from the configuration; in a customer's
// channel only its own are given, and someone outside the team elsewhere gets none.
func TestContacts_R1_2(t *testing.T) {
	h, _ := newTest()
	for _, tt := range []struct {
		name   string
		caller Caller
		text   string
	}{
		{"contacts_sdm", staffCaller, "who is the SDM for agency-x"},
		{"contacts_spoc_nl", staffCaller, "wie is de spoc van agentschap X"},
		{"contacts_none", staffCaller, "contacts agency-y"},
		{"contacts_channel", customerCaller, "who is our SDM?"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			goldenReply(t, tt.name, h.Handle(context.Background(), tt.caller, tt.text))
		})
	}
	if r := h.Handle(context.Background(), staffCaller, "who is the SDM for agency-x"); r.Lines[0] != "The SDM of Agentschap X is Henk Smets (R1.2)." {
		t.Errorf("answer %q; want the configured SDM", r.Lines)
	}
	if r := h.Handle(context.Background(), customerCaller, "contacts agency-y"); r.Error != CodeForbidden {
		t.Errorf("another customer's contacts in agency-x's channel: %+v; want forbidden", r)
	}
	stranger := Caller{UserID: outsider, ChannelID: chanTeam, Platform: "slack"}
	if r := h.Handle(context.Background(), stranger, "contacts agency-x"); r.Error != CodeForbidden || !r.Ephemeral {
		t.Errorf("a stranger asking: %+v; want an ephemeral refusal", r)
	}
}
