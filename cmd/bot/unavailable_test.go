package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/sqlitehold"
)

// TestServeUnavailable503_Issue16: `bot serve` as wired, with its own busy timeout of
// 5 s. While another connection holds the database's writer, the events API, the Jira
// webhook and the Alertmanager webhook answer 503 with Retry-After, never a 2xx for
// something not committed; once it lets go the same requests are 200 and stored once.
func TestServeUnavailable503_Issue16(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 5 s busy timeout")
	}
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
	base := startServe(t, map[string]string{"MAGDA_API_TOKEN": "tok", "JIRA_WEBHOOK_SECRET": "jira-secret",
		"MAGDA_ALERTMANAGER_TOKEN": "am-tok"}, "--db", db, "--config", cfg)
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
	slow := &http.Client{Timeout: 30 * time.Second} // past the bot's busy timeout
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

	release := sqlitehold.Writer(t, db)
	var wg sync.WaitGroup
	for _, r := range requests { // at once: each waits for the busy timeout
		wg.Go(func() {
			if code, ra, reply := send(r); code != http.StatusServiceUnavailable || ra != "5" {
				t.Errorf("%s, writer held: %d Retry-After %q %q; want 503 and 5", r.name, code, ra, reply)
			}
		})
	}
	wg.Wait()
	release()
	for _, r := range requests {
		if code, _, reply := send(r); code != http.StatusOK || strings.Contains(reply, "stored\":0") || strings.HasPrefix(reply, "duplicate") {
			t.Errorf("%s once the writer is free: %d %q; want 200 and stored now", r.name, code, reply)
		}
	}
}
