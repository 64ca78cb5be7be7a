package teams

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/schemas"
)

// asPosted is the JSON the connector posts for r, as the complete answer to the real
// channel-mention sample, in its thread.
func asPosted(t testing.TB, r commands.Reply) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/activity_sample_channel_mention.json")
	if err != nil {
		t.Fatal(err)
	}
	var a activity
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(replyMessage(&a, r, "1:1783600000123"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCardsValid: every golden reply, as posted, is a valid Adaptive Card 1.5 within
// Teams' limits.
func TestCardsValid(t *testing.T) {
	for _, g := range goldenReplies {
		t.Run(g.name, func(t *testing.T) { schemas.TeamsMessage(t, asPosted(t, goldenReply(t, g.text))) })
	}
}

// TestFit: replies too big for one message are shortened to 28 KB counted in UTF-16,
// saying what is left out; each set of actions keeps to the host config's six.
func TestFit(t *testing.T) {
	if maxActions != schemas.TeamsMaxActions(t) {
		t.Errorf("maxActions %d, the Teams host config's %d", maxActions, schemas.TeamsMaxActions(t))
	}
	button := func(i int) commands.Button {
		key := fmt.Sprintf("MAGDA-%d", i)
		return commands.Button{Action: commands.ActEscalate, Label: "Escalate", Value: key, Style: commands.StyleDanger,
			Confirm: &commands.Confirm{Title: "Escalate " + key + "?", Text: "This escalates " + key + " to the 2nd line.", Yes: "Escalate", No: "Cancel"}}
	}
	items := func(n int) []commands.Item {
		var out []commands.Item
		for i := range n {
			out = append(out, commands.Item{Title: fmt.Sprintf("MAGDA-%d · P1 incident · Département Économie — afdeling", i),
				Facts:   []commands.Fact{{Label: "Response", Value: "breached 4h30 ago · was due Fri 10 Jul 12:00"}},
				Buttons: []commands.Button{button(i), button(i), button(i), button(i), button(i), button(i), button(i)}})
		}
		return out
	}
	tests := []struct {
		name  string
		r     commands.Reply
		items int    // items kept
		last  string // the last note, "" for none
	}{
		{"a small reply as it is", commands.Reply{Title: "T", Items: items(2)}, 2, ""},
		{"300 items", commands.Reply{Title: "T", Items: items(300), More: "`sla agency-x` lists them all."}, 4,
			"296 more not shown: too many for one message. `sla agency-x` lists them all."},
		{"a pasted progress update", commands.Reply{Title: "Progress update on MAGDA-1", Lines: []string{strings.Repeat("ü", 100_000)}}, 0, ""},
		{"many long lines, in Dutch", commands.Reply{Lang: commands.Dutch, Title: "T", Lines: strings.Split(strings.Repeat(strings.Repeat("l", 2999)+"\n", 40), "\n")}, 0,
			"Ingekort: te lang voor één bericht."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := asPosted(t, tt.r)
			schemas.TeamsMessage(t, b)
			c := Card(tt.r)
			n := 0
			for _, e := range c.Body {
				if e.Type == "Container" {
					n++
				}
			}
			last := ""
			if e := c.Body[len(c.Body)-1]; e.IsSubtle {
				last = e.Text
			}
			if n != tt.items || last != tt.last {
				t.Errorf("%d items, last note %q; want %d, %q", n, last, tt.items, tt.last)
			}
		})
	}
	r := commands.Reply{Title: "T", Form: &commands.Form{ID: commands.FormUpdate, Submit: "Post"}}
	for i := range 9 {
		r.Buttons = append(r.Buttons, button(i))
	}
	if c := Card(r); len(c.Actions) != maxActions || c.Actions[0].Title != "Post" {
		t.Errorf("%d actions, the first %q; want the form's submit and five buttons", len(c.Actions), c.Actions[0].Title)
	}
}

// TestCardsAtScale: with 200 customers of 20 open tickets each, every answer a user can
// get, as posted, is a valid card within Teams' limits, for the team and in a
// customer's channel.
func TestCardsAtScale(t *testing.T) {
	crowd := commandstest.NewCrowd(200, 20, start)
	var cs []commands.Customer
	for _, c := range crowd.Customers {
		cs = append(cs, commands.Customer{ID: c.ID, Name: c.Name, Tier: c.Tier})
	}
	h := commands.New(commands.Options{Store: commandstest.NewStore(cals, crowd.TierOf, crowd.Events...), Customers: cs,
		Calendars: cals, Now: func() time.Time { return start },
		Access: commands.Access{Agents: []string{staffAAD}, ChannelCustomer: map[string]string{custChan: "agency-007"}}})
	staff := commands.Caller{UserID: staffAAD, ChannelID: teamChan, Platform: "teams", Name: "Ann Agent"}
	customer := commands.Caller{UserID: "guest", ChannelID: custChan, Platform: "teams", Name: "Carl Customer"}
	tests := append(commandstest.CrowdAsks(), commandstest.CrowdAsk{Text: "prio", Team: "form", Customer: "form"})
	ctx := context.Background()
	for i, c := range []commands.Caller{staff, customer} {
		for j, tt := range tests {
			want := []string{tt.Team, tt.Customer}[i]
			c.RequestID = fmt.Sprint(j)
			r := h.Handle(ctx, c, tt.Text)
			t.Run(c.Name+" "+tt.Text[:min(len(tt.Text), 30)], func(t *testing.T) {
				if string(r.Kind) != want {
					t.Errorf("a %s, want a %s: %.200s", r.Kind, want, r.PlainText())
				}
				schemas.TeamsMessage(t, asPosted(t, r))
			})
		}
	}
	for _, l := range []commands.Lang{commands.English, commands.Dutch} {
		home := h.Home(ctx, staff, l)
		if len(home.Items) == 0 {
			t.Fatal("the crowd has nothing at risk")
		}
		schemas.TeamsMessage(t, asPosted(t, home))
	}
}
