// Package token checks the shared secrets that callers present to the bot's endpoints
// (the events API, the Alertmanager webhook): one comparison, in constant time.
package token

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
)

// Bearer gives the credentials of an Authorization header of the Bearer scheme, the
// scheme in any case (RFC 7235 section 2.1: "bearer" is Bearer).
func Bearer(header string) (string, bool) {
	scheme, cred, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(cred), true
}

// Equal compares a presented secret with the configured one in constant time, also in
// their length (both are hashed first). An empty configured secret matches nothing.
func Equal(got, want string) bool {
	if want == "" {
		return false
	}
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
