package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"
)

// BodyLimits bound the reading of request bodies; a zero field takes its default.
type BodyLimits struct {
	Limit   int64         // bytes; more is 413 (default MaxBody)
	Fast    time.Duration // a body that has arrived by then needs no slot (default 2 s)
	Timeout time.Duration // the most any body may take (default 10 s)
	Slots   int           // bodies still arriving after Fast at once (default 32)
}

// Bodies reads request bodies before anyone is authenticated (issue 10.4): Slack and
// Jira sign the body, so it must be read before the signature can be checked, and a
// sender that trickles its body would otherwise hold a connection, a goroutine and up
// to a MiB for as long as it likes. A real webhook's body arrives with its headers, well
// within Fast, and needs nothing more, however many slow senders there are; a body still
// arriving after Fast takes one of Slots places or is cut off with 408, and none may
// take longer than Timeout. So a flood of slow senders costs each of them Fast, and
// signed requests and health checks go on being answered.
type Bodies struct {
	lim   BodyLimits
	slots chan struct{}
	log   *slog.Logger
}

// NewBodies fills in the defaults of lim.
func NewBodies(lim BodyLimits, log *slog.Logger) *Bodies {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&lim.Fast, 2*time.Second)
	def(&lim.Timeout, 10*time.Second)
	lim.Fast = min(lim.Fast, lim.Timeout)
	if lim.Limit <= 0 {
		lim.Limit = MaxBody
	}
	if lim.Slots <= 0 {
		lim.Slots = 32
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Bodies{lim: lim, slots: make(chan struct{}, lim.Slots), log: log}
}

// Limits are the bounds in force, defaults filled in.
func (b *Bodies) Limits() BodyLimits { return b.lim }

// ErrTooLarge is a body over the limit (413); ErrSlowBody one that did not arrive in
// time (408). Their messages are fit for the answer.
var (
	ErrTooLarge = errors.New("request body too large")
	ErrSlowBody = errors.New("request body too slow")
)

// Read reads r's body within the limits. A trusted request (its sender authenticated
// from the headers, as the events API's bearer token) needs no slot, only Timeout. Over
// the limit it gives the first Limit+1 bytes with an error wrapping ErrTooLarge; a slow
// body an error wrapping ErrSlowBody.
func (b *Bodies) Read(w http.ResponseWriter, r *http.Request, trusted bool) ([]byte, error) {
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(b.lim.Timeout)) // a test's ResponseRecorder has none: read as is
	var (
		mu               sync.Mutex
		done, held, shed bool
	)
	if !trusted {
		timer := time.AfterFunc(b.lim.Fast, func() {
			mu.Lock()
			defer mu.Unlock()
			if done {
				return
			}
			select {
			case b.slots <- struct{}{}:
				held = true
			default:
				shed = true
				rc.SetReadDeadline(time.Now()) // the blocked read returns at once
			}
		})
		defer timer.Stop()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, b.lim.Limit+1))
	mu.Lock()
	done = true
	if held {
		<-b.slots
	}
	mu.Unlock()
	switch {
	case err == nil && int64(len(body)) > b.lim.Limit:
		// The rest stays unread under the deadline: net/http drains at most 256 KiB of it.
		return body, fmt.Errorf("%w: over %d bytes", ErrTooLarge, b.lim.Limit)
	case err == nil:
		// The handler's own work is bounded by WriteTimeout; a read deadline left in
		// place would cancel its context when it passed.
		rc.SetReadDeadline(time.Time{})
		return body, nil
	case shed:
		return nil, fmt.Errorf("%w: still arriving after %s while %d slow bodies were being read", ErrSlowBody, b.lim.Fast, b.lim.Slots)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, fmt.Errorf("%w: not received within %s", ErrSlowBody, b.lim.Timeout)
	}
	return nil, err
}

// Wrap reads the body of every request to h within the limits before h sees it, so that
// h (Slack's, Teams' or Jira's handler, which read the body before they check who sent
// it) never waits on a slow sender. A body over the limit is handed on as its first
// Limit+1 bytes, so that h answers 413 in its own words and counts it as it does.
func (b *Bodies) Wrap(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := b.Read(w, r, false)
		if err != nil && !errors.Is(err, ErrTooLarge) {
			b.Refuse(w, r, route, err)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}

// Refuse answers a body that could not be read (408, 413, else 400) with one line, logs
// it in one line, and closes the connection: what is left of the body is not read.
func (b *Bodies) Refuse(w http.ResponseWriter, r *http.Request, route string, err error) {
	code := http.StatusBadRequest
	switch {
	case errors.Is(err, ErrSlowBody):
		code = http.StatusRequestTimeout
	case errors.Is(err, ErrTooLarge):
		code = http.StatusRequestEntityTooLarge
	default:
		err = errors.New("could not read the body")
	}
	w.Header().Set("Connection", "close")
	refuse(w, r, b.log, route, code, err.Error())
}

// refuse answers code with a one-line reason and logs the refusal in one structured line
// (issue 10.9): route, status, reason, never a header or the body.
func refuse(w http.ResponseWriter, r *http.Request, log *slog.Logger, route string, code int, reason string) {
	reason = clip(oneLine(reason))
	// The remote address tells a misconfigured sender from a stranger; never a secret.
	log.Warn("request refused", "route", route, "status", code, "reason", reason, "remote", r.RemoteAddr)
	http.Error(w, reason, code)
}
