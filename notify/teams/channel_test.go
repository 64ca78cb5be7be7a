package teams

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// fixture reads testdata/name as an activity, pointed at the local connector.
func fixture(t *testing.T, e *env, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var a map[string]any
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	a["serviceUrl"] = e.bf.serviceURL()
	return a
}

const foreignTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47" // the tenant of the msdocs sample

// TestOnlyTeams (issue 10.5): the Bot Framework signs for every channel of a bot, and
// channels other than Teams let the sender pick from.aadObjectId. Only an msteams
// activity signed by a key endorsed for msteams, from an allowed tenant, gets in; every
// other one is 401 with nothing stored, no reference saved, no reply posted, and a log
// line with the reason but not the token.
func TestOnlyTeams(t *testing.T) {
	signed := func(key string) func(e *env) string {
		return func(e *env) string {
			k := map[string]*rsa.PrivateKey{"k1": goodKey, "kw": webchatKey, "kn": bareKey}[key]
			return "Bearer " + jwt(t, k, key, e.bf.claims())
		}
	}
	escalate := func(change func(a map[string]any)) func(e *env) map[string]any {
		return func(e *env) map[string]any {
			a := e.channelMessage("m1", teamChan, "escalate MAGDA-1 chain down")
			if change != nil {
				change(a)
			}
			return a
		}
	}
	tenantIs := func(conv, data string) func(a map[string]any) {
		return func(a map[string]any) {
			a["conversation"].(map[string]any)["tenantId"] = conv
			a["channelData"].(map[string]any)["tenant"] = map[string]any{"id": data}
		}
	}
	tests := []struct {
		name    string
		tenants []string // teams.tenants
		authz   func(e *env) string
		act     func(e *env) map[string]any
		ok      bool
	}{
		{"msteams key, msteams channel", nil, signed("k1"), escalate(nil), true},
		{"allowed tenant", []string{foreignTenant, tenantID}, signed("k1"), escalate(nil), true},
		{"allowed tenant, other case", []string{strings.ToUpper(tenantID)}, signed("k1"), escalate(nil), true},
		{"no tenants configured: any tenant", nil, signed("k1"), escalate(tenantIs(foreignTenant, foreignTenant)), true},

		{"webchat key, webchat channel, an agent's aadObjectId", nil, signed("kw"), escalate(func(a map[string]any) {
			a["channelId"] = "webchat"
			a["from"] = map[string]any{"id": "dl_attacker", "name": "Henk Smets", "aadObjectId": staffAAD}
		}), false},
		{"webchat-endorsed key, msteams channel", nil, signed("kw"), escalate(nil), false},
		{"key without endorsements", nil, signed("kn"), escalate(nil), false},
		{"missing channelId", nil, signed("k1"), escalate(func(a map[string]any) { delete(a, "channelId") }), false},
		{"empty channelId", nil, signed("k1"), escalate(func(a map[string]any) { a["channelId"] = "" }), false},
		{"channelId webchat, msteams key", nil, signed("k1"), escalate(func(a map[string]any) { a["channelId"] = "webchat" }), false},
		{"channelId MSTeams", nil, signed("k1"), escalate(func(a map[string]any) { a["channelId"] = "MSTeams" }), false},
		{"foreign tenant", []string{tenantID}, signed("k1"), escalate(tenantIs(foreignTenant, foreignTenant)), false},
		{"foreign tenant in channelData only", []string{tenantID}, signed("k1"), escalate(tenantIs(tenantID, foreignTenant)), false},
		{"foreign tenant in the conversation only", []string{tenantID}, signed("k1"), escalate(tenantIs(foreignTenant, tenantID)), false},
		{"no tenant named", []string{tenantID}, signed("k1"), escalate(func(a map[string]any) {
			delete(a["conversation"].(map[string]any), "tenantId")
			delete(a, "channelData")
		}), false},
		{"foreign tenant, msdocs sample", []string{tenantID}, signed("k1"), func(e *env) map[string]any {
			return fixture(t, e, "activity_sample_personal_msdocs.json")
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			var logs bytes.Buffer
			e.bot.o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			e.bot.o.Tenants = tt.tenants
			authz := tt.authz(e)
			w := e.serve(authz, tt.act(e))
			if tt.ok {
				if w.Code != http.StatusOK || countType(e.store.Stored(), sla.Escalated) != 1 || len(e.bf.sent()) != 1 {
					t.Fatalf("status %d, %d events stored, %d posts; want 200, the escalation and its answer (%s)",
						w.Code, len(e.store.Stored()), len(e.bf.sent()), w.Body)
				}
				return
			}
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401 (%s)", w.Code, w.Body)
			}
			if n, saves, posts := e.store.Calls(), e.refs.count(), len(e.bf.sent()); n+saves+posts != 0 {
				t.Errorf("a refused request: %d store calls, %d references saved, %d posts; want none", n, saves, posts)
			}
			token := strings.TrimPrefix(authz, "Bearer ")
			if !strings.Contains(logs.String(), "refused") || strings.Contains(logs.String(), token[strings.LastIndex(token, ".")+1:]) {
				t.Errorf("log should give the reason, not the token:\n%s", logs.String())
			}
			if got := e.counted(); len(got) != 1 || got[0] != ResultUnauthorized {
				t.Errorf("counted %v, want [unauthorized]", got)
			}
		})
	}
}

// TestOnlyTeamsSamples: the shared real-world samples get in when their tenant is
// allowed, and the msdocs one (tenant only in channelData) also when only it is.
func TestOnlyTeamsSamples(t *testing.T) {
	for _, tt := range []struct {
		file    string
		tenants []string
	}{
		{"activity_sample_channel_mention.json", []string{tenantID}},
		{"activity_sample_personal_msdocs.json", []string{foreignTenant}},
		{"activity_sample_personal_msdocs.json", nil},
	} {
		e := newEnv(t)
		e.bot.o.Tenants = tt.tenants
		if w := e.serve(e.bf.bearer(), fixture(t, e, tt.file)); w.Code != http.StatusOK || len(e.bf.sent()) != 1 {
			t.Errorf("%s with tenants %v: status %d, %d posts; want 200 and an answer", tt.file, tt.tenants, w.Code, len(e.bf.sent()))
		}
	}
}
