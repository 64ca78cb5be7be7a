package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// TestEventsOutagesR6_1: the events API takes outage_started and outage_ended with the
// checks of ticket events; a refusal stores nothing.
func TestEventsOutagesR6_1(t *testing.T) {
	db, err := storage.Open(filepath.Join(t.TempDir(), "magda.db"), storage.Options{Derive: func([]sla.Event) sla.Ticket { return sla.Ticket{} }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := Events(EventsOptions{Token: "tok", Store: &fakeStore{}, Outages: db,
		OutageInvalid: func(err error) bool { return errors.Is(err, storage.ErrInvalid) }})
	post := func(body string) (int, string) {
		req := httptest.NewRequest(http.MethodPost, EventsPath, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer tok")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, strings.TrimSpace(rec.Body.String())
	}
	start := `{"type":"outage_started","component":"network","at":"2026-11-03T14:00:00+01:00","note":"uplink"}`
	end := `{"type":"outage_ended","component":"network","at":"2026-11-03T15:30:00+01:00"}`
	for _, tc := range []struct {
		name, body string
		code       int
		answer     string
	}{
		{"unknown component", strings.Replace(start, "network", "disk", 1), 400, `invalid event: field "component"`},
		{"mixed array", "[" + start + `,{"ticket":"MAGDA-1","type":"responded","at":"2026-11-03T15:00:00+01:00"}]`, 400, "an array holds ticket events or outage events, not both"},
		{"bad element", "[" + start + "," + strings.Replace(end, "2026", "1900", 1) + "]", 400, `event 1: invalid event: field "at"`},
		{"an end without start", end, 400, "outage events: invalid: outage_ended: no outage of network"},
		{"start and end", "[" + start + "," + end + "]", 200, `{"received":2,"stored":2}`},
		{"again", "[" + start + "," + end + "]", 200, `{"received":2,"stored":0}`},
	} {
		code, answer := post(tc.body)
		if code != tc.code || !strings.HasPrefix(answer, tc.answer) {
			t.Errorf("%s: %d %q, want %d %q", tc.name, code, answer, tc.code, tc.answer)
		}
	}
	got, err := db.Outages(context.Background(), sla.FirstInstant, sla.LastInstant)
	if err != nil || len(got) != 1 || got[0].Component != sla.Network || got[0].End.Sub(got[0].Start).Minutes() != 90 {
		t.Fatalf("outages %+v, %v", got, err)
	}
	off := Events(EventsOptions{Token: "tok", Store: &fakeStore{}})
	req := httptest.NewRequest(http.MethodPost, EventsPath, strings.NewReader(start))
	req.Header.Set("Authorization", "Bearer tok")
	rec := httptest.NewRecorder()
	if off.ServeHTTP(rec, req); rec.Code != 400 {
		t.Fatalf("without an outage store: %d", rec.Code)
	}
}
