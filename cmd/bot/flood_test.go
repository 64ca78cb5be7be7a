package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// hmacHex is the hex HMAC-SHA256 of parts under secret, as Slack and Jira sign.
func hmacHex(secret string, parts ...string) string {
	m := hmac.New(sha256.New, []byte(secret))
	for _, p := range parts {
		m.Write([]byte(p))
	}
	return hex.EncodeToString(m.Sum(nil))
}

// TestServeSlowBodyFlood (issue 10.4): 300 connections without credentials trickle
// their bodies to the Slack and Jira routes, which must read a body before they can
// check its signature. While they do, a signed Slack command is answered within Slack's
// 3 s, a signed Jira webhook is stored, the events API and the health checks answer;
// the slow senders past the 32 slow-body slots are cut with 408 once their 2 s are up.
func TestServeSlowBodyFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("a 300-connection flood for a few seconds")
	}
	api := slacktest.NewTestServer()
	go api.Start()
	defer api.Stop()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "magda.yml")
	os.WriteFile(cfg, []byte("customers:\n  - {id: agency-x, name: Agentschap X, tier: dedicated}\n"+
		"jira:\n  customer:\n    organizations: {\"Agentschap X\": agency-x}\n"), 0o600)
	base := startServe(t, map[string]string{
		"MAGDA_API_TOKEN": "tok", "JIRA_WEBHOOK_SECRET": "jira-secret",
		"SLACK_SIGNING_SECRET": "sign", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.GetAPIURL(),
	}, "--db", filepath.Join(dir, "magda.db"), "--config", cfg)
	addr := strings.TrimPrefix(base, "http://")

	const flood, slots = 300, 32
	answers := make(chan string, flood)
	var conns []net.Conn
	for i := range flood {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
		path := []string{"/slack/commands", "/webhooks/jira"}[i%2]
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: bot\r\nContent-Length: 100000\r\n\r\nx", path)
		go func() {
			c.SetReadDeadline(time.Now().Add(15 * time.Second)) // stops by itself
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				answers <- "closed: " + err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			answers <- fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(b)))
		}()
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for tick := time.NewTicker(200 * time.Millisecond); ; {
			select {
			case <-stop:
				tick.Stop()
				return
			case <-tick.C:
				for _, c := range conns {
					c.Write([]byte("x"))
				}
			}
		}
	}()

	form := url.Values{"command": {"/magda"}, "text": {"help"}, "user_id": {"U0AGENT1"}, "channel_id": {"C0AGENCYX"},
		"team_id": {"T1"}, "trigger_id": {"1.2.3"}, "response_url": {"http://127.0.0.1:1/unused"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	slackReq, _ := http.NewRequest("POST", base+"/slack/commands", strings.NewReader(form))
	slackReq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	slackReq.Header.Set("X-Slack-Request-Timestamp", ts)
	slackReq.Header.Set("X-Slack-Signature", "v0="+hmacHex("sign", "v0:"+ts+":", form))
	jiraBody, err := os.ReadFile("../../jira/testdata/issue_created_portal_incident.json")
	if err != nil {
		t.Fatal(err)
	}
	jiraReq, _ := http.NewRequest("POST", base+"/webhooks/jira", bytes.NewReader(jiraBody))
	jiraReq.Header.Set("X-Hub-Signature", "sha256="+hmacHex("jira-secret", string(jiraBody)))
	jiraReq.Header.Set("X-Atlassian-Webhook-Identifier", "flood-1")
	eventsReq, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader(
		`{"ticket":"MAGDA-3","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"question","priority":"P3"}`))
	eventsReq.Header.Set("Authorization", "Bearer tok")
	healthz, _ := http.NewRequest("GET", base+"/healthz", nil)
	readyz, _ := http.NewRequest("GET", base+"/readyz", nil)

	slack := &http.Client{Timeout: 3 * time.Second} // Slack gives up after 3 s
	for name, req := range map[string]*http.Request{"signed Slack command": slackReq, "signed Jira webhook": jiraReq,
		"events API": eventsReq, "/healthz": healthz, "/readyz": readyz} {
		resp, err := slack.Do(req)
		if err != nil {
			t.Fatalf("%s during the flood: %v", name, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s during the flood: %d %s; want 200", name, resp.StatusCode, b)
		}
	}
	if n := len(answers); n > flood-slots {
		t.Fatalf("%d of %d slow senders were answered before the signed requests were done; the flood was over", n, flood)
	}

	shed := 0
	for wait := time.After(8 * time.Second); shed < flood-slots; {
		select {
		case a := <-answers:
			if !strings.HasPrefix(a, "408 request body too slow: still arriving after 2s") {
				t.Fatalf("slow sender: %q; want 408 and why", a)
			}
			shed++
		case <-wait:
			t.Fatalf("%d slow senders cut after 2s; want %d (all but the %d in a slot)", shed, flood-slots, slots)
		}
	}
}
