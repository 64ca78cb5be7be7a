package commands

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

func assess(scope, users, security sla.Priority) *sla.Assessment {
	return &sla.Assessment{scope, users, security}
}

func TestParse(t *testing.T) {
	en, nl := English, Dutch
	tests := []struct {
		in   string
		want Command
	}{
		// ticket card
		{"sla MAGDA-123", Command{Verb: VerbTicket, Lang: en, Guessed: true, Ticket: "MAGDA-123"}},
		{"  SLA   magda-123  ", Command{Verb: VerbTicket, Lang: en, Guessed: true, Ticket: "MAGDA-123"}},
		{"/magda sla MAGDA-7", Command{Verb: VerbTicket, Lang: en, Guessed: true, Ticket: "MAGDA-7"}},
		{"@magda sla MAGDA-7?", Command{Verb: VerbTicket, Lang: en, Guessed: true, Ticket: "MAGDA-7"}},
		{"Magda, sla MAGDA-7", Command{Verb: VerbTicket, Lang: en, Guessed: true, Ticket: "MAGDA-7"}},
		{"when is MAGDA-123 due?", Command{Verb: VerbTicket, Lang: en, Ticket: "MAGDA-123"}},
		{"wanneer is MAGDA-123 due", Command{Verb: VerbTicket, Lang: nl, Ticket: "MAGDA-123"}},
		// what-if (R4.2 env, R2.3 connection without priority)
		{"sla P2 for agency-x", Command{Verb: VerbWhatIf, Lang: en, Customer: "agency-x", Kind: sla.Incident, Priority: sla.P2, Env: sla.Prod}},
		{"when is P2 due for agency-x", Command{Verb: VerbWhatIf, Lang: en, Customer: "agency-x", Kind: sla.Incident, Priority: sla.P2, Env: sla.Prod}},
		{"wanneer is P2 due voor agentschap x", Command{Verb: VerbWhatIf, Lang: nl, Customer: "agentschap x", Kind: sla.Incident, Priority: sla.P2, Env: sla.Prod}},
		{"sla P1 voor Agentschap   X", Command{Verb: VerbWhatIf, Lang: nl, Customer: "Agentschap X", Kind: sla.Incident, Priority: sla.P1, Env: sla.Prod}},
		{"SLA p1 TNI incident for agency-x", Command{Verb: VerbWhatIf, Lang: en, Customer: "agency-x", Kind: sla.Incident, Priority: sla.P1, Env: sla.TNI}},
		{"sla P3 vraag voor agency-x", Command{Verb: VerbWhatIf, Lang: nl, Customer: "agency-x", Kind: sla.Question, Priority: sla.P3, Env: sla.Prod}},
		{"sla P3 question agency-x", Command{Verb: VerbWhatIf, Lang: en, Customer: "agency-x", Kind: sla.Question, Priority: sla.P3, Env: sla.Prod}},
		{"sla aansluiting voor agency-x", Command{Verb: VerbWhatIf, Lang: nl, Customer: "agency-x", Kind: sla.Connection, Env: sla.Prod}},
		{"sla P2 connection for agency-x", Command{Verb: VerbWhatIf, Lang: en, Customer: "agency-x", Kind: sla.Connection, Env: sla.Prod}},
		{"sla P2 agency-x", Command{Verb: VerbWhatIf, Lang: en, Guessed: true, Customer: "agency-x", Kind: sla.Incident, Priority: sla.P2, Env: sla.Prod}},
		{"sla P2", Command{Verb: VerbWhatIf, Lang: en, Guessed: true, Kind: sla.Incident, Priority: sla.P2, Env: sla.Prod}},
		{"when is a P2 due for the agency?", Command{Verb: VerbWhatIf, Lang: en, Customer: "agency", Kind: sla.Incident, Priority: sla.P2, Env: sla.Prod}},
		// a customer's tickets
		{"sla agency-x", Command{Verb: VerbCustomer, Lang: en, Guessed: true, Customer: "agency-x"}},
		{"sla Agentschap X", Command{Verb: VerbCustomer, Lang: nl, Customer: "Agentschap X"}},
		// typos of a command word, and questions without one
		{"slaa MAGDA-123", Command{Verb: VerbTicket, Lang: en, Guessed: true, Ticket: "MAGDA-123"}},
		{"MAGDA-123", Command{Verb: VerbTicket, Lang: en, Guessed: true, Ticket: "MAGDA-123"}},
		{"P2 for agency-x", Command{Verb: VerbWhatIf, Lang: en, Customer: "agency-x", Kind: sla.Incident, Priority: sla.P2, Env: sla.Prod}},
		{"esclate MAGDA-1", Command{Verb: VerbEscalate, Lang: en, Ticket: "MAGDA-1"}},
		{"feestdgen", Command{Verb: VerbHolidays, Lang: nl}},
		{"sla voor agentschap x", Command{Verb: VerbCustomer, Lang: nl, Customer: "agentschap x"}},
		{"sla", Command{Verb: VerbCustomer, Lang: en, Guessed: true}},
		// explain
		{"explain MAGDA-123", Command{Verb: VerbExplain, Lang: en, Ticket: "MAGDA-123"}},
		{"Waarom MAGDA-123", Command{Verb: VerbExplain, Lang: nl, Ticket: "MAGDA-123"}},
		{"uitleg magda-123", Command{Verb: VerbExplain, Lang: nl, Ticket: "MAGDA-123"}},
		{"why is MAGDA-9 so late?", Command{Verb: VerbExplain, Lang: en, Ticket: "MAGDA-9"}},
		// priority (R4.3, R4.2)
		{"prio", Command{Verb: VerbPriority, Lang: en, Guessed: true}},
		{"Prioriteit", Command{Verb: VerbPriority, Lang: nl}},
		{"priority", Command{Verb: VerbPriority, Lang: en}},
		{"prio scope=P2 users=P3 security=P4", Command{Verb: VerbPriority, Lang: en, Env: sla.Prod, Assess: assess(sla.P2, sla.P3, sla.P4)}},
		{"prio users=2 env=TNI", Command{Verb: VerbPriority, Lang: en, Env: sla.TNI, Assess: assess(0, sla.P2, 0)}},
		{"prio scope=P1 env=tni motivation=chain  down for   all", Command{Verb: VerbPriority, Lang: en, Env: sla.TNI,
			Motivation: "chain  down for   all", Assess: assess(sla.P1, 0, 0)}},
		{"prioriteit omvang=P1 gebruikers=geen veiligheid=P3 omgeving=tni motivatie=keten ligt plat", Command{Verb: VerbPriority, Lang: nl,
			Env: sla.TNI, Motivation: "keten ligt plat", Assess: assess(sla.P1, 0, sla.P3)}},
		// events
		{"escalate MAGDA-123", Command{Verb: VerbEscalate, Lang: en, Ticket: "MAGDA-123"}},
		{"escalate MAGDA-123 customer is  down", Command{Verb: VerbEscalate, Lang: en, Ticket: "MAGDA-123", Text: "customer is  down"}},
		{"escaleer magda-123 klant ligt plat", Command{Verb: VerbEscalate, Lang: nl, Ticket: "MAGDA-123", Text: "klant ligt plat"}},
		{"update MAGDA-123 Fix deployed.\nRetest please?", Command{Verb: VerbUpdate, Lang: en, Guessed: true, Ticket: "MAGDA-123", Text: "Fix deployed.\nRetest please?"}},
		{"update MAGDA-123", Command{Verb: VerbUpdate, Lang: en, Guessed: true, Ticket: "MAGDA-123"}},
		{"pause MAGDA-123 customer", Command{Verb: VerbPause, Lang: en, Ticket: "MAGDA-123", Reason: sla.WaitCustomer}},
		{"pause MAGDA-123 third-party", Command{Verb: VerbPause, Lang: en, Ticket: "MAGDA-123", Reason: sla.WaitThirdParty}},
		{"pause MAGDA-123 third party", Command{Verb: VerbPause, Lang: en, Ticket: "MAGDA-123", Reason: sla.WaitThirdParty}},
		{"pauzeer MAGDA-123 klant", Command{Verb: VerbPause, Lang: nl, Ticket: "MAGDA-123", Reason: sla.WaitCustomer}},
		{"pauzeer MAGDA-123 derde partij", Command{Verb: VerbPause, Lang: nl, Ticket: "MAGDA-123", Reason: sla.WaitThirdParty}},
		{"resume MAGDA-123", Command{Verb: VerbResume, Lang: en, Ticket: "MAGDA-123"}},
		{"hervat MAGDA-123", Command{Verb: VerbResume, Lang: nl, Ticket: "MAGDA-123"}},
		// information
		{"maintenance", Command{Verb: VerbMaintenance, Lang: en}},
		{"ONDERHOUD", Command{Verb: VerbMaintenance, Lang: nl}},
		{"holidays", Command{Verb: VerbHolidays, Lang: en}},
		{"holidays 2027", Command{Verb: VerbHolidays, Lang: en, Year: 2027}},
		{"feestdagen 2026", Command{Verb: VerbHolidays, Lang: nl, Year: 2026}},
		{"help", Command{Verb: VerbHelp, Lang: en}},
		{"hulp", Command{Verb: VerbHelp, Lang: nl}},
		{"", Command{Verb: VerbHelp, Lang: en, Guessed: true}},
		{"/magda", Command{Verb: VerbHelp, Lang: en, Guessed: true}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in      string
		verb    Verb
		message string
	}{
		{"escaler", VerbEscalate, "Welk ticket? Probeer `escaleer MAGDA-123 [reden]`."},
		{"escalte", VerbEscalate, "Which ticket? Try `escalate MAGDA-123 [reason]`."},
		{"hello there", VerbHelp, "I don't know “hello there”. Try `sla MAGDA-123`, `sla P2 for agency-x`, `today` or `help`."},
		{"wat is dit voor", VerbCustomer, "Ik begrijp “dit” voor “voor” niet. Probeer `sla P2 voor agentschap-x`."},
		{"explain", VerbExplain, "Which ticket? Try `explain MAGDA-123`."},
		{"waarom", VerbExplain, "Welk ticket? Probeer `uitleg MAGDA-123`."},
		{"escalate please", VerbEscalate, "Which ticket? Try `escalate MAGDA-123 [reason]`."},
		{"pause MAGDA-1", VerbPause, "Waiting for whom? Try `pause MAGDA-1 customer` or `pause MAGDA-1 third-party` (R3.4)."},
		{"pauzeer MAGDA-1 morgen", VerbPause, "Wachten op wie? Probeer `pauzeer MAGDA-1 klant` of `pauzeer MAGDA-1 derde` (R3.4)."},
		{"sla P2 question connection", VerbCustomer, "Give one kind, not question and connection."},
		{"sla question for agency-x", VerbWhatIf, "Which priority? Try `sla P2 question for agency-x`."},
		{"sla P1 P2 for agency-x", VerbCustomer, "Give one priority, not P1 and P2."},
		{"sla P2 for", VerbCustomer, "For which customer? Try `sla P2 for agency-x`."},
		{"sla P2 soon for agency-x", VerbCustomer, "I don't understand “soon” before “for”. Try `sla P2 for agency-x`."},
		{"sla MAGDA-1 for agency-x", VerbCustomer, "Ask about a ticket (`sla MAGDA-123`) or a priority (`sla P2 for agency-x`), not both."},
		{"holidays next", VerbHolidays, "Give a year from 2000 to 2100, e.g. `holidays 2026`."},
		{"feestdagen 1999", VerbHolidays, "Geef een jaar van 2000 tot 2100, bv. `feestdagen 2026`."},
		{"prio scope P2", VerbPriority, "Write the dimensions as key=value, e.g. `prio scope=P2 users=P3 security=P4`."},
		{"prio scope=P5", VerbPriority, "scope: give P1, P2, P3, P4 or none, not “P5”."},
		{"prio env=staging", VerbPriority, "env: give prod or tni, not “staging”."},
		{"prio colour=P2", VerbPriority, "Unknown key “colour”: use scope, users, security, env or motivation."},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", tt.in, got)
			continue
		}
		if ErrorCode(err) != CodeInvalid {
			t.Errorf("Parse(%q): code %s, want invalid", tt.in, ErrorCode(err))
		}
		if got.Verb != tt.verb {
			t.Errorf("Parse(%q): verb %q, want %q", tt.in, got.Verb, tt.verb)
		}
		if msg := message(err, got.Lang); msg != tt.message {
			t.Errorf("Parse(%q): message\n got %q\nwant %q", tt.in, msg, tt.message)
		}
	}
}

