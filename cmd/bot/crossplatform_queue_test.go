package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// The queue asked in a customer's Slack channel, in its Teams channel and with `bot
// ask` for that channel lists the same tickets in the same order, with the same due
// instants, and none of another customer's (R3.5: breached clocks, soonest first).
func TestSameQueueInSlackTeamsAndAsk(t *testing.T) {
	c := startChats(t, `customers:
  - id: agency-x
    name: Agentschap X
    aliases: [AX]
    tier: dedicated
    slack_channels: [C0AGENCYX]
    teams_channels: ["19:agencyx@thread.tacv2"]
  - id: agency-y
    name: Agentschap Y
    tier: standard
`)
	// Tickets of July 2026, long breached whenever the test runs; agency-y's must not show.
	var evs []string
	for i, p := range []string{"P3", "P1", "P2", "P4"} {
		evs = append(evs, fmt.Sprintf(`{"ticket":"MAGDA-%d","type":"created","at":"2026-07-0%dT10:00:00+02:00","customer":"agency-x","kind":"incident","priority":%q}`, 30+i, 6+i, p))
	}
	evs = append(evs, `{"ticket":"MAGDA-40","type":"created","at":"2026-07-06T09:00:00+02:00","customer":"agency-y","kind":"incident","priority":"P1"}`)
	c.store(t, "["+strings.Join(evs, ",")+"]")

	var plain bytes.Buffer
	if err := run(context.Background(), []string{"ask", "--db", c.db, "--config", c.cfg, "--as", "U0CUSTOMER", "--channel", "C0AGENCYX", "breached"}, env(nil), &plain); err != nil {
		t.Fatal(err)
	}
	// What must be the same everywhere: each ticket's title and the instants it was due.
	var want []string
	for _, line := range strings.Split(plain.String(), "\n") {
		line = strings.TrimSpace(line)
		if title, ok := strings.CutPrefix(line, "• "); ok {
			want = append(want, title)
		} else if _, due, ok := strings.Cut(line, "was due "); ok {
			want = append(want, due)
		}
	}
	if len(want) != 12 || !strings.HasPrefix(want[0], "Agentschap X · MAGDA-30 · P3 incident") || strings.Contains(plain.String(), "MAGDA-40") {
		t.Fatalf("bot ask's queue:\n%s", plain.String())
	}
	teams, _ := c.askTeams(t, "breached")
	for name, text := range map[string]string{"Slack": c.askSlack(t, "breached"), "Teams": teams} {
		at := 0
		for _, w := range want {
			i := strings.Index(text[at:], w)
			if i < 0 {
				t.Errorf("%s's queue lacks %q after position %d:\n%s", name, w, at, text)
				break
			}
			at += i + len(w)
		}
		if strings.Contains(text, "MAGDA-40") || strings.Contains(text, "Agentschap Y") {
			t.Errorf("%s's queue in agency-x's channel shows agency-y's ticket", name)
		}
	}
}
