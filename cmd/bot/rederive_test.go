package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// seedTickets stores n standard P3 incidents of agency-x, created and answered on
// Monday 2 and Tuesday 3 March 2026, under the configuration file cfg.
func seedTickets(t *testing.T, db, cfg string, n int) {
	t.Helper()
	a, err := openApp(settings{db: db, config: cfg}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, sla.Brussels)
	var evs []sla.Event
	for i := range n {
		key, c := fmt.Sprintf("MAGDA-%d", 1000+i), at.Add(time.Duration(i%900)*time.Minute)
		evs = append(evs,
			sla.Event{Ticket: key, Type: sla.Created, At: c, Customer: "agency-x", Kind: sla.Incident, Priority: sla.P3},
			sla.Event{Ticket: key, Type: sla.Responded, At: c.Add(30 * time.Minute)})
		if len(evs) >= 1000 || i == n-1 {
			if _, err := a.db.Append(context.Background(), storage.SourceAPI, "", evs); err != nil {
				t.Fatal(err)
			}
			evs = nil
		}
	}
}

// TestServeListensWhileItRederives (issue 15.4): after a new closure day (R3.3) moved
// every stored ticket's resolution due, serve listens at once: /healthz answers and the
// events API stores an event while /readyz says 503 with how far the re-derive is, then
// 200; the log has its start and its end; and then every stored state, the one that got
// an event meanwhile too, is what a replay under the new configuration gives.
func TestServeListensWhileItRederives(t *testing.T) {
	const n = 4000
	dir := t.TempDir()
	cfg, db := filepath.Join(dir, "magda.yml"), filepath.Join(dir, "magda.db")
	os.WriteFile(cfg, []byte("customers:\n  - {id: agency-x, tier: standard}\n"), 0o600)
	seedTickets(t, db, cfg, n)
	os.WriteFile(cfg, []byte("customers:\n  - {id: agency-x, tier: standard}\nclosures:\n  - {date: 2026-03-04, name: bridge day}\n"), 0o600)

	base, logs, stop := serveLogged(t, map[string]string{"MAGDA_API_TOKEN": "tok"}, "--db", db, "--config", cfg)
	code, reason := do(t, "GET", base+"/readyz", "", "")
	want := regexp.MustCompile(`^re-deriving ticket states for a new configuration: [0-9,]+ of 4,000 done$`)
	if code != 503 || !want.MatchString(reason) {
		t.Errorf("/readyz right after the start: %d %q; want 503 and %s", code, reason, want)
	}
	if code, body := do(t, "GET", base+"/healthz", "", ""); code != 200 {
		t.Errorf("/healthz during the re-derive: %d %q", code, body)
	}
	if code, body := do(t, "POST", base+"/api/v1/events", "Bearer tok",
		`{"ticket":"MAGDA-4999","type":"resolved","at":"2026-03-05T10:00:00+01:00"}`); code != 200 {
		t.Errorf("events API during the re-derive: %d %q", code, body)
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		code, reason = do(t, "GET", base+"/readyz", "", "")
		if code == 200 {
			break
		}
		if code != 503 || !want.MatchString(reason) || time.Now().After(deadline) {
			t.Fatalf("/readyz: %d %q; want 503 with the progress, then 200", code, reason)
		}
	}
	stop()
	// The ticket that got an event meanwhile may have been re-derived by its Append.
	for _, line := range []*regexp.Regexp{
		regexp.MustCompile(`msg="re-deriving ticket states for this configuration in the background; /readyz is 503 until done" tickets=4000\n`),
		regexp.MustCompile(`msg="ticket states re-derived for this configuration" rederived=(3999|4000) changed=(3999|4000) took=`),
	} {
		if !line.MatchString(logs.String()) {
			t.Errorf("the log has no line with %s:\n%s", line, logs.String())
		}
	}

	a, err := openApp(settings{db: db, config: cfg}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	ctx := context.Background()
	stored, err := a.db.Tickets(ctx, storage.Filter{})
	if err != nil || len(stored) != n {
		t.Fatalf("Tickets = %d, %v; want %d", len(stored), err, n)
	}
	for _, got := range stored {
		evs, err := a.db.Events(ctx, got.Key)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sla.Replay(evs, a.cfg.TierOf, a.cals), got, cmp.Comparer(time.Time.Equal)); diff != "" {
			t.Fatalf("%s after the re-derive (-replay +stored):\n%s", got.Key, diff)
		}
		if got.Key == "MAGDA-4999" && got.State != sla.ResolvedState {
			t.Errorf("MAGDA-4999: state %s, want the resolution stored during the re-derive", got.State)
		}
	}
}