// TestParseRoundTrip: the canonical text of every command and every help example reads
// back to the same command.
func TestParseRoundTrip(t *testing.T) {
	for _, s := range Commands() {
		for _, ex := range s.Examples {
			c, err := Parse(ex)
			if err != nil {
				t.Errorf("example %q of %s: %v", ex, s.Verb, err)
				continue
			}
			if c.Verb != s.Verb {
				t.Errorf("example %q: verb %s, want %s", ex, c.Verb, s.Verb)
			}
			back, err := Parse(c.String())
			if err != nil {
				t.Errorf("Parse(%q) (String of %q): %v", c.String(), ex, err)
				continue
			}
			if diff := cmp.Diff(c, back); diff != "" {
				t.Errorf("round trip of %q via %q (-first +second):\n%s", ex, c.String(), diff)
			}
		}
	}
}

// TestCommandsRouted: every word a Spec lists reaches a command, not the unknown-input
// help, so the Slack and Teams manifests can rely on Commands().
func TestCommandsRouted(t *testing.T) {
	for _, s := range Commands() {
		if s.Name == "" || s.Dutch == "" || s.Usage == "" || s.UsageNL == "" || s.Description == "" || s.DescriptionNL == "" {
			t.Errorf("spec %s is incomplete: %+v", s.Verb, s)
		}
		for _, w := range append(s.Words, s.Name, s.Dutch) {
			c, err := Parse(w + " MAGDA-1 customer")
			if c.Verb == VerbHelp && s.Verb != VerbHelp || c.Input != "" {
				t.Errorf("word %q of %s is not routed: %+v, %v", w, s.Verb, c, err)
			}
		}
	}
}

