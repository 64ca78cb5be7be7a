package jira

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// SignatureHeader carries Jira's signature of a webhook registered with a secret.
const SignatureHeader = "X-Hub-Signature"

// Verify checks a webhook's X-Hub-Signature header, "sha256=" and the hex HMAC-SHA256
// of the raw body keyed with the shared secret, in constant time. An empty secret
// verifies nothing.
func Verify(secret, body []byte, header string) bool {
	hexSum, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok || len(secret) == 0 {
		return false
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}
