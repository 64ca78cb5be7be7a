package statuspage_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/statuspage"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// store adapts the real SQLite store, as cmd/bot does.
type store struct{ db *storage.DB }

func (s store) SaveMaintenances(ctx context.Context, ms []statuspage.Maintenance) (int, error) {
	out := make([]storage.ScheduledMaintenance, len(ms))
	for i, m := range ms {
		out[i] = storage.ScheduledMaintenance(m)
	}
	return s.db.SaveMaintenances(ctx, out)
}

func (s store) Maintenances(ctx context.Context) ([]statuspage.Maintenance, error) {
	ms, err := s.db.Maintenances(ctx)
	out := make([]statuspage.Maintenance, len(ms))
	for i, m := range ms {
		out[i] = statuspage.Maintenance(m)
	}
	return out, err
}

// page serves the testdata payloads, written after Statuspage's documented v2 format,
// until down is set: then 503, as a page behind a failing proxy.
func page(t *testing.T, down *atomic.Bool) *httptest.Server {
	files := map[string]string{"/api/v2/summary.json": "summary.json", "/api/v2/incidents/unresolved.json": "unresolved.json",
		"/api/v2/scheduled-maintenances/upcoming.json": "upcoming.json"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		b, err := os.ReadFile(filepath.Join("testdata", files[r.URL.Path]))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func openStore(t *testing.T, path string) store {
	db, err := storage.Open(path, storage.Options{Derive: func([]sla.Event) sla.Ticket { return sla.Ticket{} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return store{db}
}

// TestStatusPageR6_2R8_2: the summary's non-operational components and the unresolved
// incidents are shown; the scheduled maintenance becomes an R8.2 window, picked up
// once; when the page goes away the last good answer stays with since when it fails,
// and the window stays, also after a restart.
func TestStatusPageR6_2R8_2(t *testing.T) {
	var down atomic.Bool
	srv := page(t, &down)
	path := filepath.Join(t.TempDir(), "magda.db")
	st := openStore(t, path)
	clock := time.Date(2026, 11, 2, 9, 15, 0, 0, sla.Brussels)
	c := statuspage.New(statuspage.Options{URL: srv.URL, Store: st, Now: func() time.Time { return clock }})
	ctx := context.Background()
	for i := range 2 {
		if err := c.Poll(ctx); err != nil {
			t.Fatalf("poll %d: %v", i, err)
		}
	}
	s := c.Snapshot()
	if len(s.Components) != 1 || s.Components[0] != (statuspage.Component{Name: "Geefpersoon", Status: "partial_outage"}) {
		t.Fatalf("components %+v (a group or an operational one is not shown)", s.Components)
	}
	if len(s.Incidents) != 1 || s.Incidents[0].Name != "Trage antwoorden Geefpersoon" || s.Incidents[0].URL != "https://stspg.io/cp306tmzcl0y" {
		t.Fatalf("incidents %+v", s.Incidents)
	}
	want := sla.MaintenanceWindow{Start: time.Date(2026, 11, 4, 20, 0, 0, 0, sla.Brussels), End: time.Date(2026, 11, 4, 23, 0, 0, 0, sla.Brussels), Note: "Database-upgrade"}
	if w := c.Windows(); len(w) != 1 || !w[0].Start.Equal(want.Start) || !w[0].End.Equal(want.End) || w[0].Note != want.Note {
		t.Fatalf("windows %+v, want once %+v", w, want)
	}
	if ms, _ := st.Maintenances(ctx); len(ms) != 1 {
		t.Fatalf("stored %d maintenances, want 1", len(ms))
	}

	down.Store(true)
	clock = clock.Add(5 * time.Minute)
	if err := c.Poll(ctx); err == nil {
		t.Fatal("a 503 read is taken as good")
	}
	clock = clock.Add(time.Minute)
	c.Poll(ctx)
	s = c.Snapshot()
	if !s.FailingSince.Equal(time.Date(2026, 11, 2, 9, 20, 0, 0, sla.Brussels)) || s.Read.IsZero() || len(s.Incidents) != 1 || s.Err == "" {
		t.Fatalf("after the page went away: %+v", s)
	}
	if len(c.Windows()) != 1 {
		t.Fatal("the window was lost with the page")
	}
	// A new process while the page is down: the window is there from the store.
	again := statuspage.New(statuspage.Options{URL: srv.URL, Store: st})
	if err := again.Load(ctx); err != nil || len(again.Windows()) != 1 {
		t.Fatalf("after a restart: %v, %v", again.Windows(), err)
	}
	if s := again.Snapshot(); !s.Read.IsZero() {
		t.Fatalf("a new process claims a good read: %+v", s)
	}
	down.Store(false)
	if err := c.Poll(ctx); err != nil || !c.Snapshot().FailingSince.IsZero() {
		t.Fatalf("back: %v, %+v", err, c.Snapshot())
	}
}

// TestStatusPageTimeout: a page that does not answer within the timeout is a failed
// read, not a hang.
func TestStatusPageTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	c := statuspage.New(statuspage.Options{URL: srv.URL, Timeout: 50 * time.Millisecond, Store: openStore(t, filepath.Join(t.TempDir(), "m.db"))})
	if err := c.Poll(context.Background()); err == nil || c.Snapshot().FailingSince.IsZero() {
		t.Fatalf("poll: %v, %+v", err, c.Snapshot())
	}
}
