package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// MaxBody is the largest request body accepted (413 above it).
const MaxBody = 1 << 20

// Appender stores events, all or nothing; when it returns nil they are on disk.
type Appender interface {
	Append(ctx context.Context, source, deliveryID string, evs []sla.Event) (int, error)
}

// EventsOptions configures the generic events API.
type EventsOptions struct {
	Token   string // bearer token (MAGDA_API_TOKEN); the endpoint is off without one
	Store   Appender
	Known   func(customer string) bool
	Metrics *Metrics
	Logger  *slog.Logger
}

// Events serves POST /api/v1/events: one contract event or an array of them, all or
// nothing. 202 is never used: a 200 means the events are on disk.
func Events(o EventsOptions) http.Handler {
	count := func(result string) {
		if o.Metrics != nil {
			o.Metrics.Event("api", result)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "use POST", http.StatusMethodNotAllowed)
			return
		}
		if !bearerOK(r.Header.Get("Authorization"), o.Token) {
			count("unauthorized")
			w.Header().Set("WWW-Authenticate", `Bearer realm="magda"`)
			http.Error(w, "missing or wrong bearer token", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			count("rejected")
			http.Error(w, fmt.Sprintf("body over %d bytes", MaxBody), http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			count("rejected")
			http.Error(w, "could not read the body", http.StatusBadRequest)
			return
		}
		evs, err := sla.DecodeEvents(body)
		if err == nil {
			err = checkCustomers(evs, o.Known)
		}
		if err != nil {
			count("rejected")
			http.Error(w, oneLine(err.Error()), http.StatusBadRequest)
			return
		}
		stored, err := o.Store.Append(r.Context(), "api", "", evs)
		if err != nil {
			count("error")
			o.Logger.Error("events: store failed", "err", err, "events", len(evs))
			http.Error(w, "internal error: the events were not stored, send them again", http.StatusInternalServerError)
			return
		}
		if stored > 0 {
			count("stored")
		}
		if dup := len(evs) - stored; dup > 0 {
			count("duplicate")
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"received":%d,"stored":%d}`+"\n", len(evs), stored)
	})
}

func checkCustomers(evs []sla.Event, known func(string) bool) error {
	for i, e := range evs {
		if e.Type == sla.Created && known != nil && !known(e.Customer) {
			if len(evs) == 1 {
				return fmt.Errorf("unknown customer %q", e.Customer)
			}
			return fmt.Errorf("event %d: unknown customer %q", i, e.Customer)
		}
	}
	return nil
}

func bearerOK(header, token string) bool {
	got, ok := strings.CutPrefix(header, "Bearer ")
	return ok && token != "" && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1
}

func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}

// Health serves /healthz: the process is up.
func Health() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
}

// Ready serves /readyz: the storage answers.
func Ready(ping func(context.Context) error, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := ping(r.Context()); err != nil {
			log.Warn("readyz: storage not reachable", "err", err)
			http.Error(w, "storage not reachable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
}
