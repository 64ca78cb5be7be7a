package teams

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzActivity: any activity body is read without panicking; a command text never keeps
// mention markup, and a card action always names an action or a form.
func FuzzActivity(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "activity_*.json"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"invoke","name":"adaptiveCard/action","value":{"action":{"data":{"form":"magda_update","field.text":"x"}}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var a activity
		if err := json.Unmarshal(body, &a); err != nil {
			return
		}
		if text, ok := a.command(); ok && (strings.Contains(text, "<at>") || strings.Contains(text, "</at>")) {
			t.Errorf("command text %q keeps mention markup", text)
		}
		s, err := a.submitted()
		if err != nil {
			return
		}
		if s.action == "" && s.form == "" {
			t.Errorf("submit %+v names no action or form", s)
		}
		s.command()
		s.requestID(&a)
		_ = a.caller("r")
	})
}

// FuzzVerify: no header is accepted but a token signed with the key set's key.
func FuzzVerify(f *testing.F) {
	now := start
	v := &verifier{appID: appID, now: func() time.Time { return now }, keys: &keySet{
		metadataURL: "http://127.0.0.1:1/unreachable", now: func() time.Time { return now },
		keys:    map[string]signingKey{"k1": {pub: &goodKey.PublicKey, endorsements: []string{"msteams"}}},
		fetched: now, tried: now,
	}}
	valid := "Bearer " + jwt(f, goodKey, "k1", map[string]any{"iss": Issuer, "aud": appID, "serviceurl": "https://s/",
		"exp": now.Add(time.Hour).Unix()})
	f.Add(valid)
	f.Add("Bearer a.b.c")
	f.Add(strings.Replace(valid, "Bearer", "bearer", 1))
	f.Fuzz(func(t *testing.T, header string) {
		vd, err := v.verify(context.Background(), header)
		if err != nil {
			return
		}
		// Only the valid token's signed parts verify; the scheme's case may vary.
		_, tok, _ := strings.Cut(strings.TrimSpace(header), " ")
		if strings.TrimSpace(tok) != strings.TrimPrefix(valid, "Bearer ") || vd.serviceURL != "https://s/" {
			t.Errorf("accepted %q", header)
		}
	})
}