func TestActionAndFormCommands(t *testing.T) {
	c, err := ActionCommand(ActEscalate, "magda-5", Dutch)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Command{Verb: VerbEscalate, Lang: Dutch, Ticket: "MAGDA-5"}, c); diff != "" {
		t.Errorf("ActionCommand (-want +got):\n%s", diff)
	}
	if _, err := ActionCommand("magda_delete", "MAGDA-5", English); ErrorCode(err) != CodeInvalid {
		t.Errorf("unknown action: %v, want invalid", err)
	}
	if _, err := ActionCommand(ActExplain, "not a key", English); ErrorCode(err) != CodeInvalid {
		t.Errorf("bad value: %v, want invalid", err)
	}
	c, err = FormCommand(FormPriority, "", map[string]string{"scope": "P3", "users": "none", "security": "P2", "env": "tni", "motivation": " keten "}, English)
	if err != nil {
		t.Fatal(err)
	}
	want := Command{Verb: VerbPriority, Lang: English, Env: sla.TNI, Motivation: "keten", Assess: assess(sla.P3, 0, sla.P2)}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("FormCommand prio (-want +got):\n%s", diff)
	}
	if _, err := FormCommand(FormPriority, "", map[string]string{"scope": "P9"}, English); ErrorCode(err) != CodeInvalid {
		t.Errorf("bad level: %v, want invalid", err)
	}
	c, err = FormCommand(FormUpdate, "MAGDA-5", map[string]string{"text": "deployed"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Command{Verb: VerbUpdate, Lang: English, Guessed: true, Ticket: "MAGDA-5", Text: "deployed"}, c); diff != "" {
		t.Errorf("FormCommand update (-want +got):\n%s", diff)
	}
	if _, err := FormCommand(FormUpdate, "MAGDA-5", map[string]string{"text": "  "}, English); ErrorCode(err) != CodeInvalid {
		t.Errorf("empty update: %v, want invalid", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range Commands() {
		for _, ex := range s.Examples {
			f.Add(ex)
		}
		f.Add(s.Usage)
		f.Add(s.UsageNL)
	}
	if b, err := os.ReadFile("testdata/corpus.txt"); err == nil { // every phrasing the bot understands
		for _, line := range strings.Split(string(b), "\n") {
			if in, _, ok := strings.Cut(line, " => "); ok && !strings.HasPrefix(line, "#") {
				f.Add(in)
			}
		}
	}
	f.Add("prio motivation=")
	f.Add("sla P2 for for")
	f.Add("@magda,  wanneer is p4 due voor x?")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text)
		if err != nil {
			if ErrorCode(err) != CodeInvalid || message(err, c.Lang) == "" {
				t.Fatalf("Parse(%q): error %v without an invalid code and a message", text, err)
			}
			return
		}
		back, err := Parse(c.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %+v; its String %q does not parse: %v", text, c, c.String(), err)
		}
		if diff := cmp.Diff(c, back); diff != "" {
			t.Fatalf("Parse(%q) via %q (-first +second):\n%s", text, c.String(), diff)
		}
	})
}
