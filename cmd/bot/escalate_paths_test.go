package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/smtptest"
)

// escalationConfig has one dedicated customer with a Slack and a Teams channel, agents
// on both platforms and the SDMs' Slack channel.
const escalationConfig = `customers:
  - id: agency-x
    name: Agentschap X
    tier: dedicated
    slack_channels: [C0AGENCYX]
    teams_channels: ["19:agencyx@thread.tacv2"]
access:
  agents: [U0AGENT1, aad-carl]
slack:
  sdm_channel: C0SDM
escalation:
  service_delivery: servicedelivery@example.test
`

// escalationDeployment writes escalationConfig and starts an SMTP server; it gives the
// configuration's and the database's paths.
func escalationDeployment(t *testing.T) (cfg, db string, mail *smtptest.Server) {
	dir := t.TempDir()
	cfg, db = filepath.Join(dir, "magda.yml"), filepath.Join(dir, "magda.db")
	if err := os.WriteFile(cfg, []byte(escalationConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg, db, smtptest.Start(t)
}

// sdmPosts is a local Slack API that keeps what is posted to the SDMs' channel, and
// the rest apart.
type sdmPosts struct {
	mu     sync.Mutex
	posts  []string // the blocks of each post to C0SDM
	others []string // the blocks of each post elsewhere
}

func (p *sdmPosts) start(t *testing.T) string {
	api := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			p.mu.Lock()
			if r.Form.Get("channel") == "C0SDM" {
				p.posts = append(p.posts, r.Form.Get("blocks"))
			} else {
				p.others = append(p.others, r.Form.Get("blocks")+r.Form.Get("text"))
			}
			p.mu.Unlock()
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1.%d"}`, r.Form.Get("channel"), time.Now().UnixNano())
		})
	})
	go api.Start()
	t.Cleanup(api.Stop)
	return api.GetAPIURL()
}

func (p *sdmPosts) about(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, b := range p.posts {
		if strings.Contains(b, key+" escalated to") {
			n++
		}
	}
	return n
}

// eventually waits for cond, up to 30 s (a bound for a loaded machine, not a speed).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 30 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func postEvents(t *testing.T, base, token, body string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("events API: %v %v", resp, err)
	}
	resp.Body.Close()
}

func createdNow(key string) string {
	return fmt.Sprintf(`{"ticket":%q,"type":"created","at":%q,"customer":"agency-x","kind":"incident","priority":"P3"}`,
		key, time.Now().Add(-time.Minute).Format(time.RFC3339))
}

