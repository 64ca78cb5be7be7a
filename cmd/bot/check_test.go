package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack/slacktest"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/smtptest"
)

// checkFakes are the local Slack API (the bot is in C0IN only), Bot Framework token
// endpoint (the password "right" only) and SMTP server that `bot check` tries.
func checkFakes(t *testing.T) (slackURL, tokenURL, smtpAddr string) {
	api := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/conversations.info", func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			ch := r.Form.Get("channel")
			json.NewEncoder(w).Encode(map[string]any{"ok": true, "channel": map[string]any{"id": ch, "is_member": ch == "C0IN"}})
		})
	})
	api.Start()
	t.Cleanup(api.Stop)
	tok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("client_secret") != "right" {
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client"})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"access_token": "t", "expires_in": 3600})
	}))
	t.Cleanup(tok.Close)
	return api.GetAPIURL(), tok.URL, smtptest.Start(t).Addr
}

// TestCheck (issue 14.5): one line per check, each integration that is on tried
// against its local fake; all good exits 0, and a channel the bot is not in, a wrong
// Teams password or an SMTP server that does not answer each fail the check.
func TestCheck(t *testing.T) {
	slackURL, tokenURL, smtpAddr := checkFakes(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "magda.db")
	cfg := filepath.Join(dir, "magda.yml")
	write := func(channels string) {
		os.WriteFile(cfg, []byte("customers:\n  - {id: agency-x, tier: dedicated, slack_channels: ["+channels+"]}\n"), 0o600)
	}
	write("C0IN")
	good := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "sign", "SLACK_API_URL": slackURL,
		"MICROSOFT_APP_ID": "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8", "MICROSOFT_APP_PASSWORD": "right", "MICROSOFT_TOKEN_URL": tokenURL,
		"SMTP_URL": "smtp://" + smtpAddr, "MAGDA_API_TOKEN": "s3cret",
	}
	checkRun := func(vars map[string]string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), []string{"check", "--db", db, "--config", cfg}, env(vars), &out)
		return out.String(), err
	}
	out, err := checkRun(good)
	if err == nil || !strings.Contains(out, "FAIL database") {
		t.Fatalf("check without a database: %v\n%s", err, out)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatal("check created the database")
	}
	if err := run(context.Background(), []string{"ask", "--db", db, "--config", cfg, "help"}, env(nil), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	out, err = checkRun(good)
	if err != nil {
		t.Fatalf("check with everything right: %v\n%s", err, out)
	}
	for _, want := range []string{"ok   configuration", "ok   database", "migration(s) applied, none pending",
		"ok   events API", "off  Jira webhooks", "ok   Slack          workspace", "ok   Slack channel  C0IN",
		"ok   Teams", "ok   mail           " + smtpAddr, "off  status page"} {
		if !strings.Contains(out, want) {
			t.Errorf("check lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, "ok ") && !strings.HasPrefix(l, "off ") {
			t.Errorf("not a check line: %q", l)
		}
	}

	write("C0IN, C0OUT")
	bad := map[string]string{}
	for k, v := range good {
		bad[k] = v
	}
	bad["MICROSOFT_APP_PASSWORD"] = "wrong"
	bad["SMTP_URL"] = "smtp://127.0.0.1:1"
	out, err = checkRun(bad)
	if err == nil || !strings.Contains(err.Error(), "3 check(s) failed") {
		t.Errorf("check with three faults: %v\n%s", err, out)
	}
	for _, want := range []string{"FAIL Slack channel  C0OUT: the bot is not a member", "FAIL Teams", "invalid_client", "FAIL mail"} {
		if !strings.Contains(out, want) {
			t.Errorf("check lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "wrong") || strings.Contains(out, "xoxb-1") {
		t.Errorf("check shows a secret:\n%s", out)
	}

	os.WriteFile(cfg, []byte("customers:\n  - {id: agency-x, tier: gold}\n"), 0o600)
	out, err = checkRun(good)
	if err == nil || !strings.HasPrefix(out, "FAIL configuration ") || !strings.Contains(out, "magda.yml:2") {
		t.Errorf("check with a bad file: %v\n%s", err, out)
	}
}

// TestCheckStatusPage_R6_2: `bot check` reads the configured status page once and says
// what it found, and fails with one line when the page does not answer.
func TestCheckStatusPage_R6_2(t *testing.T) {
	up := true
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		switch r.URL.Path {
		case "/api/v2/summary.json":
			w.Write([]byte(`{"page":{"id":"p"},"components":[{"id":"c1","name":"Gateway","status":"major_outage"}],"scheduled_maintenances":[]}`))
		case "/api/v2/incidents/unresolved.json":
			w.Write([]byte(`{"page":{"id":"p"},"incidents":[{"id":"i1","name":"Gateway down","status":"investigating","impact":"major"}]}`))
		case "/api/v2/scheduled-maintenances/upcoming.json":
			w.Write([]byte(`{"page":{"id":"p"},"scheduled_maintenances":[]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer page.Close()
	dir := t.TempDir()
	db, cfg := filepath.Join(dir, "magda.db"), filepath.Join(dir, "magda.yml")
	os.WriteFile(cfg, []byte("customers:\n  - {id: agency-x, tier: dedicated}\nstatuspage:\n  url: "+page.URL+"\n"), 0o600)
	if err := run(context.Background(), []string{"ask", "--db", db, "--config", cfg, "help"}, env(nil), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"check", "--db", db, "--config", cfg}, env(nil), &out)
	if err != nil || !strings.Contains(out.String(), "ok   status page") || !strings.Contains(out.String(), "1 components not operational, 1 open incidents") {
		t.Errorf("check with the page up: %v\n%s", err, out.String())
	}
	up = false
	out.Reset()
	err = run(context.Background(), []string{"check", "--db", db, "--config", cfg}, env(nil), &out)
	if err == nil || !strings.Contains(out.String(), "FAIL status page") {
		t.Errorf("check with the page down: %v\n%s", err, out.String())
	}
}
