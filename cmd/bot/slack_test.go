package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// slackPost sends a form to a Slack endpoint signed as Slack signs (v0 HMAC-SHA256).
func slackPost(t *testing.T, endpoint, secret string, form url.Values, at time.Time) *http.Response {
	t.Helper()
	body := form.Encode()
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	req, _ := http.NewRequest("POST", endpoint, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// The bot as wired by serve answers a signed /magda command in a customer's channel,
// refuses a badly signed one, and records nothing for it.
func TestServeSlackSlashCommand(t *testing.T) {
	api := slacktest.NewTestServer()
	go api.Start()
	defer api.Stop()
	db := filepath.Join(t.TempDir(), "magda.db")
	base := startServe(t, map[string]string{
		"MAGDA_API_TOKEN": "tok", "SLACK_SIGNING_SECRET": "sign", "SLACK_BOT_TOKEN": "xoxb-test",
		"SLACK_API_URL": api.GetAPIURL(),
	}, "--db", db)
	req, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader(
		`{"ticket":"MAGDA-9","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"incident","priority":"P2"}`))
	req.Header.Set("Authorization", "Bearer tok")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("storing the ticket: %v %v", resp, err)
	}
	form := url.Values{
		"command": {"/magda"}, "text": {"sla MAGDA-9"}, "user_id": {"U0CUSTOMER"}, "user_name": {"carl"},
		"channel_id": {"C0AGENCYX"}, "team_id": {"T1"}, "trigger_id": {"1.2.3"},
		"response_url": {"http://127.0.0.1:1/unused"},
	}
	resp := slackPost(t, base+"/slack/commands", "sign", form, time.Now())
	b, _ := io.ReadAll(resp.Body)
	var msg struct {
		Blocks []json.RawMessage `json:"blocks"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &msg) != nil || len(msg.Blocks) == 0 || !strings.Contains(string(b), "MAGDA-9") {
		t.Fatalf("slash command: %d %s; want a Block Kit card of MAGDA-9", resp.StatusCode, b)
	}
	// Another customer's channel does not see it (R: a customer's channel shows only its tickets).
	form.Set("channel_id", "C0AGENCYY")
	b, _ = io.ReadAll(slackPost(t, base+"/slack/commands", "sign", form, time.Now()).Body)
	if strings.Contains(string(b), "Agentschap X") || strings.Contains(string(b), "dedicated") {
		t.Errorf("agency-y's channel sees agency-x's ticket: %s", b)
	}
	for name, r := range map[string]*http.Response{
		"wrong secret": slackPost(t, base+"/slack/commands", "guess", form, time.Now()),
		"old":          slackPost(t, base+"/slack/commands", "sign", form, time.Now().Add(-6*time.Minute)),
	} {
		if r.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %d; want 401", name, r.StatusCode)
		}
	}
}
