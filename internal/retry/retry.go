// Package retry answers a request the store could not take: 503 Service Unavailable
// with a Retry-After header, the same in every handler that stores what a sender will
// retry (issue 16: never a 2xx for something not committed, and a 503 rather than a
// 500 when the store itself fails, so that the sender waits and sends it again).
package retry

import (
	"net/http"
	"strconv"
	"time"
)

// After is how long a sender is told to wait: long enough for SQLite's busy timeout
// or a database restart to pass, short enough that an event is late by seconds only.
const After = 5 * time.Second

// Header sets Retry-After on h, in whole seconds (RFC 9110 section 10.2.3).
func Header(h http.Header) { h.Set("Retry-After", strconv.Itoa(int(After/time.Second))) }

// Unavailable writes the 503 with Retry-After and the one-line reason msg as plain text.
func Unavailable(w http.ResponseWriter, msg string) {
	Header(w.Header())
	http.Error(w, msg, http.StatusServiceUnavailable)
}
