package server

import (
	"bytes"
	"context"
	"encoding/json"
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

// configured is the configuration's customer lookup: any case, the configured spelling.
func configured(id string) (string, bool) {
	if strings.EqualFold(id, "agency-x") {
		return "agency-x", true
	}
	return "", false
}

// withTicket is created with another ticket key, put in as raw JSON string contents.
func withTicket(key string) string {
	return strings.Replace(created, `"MAGDA-1"`, `"`+key+`"`, 1)
}

func withAt(at string) string {
	return strings.Replace(created, "2026-07-10T16:30:00+02:00", at, 1)
}

// refusedBodies are the bodies of issue 10.6 that the events API refuses with 400, and
// what the reason says.
var refusedBodies = []struct{ name, body, reason string }{
	{"malformed", `{"ticket":`, "invalid event: malformed JSON"},
	{"unknown field", `{"ticket":"MAGDA-1","type":"responded","at":"2026-07-10T16:30:00+02:00","colour":"red"}`, `invalid event: unknown field "colour"`},
	{"unknown customer", strings.Replace(created, "agency-x", "agency-z", 1), `unknown customer "agency-z"`},
	{"one bad event in an array", "[" + created + `,{"ticket":"MAGDA-1","type":"paused","reason":"lunch","at":"2026-07-10T17:00:00+02:00"}]`, `event 2: invalid event: field "reason"`},
	{"empty array", `[]`, "invalid event: empty array"},
	{"key with NUL", withTicket(`MAGDA-1\u0000`), "invalid event: ticket key"},
	{"key with a newline inside", withTicket(`MAGDA-1\nMAGDA-2`), "invalid event: ticket key"},
	{"key with U+202E", withTicket("MAGDA-\u202e1"), "invalid event: ticket key"},
	{"key of 100,000 characters", withTicket("MAGDA-" + strings.Repeat("1", 100_000)), "invalid event: ticket key"},
	{"invalid UTF-8", strings.Replace(created, "agency-x", "agency-\xff", 1), "invalid event: the body is not valid UTF-8"},
	{`"Ticket" for "ticket"`, strings.Replace(created, `"ticket"`, `"Ticket"`, 1), `invalid event: unknown field "Ticket"`},
	{"connection with a priority (R2.3)", strings.Replace(created, "incident", "connection", 1), "invalid event: a connection request has no priority"},
	{"year 1", withAt("0001-01-01T00:00:00Z"), `field "at"`},
	{"year 9999", withAt("9999-12-31T23:59:59Z"), `invalid event: field "at"`},
	{"year 1900", withAt("1900-01-01T10:00:00+01:00"), `invalid event: field "at"`},
	{"year 2200", withAt("2200-01-01T10:00:00+01:00"), `invalid event: field "at"`},
}

func post(t *testing.T, h http.Handler, auth, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("POST", EventsPath, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, strings.TrimSuffix(string(b), "\n")
}

// Bad input gets a one-line reason and changes nothing: the store is never called, and
// each refusal is one log line with route, status and reason, never the token or the
// body (issue 10.6, 10.9).
func TestEventsRejectsBadInputWithoutStoring(t *testing.T) {
	type refusal struct {
		name, auth, body string
		code             int
		reason           string
	}
	cases := []refusal{
		{"no token", "", created, 401, "missing or wrong bearer token"},
		{"wrong token", "Bearer nope", created, 401, "missing or wrong bearer token"},
		{"token as a prefix", "Bearer to", created, 401, "missing or wrong bearer token"},
		{"scheme without token", "Bearer", created, 401, "missing or wrong bearer token"},
		{"basic auth", "Basic dG9rOnRvaw==", created, 401, "missing or wrong bearer token"},
		{"too big", "Bearer tok", `{"ticket":"` + strings.Repeat("x", MaxBody) + `"}`, 413, "request body too large: over 1048576 bytes"},
		{"unknown field of a MiB", "Bearer tok", `{"` + strings.Repeat("x", MaxBody-10) + `":1}`, 400, `invalid event: unknown field "xxx`},
	}
	for _, b := range refusedBodies {
		cases = append(cases, refusal{b.name, "Bearer tok", b.body, 400, b.reason})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := &fakeStore{}
			var logs bytes.Buffer
			h := Events(EventsOptions{Token: "tok", Store: store, Customer: configured, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
			code, reason := post(t, h, tc.auth, tc.body)
			if code != tc.code || !strings.Contains(reason, tc.reason) || strings.Contains(reason, "\n") || len(reason) > maxReason+len("…") {
				t.Errorf("%d %q; want %d and one short line saying %q", code, clip(reason), tc.code, tc.reason)
			}
			if len(store.calls) != 0 {
				t.Errorf("stored %v; want nothing", store.calls)
			}
			var line struct {
				Msg, Route, Reason string
				Status             int
			}
			if strings.Count(logs.String(), "\n") != 1 || json.Unmarshal(logs.Bytes(), &line) != nil ||
				line.Route != EventsPath || line.Status != tc.code || line.Reason != reason {
				t.Errorf("log %q; want one line with route %s, status %d, reason %q", clip(logs.String()), EventsPath, tc.code, reason)
			}
			if strings.Contains(logs.String(), "tok\"") || strings.Contains(logs.String(), "dG9r") || (len(tc.body) > 20 && strings.Contains(logs.String(), tc.body)) {
				t.Errorf("log %q holds the token or the body", clip(logs.String()))
			}
		})
	}
}

// Auth schemes are case-insensitive (RFC 7235 section 2.1): "bearer" is "Bearer".
func TestEventsBearerSchemeInAnyCase(t *testing.T) {
	for _, auth := range []string{"Bearer tok", "bearer tok", "BEARER tok", "bEaReR   tok"} {
		store := &fakeStore{}
		h := Events(EventsOptions{Token: "tok", Store: store})
		if code, reply := post(t, h, auth, created); code != 200 || len(store.calls) != 1 {
			t.Errorf("%q: %d %q; want 200 and the event stored", auth, code, reply)
		}
	}
}

// A customer id in another case is the configured customer (issue 10.6): stored under
// the configured spelling, so that the metrics and the channels do not split it.
func TestEventsCustomerInAnyCaseIsTheConfiguredOne(t *testing.T) {
	store := &fakeStore{}
	h := Events(EventsOptions{Token: "tok", Store: store, Customer: configured})
	body := "[" + strings.Replace(created, "agency-x", "AGENCY-X", 1) + "," +
		`{"ticket":"MAGDA-1","type":"responded","at":"2026-07-10T16:45:00+02:00","customer":"Agency-X"}]`
	if code, reply := post(t, h, "Bearer tok", body); code != 200 || len(store.calls) != 1 {
		t.Fatalf("%d %q; want 200", code, reply)
	}
	for i, e := range store.calls[0] {
		if e.Customer != "agency-x" {
			t.Errorf("event %d stored for customer %q; want agency-x", i, e.Customer)
		}
	}
}

func TestEventsStoresAllOrAsksForARetry(t *testing.T) {
	store := &fakeStore{}
	h := Events(EventsOptions{Token: "tok", Store: store, Logger: slog.New(slog.DiscardHandler)})
	if code, _ := post(t, h, "Bearer tok", "["+created+","+created+"]"); code != 200 || len(store.calls) != 1 || len(store.calls[0]) != 2 {
		t.Errorf("%d, calls %v; want 200 and both events in one call", code, store.calls)
	}
	store.err = errors.New("disk full")
	if code, reply := post(t, h, "Bearer tok", "["+created+","+created+"]"); code != http.StatusInternalServerError || strings.Contains(reply, "disk full") {
		t.Errorf("store failure: %d %q; want 500 without the internal detail", code, reply)
	}
}
