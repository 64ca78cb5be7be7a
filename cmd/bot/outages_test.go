package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestAvailabilityCLIBadInput: a bad flag is exit 2 with one line, nothing printed and
// no database made.
func TestAvailabilityCLIBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	for _, args := range [][]string{
		{"availability", "--month", "2026-13"},
		{"availability", "--format", "yaml"},
		{"availability", "extra"},
		{"outages", "--month", "nov"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), append(args, "--db", db), env(nil), &out)
		var u usageError
		if !errors.As(err, &u) || out.Len() > 0 || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v, stdout %q; want a one-line usage error", args, err, out.String())
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("bad arguments created the database (%v)", err)
	}
}

// TestOutageEventsAndCLIR6_1: outages sent to the events API are listed by `bot
// outages` and counted by `bot availability` and `/magda availability` (hand-counted:
// November 2026 has 672 h outside its third weekend, so 90 minutes of network leave
// 3h21m36s - 1h30 = 6696 s of budget).
func TestOutageEventsAndCLIR6_1(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	base := startServe(t, map[string]string{"MAGDA_DB": db, "MAGDA_API_TOKEN": "tok"})
	body := `[{"type":"outage_started","component":"network","at":"2026-11-03T14:00:00+01:00","note":"uplink"},
		{"type":"outage_ended","component":"network","at":"2026-11-03T15:30:00+01:00"}]`
	if code, answer := do(t, http.MethodPost, base+"/api/v1/events", "Bearer tok", body); code != 200 || answer != `{"received":2,"stored":2}` {
		t.Fatalf("events API: %d %s", code, answer)
	}
	if code, _ := do(t, http.MethodPost, base+"/api/v1/events", "Bearer tok", strings.Replace(body, "network", "disk", 1)); code != 400 {
		t.Fatalf("an unknown component: %d", code)
	}
	// This month (after November 2026) has no outage: the gauges say so per component.
	_, metrics := do(t, http.MethodGet, base+"/metrics", "", "")
	for _, line := range []string{`magda_availability_ratio{component="network"} 1`, `magda_availability_ratio{component="infrastructure"} 1`,
		`magda_error_budget_remaining_seconds{component="database"} `} {
		if !strings.Contains(metrics, line) {
			t.Errorf("/metrics has no %s", line)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"outages", "--db", db, "--month", "2026-11"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	want := `{"id":1,"component":"network","start":"2026-11-03T14:00:00+01:00","end":"2026-11-03T15:30:00+01:00","note":"uplink","source":"api"}` + "\n"
	if out.String() != want {
		t.Errorf("bot outages:\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	if err := run(context.Background(), []string{"availability", "--db", db, "--month", "2026-11", "--format", "json"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	var a availabilityJSON
	if err := json.Unmarshal(out.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if n := componentOf(a, "network"); a.ScheduledS != 672*3600 || n.DowntimeS != 5400 || n.RemainingS != 6696 || len(n.Outages) != 1 {
		t.Errorf("availability: scheduled %d, network %+v", a.ScheduledS, n)
	}
	out.Reset()
	if err := run(context.Background(), []string{"availability", "--db", db, "--month", "2026-11"}, env(nil), &out); err != nil || !strings.Contains(out.String(), "network: 99.77 %") {
		t.Errorf("bot availability text: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"ask", "--db", db, "beschikbaarheid 2026-11"}, env(nil), &out); err != nil || !strings.Contains(out.String(), "network: 99,77 %") {
		t.Errorf("bot ask: %v\n%s", err, out.String())
	}
}

// TestStatusPageThroughServeR8_2: with statuspage.url, `bot serve` reads the page, and
// its scheduled maintenance is an R8.2 window that `maintenance` shows, from the same
// database, in another process.
func TestStatusPageThroughServeR8_2(t *testing.T) {
	// Tomorrow evening: among the next three windows whatever the date.
	day := time.Now().In(sla.Brussels).AddDate(0, 0, 1)
	from := time.Date(day.Year(), day.Month(), day.Day(), 20, 0, 0, 0, sla.Brussels).Format(time.RFC3339)
	until := time.Date(day.Year(), day.Month(), day.Day(), 23, 0, 0, 0, sla.Brussels).Format(time.RFC3339)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/summary.json":
			w.Write([]byte(`{"page":{"id":"p","name":"MAGDA"},"components":[],"incidents":[],"scheduled_maintenances":[]}`))
		case "/api/v2/incidents/unresolved.json":
			w.Write([]byte(`{"page":{"id":"p"},"incidents":[]}`))
		case "/api/v2/scheduled-maintenances/upcoming.json":
			w.Write([]byte(`{"page":{"id":"p"},"scheduled_maintenances":[{"id":"m1","name":"Netwerkonderhoud","status":"scheduled",
				"impact":"maintenance","shortlink":"https://stspg.io/m1","scheduled_for":"` + from + `","scheduled_until":"` + until + `"}]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer page.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "magda.yml")
	if err := os.WriteFile(cfg, []byte("customers:\n  - {id: agency-x, tier: dedicated}\nstatuspage:\n  url: "+page.URL+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "magda.db")
	startServe(t, map[string]string{"MAGDA_DB": db, "MAGDA_CONFIG": cfg})
	eventually(t, "the page's maintenance stored", func() bool {
		var out bytes.Buffer
		err := run(context.Background(), []string{"ask", "--db", db, "--config", cfg, "status"}, env(nil), &out)
		if err != nil || strings.Contains(out.String(), "operational") {
			t.Fatalf("status before the page was read in this process: %v\n%s", err, out.String())
		}
		out.Reset()
		run(context.Background(), []string{"ask", "--db", db, "--config", cfg, "maintenance"}, env(nil), &out)
		return strings.Contains(out.String(), "Netwerkonderhoud")
	})
}
