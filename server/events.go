package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/retry"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/token"
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
	Token string // bearer token (MAGDA_API_TOKEN); the endpoint is off without one
	Store Appender
	// Customer gives the configured id of a customer id in any case ("AGENCY-X" is
	// agency-x), false for an unknown one; nil takes every id as it is.
	Customer func(id string) (string, bool)
	Bodies   *Bodies // nil: the default limits
	// Outages takes outage_started and outage_ended (R6.1); nil refuses them.
	// OutageInvalid tells its errors that are the sender's (400) from the store's (500).
	Outages       OutageRecorder
	OutageInvalid func(error) bool
	// Unavailable tells the store failing (closed, locked, unreachable) from any other
	// error: those events get 503 with Retry-After, the others 500 (issue 16). Both
	// mean nothing was stored. Nil: every store error is a 500.
	Unavailable func(error) bool
	Metrics     *Metrics
	Logger      *slog.Logger
}

// EventsPath is where Events is mounted; refusals are logged under it.
const EventsPath = "/api/v1/events"

// Events serves POST /api/v1/events: one contract event or an array of them, all or
// nothing. 202 is never used: a 200 means the events are on disk; a store that cannot
// answer gives 503 with Retry-After, never a 2xx for something not committed (issue
// 16). The token is checked before the body is read, so a sender without it costs
// nothing but its headers.
func Events(o EventsOptions) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Bodies == nil {
		o.Bodies = NewBodies(BodyLimits{}, o.Logger)
	}
	if o.OutageInvalid == nil {
		o.OutageInvalid = func(error) bool { return false }
	}
	if o.Unavailable == nil {
		o.Unavailable = func(error) bool { return false }
	}
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
			refuse(w, r, o.Logger, EventsPath, http.StatusUnauthorized, "missing or wrong bearer token")
			return
		}
		body, err := o.Bodies.Read(w, r, true)
		if err != nil {
			count("rejected")
			o.Bodies.Refuse(w, r, EventsPath, err)
			return
		}
		if serveOutages(w, r, o, body, count) {
			return
		}
		evs, err := sla.DecodeEvents(body)
		if err == nil {
			err = canonicalCustomers(evs, o.Customer)
		}
		if err != nil {
			count("rejected")
			refuse(w, r, o.Logger, EventsPath, http.StatusBadRequest, err.Error())
			return
		}
		stored, err := o.Store.Append(r.Context(), "api", "", evs)
		if err != nil {
			storeFailed(w, o, count, err, len(evs))
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

// storeFailed answers events the store did not take: 503 with Retry-After when the
// store itself cannot answer now, 500 for anything else. Neither stored anything, so
// both tell the sender to send the same events again.
func storeFailed(w http.ResponseWriter, o EventsOptions, count func(string), err error, n int) {
	if o.Unavailable(err) {
		count("unavailable")
		o.Logger.Warn("events: store unavailable", "err", err, "events", n)
		retry.Unavailable(w, "storage unavailable: the events were not stored, send them again")
		return
	}
	count("error")
	o.Logger.Error("events: store failed", "err", err, "events", n)
	http.Error(w, "internal error: the events were not stored, send them again", http.StatusInternalServerError)
}

// canonicalCustomers gives every event the configured spelling of its customer, so that
// "AGENCY-X" and "agency-x" are one customer in the store, the channels and the metrics
// (issue 10.6); a created event for an unknown customer is refused.
func canonicalCustomers(evs []sla.Event, customer func(string) (string, bool)) error {
	if customer == nil {
		return nil
	}
	for i := range evs {
		e := &evs[i]
		if e.Customer == "" {
			continue
		}
		id, ok := customer(e.Customer)
		switch {
		case ok:
			e.Customer = id
		case e.Type != sla.Created:
		case len(evs) == 1:
			return fmt.Errorf("unknown customer %q", e.Customer)
		default:
			return fmt.Errorf("event %d: unknown customer %q", i+1, e.Customer)
		}
	}
	return nil
}

// bearerOK checks an Authorization header against token (internal/token).
func bearerOK(header, want string) bool {
	got, ok := token.Bearer(header)
	return ok && token.Equal(got, want)
}

func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}

// maxReason bounds a refusal's reason: an unknown field's name is the sender's, and may
// be a MiB long.
const maxReason = 300

// clip shortens s to maxReason bytes of valid UTF-8.
func clip(s string) string {
	if len(s) <= maxReason {
		return strings.ToValidUTF8(s, "?")
	}
	return strings.ToValidUTF8(s[:maxReason], "") + "…"
}

// Health serves /healthz: the process is up.
func Health() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
}

// Ready serves /readyz: the storage answers and nothing keeps the bot from being
// current. busy gives the one-line reason it is not yet ("" when it is, nil for
// never): while ticket states are re-derived for a new configuration the bot serves
// and takes events (a probe of /healthz says so), but a load balancer or a deploy that
// waits for readiness should wait for the states too.
func Ready(ping func(context.Context) error, busy func() string, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := ping(r.Context()); err != nil {
			log.Warn("readyz: storage not reachable", "err", err)
			http.Error(w, "storage not reachable", http.StatusServiceUnavailable)
			return
		}
		if busy != nil {
			if why := busy(); why != "" {
				http.Error(w, oneLine(why), http.StatusServiceUnavailable)
				return
			}
		}
		fmt.Fprintln(w, "ready")
	})
}
