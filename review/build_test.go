package review_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/golden"
	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

func f(v float64) *float64 { return &v }
func s(h, m int64) *int64  { v := h*3600 + m*60; return &v }

// TestBuildCountsTheMonth checks the hand-computed figures of november() (R5.1-R5.3,
// R3.4, R4.1, R7, R3.1) and which clocks belong to the period: MAGDA-6's response was
// decided in October, its resolution breach in November; MAGDA-5 is open at the end.
func TestBuildCountsTheMonth(t *testing.T) {
	r := novemberReport("en")
	want := []review.ClockLine{
		{Clock: "response", Kind: sla.Incident, Priority: "P1", WithSL: 1, Met: 1, MetPct: f(100), TargetS: 3600, MedianS: s(0, 45), P90S: s(0, 45)},
		{Clock: "response", Kind: sla.Incident, Priority: "P2", WithSL: 2, Met: 1, Breached: 1, MetPct: f(50), PrevMetPct: f(100), Change: f(-50), TargetS: 7200, MedianS: s(1, 0), P90S: s(3, 0)},
		{Clock: "resolution", Kind: sla.Incident, Priority: "P1", WithSL: 1, Met: 1, MetPct: f(100), TargetS: 5 * 3600, MedianS: s(3, 0), P90S: s(3, 0)},
		{Clock: "resolution", Kind: sla.Incident, Priority: "P2", WithSL: 3, Met: 1, Breached: 2, MetPct: f(100.0 / 3), PrevMetPct: f(100), Change: f(100.0/3 - 100), TargetS: 16 * 3600, MedianS: s(17, 0), P90S: s(18, 0)},
		{Clock: "resolution", Kind: sla.Question, Priority: "P2", WithSL: 1, Open: 1, TargetS: 56 * 3600},
		{Clock: "updates", Kind: sla.Incident, Priority: "P1", WithSL: 1, Met: 1, MetPct: f(100), TargetS: 4*3600 + 1800},
		{Clock: "updates", Kind: sla.Incident, Priority: "P2", WithSL: 3, Met: 1, Breached: 2, MetPct: f(100.0 / 3), PrevMetPct: f(100), Change: f(100.0/3 - 100), TargetS: 9 * 3600},
	}
	if diff := cmp.Diff(want, r.Clocks, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("clock lines (-want +got):\n%s", diff)
	}
	wantBreaches := []review.Breach{
		{Ticket: "MAGDA-6", Clock: "resolution", Priority: "P2", Due: dt(2026, 11, 3, 15, 0), OverS: 3600},
		{Ticket: "MAGDA-2", Clock: "response", Priority: "P2", Due: dt(2026, 11, 5, 10, 0), OverS: 3600},
		{Ticket: "MAGDA-2", Clock: "resolution", Priority: "P2", Due: dt(2026, 11, 9, 15, 0), OverS: 2 * 3600},
		{Ticket: "MAGDA-2", Clock: "updates", Priority: "P2", Missed: 1},
		{Ticket: "MAGDA-6", Clock: "updates", Priority: "P2", Missed: 1},
	}
	if diff := cmp.Diff(wantBreaches, r.Breaches, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("breaches (-want +got):\n%s", diff)
	}
	if r.MissedUpdates != 2 {
		t.Errorf("missed updates = %d, want 2", r.MissedUpdates)
	}
	// Open: 12 + 27 + 13 + 1 + 2 + 8 = 63h; customer 9h, third party 10h (R3.4).
	wantPaused := review.Paused{OpenS: 63 * 3600, CustomerS: 9 * 3600, ThirdPartyS: 10 * 3600,
		CustomerPct: f(100 * 9.0 / 63), ThirdPartyPct: f(100 * 10.0 / 63)}
	if diff := cmp.Diff(wantPaused, r.Paused); diff != "" {
		t.Errorf("paused (-want +got):\n%s", diff)
	}
	wantCreated := []review.KindCount{{sla.Incident, "P1", 1}, {sla.Incident, "P2", 2}, {sla.Incident, "P4", 1}, {sla.Question, "P2", 1}}
	if diff := cmp.Diff(wantCreated, r.Created); diff != "" {
		t.Errorf("created (-want +got):\n%s", diff)
	}
	wantChanges := []review.PriorityChange{{Ticket: "MAGDA-3", At: dt(2026, 11, 10, 8, 30), Estimate: "P3", From: "P3", To: "P1", By: "henk", Reason: "outage wider"}}
	if diff := cmp.Diff(wantChanges, r.PriorityChanges, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("priority changes R4.1 (-want +got):\n%s", diff)
	}
	wantEsc := []review.Escalation{{Ticket: "MAGDA-3", Level: 1, By: "jan", At: dt(2026, 11, 10, 9, 30), Reason: "customer asks"}}
	if diff := cmp.Diff(wantEsc, r.Escalations, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("escalations R7 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]review.NoSL{{Ticket: "MAGDA-4", Kind: sla.Incident, Source: sla.Mail, Reason: "source"}}, r.NoSL); diff != "" {
		t.Errorf("no SL R3.1 (-want +got):\n%s", diff)
	}
	if len(r.Tickets) != 6 {
		t.Errorf("%d ticket rows, want 6 (MAGDA-7 was resolved in October)", len(r.Tickets))
	}
	// Trend: October P2 3 of 3 met; November P1 2 of 2, P2 2 of 5, 3 breaches.
	last := r.Trend[len(r.Trend)-1]
	oct := r.Trend[len(r.Trend)-2]
	if last.Month != "2026-11" || *last.MetPct[0] != 100 || *last.MetPct[1] != 40 || last.MetPct[2] != nil || last.Breaches != 3 {
		t.Errorf("trend November = %+v", last)
	}
	if oct.Month != "2026-10" || *oct.MetPct[1] != 100 || oct.Breaches != 0 || r.Trend[0].Month != "2025-12" {
		t.Errorf("trend October = %+v, first %s", oct, r.Trend[0].Month)
	}
}

// TestBuildPeriodNotOver: a period still running is seen as of now, so a clock not
// yet due is open, not breached (R3.5).
func TestBuildPeriodNotOver(t *testing.T) {
	r := review.Build(review.Options{Customer: "agency-x", Period: review.Month(2026, time.November),
		Now: dt(2026, 11, 5, 9, 30), Lang: "en", TierOf: dedicated, Cals: cals}, inputs())
	for _, l := range r.Clocks {
		if l.Clock == "response" && l.Priority == "P2" && (l.Open != 1 || l.Met != 1 || l.Breached != 0) {
			t.Errorf("response P2 on 5 Nov 09:30 = %+v, want MAGDA-1 met and MAGDA-2 open", l)
		}
	}
}

// TestRenderGolden keeps the text (English and Dutch), CSV and JSON of november().
func TestRenderGolden(t *testing.T) {
	for _, lang := range []string{"en", "nl"} {
		var b bytes.Buffer
		if err := novemberReport(lang).WriteText(&b); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "november."+lang+".txt", b.Bytes())
	}
	var c, j bytes.Buffer
	r := novemberReport("en")
	if err := r.WriteCSV(&c); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "november.csv", c.Bytes())
	if !strings.HasSuffix(c.String(), "\r\n") || strings.Count(c.String(), "\r\n") != 7 {
		t.Errorf("CSV: want 7 CRLF lines (RFC 4180)")
	}
	if err := r.WriteJSON(&j); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "november.json", j.Bytes())
}

// TestTextFiguresDutch checks the hand-computed figures as the Dutch text shows them.
func TestTextFiguresDutch(t *testing.T) {
	var b bytes.Buffer
	if err := novemberReport("nl").WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Dienstverleningsoverleg Agentschap X — november 2026", "33,3 %", "-66,7 pt",
		"wachten op de klant          14,3 %  9h", "wachten op een derde partij  15,9 %  10h", "niet via het portaal gemeld (mail, R3.1)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Dutch text lacks %q:\n%s", want, b.String())
		}
	}
}
