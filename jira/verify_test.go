package jira

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// sign is what Jira puts in X-Hub-Signature.
func sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func TestVerify(t *testing.T) {
	secret := []byte("It's a Secret to Everybody")
	body := []byte(`{"webhookEvent":"jira:issue_created"}`)
	good := sign(secret, body)
	tests := []struct {
		name   string
		secret []byte
		body   []byte
		header string
		want   bool
	}{
		{"valid", secret, body, good, true},
		{"valid with spaces around", secret, body, " " + good + " ", true},
		{"wrong secret", []byte("another secret"), body, good, false},
		{"body changed", secret, append([]byte(nil), append(body, ' ')...), good, false},
		{"missing", secret, body, "", false},
		{"no algorithm", secret, body, strings.TrimPrefix(good, "sha256="), false},
		{"other algorithm", secret, body, "sha1=" + strings.TrimPrefix(good, "sha256="), false},
		{"not hex", secret, body, "sha256=zz" + good[9:], false},
		{"truncated", secret, body, good[:len(good)-2], false},
		{"empty secret signs nothing", nil, body, sign(nil, body), false},
		{"uppercase hex", secret, body, "sha256=" + strings.ToUpper(strings.TrimPrefix(good, "sha256=")), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.secret, tt.body, tt.header); got != tt.want {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	secret := []byte("It's a Secret to Everybody")
	body := []byte(strings.Repeat("x", 16<<10))
	header := sign(secret, body)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if !Verify(secret, body, header) {
			b.Fatal("not verified")
		}
	}
}
