package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// The queue asked in a customer's Slack channel, in its Teams channel and with `bot
// ask` for that channel lists the same tickets in the same order, with the same due
// instants, and none of another customer's (R3.5: breached clocks, soonest first).
func TestSameQueueInSlackTeamsAndAsk(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "magda.yml")
	os.WriteFile(cfg, []byte(`customers:
  - id: agency-x
    name: Agentschap X
    aliases: [AX]
    tier: dedicated
    slack_channels: [C0AGENCYX]
    teams_channels: ["19:agencyx@thread.tacv2"]
  - id: agency-y
    name: Agentschap Y
    tier: standard
`), 0o600)
	db := filepath.Join(dir, "magda.db")
	bf := newBotFramework(t)
	api := slacktest.NewTestServer()
	go api.Start()
	defer api.Stop()
	const appID = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8"
	base := startServe(t, map[string]string{
		"MAGDA_API_TOKEN": "tok", "SLACK_SIGNING_SECRET": "sign", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.GetAPIURL(),
		"MICROSOFT_APP_ID": appID, "MICROSOFT_APP_PASSWORD": "secret",
		"MICROSOFT_OPENID_METADATA_URL": bf.srv.URL + "/openid", "MICROSOFT_TOKEN_URL": bf.srv.URL + "/token",
	}, "--db", db, "--config", cfg)

	// Tickets of July 2026, long breached whenever the test runs; agency-y's must not show.
	var evs []string
	for i, p := range []string{"P3", "P1", "P2", "P4"} {
		evs = append(evs, fmt.Sprintf(`{"ticket":"MAGDA-%d","type":"created","at":"2026-07-0%dT10:00:00+02:00","customer":"agency-x","kind":"incident","priority":%q}`, 30+i, 6+i, p))
	}
	evs = append(evs, `{"ticket":"MAGDA-40","type":"created","at":"2026-07-06T09:00:00+02:00","customer":"agency-y","kind":"incident","priority":"P1"}`)
	req, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader("["+strings.Join(evs, ",")+"]"))
	req.Header.Set("Authorization", "Bearer tok")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("storing the tickets: %v %v", resp, err)
	}

	var plain bytes.Buffer
	if err := run(context.Background(), []string{"ask", "--db", db, "--config", cfg, "--as", "U0CUSTOMER", "--channel", "C0AGENCYX", "breached"}, env(nil), &plain); err != nil {
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

	slackResp := slackPost(t, base+"/slack/commands", "sign", url.Values{
		"command": {"/magda"}, "text": {"breached"}, "user_id": {"U0CUSTOMER"}, "channel_id": {"C0AGENCYX"},
		"team_id": {"T1"}, "trigger_id": {"1.2.3"}, "response_url": {"http://127.0.0.1:1/unused"},
	}, time.Now())
	slackBody, _ := io.ReadAll(slackResp.Body)
	activity := fmt.Sprintf(`{"type":"message","id":"a1","channelId":"msteams","serviceUrl":%q,
		"text":"<at>MAGDA SLA</at> breached","from":{"id":"29:carl","name":"Carl","aadObjectId":"aad-carl"},
		"recipient":{"id":"28:%s","name":"MAGDA SLA"},
		"conversation":{"id":"19:agencyx@thread.tacv2;messageid=1","conversationType":"channel","tenantId":"t1"},
		"channelData":{"channel":{"id":"19:agencyx@thread.tacv2"},"tenant":{"id":"t1"}},
		"entities":[{"type":"mention","text":"<at>MAGDA SLA</at>","mentioned":{"id":"28:%s","name":"MAGDA SLA"}}]}`,
		bf.srv.URL+"/amer/", appID, appID)
	treq, _ := http.NewRequest("POST", base+"/api/messages", strings.NewReader(activity))
	treq.Header.Set("Authorization", "Bearer "+bf.token(t, appID))
	treq.Header.Set("Content-Type", "application/json")
	if tresp, err := http.DefaultClient.Do(treq); err != nil || tresp.StatusCode >= 300 {
		t.Fatalf("Teams activity: %v %v", tresp, err)
	}
	for name, text := range map[string]string{"Slack": strs(t, slackBody), "Teams": strs(t, bf.waitPost(t))} {
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
