package alertmanager

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/retry"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/token"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Path is where the webhook is mounted.
const Path = "/webhooks/alertmanager"

// MaxBody is the largest notification accepted (413 above it).
const MaxBody = 1 << 20

// Mark is one alert's word on an outage: the component of fingerprint Ref is down from
// Start, back at End (zero while firing). Its fields are those of storage.AlertMark,
// in the same order, so that cmd/bot converts one into the other.
type Mark struct {
	Ref       string
	Component sla.Component
	Start     time.Time
	End       time.Time
	Note      string
}

// Store records marks, all or nothing, each once per fingerprint and start.
type Store interface {
	MarkAlerts(ctx context.Context, marks []Mark) (changed int, err error)
}

// The results reported to Options.OnResult, one per request (as the Jira webhook's).
const (
	ResultStored       = "stored"
	ResultDuplicate    = "duplicate"
	ResultIgnored      = "ignored"
	ResultRejected     = "rejected"
	ResultUnauthorized = "unauthorized"
	ResultError        = "error"
	ResultUnavailable  = "unavailable"
)

// Options configures Handler; Token and Store are required.
type Options struct {
	Token    string // MAGDA_ALERTMANAGER_TOKEN
	Rules    Rules  // nil: DefaultRules
	Store    Store
	Logger   *slog.Logger
	OnResult func(result string)
	// Unavailable tells the store failing (closed, locked, unreachable) from any other
	// error of MarkAlerts: 503 with Retry-After instead of 500 (issue 16). Nil: none is.
	Unavailable func(error) bool
}

// payload is Alertmanager's webhook body, version 4 (its webhook_config documentation).
type payload struct {
	Version  string  `json:"version"`
	GroupKey string  `json:"groupKey"`
	Status   string  `json:"status"`
	Receiver string  `json:"receiver"`
	Alerts   []alert `json:"alerts"`
}

type alert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// Handler serves POST /webhooks/alertmanager: 401 without the token (before the body is
// looked at), 400 with a one-line reason for a body that is not a version 4
// notification, 200 once its outages are stored (R6.1), 503 with Retry-After while the
// store cannot answer (issue 16; Alertmanager retries a 5xx). An alert no rule maps to a
// component is ignored. A refused request changes nothing.
func Handler(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.OnResult == nil {
		o.OnResult = func(string) {}
	}
	if o.Rules == nil {
		o.Rules = DefaultRules()
	}
	if o.Unavailable == nil {
		o.Unavailable = func(error) bool { return false }
	}
	return &handler{o}
}

type handler struct{ Options }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reply(w, http.StatusMethodNotAllowed, ResultRejected, "use POST")
		return
	}
	if !Authorized(r, h.Token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="magda"`)
		h.Logger.Warn("request refused", "route", Path, "status", http.StatusUnauthorized, "reason", "missing or wrong token")
		h.reply(w, http.StatusUnauthorized, ResultUnauthorized, "missing or wrong token")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.reply(w, http.StatusRequestEntityTooLarge, ResultRejected, "body over 1 MiB")
			return
		}
		h.reply(w, http.StatusBadRequest, ResultRejected, "cannot read the body")
		return
	}
	marks, ignored, err := h.marks(body)
	if err != nil {
		h.Logger.Warn("request refused", "route", Path, "status", http.StatusBadRequest, "reason", err.Error())
		h.reply(w, http.StatusBadRequest, ResultRejected, err.Error())
		return
	}
	if len(marks) == 0 {
		h.reply(w, http.StatusOK, ResultIgnored, fmt.Sprintf("ignored: %d alerts map to no component", ignored))
		return
	}
	n, err := h.Store.MarkAlerts(r.Context(), marks)
	if err != nil && h.Unavailable(err) {
		h.Logger.Warn("alertmanager webhook: store unavailable", "err", err)
		retry.Header(w.Header())
		h.reply(w, http.StatusServiceUnavailable, ResultUnavailable, "storage unavailable: the outages were not stored, Alertmanager sends them again")
		return
	}
	if err != nil {
		h.Logger.Error("alertmanager webhook: storing outages failed", "err", err)
		h.reply(w, http.StatusInternalServerError, ResultError, "internal error") // Alertmanager retries
		return
	}
	result := ResultStored
	if n == 0 {
		result = ResultDuplicate
	}
	h.Logger.Info("alertmanager webhook", "alerts", len(marks), "changed", n, "ignored", ignored)
	h.reply(w, http.StatusOK, result, fmt.Sprintf("%s: %d of %d alerts changed an outage", result, n, len(marks)))
}

// marks reads a version 4 notification: firing starts an outage at startsAt, resolved
// ends it at endsAt (R6.1).
func (h *handler) marks(body []byte) (out []Mark, ignored int, err error) {
	var p payload
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&p); err != nil {
		return nil, 0, fmt.Errorf("not an Alertmanager notification: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if p.Version != "4" {
		return nil, 0, fmt.Errorf("payload version %q: want 4 (Alertmanager's webhook_config)", p.Version)
	}
	for i, a := range p.Alerts {
		c, ok := h.Rules.Component(a.Labels)
		if !ok {
			ignored++
			continue
		}
		m := Mark{Ref: a.Fingerprint, Component: c, Start: a.StartsAt.Truncate(time.Second), Note: note(a)}
		switch {
		case a.Fingerprint == "":
			return nil, 0, fmt.Errorf("alert %d: no fingerprint", i)
		case sla.CheckInstant(a.StartsAt) != nil:
			return nil, 0, fmt.Errorf("alert %d: startsAt: %v", i, sla.CheckInstant(a.StartsAt))
		}
		switch a.Status {
		case "firing":
		case "resolved":
			if err := sla.CheckInstant(a.EndsAt); err != nil {
				return nil, 0, fmt.Errorf("alert %d: endsAt: %v", i, err)
			}
			if a.EndsAt.Before(a.StartsAt) {
				return nil, 0, fmt.Errorf("alert %d: endsAt before startsAt", i)
			}
			m.End = a.EndsAt.Truncate(time.Second)
		default:
			return nil, 0, fmt.Errorf("alert %d: status %q is not firing or resolved", i, a.Status)
		}
		out = append(out, m)
	}
	return out, ignored, nil
}

// note is what the outage list shows of an alert: its name and summary, in one line.
func note(a alert) string {
	s := a.Labels["alertname"]
	if sum := a.Annotations["summary"]; sum != "" {
		s = strings.TrimSpace(s + ": " + sum)
	}
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "?")), " ")
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// Authorized checks the request's credentials against want the ways Alertmanager's
// http_config sends them: `authorization: {credentials: TOKEN}` (Bearer, the scheme in
// any case) or `basic_auth: {password: TOKEN}` with any user name. Compared in constant
// time, also in length.
func Authorized(r *http.Request, want string) bool {
	got, ok := token.Bearer(r.Header.Get("Authorization"))
	if _, pass, basic := r.BasicAuth(); basic {
		got, ok = pass, true
	}
	return ok && token.Equal(got, want)
}

func (h *handler) reply(w http.ResponseWriter, status int, result, msg string) {
	h.OnResult(result)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}
