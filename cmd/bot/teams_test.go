package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Teams as serve wires it: teams.tenants from the configuration holds off other
// tenants and other channels (issue 10.5), and every activity is counted in
// magda_events_received_total{source="teams"} (issue 10.8).
func TestServeTeamsTenantsAndMetrics(t *testing.T) {
	const (
		appID   = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8"
		ours    = "50612dbb-0237-4969-b378-8d42590f9c00"
		foreign = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "magda.yml")
	os.WriteFile(cfg, []byte("customers:\n  - {id: agency-x, tier: dedicated}\nteams:\n  tenants: ["+ours+"]\n"), 0o600)
	bf := newBotFramework(t)
	base := startServe(t, map[string]string{
		"MICROSOFT_APP_ID": appID, "MICROSOFT_APP_PASSWORD": "secret",
		"MICROSOFT_OPENID_METADATA_URL": bf.srv.URL + "/openid", "MICROSOFT_TOKEN_URL": bf.srv.URL + "/token",
	}, "--db", filepath.Join(dir, "magda.db"), "--config", cfg)

	activity := func(channel, tenant string) string {
		b, _ := json.Marshal(map[string]any{"type": "message", "id": "a1", "channelId": channel,
			"serviceUrl": bf.srv.URL + "/amer/", "text": "help",
			"from":         map[string]any{"id": "29:ann", "aadObjectId": "aad-ann"},
			"recipient":    map[string]any{"id": "28:" + appID},
			"conversation": map[string]any{"id": "a:chat", "conversationType": "personal", "tenantId": tenant},
			"channelData":  map[string]any{"tenant": map[string]any{"id": tenant}}})
		return string(b)
	}
	send := func(body string) int {
		req, _ := http.NewRequest("POST", base+"/api/messages", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+bf.token(t, appID))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		name, body string
		code       int
	}{
		{"our tenant", activity("msteams", ours), http.StatusOK},
		{"a foreign tenant", activity("msteams", foreign), http.StatusUnauthorized},
		{"webchat", activity("webchat", ours), http.StatusUnauthorized},
		{"malformed", "{", http.StatusBadRequest},
	} {
		if code := send(tc.body); code != tc.code {
			t.Errorf("%s: status %d, want %d", tc.name, code, tc.code)
		}
	}
	bf.mu.Lock()
	if len(bf.posts) != 1 {
		t.Errorf("the connector got %d posts; want the one answer", len(bf.posts))
	}
	bf.mu.Unlock()

	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`magda_events_received_total{result="answered",source="teams"} 1`,
		`magda_events_received_total{result="unauthorized",source="teams"} 2`,
		`magda_events_received_total{result="rejected",source="teams"} 1`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
