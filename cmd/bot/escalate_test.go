package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// The escalation flow as serve wires it (R7): an agent's `escalate` in Slack records the
// escalation, answers, and the outbox posts the notice to the SDM channel, once, even
// when the agent sends the same command twice.
func TestServeEscalationReachesTheSDMChannel(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "magda.yml")
	os.WriteFile(cfg, []byte(`customers:
  - {id: agency-x, name: Agentschap X, tier: dedicated, slack_channels: [C0AGENCYX]}
access:
  agents: [U0AGENT1]
slack:
  sdm_channel: C0SDM
`), 0o600)
	var mu sync.Mutex
	var toSDM []url.Values
	api := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			mu.Lock()
			if r.Form.Get("channel") == "C0SDM" {
				toSDM = append(toSDM, r.Form)
			}
			mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1.%d"}`, r.Form.Get("channel"), time.Now().UnixNano())
		})
	})
	go api.Start()
	defer api.Stop()
	db := filepath.Join(dir, "magda.db")
	base := startServe(t, map[string]string{
		"MAGDA_API_TOKEN": "tok", "SLACK_SIGNING_SECRET": "sign", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.GetAPIURL(),
	}, "--db", db, "--config", cfg)
	req, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader(
		`{"ticket":"MAGDA-30","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"incident","priority":"P3"}`))
	req.Header.Set("Authorization", "Bearer tok")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("storing the ticket: %v %v", resp, err)
	}
	// The agent escalates; Slack retries the same command (same trigger id): one escalation.
	for i := 0; i < 2; i++ {
		resp := slackPost(t, base+"/slack/commands", "sign", url.Values{
			"command": {"/magda"}, "text": {"escalate MAGDA-30 the e-loket is down"}, "user_id": {"U0AGENT1"},
			"user_name": {"ann"}, "channel_id": {"C0AGENCYX"}, "team_id": {"T1"}, "trigger_id": {"t1"},
			"response_url": {"http://127.0.0.1:1/unused"},
		}, time.Now())
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(b), "MAGDA-30 escalated to level 1") {
			t.Fatalf("escalate %d: %d %s", i, resp.StatusCode, b)
		}
	}
	seen := func() []url.Values {
		mu.Lock()
		defer mu.Unlock()
		return append([]url.Values(nil), toSDM...)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && len(seen()) == 0; time.Sleep(20 * time.Millisecond) {
	}
	time.Sleep(2500 * time.Millisecond) // a second notice would come within a worker's poll
	got := seen()
	if len(got) != 1 || !strings.Contains(got[0].Get("blocks"), "MAGDA-30 escalated to level 1") {
		t.Fatalf("SDM channel got %d posts %v; want the one level-1 notice", len(got), got)
	}
	var out strings.Builder
	if err := run(context.Background(), []string{"ticket", "MAGDA-30", "--db", db, "--config", cfg}, env(nil), &out); err != nil || !strings.Contains(out.String(), `"escalation_level":1`) {
		t.Errorf("stored ticket %s %v; want escalation level 1", out.String(), err)
	}
}
