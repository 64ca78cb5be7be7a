package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

type fakeStore struct {
	calls [][]sla.Event
	err   error
}

func (f *fakeStore) Append(_ context.Context, source, _ string, evs []sla.Event) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	f.calls = append(f.calls, evs)
	return len(evs), nil
}

const created = `{"id":"1","ticket":"MAGDA-1","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"incident","priority":"P2"}`

// Bad input gets a one-line reason and changes nothing: the store is never called.
func TestEventsRejectsBadInputWithoutStoring(t *testing.T) {
	for _, tc := range []struct {
		name, auth, body string
		code             int
		reason           string
	}{
		{"no token", "", created, 401, "missing or wrong bearer token"},
		{"wrong token", "Bearer nope", created, 401, "missing or wrong bearer token"},
		{"basic auth", "Basic dG9rOnRvaw==", created, 401, "missing or wrong bearer token"},
		{"malformed", "Bearer tok", `{"ticket":`, 400, "invalid event: malformed JSON"},
		{"unknown field", "Bearer tok", `{"ticket":"MAGDA-1","type":"responded","at":"2026-07-10T16:30:00+02:00","colour":"red"}`, 400, `invalid event: unknown field "colour"`},
		{"unknown customer", "Bearer tok", strings.Replace(created, "agency-x", "agency-z", 1), 400, `unknown customer "agency-z"`},
		{"one bad event in an array", "Bearer tok", "[" + created + `,{"ticket":"MAGDA-1","type":"paused","reason":"lunch","at":"2026-07-10T17:00:00+02:00"}]`, 400, `event 1: invalid event: field "reason"`},
		{"empty array", "Bearer tok", `[]`, 400, "invalid event: empty array"},
		{"too big", "Bearer tok", `{"ticket":"` + strings.Repeat("x", MaxBody) + `"}`, 413, "body over 1048576 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &fakeStore{}
			h := Events(EventsOptions{Token: "tok", Store: store, Known: func(c string) bool { return c == "agency-x" }, Logger: slog.New(slog.DiscardHandler)})
			req := httptest.NewRequest("POST", "/api/v1/events", strings.NewReader(tc.body))
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body, _ := io.ReadAll(rec.Body)
			reason := strings.TrimSuffix(string(body), "\n")
			if rec.Code != tc.code || !strings.HasPrefix(reason, tc.reason) || strings.Contains(reason, "\n") {
				t.Errorf("%d %q; want %d and one line starting %q", rec.Code, reason, tc.code, tc.reason)
			}
			if len(store.calls) != 0 {
				t.Errorf("stored %v; want nothing", store.calls)
			}
		})
	}
}

func TestEventsStoresAllOrAsksForARetry(t *testing.T) {
	store := &fakeStore{}
	h := Events(EventsOptions{Token: "tok", Store: store, Logger: slog.New(slog.DiscardHandler)})
	post := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/events", strings.NewReader("["+created+","+created+"]"))
		req.Header.Set("Authorization", "Bearer tok")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post(); rec.Code != 200 || len(store.calls) != 1 || len(store.calls[0]) != 2 {
		t.Errorf("%d, calls %v; want 200 and both events in one call", rec.Code, store.calls)
	}
	store.err = errors.New("disk full")
	if rec := post(); rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "disk full") {
		t.Errorf("store failure: %d %q; want 500 without the internal detail", rec.Code, rec.Body.String())
	}
}
