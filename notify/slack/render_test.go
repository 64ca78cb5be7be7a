package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/golden"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/schemas"
)

var (
	staff    = commands.Caller{UserID: agent, ChannelID: chanTeam, Platform: "slack", Name: "Ann Agent"}
	customer = commands.Caller{UserID: outsider, ChannelID: chanX, Platform: "slack", Name: "Carl Customer"}
)

// TestGoldenBlocks renders a reply of every kind, built by the real commands handler,
// as the message Slack gets.
func TestGoldenBlocks(t *testing.T) {
	tests := []struct {
		name   string
		caller commands.Caller
		text   string
		kind   commands.Kind
	}{
		{"card_at_risk", staff, "sla MAGDA-1", commands.KindTicket},
		{"card_breached_nl", staff, "wanneer is MAGDA-2 due", commands.KindTicket},
		{"card_customer_channel", customer, "sla MAGDA-1", commands.KindTicket},
		{"tickets", staff, "sla agency-x", commands.KindTickets},
		{"whatif", staff, "sla P2 for agency-x", commands.KindWhatIf},
		{"explain", staff, "explain MAGDA-1", commands.KindExplain},
		{"priority_R4.3", staff, "prio scope=P3 users=P2 security=P2", commands.KindPriority},
		{"priority_capped_R4.2", staff, "prio scope=P1 env=tni", commands.KindPriority},
		{"form_priority", staff, "prio", commands.KindForm},
		{"form_update", staff, "update MAGDA-1", commands.KindForm},
		{"recorded_escalated_R7", staff, "escalate MAGDA-1 customer chain down", commands.KindRecorded},
		{"maintenance_R8", staff, "maintenance", commands.KindMaintenance},
		{"holidays_R3.3", staff, "holidays 2026", commands.KindHolidays},
		{"help", staff, "help", commands.KindHelp},
		{"help_nl", staff, "hulp", commands.KindHelp},
		{"error_not_found", staff, "sla MAGDA-404", commands.KindError},
		{"error_forbidden", customer, "sla agency-y", commands.KindError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newHandler(newStore(fixture()...), "").Handle(context.Background(), tt.caller, tt.text)
			if r.Kind != tt.kind {
				t.Fatalf("kind %s, want %s: %s", r.Kind, tt.kind, r.PlainText())
			}
			m := messageOf(r, "")
			checkLimits(t, m.Blocks, maxMessageBlocks)
			if m.Text != fallback(r) || !strings.Contains(m.Text, escape(strings.SplitN(r.PlainText(), "\n", 2)[0])) {
				t.Errorf("fallback text is not the reply's PlainText: %q", m.Text)
			}
			schemas.FallbackOK(t, m.Text)
			golden.JSON(t, "blocks_"+tt.name+".json", m)
		})
	}
}

// TestGoldenModal renders the forms as modals: the R4.3 wizard in both languages and the
// R5.3 update text.
func TestGoldenModal(t *testing.T) {
	tests := []struct {
		name string
		text string
		lang commands.Lang
	}{
		{"priority_R4.3", "prio", ""},
		{"priority_R4.3_nl", "prioriteit", ""},
		{"update_R5.3", "update MAGDA-1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newHandler(newStore(fixture()...), tt.lang).Handle(context.Background(), staff, tt.text)
			if r.Form == nil {
				t.Fatalf("no form: %s", r.PlainText())
			}
			v := Modal(*r.Form, r.Lang)
			checkModal(t, v)
			m := parseMeta(v.PrivateMetadata)
			if m.Value != r.Form.Value || m.Lang != r.Lang || v.CallbackID != r.Form.ID {
				t.Errorf("callback %q metadata %+v, want %q %q %q", v.CallbackID, m, r.Form.ID, r.Form.Value, r.Lang)
			}
			golden.JSON(t, "modal_"+tt.name+".json", v)
		})
	}
}

// TestWizardHintsKeepCriteria: the R4.3 criteria are longer than an option description
// may be; each option is shortened and the field's hint gives them whole.
func TestWizardHintsKeepCriteria(t *testing.T) {
	r := newHandler(newStore(), "").Handle(context.Background(), staff, "prio")
	v := Modal(*r.Form, r.Lang)
	for _, f := range r.Form.Fields {
		var in *slackgo.InputBlock
		for _, b := range v.Blocks.BlockSet {
			if ib, ok := b.(*slackgo.InputBlock); ok && ib.BlockID == f.ID {
				in = ib
			}
		}
		if in == nil {
			t.Fatalf("no input for field %s", f.ID)
		}
		for _, o := range f.Options {
			if utf8.RuneCountInString(o.Description) > maxOptionDesc && (in.Hint == nil || !strings.Contains(in.Hint.Text, o.Description)) {
				t.Errorf("field %s: the hint lacks the full criterion %q", f.ID, o.Description)
			}
		}
	}
}

