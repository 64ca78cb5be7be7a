package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxSkew is how far a request's timestamp may be from now: older requests are replays.
const maxSkew = 5 * time.Minute

var (
	errNoSecret       = errors.New("no signing secret configured")
	errMissingHeaders = errors.New("missing X-Slack-Signature or X-Slack-Request-Timestamp")
	errTimestamp      = errors.New("request timestamp is not a number")
	errStale          = errors.New("request timestamp is more than 5 minutes away")
	errSignature      = errors.New("signature does not match")
)

// verify checks Slack's v0 request signature: X-Slack-Signature is "v0=" and the hex
// HMAC-SHA256, keyed with the signing secret, of "v0:TIMESTAMP:BODY", and the timestamp
// (X-Slack-Request-Timestamp, Unix seconds) is within five minutes of now.
func verify(h http.Header, body []byte, secret string, now time.Time) error {
	if secret == "" {
		return errNoSecret
	}
	sig, ts := h.Get("X-Slack-Signature"), h.Get("X-Slack-Request-Timestamp")
	if sig == "" || ts == "" {
		return errMissingHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return errStale
	}
	got, err := hex.DecodeString(strings.TrimPrefix(sig, "v0="))
	if err != nil || !strings.HasPrefix(sig, "v0=") {
		return errSignature
	}
	if !hmac.Equal(got, mac(secret, ts, body)) { // constant time
		return errSignature
	}
	return nil
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return m.Sum(nil)
}

// errTooLarge is a body over the limit (413).
var errTooLarge = errors.New("request body too large")

// readBody reads at most limit bytes of a request body.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errTooLarge
	}
	return b, err
}
