package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/commands/commandstest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/schemas"
)

// crowdHandler is the real handler over 200 customers with 20 open tickets each; the
// channel chanX is agency-007's.
func crowdHandler() *commands.Handler {
	crowd := commandstest.NewCrowd(200, 20, now)
	var cs []commands.Customer
	for _, c := range crowd.Customers {
		cs = append(cs, commands.Customer{ID: c.ID, Name: c.Name, Tier: c.Tier})
	}
	return commands.New(commands.Options{Store: commandstest.NewStore(cals, crowd.TierOf, crowd.Events...), Customers: cs,
		Calendars: cals, Now: func() time.Time { return now },
		Access: commands.Access{Agents: []string{agent}, ChannelCustomer: map[string]string{chanX: "agency-007"}}})
}

// checkMessage checks a message as posted to a response_url or chat.postMessage.
func checkMessage(t *testing.T, m *message) {
	t.Helper()
	b, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	schemas.Blocks(t, b, schemas.MessageBlocks)
	schemas.FallbackOK(t, m.Text)
}

// TestMessagesAtScale: with 200 customers of 20 open tickets each, every answer a user
// can get, as posted, keeps to Slack's limits, for the team and in a customer's channel.
func TestMessagesAtScale(t *testing.T) {
	h := crowdHandler()
	team := commands.Caller{UserID: agent, ChannelID: chanTeam, Platform: "slack", Name: "Ann Agent"}
	guest := commands.Caller{UserID: outsider, ChannelID: chanX, Platform: "slack", Name: "Carl Customer"}
	tests := append(commandstest.CrowdAsks(), commandstest.CrowdAsk{Text: "prio scope=P2", Team: "priority", Customer: "priority"})
	ctx := context.Background()
	for i, c := range []commands.Caller{team, guest} {
		for j, tt := range tests {
			want := []string{tt.Team, tt.Customer}[i]
			c.RequestID = fmt.Sprint(j)
			r := h.Handle(ctx, c, tt.Text)
			t.Run(c.Name+" "+tt.Text[:min(len(tt.Text), 30)], func(t *testing.T) {
				if string(r.Kind) != want {
					t.Errorf("a %s, want a %s: %.200s", r.Kind, want, r.PlainText())
				}
				checkMessage(t, messageOf(r, ""))
			})
		}
	}
	// Forms open as modals.
	for _, text := range []string{"prio", "update MAGDA-10141"} {
		r := h.Handle(ctx, team, text)
		if r.Form == nil {
			t.Fatalf("%s: no form", text)
		}
		checkModal(t, Modal(*r.Form, r.Lang))
	}
}

// TestAppHomeAtScale: the App Home of a user of the team, with 2,000 tickets at risk or
// breached, as views.publish gets it: within a view's 100 blocks and the block text
// ceiling, the most urgent tickets above the whole command list, and where to see the rest.
func TestAppHomeAtScale(t *testing.T) {
	h := crowdHandler()
	ta := newTestApp(t, func(o *Options) {
		o.Handler = h
		o.HomeTickets = func(ctx context.Context, c commands.Caller) (commands.Reply, error) {
			return h.Home(ctx, c, ""), nil
		}
	})
	body := eventBody("EvH", map[string]any{"type": "app_home_opened", "user": agent, "channel": "D1", "tab": "home", "event_ts": "1783600000.1"})
	ta.post(t, PathEvents, "application/json", body)
	ta.Wait()
	pubs := ta.slack.callsTo("views.publish")
	if len(pubs) != 1 {
		t.Fatalf("views.publish %+v", pubs)
	}
	view := pubs[0].JSON["view"].(map[string]any)
	b, err := json.Marshal(view["blocks"])
	if err != nil {
		t.Fatal(err)
	}
	schemas.Blocks(t, b, schemas.ViewBlocks)
	for _, want := range []string{"Tickets at risk or breached: ", "The 10 due soonest of ", "`sla CUSTOMER` lists a customer's open tickets.",
		"/magda commands", "`holidays [YEAR]`"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the App Home lacks %q", want)
		}
	}
}

// TestHomeViewRoom: when the tickets do not fit beside the command list, they are
// shortened, never the list.
func TestHomeViewRoom(t *testing.T) {
	help := newHandler(newStore(), "").Handle(context.Background(), staff, "help")
	var top commands.Reply
	top.Title = "Tickets at risk or breached: 300"
	for i := range 300 {
		top.Items = append(top.Items, commands.Item{Title: fmt.Sprintf("MAGDA-%d", i), Lines: []string{strings.Repeat("x", 200)},
			Buttons: []commands.Button{{Action: commands.ActTicket, Label: "Details", Value: fmt.Sprintf("MAGDA-%d", i)}}})
	}
	bs := homeView(&top, help)
	checkLimits(t, bs, maxViewBlocks)
	alone := blocks(fit(help, viewRoom))
	if diff := len(bs) - len(alone); diff < 3 || !cmp.Equal(bs[diff:], alone) {
		t.Errorf("the command list is not whole under the tickets")
	}
}
