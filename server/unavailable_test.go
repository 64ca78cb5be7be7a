package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/sqlitehold"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// unavailRig is the events API over a real SQLite file and real HTTP, wired as cmd/bot
// wires it, with a busy timeout of 100 ms so that a held writer fails fast.
type unavailRig struct {
	db   *storage.DB
	path string
	srv  *httptest.Server
}

func newUnavailRig(t *testing.T) *unavailRig {
	t.Helper()
	path := filepath.Join(t.TempDir(), "magda.db")
	db, err := storage.Open(path, storage.Options{BusyTimeout: 100 * time.Millisecond,
		Derive: func([]sla.Event) sla.Ticket { return sla.Ticket{} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := httptest.NewServer(Events(EventsOptions{Token: "tok", Store: db, Outages: db,
		OutageInvalid: func(err error) bool { return errors.Is(err, storage.ErrInvalid) },
		Unavailable:   storage.Unavailable}))
	t.Cleanup(srv.Close)
	return &unavailRig{db: db, path: path, srv: srv}
}

func (r *unavailRig) post(t *testing.T, body string) (code int, retryAfter, answer string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.srv.URL+EventsPath, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	res, err := r.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Retry-After"), string(b)
}

func (r *unavailRig) stored(t *testing.T) (events, outages int) {
	t.Helper()
	evs, err := r.db.Events(context.Background(), "MAGDA-1")
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		t.Fatal(err)
	}
	out, err := r.db.Outages(context.Background(), sla.FirstInstant, sla.LastInstant)
	if err != nil {
		t.Fatal(err)
	}
	return len(evs), len(out)
}

const outageStarted = `{"type":"outage_started","component":"network","at":"2026-11-03T14:00:00+01:00"}`

// want503 checks a refusal for an unavailable store: 503, Retry-After in seconds and
// one line that says nothing was stored.
func want503(t *testing.T, what string, code int, retryAfter, answer string) {
	t.Helper()
	if code != http.StatusServiceUnavailable || retryAfter != "5" ||
		strings.Count(answer, "\n") != 1 || !strings.Contains(answer, "not stored") {
		t.Errorf("%s: %d Retry-After %q %q; want 503, Retry-After 5 and one line", what, code, retryAfter, answer)
	}
}

// TestEventsUnavailable503_Issue16: while another connection holds the writer past the
// busy timeout, ticket and outage events get 503 with Retry-After and nothing is
// stored; a malformed body is still 400; once the writer is free the same request is
// 200 and stored once.
func TestEventsUnavailable503_Issue16(t *testing.T) {
	r := newUnavailRig(t)
	release := sqlitehold.Writer(t, r.path)
	code, ra, answer := r.post(t, created)
	want503(t, "ticket event, writer held", code, ra, answer)
	code, ra, answer = r.post(t, outageStarted)
	want503(t, "outage event, writer held", code, ra, answer)
	if code, _, answer := r.post(t, `{"ticket":"MAGDA-1"`); code != http.StatusBadRequest {
		t.Errorf("malformed body, writer held: %d %q; want 400", code, answer)
	}
	if evs, outs := r.stored(t); evs != 0 || outs != 0 {
		t.Fatalf("stored %d events and %d outages while refusing them", evs, outs)
	}
	release()
	for i := range 2 {
		code, _, answer := r.post(t, created)
		if code != http.StatusOK {
			t.Fatalf("send %d once the writer is free: %d %q; want 200", i+1, code, answer)
		}
	}
	if code, _, answer := r.post(t, outageStarted); code != http.StatusOK {
		t.Fatalf("outage once the writer is free: %d %q", code, answer)
	}
	if evs, outs := r.stored(t); evs != 1 || outs != 1 {
		t.Fatalf("stored %d events and %d outages, want 1 and 1", evs, outs)
	}
}

// TestEventsClosedStore503_Issue16: a closed store (the bot stopping, or a store that
// lost its file) answers 503 for both kinds of event; a malformed body is still 400.
func TestEventsClosedStore503_Issue16(t *testing.T) {
	r := newUnavailRig(t)
	r.db.Close()
	code, ra, answer := r.post(t, created)
	want503(t, "ticket event, store closed", code, ra, answer)
	code, ra, answer = r.post(t, outageStarted)
	want503(t, "outage event, store closed", code, ra, answer)
	if code, _, answer := r.post(t, `[{"ticket":"MAGDA-1","type":"nope"}]`); code != http.StatusBadRequest {
		t.Errorf("invalid event, store closed: %d %q; want 400", code, answer)
	}
}

// TestEventsOtherStoreErrors500_Issue16: an error the store does not call unavailable
// stays a 500 without Retry-After.
func TestEventsOtherStoreErrors500_Issue16(t *testing.T) {
	h := Events(EventsOptions{Token: "tok", Store: &fakeStore{err: errors.New("a bug")}, Unavailable: storage.Unavailable})
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+EventsPath, strings.NewReader(created))
	req.Header.Set("Authorization", "Bearer tok")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusInternalServerError || res.Header.Get("Retry-After") != "" {
		t.Fatalf("%d Retry-After %q; want 500 without it", res.StatusCode, res.Header.Get("Retry-After"))
	}
}