// TestEscalationFromEveryPathAnnouncedOnce_R7: an escalation is announced, with one
// ESCALATIE mail to Service Delivery and one post to the SDMs, whichever path stored it:
// `bot ask` on the terminal, the events API, or a Slack and a Teams click at the same
// moment, which end at one level, announced once.
func TestEscalationFromEveryPathAnnouncedOnce_R7(t *testing.T) {
	cfg, db, mail := escalationDeployment(t)
	slack := &sdmPosts{}
	bf := newBotFramework(t)
	const appID = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8"
	base := startServe(t, map[string]string{
		"MAGDA_API_TOKEN": "tok", "SMTP_URL": "smtp://" + mail.Addr,
		"SLACK_SIGNING_SECRET": "sign", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": slack.start(t),
		"MICROSOFT_APP_ID": appID, "MICROSOFT_APP_PASSWORD": "secret",
		"MICROSOFT_OPENID_METADATA_URL": bf.srv.URL + "/openid", "MICROSOFT_TOKEN_URL": bf.srv.URL + "/token",
	}, "--db", db, "--config", cfg)
	postEvents(t, base, "tok", "["+createdNow("MAGDA-31")+","+createdNow("MAGDA-32")+","+createdNow("MAGDA-33")+"]")

	// bot ask, as the operator, in another process's place: the same file.
	var out strings.Builder
	if err := run(context.Background(), []string{"ask", "--db", db, "--config", cfg, "escalate MAGDA-31 the e-loket is down"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "MAGDA-31 escalated to level 1") {
		t.Fatalf("bot ask answered %q", out.String())
	}
	// The events API.
	postEvents(t, base, "tok", fmt.Sprintf(`{"ticket":"MAGDA-32","type":"escalated","at":%q,"by":"monitoring","reason":"customer called"}`,
		time.Now().Format(time.RFC3339)))
	// A Slack and a Teams click at the same moment on the Escalate button of a card that
	// showed level 0 (the P1 notice, the ticket card): one step.
	var wg sync.WaitGroup
	wg.Go(func() {
		payload, _ := json.Marshal(map[string]any{
			"type": "block_actions", "trigger_id": "t33", "response_url": "http://127.0.0.1:1/unused",
			"user":      map[string]any{"id": "U0AGENT1", "name": "ann"},
			"container": map[string]any{"type": "message", "message_ts": "1.2", "channel_id": "C0AGENCYX"},
			"channel":   map[string]any{"id": "C0AGENCYX"},
			"actions":   []map[string]any{{"action_id": "magda_escalate", "block_id": "actions", "value": "en|MAGDA-33@1", "type": "button", "action_ts": "1.3"}},
		})
		resp := slackPost(t, base+"/slack/interactivity", "sign", url.Values{"payload": {string(payload)}}, time.Now())
		if resp.StatusCode != 200 {
			t.Errorf("Slack click: %d", resp.StatusCode)
		}

		resp.Body.Close()
	})
	wg.Go(func() {
		activity := fmt.Sprintf(`{"type":"message","id":"a33","channelId":"msteams","serviceUrl":%q,"replyToId":"card-1",
			"value":{"action":"magda_escalate","value":"MAGDA-33@1","lang":"en"},
			"from":{"id":"29:carl","name":"Carl","aadObjectId":"aad-carl"},
			"recipient":{"id":"28:%s","name":"MAGDA SLA"},
			"conversation":{"id":"19:agencyx@thread.tacv2;messageid=1","conversationType":"channel","tenantId":"t1"},
			"channelData":{"channel":{"id":"19:agencyx@thread.tacv2"},"tenant":{"id":"t1"}}}`,
			bf.srv.URL+"/amer/", appID)
		req, _ := http.NewRequest("POST", base+"/api/messages", strings.NewReader(activity))
		req.Header.Set("Authorization", "Bearer "+bf.token(t, appID))
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode >= 300 {
			t.Errorf("Teams click: %v %v", resp, err)
		}
	})
	wg.Wait()

	// Both clicks were answered in the customer's channel: escalated, or already
	// escalated by the other.
	slackAnswer := func() string {
		slack.mu.Lock()
		defer slack.mu.Unlock()
		for _, p := range slack.others {
			if strings.Contains(p, "MAGDA-33") {
				return p
			}
		}
		return ""
	}
	eventually(t, "the Slack click answered", func() bool { return slackAnswer() != "" })
	for name, answer := range map[string]string{"Slack": slackAnswer(), "Teams": string(bf.waitPost(t))} {
		if !strings.Contains(answer, "MAGDA-33 escalated to level 1") && !strings.Contains(answer, "MAGDA-33 is already escalated to level 1") {
			t.Errorf("the %s click was answered %s", name, answer)
		}
	}
	for _, key := range []string{"MAGDA-31", "MAGDA-32", "MAGDA-33"} {
		eventually(t, key+" announced", func() bool {
			return len(mail.WithSubject("ESCALATIE "+key+":")) > 0 && slack.about(key) > 0
		})
	}
	time.Sleep(3 * time.Second) // a second announcement would come within one pass
	for _, key := range []string{"MAGDA-31", "MAGDA-32", "MAGDA-33"} {
		mails := mail.WithSubject("ESCALATIE " + key + ":")
		if len(mails) != 1 || slack.about(key) != 1 {
			t.Errorf("%s: %d mails, %d SDM posts; want one of each", key, len(mails), slack.about(key))
			continue
		}
		if !strings.HasSuffix(mails[0].Subject, "(level 1)") || mails[0].To[0] != "servicedelivery@example.test" {
			t.Errorf("%s: mail %q to %v; want level 1 to Service Delivery", key, mails[0].Subject, mails[0].To)
		}
		var tk strings.Builder
		if err := run(context.Background(), []string{"ticket", key, "--db", db, "--config", cfg}, env(nil), &tk); err != nil {
			t.Fatal(err)
		}
		var v struct {
			Level int `json:"escalation_level"`
		}
		if err := json.Unmarshal([]byte(tk.String()), &v); err != nil || v.Level != 1 {
			t.Errorf("%s stored at level %d (%v); want 1, the level announced", key, v.Level, err)
		}
	}
}

// TestEscalationSurvivesKill_R7: the process that stored an escalation is killed
// (SIGKILL) right after its 200; the restarted one announces it, once.
func TestEscalationSurvivesKill_R7(t *testing.T) {
	cfg, db, mail := escalationDeployment(t)
	vars := map[string]string{"MAGDA_API_TOKEN": "kill-token", "SMTP_URL": "smtp://" + mail.Addr, "MAGDA_CONFIG": cfg}
	child := func() (*exec.Cmd, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		b, _ := json.Marshal(vars)
		cmd.Env = append(os.Environ(), childDBEnv+"="+db, childVarsEnv+"="+string(b))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		r := bufio.NewReader(out)
		base, err := listenURL(r)
		if err != nil {
			t.Fatalf("the child did not say where it listens: %v", err)
		}
		go r.WriteTo(io.Discard)
		return cmd, base
	}
	first, base := child()
	postEvents(t, base, "kill-token", "["+createdNow("MAGDA-40")+","+fmt.Sprintf(
		`{"ticket":"MAGDA-40","type":"escalated","at":%q,"by":"monitoring"}`, time.Now().Format(time.RFC3339))+"]")
	first.Process.Kill() // at once after the 200: before the announcing pass, which runs every 2 s
	first.Wait()
	before := len(mail.WithSubject("ESCALATIE MAGDA-40:"))

	child()
	eventually(t, "the escalation announced after the restart", func() bool {
		return len(mail.WithSubject("ESCALATIE MAGDA-40:")) > 0
	})
	time.Sleep(3 * time.Second)
	if n := len(mail.WithSubject("ESCALATIE MAGDA-40:")); n != 1 {
		t.Errorf("%d ESCALATIE mails (%d before the kill); want 1", n, before)
	}
}
