package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
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

	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/teams"
)

// botFramework is a local Bot Framework: OpenID metadata, signing keys, the token
// endpoint and a connector that keeps the activities the bot posts.
type botFramework struct {
	srv   *httptest.Server
	key   *rsa.PrivateKey
	mu    sync.Mutex
	posts [][]byte
}

func newBotFramework(t *testing.T) *botFramework {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	f := &botFramework{key: key}
	b64 := base64.RawURLEncoding.EncodeToString
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openid", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": teams.Issuer, "jwks_uri": f.srv.URL + "/keys"})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]any{{"kty": "RSA", "use": "sig", "kid": "k1",
			"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()), "endorsements": []string{"msteams"}}}})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": "connector-token"})
	})
	mux.HandleFunc("POST /amer/v3/conversations/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.posts = append(f.posts, b)
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]string{"id": "reply-1"})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// token is a Bot Framework token for appID and this connector, signed by the published key.
func (f *botFramework) token(t *testing.T, appID string) string {
	b64 := base64.RawURLEncoding.EncodeToString
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"})
	body, _ := json.Marshal(map[string]any{"iss": teams.Issuer, "aud": appID, "serviceurl": f.srv.URL + "/amer/",
		"nbf": time.Now().Add(-time.Minute).Unix(), "exp": time.Now().Add(time.Hour).Unix()})
	signed := b64(head) + "." + b64(body)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + b64(sig)
}

func (f *botFramework) waitPost(t *testing.T) []byte {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		f.mu.Lock()
		n := len(f.posts)
		f.mu.Unlock()
		if n > 0 {
			return f.posts[0]
		}
	}
	t.Fatal("the bot posted no reply to the connector")
	return nil
}

// strs collects every string in a JSON document.
func strs(t *testing.T, doc []byte) string {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("%v: %s", err, doc)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x + "\n")
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}

// chats is a running `bot serve` with Slack (signing secret "sign") and Teams (a local
// Bot Framework), its events API on the token "tok", and its database and configuration.
type chats struct {
	base, db, cfg string
	bf            *botFramework
}

const chatsAppID = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8"

func startChats(t *testing.T, config string) chats {
	dir := t.TempDir()
	c := chats{db: filepath.Join(dir, "magda.db"), cfg: filepath.Join(dir, "magda.yml"), bf: newBotFramework(t)}
	os.WriteFile(c.cfg, []byte(config), 0o600)
	api := slacktest.NewTestServer()
	go api.Start()
	t.Cleanup(api.Stop)
	c.base = startServe(t, map[string]string{
		"MAGDA_API_TOKEN": "tok", "SLACK_SIGNING_SECRET": "sign", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": api.GetAPIURL(),
		"MICROSOFT_APP_ID": chatsAppID, "MICROSOFT_APP_PASSWORD": "secret",
		"MICROSOFT_OPENID_METADATA_URL": c.bf.srv.URL + "/openid", "MICROSOFT_TOKEN_URL": c.bf.srv.URL + "/token",
	}, "--db", c.db, "--config", c.cfg)
	return c
}

// store posts a JSON array of events to the events API.
func (c chats) store(t *testing.T, events string) {
	req, _ := http.NewRequest("POST", c.base+"/api/v1/events", strings.NewReader(events))
	req.Header.Set("Authorization", "Bearer tok")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("storing the events: %v %v", resp, err)
	}
}

// askSlack gives every string of the answer to `/magda text` by user U0CUSTOMER in
// agency-x's channel.
func (c chats) askSlack(t *testing.T, text string) string {
	resp := slackPost(t, c.base+"/slack/commands", "sign", url.Values{
		"command": {"/magda"}, "text": {text}, "user_id": {"U0CUSTOMER"}, "channel_id": {"C0AGENCYX"},
		"team_id": {"T1"}, "trigger_id": {"1.2.3"}, "response_url": {"http://127.0.0.1:1/unused"},
	}, time.Now())
	body, _ := io.ReadAll(resp.Body)
	return strs(t, body)
}

