package teams

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// BenchmarkCard renders a ticket card and its JSON.
func BenchmarkCard(b *testing.B) {
	r := goldenReply(b, "sla MAGDA-1")
	for b.Loop() {
		if _, err := json.Marshal(Card(r)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify checks a Bot Framework token with cached keys (RS256, 2048 bits).
func BenchmarkVerify(b *testing.B) {
	now := start
	v := &verifier{appID: appID, now: func() time.Time { return now }, keys: &keySet{now: func() time.Time { return now },
		keys: map[string]signingKey{"k1": {pub: &goodKey.PublicKey, endorsements: []string{"msteams"}}}, fetched: now}}
	h := "Bearer " + jwt(b, goodKey, "k1", map[string]any{"iss": Issuer, "aud": appID, "serviceurl": "https://s/",
		"exp": now.Add(time.Hour).Unix()})
	for b.Loop() {
		if _, err := v.verify(context.Background(), h); err != nil {
			b.Fatal(err)
		}
	}
}
