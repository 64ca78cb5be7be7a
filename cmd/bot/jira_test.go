package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A signed Jira webhook, as serve wires it with the configuration's mapping, becomes a
// stored ticket; Jira's retry of the same delivery stores nothing more; a bad signature
// stores nothing at all.
func TestServeJiraWebhook(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "magda.yml")
	os.WriteFile(cfg, []byte(`customers:
  - {id: agency-x, name: Agentschap X, tier: dedicated}
jira:
  customer:
    organizations: {"Agentschap X": agency-x}
  env:
    field: customfield_10120
`), 0o600)
	db := filepath.Join(dir, "magda.db")
	base := startServe(t, map[string]string{"JIRA_WEBHOOK_SECRET": "jira-secret"}, "--db", db, "--config", cfg)
	body, err := os.ReadFile("../../jira/testdata/issue_created_portal_incident.json")
	if err != nil {
		t.Fatal(err)
	}
	send := func(secret, delivery string) int {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		req, _ := http.NewRequest("POST", base+"/webhooks/jira", bytes.NewReader(body))
		req.Header.Set("X-Hub-Signature", "sha256="+hex.EncodeToString(mac.Sum(nil)))
		req.Header.Set("X-Atlassian-Webhook-Identifier", delivery)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send("wrong", "d-1"); code != http.StatusUnauthorized {
		t.Errorf("bad signature: %d; want 401", code)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"ticket", "MAGDA-101", "--db", db, "--config", cfg}, env(nil), &out); err == nil {
		t.Fatalf("a badly signed webhook stored MAGDA-101: %s", out.String())
	}
	for i := 0; i < 2; i++ { // Jira retries the same delivery
		if code := send("jira-secret", "d-1"); code != http.StatusOK {
			t.Fatalf("delivery %d: %d; want 200", i, code)
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"ticket", "MAGDA-101", "--db", db, "--config", cfg}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"customer":"agency-x"`) || !strings.Contains(out.String(), `"tier":"dedicated"`) {
		t.Errorf("stored MAGDA-101: %s", out.String())
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	var m bytes.Buffer
	m.ReadFrom(resp.Body)
	for _, want := range []string{
		`magda_events_received_total{result="stored",source="jira"} 1`,
		`magda_events_received_total{result="duplicate",source="jira"} 1`,
		`magda_events_received_total{result="unauthorized",source="jira"} 1`,
	} {
		if !strings.Contains(m.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