// askTeams sends a signed mention with text in agency-x's Teams channel and gives every
// string of the first reply the connector got, and the activity sent.
func (c chats) askTeams(t *testing.T, text string) (answer, activity string) {
	activity = fmt.Sprintf(`{"type":"message","id":"a1","channelId":"msteams","serviceUrl":%q,
		"text":"<at>MAGDA SLA</at> %s","from":{"id":"29:carl","name":"Carl","aadObjectId":"aad-carl"},
		"recipient":{"id":"28:%s","name":"MAGDA SLA"},
		"conversation":{"id":"19:agencyx@thread.tacv2;messageid=1","conversationType":"channel","tenantId":"t1"},
		"channelData":{"channel":{"id":"19:agencyx@thread.tacv2"},"tenant":{"id":"t1"}},
		"entities":[{"type":"mention","text":"<at>MAGDA SLA</at>","mentioned":{"id":"28:%s","name":"MAGDA SLA"}}]}`,
		c.bf.srv.URL+"/amer/", text, chatsAppID, chatsAppID)
	req, _ := http.NewRequest("POST", c.base+"/api/messages", strings.NewReader(activity))
	req.Header.Set("Authorization", "Bearer "+c.bf.token(t, chatsAppID))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode >= 300 {
		t.Fatalf("Teams activity: %v %v", resp, err)
	}
	return strs(t, c.bf.waitPost(t)), activity
}

// The same command asked in a customer's Slack channel and in its Teams channel gets
// answers that carry the same facts, the ones `bot ask` prints for that channel.
func TestSameAnswerInSlackAndTeams(t *testing.T) {
	c := startChats(t, `customers:
  - id: agency-x
    name: Agentschap X
    tier: dedicated
    slack_channels: [C0AGENCYX]
    teams_channels: ["19:agencyx@thread.tacv2"]
`)
	// A resolved ticket: its card has no "time left" that could tick between the asks.
	c.store(t, `[
		{"ticket":"MAGDA-21","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"incident","priority":"P2"},
		{"ticket":"MAGDA-21","type":"responded","at":"2026-07-13T09:00:00+02:00"},
		{"ticket":"MAGDA-21","type":"resolved","at":"2026-07-14T11:00:00+02:00"}]`)

	var plain bytes.Buffer
	if err := run(context.Background(), []string{"ask", "--db", c.db, "--config", c.cfg, "--channel", "C0AGENCYX", "sla MAGDA-21"}, env(nil), &plain); err != nil {
		t.Fatal(err)
	}
	var facts []string
	for _, line := range strings.Split(plain.String(), "\n") {
		if label, value, ok := strings.Cut(line, ":"); ok && !strings.Contains(label, " · ") && strings.TrimSpace(value) != "" {
			facts = append(facts, strings.TrimSpace(label), strings.TrimSpace(value))
		}
	}
	if len(facts) < 12 {
		t.Fatalf("bot ask gave few facts:\n%s", plain.String())
	}
	slackText := c.askSlack(t, "sla MAGDA-21")
	teamsText, activity := c.askTeams(t, "sla MAGDA-21")
	bf := c.bf
	// Without a Bot Framework token: 401, and nothing more reaches the connector.
	if resp, err := http.Post(c.base+"/api/messages", "application/json", strings.NewReader(activity)); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned activity: %v %v; want 401", resp, err)
	}
	if bf.mu.Lock(); len(bf.posts) != 1 {
		t.Errorf("the connector got %d posts; want the one reply", len(bf.posts))
	}
	bf.mu.Unlock()
	for _, f := range facts {
		if !strings.Contains(slackText, f) {
			t.Errorf("Slack's answer lacks %q", f)
		}
		if !strings.Contains(teamsText, f) {
			t.Errorf("Teams' answer lacks %q", f)
		}
	}
}
