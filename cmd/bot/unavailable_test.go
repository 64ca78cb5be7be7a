package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/sqlitehold"
)

// TestServeUnavailable503_Issue16: `bot serve` as wired, with its own busy timeout of
// 5 s. While another connection holds the database's writer, the events API, the Jira
// webhook and the Alertmanager webhook answer 503 with Retry-After, never a 2xx for
// something not committed, and a Slack command that records gets Slack's 200 and then
// the ephemeral "cannot store this right now" through response_url; once it lets go the same requests are 200 and
// stored once.
func TestServeUnavailable503_Issue16(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 5 s busy timeout")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "magda.yml")
	os.WriteFile(cfg, []byte(`customers:
  - {id: agency-x, name: Agentschap X, tier: dedicated, slack_channels: [C0AGENCYX]}
access:
  agents: [U0AGENT1]
jira:
  customer:
    organizations: {"Agentschap X": agency-x}
  env:
    field: customfield_10120
`), 0o600)
	db := filepath.Join(dir, "magda.db")
	api := slacktest.NewTestServer()
	go api.Start()
	defer api.Stop()
	base := startServe(t, map[string]string{"MAGDA_API_TOKEN": "tok", "JIRA_WEBHOOK_SECRET": "jira-secret",
		"MAGDA_ALERTMANAGER_TOKEN": "am-tok", "SLACK_SIGNING_SECRET": "sign", "SLACK_BOT_TOKEN": "xoxb-test",
		"SLACK_API_URL": api.GetAPIURL()}, "--db", db, "--config", cfg)
	jiraBody, err := os.ReadFile("../../jira/testdata/issue_created_portal_incident.json")
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, []byte("jira-secret"))
	mac.Write(jiraBody)
	jiraSig := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	const event = `{"ticket":"MAGDA-7","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"incident","priority":"P2"}`
	const alert = `{"receiver":"magda","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"PostgresDown","component":"database"},` +
		`"annotations":{},"startsAt":"2026-11-10T10:00:00+01:00","endsAt":"0001-01-01T00:00:00Z","fingerprint":"a1b2"}],"version":"4","groupKey":"{}:{}"}`
	type request struct {
		name, path, body string
		header           map[string]string
	}
	requests := []request{
		{"events API", "/api/v1/events", event, map[string]string{"Authorization": "Bearer tok"}},
		{"Jira webhook", "/webhooks/jira", string(jiraBody), map[string]string{"X-Hub-Signature": jiraSig, "X-Atlassian-Webhook-Identifier": "d-1"}},
		{"Alertmanager webhook", "/webhooks/alertmanager", alert, map[string]string{"Authorization": "Bearer am-tok"}},
	}
	slow := &http.Client{Timeout: 90 * time.Second} // past several of the bot's busy timeouts in a row
	send := func(r request) (int, string, string) {
		req, _ := http.NewRequest("POST", base+r.path, strings.NewReader(r.body))
		for k, v := range r.header {
			req.Header.Set(k, v)
		}
		res, err := slow.Do(req)
		if err != nil {
			return 0, "", err.Error()
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Retry-After"), string(bytes.TrimSpace(b))
	}

	postEvents(t, base, "tok", createdNow("MAGDA-50"))
	answers := make(chan string, 4)
	responses := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		answers <- string(b)
	}))
	defer responses.Close()

	release := sqlitehold.Writer(t, db)
	var wg sync.WaitGroup
	form := url.Values{"command": {"/magda"}, "text": {"escalate MAGDA-50"}, "user_id": {"U0AGENT1"}, "user_name": {"ann"},
		"channel_id": {"C0AGENCYX"}, "team_id": {"T1"}, "trigger_id": {"1.2.3"}, "response_url": {responses.URL}}
	wg.Go(func() { // Slack needs its 200 within 3 s: the answer follows through response_url
		res := slackPost(t, base+"/slack/commands", "sign", form, time.Now())
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Errorf("slash command, writer held: %d %s; want Slack's 200", res.StatusCode, b)
		}
	})
	for _, r := range requests { // at once: each waits for the busy timeout
		wg.Go(func() {
			if code, ra, reply := send(r); code != http.StatusServiceUnavailable || ra != "5" {
				t.Errorf("%s, writer held: %d Retry-After %q %q; want 503 and 5", r.name, code, ra, reply)
			}
		})
	}
	wg.Wait()
	// Reads go on beside a held writer (WAL): the bot is ready, it only cannot write.
	if code, reply := do(t, "GET", base+"/readyz", "", ""); code != http.StatusOK {
		t.Errorf("/readyz, writer held: %d %q; want 200", code, reply)
	}
	select {
	case answer := <-answers:
		if !strings.Contains(answer, "cannot store this right now") || !strings.Contains(answer, `"ephemeral"`) {
			t.Errorf("slash command's answer, writer held: %s; want the ephemeral cannot-store line", answer)
		}
	case <-time.After(90 * time.Second):
		t.Error("no answer to the slash command through response_url")
	}
	release()
	for _, r := range requests {
		if code, _, reply := send(r); code != http.StatusOK || strings.Contains(reply, "stored\":0") || strings.HasPrefix(reply, "duplicate") {
			t.Errorf("%s once the writer is free: %d %q; want 200 and stored now", r.name, code, reply)
		}
	}
}