// TestBlockLimits: replies too big for one message are cut at Slack's limits, saying so.
func TestBlockLimits(t *testing.T) {
	many := func(n int) []commands.Item {
		var out []commands.Item
		for i := range n {
			key := fmt.Sprintf("MAGDA-%d", i+1)
			out = append(out, commands.Item{Title: key, Facts: []commands.Fact{{Label: "Response", Value: "met"}},
				Buttons: []commands.Button{{Action: commands.ActTicket, Label: "Details", Value: key}}})
		}
		return out
	}
	facts := func(n, size int) []commands.Fact {
		var out []commands.Fact
		for i := range n {
			out = append(out, commands.Fact{Label: fmt.Sprintf("F%d", i), Value: strings.Repeat("v", size)})
		}
		return out
	}
	lines := func(n, size int) []string {
		var ls []string
		for range n {
			ls = append(ls, strings.Repeat("x", size))
		}
		return ls
	}
	tests := []struct {
		name   string
		r      commands.Reply
		blocks int    // want this many blocks
		last   string // the context note the cut adds, "" for none
	}{
		{"30 items cut to 50 blocks", commands.Reply{Title: "T", Items: many(30), Buttons: []commands.Button{{Action: commands.ActExplain, Label: "X", Value: "MAGDA-1"}}},
			1 + 23*2 + 1 + 1, "7 more not shown: too many for one message."}, // whole items only
		{"25 facts in sections of ten", commands.Reply{Facts: facts(25, 300)}, 3, ""},
		{"25 long facts cut at the block text ceiling", commands.Reply{Facts: facts(25, 2500)}, 2, "Shortened: too long for one message."},
		{"a long line is cut", commands.Reply{Lines: []string{strings.Repeat("a", 5000)}}, 1, ""},
		{"lines share sections", commands.Reply{Lines: []string{strings.Repeat("a", 2000), strings.Repeat("b", 2000), "c"}}, 2, ""},
		{"60 lines of 3000 cut at the block text ceiling", commands.Reply{Lang: commands.Dutch, Lines: lines(60, 2999)},
			4, "Ingekort: te lang voor één bericht."},
		{"items cut at the block text ceiling, where to see them", commands.Reply{Title: "T", Items: func() []commands.Item {
			its := many(20)
			for i := range its {
				its[i].Lines = []string{strings.Repeat("l", 1500)}
			}
			return its
		}(), More: "`sla agency-x` lists them."}, 1 + 7*2 + 1, "13 more not shown: too many for one message. `sla agency-x` lists them."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs := Blocks(tt.r)
			checkLimits(t, bs, maxMessageBlocks)
			if len(bs) != tt.blocks {
				t.Errorf("%d blocks, want %d", len(bs), tt.blocks)
			}
			found := ""
			for _, b := range bs {
				if c, ok := b.(*slackgo.ContextBlock); ok {
					found = c.ContextElements.Elements[len(c.ContextElements.Elements)-1].(*slackgo.TextBlockObject).Text
				}
			}
			if found != tt.last {
				t.Errorf("last note %q, want %q", found, tt.last)
			}
			m := messageOf(tt.r, "")
			if !cmp.Equal(m.Blocks, bs) || strings.Count(m.Text, "MAGDA-") != strings.Count(fallback(fit(tt.r, messageRoom)), "MAGDA-") {
				t.Error("the message's blocks or text are not those of the fitted reply")
			}
			schemas.FallbackOK(t, m.Text)
		})
	}
}

// TestEscaping: text a user typed cannot mention the channel or fake a link.
func TestEscaping(t *testing.T) {
	r := commands.Reply{Title: "<!channel>", Lines: []string{"ping <!channel> & <@U1>"},
		Facts: []commands.Fact{{Label: "Reason", Value: "<https://evil|click>"}}}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(messageOf(r, ""))
	b := buf.Bytes()
	for _, bad := range []string{"<!channel> &", "<@U1>", "<https://evil"} {
		if strings.Contains(string(b), bad) {
			t.Errorf("%q not escaped in %s", bad, b)
		}
	}
	if !strings.Contains(string(b), "ping &lt;!channel&gt; &amp; &lt;@U1&gt;") {
		t.Errorf("line not escaped as mrkdwn wants: %s", b)
	}
}

// TestButtonLangRoundTrip: a button carries its reply's language back to the click.
func TestButtonLangRoundTrip(t *testing.T) {
	for _, l := range []commands.Lang{commands.English, commands.Dutch} {
		r := newHandler(newStore(fixture()...), l).Handle(context.Background(), staff, "sla MAGDA-1")
		var got []string
		for _, b := range Blocks(r) {
			if a, ok := b.(*slackgo.ActionBlock); ok {
				for _, el := range a.Elements.ElementSet {
					btn := el.(*slackgo.ButtonBlockElement)
					gl, value := parseButtonValue(btn.Value)
					cmd, err := commands.ActionCommand(btn.ActionID, value, gl)
					if err != nil || cmd.Lang != l || cmd.Ticket != "MAGDA-1" {
						t.Errorf("%s: button %s value %q gives %+v, %v", l, btn.ActionID, btn.Value, cmd, err)
					}
					got = append(got, btn.ActionID)
				}
			}
		}
		want := []string{commands.ActEscalate, commands.ActUpdate, commands.ActExplain}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s buttons (-want +got):\n%s", l, diff)
		}
	}
}

// checkLimits fails on anything Slack would refuse in a message or view (limit
// blocks), checked on the JSON as sent against Slack's published limits.
func checkLimits(t *testing.T, bs []slackgo.Block, limit int) {
	t.Helper()
	b, err := json.Marshal(bs)
	if err != nil {
		t.Fatal(err)
	}
	schemas.Blocks(t, b, limit)
}

func checkModal(t *testing.T, v slackgo.ModalViewRequest) {
	t.Helper()
	checkLimits(t, v.Blocks.BlockSet, maxViewBlocks)
	for what, o := range map[string]*slackgo.TextBlockObject{"title": v.Title, "submit": v.Submit, "close": v.Close} {
		if o == nil || utf8.RuneCountInString(o.Text) > maxModalTitle {
			t.Errorf("modal %s %+v", what, o)
		}
	}
	if len(v.PrivateMetadata) > 3000 || len(v.CallbackID) > 255 {
		t.Errorf("metadata %d, callback_id %d characters", len(v.PrivateMetadata), len(v.CallbackID))
	}
}
