package teams

import (
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
	"strings"
	"sync"
	"testing"
	"time"
)

// Test keys: goodKey (k1) is in the key set, endorsed for msteams and webchat; webchatKey
// (kw) only for webchat; bareKey (kn) for no channel at all; otherKey is not in it.
var goodKey, otherKey, webchatKey, bareKey = genKey(), genKey(), genKey(), genKey()

func genKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// posted is one request the fake connector received.
type posted struct {
	Path  string // decoded
	Auth  string
	Body  outgoingJSON
	Raw   []byte // the body as sent
	Clock time.Time
}

// outgoingJSON is an outgoing activity as JSON, with the card as a tree.
type outgoingJSON struct {
	Type         string `json:"type"`
	ChannelID    string `json:"channelId"`
	ServiceURL   string `json:"serviceUrl"`
	Conversation struct {
		ID string `json:"id"`
	} `json:"conversation"`
	ReplyToID   string `json:"replyToId"`
	Summary     string `json:"summary"`
	Attachments []struct {
		ContentType string       `json:"contentType"`
		Content     AdaptiveCard `json:"content"`
	} `json:"attachments"`
}

// answer is a scripted connector answer.
type answer struct {
	status int
	header map[string]string
}

// bf is a local Bot Framework: OpenID metadata and keys, the token endpoint and the
// connector, all on one loopback server.
type bf struct {
	t     *testing.T
	srv   *httptest.Server
	clock *clock

	mu        sync.Mutex
	keys      map[string]*rsa.PrivateKey // kid → key, served in the JWKS
	endorse   map[string][]string        // kid → endorsements
	keyFetch  int
	tokens    int
	tokenLife int
	posts     []posted
	script    []answer // answers to the next posts, then 200
}

func newBF(t *testing.T, c *clock) *bf {
	f := &bf{t: t, clock: c, keys: map[string]*rsa.PrivateKey{"k1": goodKey, "kw": webchatKey, "kn": bareKey},
		endorse: map[string][]string{"k1": {"msteams", "webchat"}, "kw": {"webchat"}}, tokenLife: 3600}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openid", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": Issuer, "jwks_uri": f.srv.URL + "/keys",
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.keyFetch++
		var keys []map[string]any
		for kid, k := range f.keys {
			keys = append(keys, map[string]any{"kty": "RSA", "use": "sig", "kid": kid,
				"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes()), "endorsements": f.endorse[kid]})
		}
		json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		r.ParseForm()
		if r.Form.Get("grant_type") != "client_credentials" || r.Form.Get("client_id") != appID ||
			r.Form.Get("client_secret") != appSecret || r.Form.Get("scope") != "https://api.botframework.com/.default" {
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": "bad " + r.Form.Get("client_secret")})
			return
		}
		f.tokens++
		json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": f.tokenLife,
			"ext_expires_in": f.tokenLife, "access_token": fmt.Sprintf("tok-%d", f.tokens)})
	})
	mux.HandleFunc("POST /amer/v3/conversations/", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		var p posted
		p.Path, p.Auth, p.Clock = r.URL.Path, r.Header.Get("Authorization"), c.Now()
		p.Raw, _ = io.ReadAll(r.Body)
		if err := json.Unmarshal(p.Raw, &p.Body); err != nil {
			t.Errorf("connector: bad activity: %v", err)
		}
		// What the Activity schema requires of every activity, and the connector of one
		// posted to a conversation: its type, channel, service URL and that conversation.
		conv, _, _ := strings.Cut(strings.TrimPrefix(p.Path, "/amer/v3/conversations/"), "/activities")
		if b := p.Body; b.Type != "message" || b.ChannelID != ChannelTeams || b.ServiceURL != f.serviceURL() || b.Conversation.ID != conv {
			t.Errorf("connector: activity posted to %s lacks type, channelId, serviceUrl or conversation: %s", p.Path, p.Raw)
		}
		f.posts = append(f.posts, p)
		if len(f.script) > 0 {
			a := f.script[0]
			f.script = f.script[1:]
			for k, v := range a.header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(a.status)
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": "Throttled", "message": "slow down"}})
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"id": fmt.Sprintf("msg-%d", len(f.posts))})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// serviceURL is the connector's base, with a region path as Teams gives it.
func (f *bf) serviceURL() string { return f.srv.URL + "/amer/" }

func (f *bf) sent() []posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]posted(nil), f.posts...)
}

func (f *bf) answers(as ...answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, as...)
}

func (f *bf) counts() (keyFetches, tokens int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.keyFetch, f.tokens
}

// jwt signs claims with key under kid, RS256.
func jwt(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": kid})
	body, _ := json.Marshal(claims)
	signed := b64(head) + "." + b64(body)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return signed + "." + b64(sig)
}

// claims are a valid token's claims for an activity from f at now.
func (f *bf) claims() map[string]any {
	now := f.clock.Now()
	return map[string]any{"iss": Issuer, "aud": appID, "serviceurl": f.serviceURL(),
		"nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix()}
}

func (f *bf) bearer() string { return "Bearer " + jwt(f.t, goodKey, "k1", f.claims()) }
