package commands

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestParseExplainWhatIf reads what-ifs to explain (R3.5), with and without a moment,
// in any word order a plain what-if takes, and refuses a time it cannot read rather than
// taking it for the customer.
func TestParseExplainWhatIf(t *testing.T) {
	fri := Moment{Day: "friday", Clock: "16:45"}
	for _, tt := range []struct {
		text string
		want Command
	}{
		{"explain P2 for agency-x", Command{Verb: VerbExplain, Lang: English, Priority: sla.P2, Kind: sla.Incident, Env: sla.Prod, Customer: "agency-x"}},
		{"explain P2 for agency-x at friday 16:45", Command{Verb: VerbExplain, Lang: English, Priority: sla.P2, Kind: sla.Incident, Env: sla.Prod, Customer: "agency-x", At: fri}},
		{"explain P2 for agency-x at Fri 16:45", Command{Verb: VerbExplain, Lang: English, Priority: sla.P2, Kind: sla.Incident, Env: sla.Prod, Customer: "agency-x", At: fri}},
		{"explain friday 16:45 a P2 for agency-x", Command{Verb: VerbExplain, Lang: English, Priority: sla.P2, Kind: sla.Incident, Env: sla.Prod, Customer: "agency-x", At: fri}},
		{"uitleg P2 voor agentschap x op vrijdag om 16u45", Command{Verb: VerbExplain, Lang: Dutch, Priority: sla.P2, Kind: sla.Incident, Env: sla.Prod, Customer: "agentschap x", At: fri}},
		{"waarom P1 vraag voor agency-x om 9:00", Command{Verb: VerbExplain, Lang: Dutch, Priority: sla.P1, Kind: sla.Question, Env: sla.Prod, Customer: "agency-x", At: Moment{Clock: "09:00"}}},
		{"explain P3 for agency-x at tomorrow 08:30", Command{Verb: VerbExplain, Lang: English, Priority: sla.P3, Kind: sla.Incident, Env: sla.Prod, Customer: "agency-x", At: Moment{Day: "tomorrow", Clock: "08:30"}}},
		{"explain P4 for agency-x at 2026-12-24 16:00", Command{Verb: VerbExplain, Lang: English, Priority: sla.P4, Kind: sla.Incident, Env: sla.Prod, Customer: "agency-x", At: Moment{Day: "2026-12-24", Clock: "16:00"}}},
		{"explain connection tni for agency-x", Command{Verb: VerbExplain, Lang: English, Kind: sla.Connection, Env: sla.TNI, Customer: "agency-x"}},
	} {
		checkParse(t, tt.text, tt.want)
	}
	for _, tt := range []struct{ text, want string }{
		{"explain P2 for agency-x at friday 25:00", "I can't read “25:00” as a time of day. Try `16:45` or `9u30`."},
		{"explain agency-x", "Which ticket or priority? Try `explain MAGDA-123` or `explain P2 for agency-x`."},
		{"explain today", "Which ticket or priority? Try `explain MAGDA-123` or `explain P2 for agency-x`."},
		{"explain question for agency-x", "Which priority? Try `sla P2 question for agency-x`."},
		{"explain", "Which ticket? Try `explain MAGDA-123`."},
	} {
		c, err := Parse(tt.text)
		if err == nil || message(err, English) != tt.want || c.Verb != VerbExplain && tt.text != "explain" {
			t.Errorf("Parse(%q) = %s, %v; want %q", tt.text, c.Verb, err, tt.want)
		}
	}
}

// TestGoldenExplainWhatIf_R3_5: a P2 of a dedicated customer reported on Friday 16:45
// is explained over the weekend (R3.2, R3.5); one reported on 24 December at 16:00
// over the Christmas period (R3.3); a P1 on TNI is capped and says so (R4.2).
func TestGoldenExplainWhatIf_R3_5(t *testing.T) {
	for _, tt := range []struct{ name, text string }{
		{"explain_whatif", "explain P2 for agency-x at friday 16:45"},
		{"explain_whatif_christmas_nl", "uitleg P2 voor agentschap x op 2026-12-24 om 16:00"},
		{"explain_whatif_tni", "explain P1 tni for agency-x"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newTest()
			r := h.Handle(context.Background(), staffCaller, tt.text)
			goldenReply(t, tt.name, r)
			checkPhone(t, r)
		})
	}
	h, _ := newTest()
	r := h.Handle(context.Background(), staffCaller, "explain P2 for agency-x at friday 16:45")
	// Dedicated P2 from Fri 16:45: response 2h is 0h15 on Friday and 1h45 on Monday;
	// resolution 16h is 0h15 + 9h on Monday, the closure day Tuesday 14 July skipped, 6h45 on Wednesday.
	if len(r.Items) != 2 || r.Items[0].Title != "Response (2h00): due Mon 13 Jul 09:45" || r.Items[1].Title != "Resolution (16h00): due Wed 15 Jul 14:45" {
		t.Errorf("items %+v; want response due Mon 09:45, resolution Wed 14:45", r.Items)
	}
}

// checkParse parses text to want, and want's String back to want.
func checkParse(t *testing.T, text string, want Command) {
	t.Helper()
	got, err := Parse(text)
	if err != nil {
		t.Errorf("Parse(%q): %v", text, err)
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse(%q) (-want +got):\n%s", text, diff)
	}
	if back, err := Parse(got.String()); err != nil || !cmp.Equal(got, back) {
		t.Errorf("round trip of %q via %q: %+v, %v", text, got.String(), back, err)
	}
}
