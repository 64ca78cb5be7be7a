package teams

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAuth: only a token the Bot Framework signed for this bot and this activity's
// service URL gets in; anything else is 401 with nothing recorded, stored or posted.
func TestAuth(t *testing.T) {
	tests := []struct {
		name  string
		authz func(e *env) string
		want  int
	}{
		{"valid", func(e *env) string { return e.bf.bearer() }, http.StatusOK},
		{"audience list with the app", func(e *env) string {
			c := e.bf.claims()
			c["aud"] = []string{"other", appID}
			return "Bearer " + jwt(t, goodKey, "k1", c)
		}, http.StatusOK},
		{"expired within the leeway", func(e *env) string {
			c := e.bf.claims()
			c["exp"] = e.clock.Now().Add(-4 * time.Minute).Unix()
			return "Bearer " + jwt(t, goodKey, "k1", c)
		}, http.StatusOK},
		{"missing header", func(e *env) string { return "" }, http.StatusUnauthorized},
		{"not a JWT", func(e *env) string { return "Bearer not-a-jwt" }, http.StatusUnauthorized},
		{"not bearer", func(e *env) string { return "Basic " + strings.TrimPrefix(e.bf.bearer(), "Bearer ") }, http.StatusUnauthorized},
		{"wrong audience", claim("aud", "another-bot"), http.StatusUnauthorized},
		{"audience list without the app", claim("aud", []string{"a", "b"}), http.StatusUnauthorized},
		{"wrong issuer", claim("iss", "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"), http.StatusUnauthorized},
		{"wrong serviceurl", claim("serviceurl", "https://smba.example.net/amer/"), http.StatusUnauthorized},
		{"no serviceurl", claim("serviceurl", nil), http.StatusUnauthorized},
		{"expired", func(e *env) string {
			c := e.bf.claims()
			c["exp"] = e.clock.Now().Add(-6 * time.Minute).Unix()
			return "Bearer " + jwt(t, goodKey, "k1", c)
		}, http.StatusUnauthorized},
		{"not valid yet", func(e *env) string {
			c := e.bf.claims()
			c["nbf"] = e.clock.Now().Add(6 * time.Minute).Unix()
			return "Bearer " + jwt(t, goodKey, "k1", c)
		}, http.StatusUnauthorized},
		{"no expiry", claim("exp", nil), http.StatusUnauthorized},
		{"signed by another key", func(e *env) string { return "Bearer " + jwt(t, otherKey, "k1", e.bf.claims()) }, http.StatusUnauthorized},
		{"unknown key id", func(e *env) string { return "Bearer " + jwt(t, otherKey, "k9", e.bf.claims()) }, http.StatusUnauthorized},
		{"key not endorsed for msteams", func(e *env) string { return "Bearer " + jwt(t, webchatKey, "kw", e.bf.claims()) }, http.StatusUnauthorized},
		{"claims changed after signing", func(e *env) string {
			parts := strings.Split(e.bf.bearer(), ".")
			c := e.bf.claims()
			c["aud"] = appID + "x"
			b, _ := json.Marshal(c)
			return parts[0] + "." + b64(b) + "." + parts[2]
		}, http.StatusUnauthorized},
		{"alg none", func(e *env) string {
			head, _ := json.Marshal(map[string]string{"alg": "none", "kid": "k1"})
			body, _ := json.Marshal(e.bf.claims())
			return "Bearer " + b64(head) + "." + b64(body) + "."
		}, http.StatusUnauthorized},
		{"alg HS256", func(e *env) string {
			parts := strings.Split(e.bf.bearer(), ".")
			head, _ := json.Marshal(map[string]string{"alg": "HS256", "kid": "k1"})
			return "Bearer " + b64(head) + "." + parts[1] + "." + parts[2]
		}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			w := e.serve(tt.authz(e), e.channelMessage("1", teamChan, "escalate MAGDA-1 chain down"))
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d (%s)", w.Code, tt.want, w.Body)
			}
			if tt.want == http.StatusOK {
				if got := e.store.Stored(); len(got) != 1 {
					t.Errorf("a valid request stored %d events, want the escalation", len(got))
				}
				return
			}
			if n := e.store.Calls(); n != 0 {
				t.Errorf("a refused request touched the store %d times", n)
			}
			if n := e.refs.count(); n != 0 {
				t.Errorf("a refused request saved %d references", n)
			}
			if p := e.bf.sent(); len(p) != 0 {
				t.Errorf("a refused request posted %d activities", len(p))
			}
		})
	}
}

