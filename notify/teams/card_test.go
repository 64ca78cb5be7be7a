package teams

import (
	"context"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/golden"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// goldenReplies are the real handler's answers, one or more per reply kind.
var goldenReplies = []struct {
	name string
	kind commands.Kind
	text string
}{
	{"ticket", commands.KindTicket, "sla MAGDA-1"},
	{"ticket_breached_nl", commands.KindTicket, "wanneer is MAGDA-2 due"},
	{"tickets", commands.KindTickets, "sla agency-x"},
	{"whatif", commands.KindWhatIf, "sla P2 for agency-x"},
	{"explain", commands.KindExplain, "explain MAGDA-1"},
	{"priority", commands.KindPriority, "prio scope=P2 users=P3 security=none"},
	{"form_priority", commands.KindForm, "prio"},
	{"form_update_nl", commands.KindForm, "update MAGDA-1"},
	{"recorded", commands.KindRecorded, "escalate MAGDA-1 chain down"},
	{"maintenance", commands.KindMaintenance, "maintenance"},
	{"holidays", commands.KindHolidays, "holidays 2026"},
	{"help", commands.KindHelp, "help"},
	{"help_unknown", commands.KindError, "hello there"},
	{"queue", commands.KindTickets, "what's due today"},
	{"error", commands.KindError, "sla MAGDA-404"},
}

func goldenReply(t testing.TB, text string) commands.Reply {
	t.Helper()
	c := &clock{t: start}
	h := commandsHandler(newStore(), c)
	l := commands.English
	if text == "update MAGDA-1" {
		l = commands.Dutch
	}
	caller := commands.Caller{UserID: staffAAD, ChannelID: teamChan, Platform: "teams", Name: "Ann Agent", RequestID: "r1"}
	if cmd, err := commands.Parse(text); err == nil && l == commands.Dutch {
		cmd.Lang, cmd.Guessed = l, false
		return h.Run(context.Background(), caller, cmd)
	}
	return h.Handle(context.Background(), caller, text)
}

// TestCardGolden compares each reply kind's Adaptive Card with testdata/NAME.json.
func TestCardGolden(t *testing.T) {
	seen := map[commands.Kind]bool{}
	for _, g := range goldenReplies {
		t.Run(g.name, func(t *testing.T) {
			r := goldenReply(t, g.text)
			if r.Kind != g.kind {
				t.Fatalf("%q answered a %s, want %s", g.text, r.Kind, g.kind)
			}
			seen[r.Kind] = true
			golden.JSON(t, g.name+".json", Card(r))
		})
	}
	all := []commands.Kind{commands.KindTicket, commands.KindTickets, commands.KindWhatIf, commands.KindExplain,
		commands.KindPriority, commands.KindForm, commands.KindRecorded, commands.KindMaintenance,
		commands.KindHolidays, commands.KindHelp, commands.KindError}
	for _, k := range all {
		if !seen[k] {
			t.Errorf("no golden card for reply kind %s", k)
		}
	}
}

// TestCardCarriesReply: the card shows everything the reply says, in the reply's
// order (title, lines, facts, items, notes) with every button, and the same facts.
func TestCardCarriesReply(t *testing.T) {
	for _, g := range goldenReplies {
		r := goldenReply(t, g.text)
		c := Card(r)
		var want []string
		add := func(title string, lines []string, facts []commands.Fact) {
			if title != "" {
				want = append(want, title)
			}
			want = append(want, lines...)
			for _, f := range facts {
				want = append(want, f.Label+"="+f.Value)
			}
		}
		add(r.Title, r.Lines, r.Facts)
		for _, it := range r.Items {
			add(it.Title, it.Lines, it.Facts)
		}
		want = append(want, r.Notes...)
		got := texts(c.Body)
		if diff := cmp.Diff(want, slices.DeleteFunc(got, func(s string) bool { return s == "" || s[0] == '\x00' })); diff != "" {
			t.Errorf("%s: card texts (-reply +card):\n%s", g.name, diff)
		}
		var buttons []string
		for _, b := range r.Buttons {
			buttons = append(buttons, b.Label)
		}
		var titles []string
		for _, a := range c.Actions {
			titles = append(titles, a.Title)
		}
		if r.Form != nil {
			buttons = append([]string{r.Form.Submit}, buttons...)
		}
		if diff := cmp.Diff(buttons, titles); diff != "" {
			t.Errorf("%s: actions (-reply +card):\n%s", g.name, diff)
		}
	}
}

// texts lists a body's texts and facts (as "label=value") in order; inputs are marked
// with a leading NUL so the comparison can leave them out.
func texts(es []Element) []string {
	var out []string
	for _, e := range es {
		switch {
		case e.Type == "TextBlock":
			out = append(out, e.Text)
		case e.Type == "FactSet":
			for _, f := range e.Facts {
				out = append(out, f.Title+"="+f.Value)
			}
		case len(e.Type) > 6 && e.Type[:6] == "Input.":
			out = append(out, "\x00"+e.ID)
		}
		out = append(out, texts(e.Items)...)
	}
	return out
}

// TestCardForm: a form's fields become inputs that come back under FieldPrefix, required
// unless optional, with the defaults selected.
func TestCardForm(t *testing.T) {
	r := goldenReply(t, "prio")
	c := Card(r)
	var ids []string
	for _, e := range c.Body {
		if e.ID != "" {
			ids = append(ids, e.ID)
		}
	}
	var want []string
	for _, f := range r.Form.Fields {
		want = append(want, FieldPrefix+f.ID)
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("inputs (-fields +card):\n%s", diff)
	}
	for _, e := range c.Body {
		if e.ID == FieldPrefix+"scope" && (e.Type != "Input.ChoiceSet" || e.Value != "none" || !e.IsRequired || len(e.Choices) != 5) {
			t.Errorf("scope input %+v", e)
		}
		if e.ID == FieldPrefix+"motivation" && (e.Type != "Input.Text" || !e.IsMultiline || e.IsRequired) {
			t.Errorf("motivation input %+v", e)
		}
	}
	submit := c.Actions[0]
	if diff := cmp.Diff(map[string]string{"form": commands.FormPriority, "value": "", "lang": "en"}, submit.Data); diff != "" {
		t.Errorf("submit data (-want +got):\n%s", diff)
	}
}
