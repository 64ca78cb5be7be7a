package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/golden"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
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
	var facts []commands.Fact
	for i := range 25 {
		facts = append(facts, commands.Fact{Label: fmt.Sprintf("F%d", i), Value: strings.Repeat("v", 2500)})
	}
	tests := []struct {
		name   string
		r      commands.Reply
		blocks int    // want this many blocks
		last   string // the context note the cut adds, "" for none
	}{
		{"30 items cut to 50 blocks", commands.Reply{Title: "T", Items: many(30), Buttons: []commands.Button{{Action: commands.ActExplain, Label: "X", Value: "MAGDA-1"}}},
			1 + 23*2 + 1 + 1, "Shortened for Slack: 7 more not shown."}, // whole items only
		{"25 facts in sections of ten", commands.Reply{Facts: facts}, 3, ""},
		{"a long line is cut", commands.Reply{Lines: []string{strings.Repeat("a", 5000)}}, 1, ""},
		{"lines share sections", commands.Reply{Lines: []string{strings.Repeat("a", 2000), strings.Repeat("b", 2000), "c"}}, 2, ""},
		{"60 lines of 3000 keep 50 blocks", commands.Reply{Lang: commands.Dutch, Lines: func() []string {
			var ls []string
			for range 60 {
				ls = append(ls, strings.Repeat("x", 2999))
			}
			return ls
		}()}, 50, "Ingekort voor Slack: de rest wordt niet getoond."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs := Blocks(tt.r)
			checkLimits(t, bs, maxMessageBlocks)
			if len(bs) != tt.blocks {
				t.Errorf("%d blocks, want %d", len(bs), tt.blocks)
			}
			if tt.last != "" {
				found := false
				for _, b := range bs {
					if c, ok := b.(*slackgo.ContextBlock); ok && c.ContextElements.Elements[0].(*slackgo.TextBlockObject).Text == tt.last {
						found = true
					}
				}
				if !found {
					t.Errorf("no note %q", tt.last)
				}
			}
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

// checkLimits fails on anything Slack would refuse in a message or view.
func checkLimits(t *testing.T, bs []slackgo.Block, limit int) {
	t.Helper()
	if len(bs) > limit {
		t.Errorf("%d blocks, over %d", len(bs), limit)
	}
	text := func(what string, o *slackgo.TextBlockObject, max int) {
		if o != nil && (utf8.RuneCountInString(o.Text) > max || o.Text == "") {
			t.Errorf("%s: %d characters (max %d)", what, utf8.RuneCountInString(o.Text), max)
		}
	}
	ids := map[string]bool{}
	for _, b := range bs {
		if id := b.ID(); id != "" {
			if ids[id] {
				t.Errorf("block_id %q twice", id)
			}
			ids[id] = true
		}
		switch b := b.(type) {
		case *slackgo.HeaderBlock:
			text("header", b.Text, maxHeader)
		case *slackgo.SectionBlock:
			if b.Text == nil && len(b.Fields) == 0 {
				t.Error("empty section")
			}
			text("section", b.Text, maxText)
			if len(b.Fields) > maxFields {
				t.Errorf("%d fields", len(b.Fields))
			}
			for _, f := range b.Fields {
				text("field", f, maxFieldText)
			}
		case *slackgo.ContextBlock:
			if n := len(b.ContextElements.Elements); n == 0 || n > maxContext {
				t.Errorf("context with %d elements", n)
			}
		case *slackgo.ActionBlock:
			if n := len(b.Elements.ElementSet); n == 0 || n > maxActions {
				t.Errorf("actions with %d elements", n)
			}
			for _, el := range b.Elements.ElementSet {
				btn := el.(*slackgo.ButtonBlockElement)
				text("button", btn.Text, maxButtonText)
				if c := btn.Confirm; c != nil {
					text("confirm title", c.Title, maxConfirmTitle)
					text("confirm text", c.Text, maxConfirmText)
					text("confirm yes", c.Confirm, maxConfirmButton)
					text("confirm no", c.Deny, maxConfirmButton)
				}
			}
		case *slackgo.InputBlock:
			text("label", b.Label, maxLabel)
			text("hint", b.Hint, maxHint)
		case *slackgo.DividerBlock:
		default:
			t.Errorf("unexpected block %T", b)
		}
	}
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
	for _, b := range v.Blocks.BlockSet {
		in, ok := b.(*slackgo.InputBlock)
		if !ok {
			continue
		}
		var opts []*slackgo.OptionBlockObject
		switch el := in.Element.(type) {
		case *slackgo.RadioButtonsBlockElement:
			opts = el.Options
			if len(opts) > maxRadio {
				t.Errorf("%s: %d radio buttons", in.BlockID, len(opts))
			}
		case *slackgo.SelectBlockElement:
			opts = el.Options
		}
		for _, o := range opts {
			if utf8.RuneCountInString(o.Text.Text) > maxOptionText || len(o.Value) > 150 ||
				o.Description != nil && utf8.RuneCountInString(o.Description.Text) > maxOptionDesc {
				t.Errorf("%s: option %+v over the limits", in.BlockID, o)
			}
		}
	}
}
