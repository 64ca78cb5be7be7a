package jira

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/retry"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// MaxBody is the largest webhook body accepted (413 above it).
const MaxBody = 1 << 20

// DeliveryHeader identifies one delivery; Jira keeps it across retries.
const DeliveryHeader = "X-Atlassian-Webhook-Identifier"

// Source is the source name under which webhook events are stored.
const Source = "jira"

// Store keeps events. Append stores evs once per delivery and event id and returns how
// many of them were new.
type Store interface {
	Append(ctx context.Context, source, deliveryID string, evs []sla.Event) (int, error)
}

// The results reported to HandlerOptions.OnResult, one per request.
const (
	ResultStored       = "stored"
	ResultDuplicate    = "duplicate"
	ResultIgnored      = "ignored"
	ResultRejected     = "rejected"
	ResultUnauthorized = "unauthorized"
	ResultError        = "error"
	ResultUnavailable  = "unavailable"
)

// HandlerOptions configures Handler. Secret and Store are required; Known, Logger,
// OnResult and Unavailable may be nil.
type HandlerOptions struct {
	Secret   []byte
	Mapping  Mapping
	Known    func(customer string) bool
	Store    Store
	Logger   *slog.Logger
	OnResult func(result string)
	// Unavailable tells the store failing (closed, locked, unreachable) from any other
	// error of Append: 503 with Retry-After instead of 500 (issue 16). Nil: none is.
	Unavailable func(error) bool
}

// Handler serves POST /webhooks/jira: it verifies the signature (401), maps the body
// (400 with a one-line reason) and appends the events under source "jira" with the
// delivery id of the X-Atlassian-Webhook-Identifier header. When the store fails the
// answer is a 5xx, so that Jira retries the delivery: 503 with Retry-After when the
// store cannot answer now (issue 16), 500 otherwise. A refused request changes nothing.
func Handler(o HandlerOptions) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.OnResult == nil {
		o.OnResult = func(string) {}
	}
	if o.Unavailable == nil {
		o.Unavailable = func(error) bool { return false }
	}
	return &handler{o}
}

type handler struct{ HandlerOptions }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	delivery := r.Header.Get(DeliveryHeader)
	log := h.Logger.With("delivery", delivery, "route", "/webhooks/jira", "remote", r.RemoteAddr)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reply(w, http.StatusMethodNotAllowed, ResultRejected, "use POST")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.reply(w, http.StatusRequestEntityTooLarge, ResultRejected, "body over 1 MiB")
			return
		}
		log.Warn("jira webhook: reading the body failed", "err", err)
		h.reply(w, http.StatusBadRequest, ResultRejected, "cannot read the body")
		return
	}
	if !Verify(h.Secret, body, r.Header.Get(SignatureHeader)) {
		log.Warn("jira webhook: missing or wrong signature")
		h.reply(w, http.StatusUnauthorized, ResultUnauthorized, "missing or wrong "+SignatureHeader)
		return
	}
	evs, err := Map(h.Mapping, h.Known, body)
	if err != nil {
		reason := strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": ")
		log.Warn("jira webhook: refused", "reason", reason)
		h.reply(w, http.StatusBadRequest, ResultRejected, reason)
		return
	}
	if len(evs) == 0 {
		log.Debug("jira webhook: nothing to record")
		h.reply(w, http.StatusOK, ResultIgnored, "ignored")
		return
	}
	n, err := h.Store.Append(r.Context(), Source, delivery, evs)
	if err != nil && h.Unavailable(err) {
		log.Warn("jira webhook: store unavailable", "ticket", evs[0].Ticket, "err", err)
		retry.Header(w.Header())
		h.reply(w, http.StatusServiceUnavailable, ResultUnavailable, "storage unavailable: the events were not stored, Jira sends them again")
		return
	}
	if err != nil {
		log.Error("jira webhook: storing events failed", "ticket", evs[0].Ticket, "err", err)
		h.reply(w, http.StatusInternalServerError, ResultError, "internal error")
		return
	}
	result := ResultStored
	if n == 0 {
		result = ResultDuplicate
	}
	log.Info("jira webhook", "ticket", evs[0].Ticket, "events", len(evs), "new", n)
	h.reply(w, http.StatusOK, result, fmt.Sprintf("%s: %d of %d events new", result, n, len(evs)))
}

func (h *handler) reply(w http.ResponseWriter, status int, result, msg string) {
	h.OnResult(result)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}
