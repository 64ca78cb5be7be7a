package slack

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// TestNames_R7_RecordedByName: an escalation from a click is recorded with the
// person's name from users.info, not the id or handle Slack sends; the name is read
// once and cached; a user users.info cannot read is recorded with the handle, and is
// not asked for again within the retry time.
func TestNames_R7_RecordedByName(t *testing.T) {
	ta := newTestApp(t)
	ta.slack.users[agent] = "Ann Agent"
	esc := buttonOf(t, "MAGDA-1", commands.English, commands.ActEscalate)
	upd := []string{"MAGDA-1", "MAGDA-2"}
	w := ta.post(t, PathInteractivity, formType, interactionBody(click(esc, agent, chanTeam, "111.1.a", ta.slack.responseURL(), false)))
	if w.Code != http.StatusOK {
		t.Fatalf("click: %d", w.Code)
	}
	ta.Wait()
	for i, key := range upd {
		w := ta.post(t, PathCommands, formType, slashBody(agent, chanTeam, "update "+key+" fix deployed", ta.slack.responseURL()))
		if w.Code != http.StatusOK {
			t.Fatalf("update %d: %d", i, w.Code)
		}
		ta.Wait()
	}
	stored := ta.store.Stored()
	if len(stored) != 3 {
		t.Fatalf("stored %+v; want an escalation and two updates", stored)
	}
	for _, e := range stored {
		if e.By != "Ann Agent" {
			t.Errorf("%s %s by %q; want Ann Agent (users.info)", e.Type, e.Ticket, e.By)
		}
	}
	if n := len(ta.slack.callsTo("users.info")); n != 1 {
		t.Errorf("%d users.info reads; want 1 (cached)", n)
	}

	// Someone users.info does not know: no name (the caller keeps the handle), and one
	// read per retry time.
	clock := now
	ta.names.now = func() time.Time { return clock }
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if got := ta.names.of(ctx, "U-GONE"); got != "" {
			t.Errorf("name of an unknown user %q; want none", got)
		}
		clock = clock.Add(time.Minute)
	}
	if n := len(ta.slack.callsTo("users.info")); n != 2 {
		t.Errorf("%d users.info reads; want 2: a failed one is not retried within %v", n, namesRetryFor)
	}
	clock = clock.Add(namesRetryFor)
	ta.names.of(ctx, "U-GONE")
	if n := len(ta.slack.callsTo("users.info")); n != 3 {
		t.Errorf("%d users.info reads; want 3: retried after %v", n, namesRetryFor)
	}
}
