package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// seedReview stores a small November 2026 for agency-x (dedicated in the example
// configuration) and one agency-y ticket: MAGDA-1's P2 response is met (1h), MAGDA-2's
// breached (3h, R5.1).
func seedReview(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "magda.db")
	cals := sla.NewCalendars(nil)
	tiers := map[string]sla.Tier{"agency-x": sla.Dedicated, "agency-y": sla.Standard}
	store, err := storage.Open(db, storage.Options{Derive: func(evs []sla.Event) sla.Ticket {
		return sla.Replay(evs, func(c string) (sla.Tier, bool) { tr, ok := tiers[c]; return tr, ok }, cals)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, sla.Brussels) }
	evs := []sla.Event{
		{Ticket: "MAGDA-1", Type: sla.Created, At: at(3, 9), Customer: "agency-x", Kind: sla.Incident, Priority: sla.P2},
		{Ticket: "MAGDA-1", Type: sla.Responded, At: at(3, 10)},
		{Ticket: "MAGDA-1", Type: sla.Resolved, At: at(4, 12)},
		{Ticket: "MAGDA-2", Type: sla.Created, At: at(5, 8), Customer: "agency-x", Kind: sla.Incident, Priority: sla.P2},
		{Ticket: "MAGDA-2", Type: sla.Responded, At: at(5, 11)},
		{Ticket: "MAGDA-3", Type: sla.Created, At: at(5, 9), Customer: "agency-y", Kind: sla.Incident, Priority: sla.P3},
	}
	if _, err := store.Append(context.Background(), "api", "", evs); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestReviewCommand: `bot review` in every format from the stored events, only the
// asked customer's tickets, and bad input as exit 2 with one line.
func TestReviewCommand(t *testing.T) {
	db := seedReview(t)
	ctx := context.Background()
	get := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append([]string{"review", "--db", db}, args...), func(string) string { return "" }, &out)
		return out.String(), err
	}
	text, err := get("--customer", "agency-x", "--month", "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Service review Agentschap X — November 2026") || !strings.Contains(text, "response        incident  P2        2        1    1") {
		t.Errorf("text:\n%s", text)
	}
	csv, err := get("--customer", "agency-x", "--month", "2026-11", "--format", "csv")
	if err != nil || strings.Count(csv, "\r\n") != 3 || strings.Contains(csv, "MAGDA-3") {
		t.Errorf("csv (%v):\n%s", err, csv)
	}
	nl, err := get("--all", "--quarter", "2026-q4", "--format", "json", "--lang", "nl")
	if err != nil || !strings.Contains(nl, `"MAGDA-3"`) || !strings.Contains(nl, `"period": "2026-Q4"`) {
		t.Errorf("json all (%v):\n%.400s", err, nl)
	}
	file := filepath.Join(t.TempDir(), "r.xlsx")
	if _, err := get("--customer", "AGENCY-X", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx", "-o", file); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("Tickets", "A3"); v != "MAGDA-2" {
		t.Errorf("xlsx Tickets!A3 = %q", v)
	}
	f.Close()
	html, err := get("--customer", "agency-x", "--month", "2026-11", "--format", "html")
	if err != nil || !strings.HasPrefix(html, "<!DOCTYPE html>") {
		t.Errorf("html (%v): %.100s", err, html)
	}
	for _, bad := range [][]string{
		{"--month", "2026-11"}, {"--customer", "agency-x", "--all", "--month", "2026-11"},
		{"--customer", "nobody", "--month", "2026-11"}, {"--customer", "agency-x"},
		{"--customer", "agency-x", "--month", "2026-13"}, {"--customer", "agency-x", "--month", "2026-11", "--quarter", "2026-Q4"},
		{"--customer", "agency-x", "--from", "2026-11-30", "--to", "2026-11-01"},
		{"--customer", "agency-x", "--month", "2026-11", "--format", "pdf"},
	} {
		out, err := get(bad...)
		var u usageError
		if !errors.As(err, &u) || out != "" || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %q %v; want one usage line (exit 2), nothing on stdout", bad, out, err)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(db), "nobody")); err == nil {
		t.Error("bad input created a file")
	}
}