// claim gives a token with one claim changed (nil: removed).
func claim(name string, v any) func(e *env) string {
	return func(e *env) string {
		c := e.bf.claims()
		if v == nil {
			delete(c, name)
		} else {
			c[name] = v
		}
		return "Bearer " + jwt(e.bf.t, goodKey, "k1", c)
	}
}

// TestNoAppIDNoEntry: without an app id there is no Bot (Teams is off), and even a bot
// whose app id were empty would not take a token with an empty audience, nor a header
// that is no JWT (msbotbuilder-go v0.2.5 lets both through).
func TestNoAppIDNoEntry(t *testing.T) {
	for _, o := range []Options{
		{AppPassword: appSecret, Commands: &recorder{}, References: newRefs()},
		{AppID: appID, Commands: &recorder{}, References: newRefs()},
		{AppID: appID, AppPassword: appSecret, References: newRefs()},
		{AppID: appID, AppPassword: appSecret, Commands: &recorder{}},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) gave a bot", o)
		}
	}
	e := newEnv(t)
	e.bot.verify.appID = ""
	c := e.bf.claims()
	c["aud"] = ""
	for _, authz := range []string{"Bearer " + jwt(t, goodKey, "k1", c), "Bearer not-a-jwt", "not-a-jwt"} {
		if w := e.serve(authz, e.personalMessage("1", "escalate MAGDA-1")); w.Code != http.StatusUnauthorized {
			t.Errorf("%.20s…: status %d, want 401", authz, w.Code)
		}
	}
	if n := e.store.Calls(); n != 0 {
		t.Errorf("store touched %d times", n)
	}
}

// TestKeys: keys are fetched once and cached; a token with a key id not seen before
// makes them be fetched again (rotation), but not more than once per keysMinRefresh.
func TestKeys(t *testing.T) {
	e := newEnv(t)
	for i := range 3 {
		if w := e.serve(e.bf.bearer(), e.personalMessage("m"+string(rune('0'+i)), "help")); w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
	}
	if fetches, _ := e.bf.counts(); fetches != 1 {
		t.Fatalf("keys fetched %d times for 3 requests, want 1", fetches)
	}
	// Rotation: the Bot Framework starts signing with k2.
	e.bf.mu.Lock()
	e.bf.keys["k2"], e.bf.endorse["k2"] = otherKey, []string{"msteams"}
	e.bf.mu.Unlock()
	rotated := "Bearer " + jwt(t, otherKey, "k2", e.bf.claims())
	if w := e.serve(rotated, e.personalMessage("r1", "help")); w.Code != http.StatusUnauthorized {
		t.Errorf("right after a fetch an unknown key id is refused without fetching; status %d", w.Code)
	}
	e.clock.add(keysMinRefresh)
	rotated = "Bearer " + jwt(t, otherKey, "k2", e.bf.claims())
	if w := e.serve(rotated, e.personalMessage("r2", "help")); w.Code != http.StatusOK {
		t.Errorf("rotated key: status %d, want 200", w.Code)
	}
	if fetches, _ := e.bf.counts(); fetches != 2 {
		t.Errorf("keys fetched %d times, want 2", fetches)
	}
	// A day later the keys are fetched again, and a key no longer listed is refused.
	e.bf.mu.Lock()
	delete(e.bf.keys, "k1")
	e.bf.mu.Unlock()
	e.clock.add(keysMaxAge)
	if w := e.serve(e.bf.bearer(), e.personalMessage("r3", "help")); w.Code != http.StatusUnauthorized {
		t.Errorf("withdrawn key: status %d, want 401", w.Code)
	}
}

// TestVerifyNoNetworkForGarbage: a header that is no JWT is refused before any key is
// fetched.
func TestVerifyNoNetworkForGarbage(t *testing.T) {
	e := newEnv(t)
	for _, h := range []string{"Bearer a.b", "Bearer ...", "Bearer a.b.c", "Bearer " + b64([]byte(`{"alg":"RS256"}`)) + ".e30.x"} {
		if _, err := e.bot.verify.verify(context.Background(), h); err == nil {
			t.Errorf("%q accepted", h)
		}
	}
	if fetches, _ := e.bf.counts(); fetches != 0 {
		t.Errorf("keys fetched %d times", fetches)
	}
}
