package commands

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/availability"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// outageLog is a store of outages in memory; the counting is availability's and sla's.
type outageLog []sla.Outage

func (l outageLog) Outages(_ context.Context, from, to time.Time) ([]sla.Outage, error) {
	var out []sla.Outage
	for _, o := range l {
		if o.Start.Before(to) && (o.End.IsZero() || o.End.After(from)) {
			out = append(out, o)
		}
	}
	return out, nil
}

func withOutages(o *Options) {
	o.Availability = &availability.Counter{Store: outageLog{
		{Component: sla.Database, Start: dt(2026, time.June, 3, 10, 0), End: dt(2026, time.June, 3, 12, 30), Note: "PostgresDown: primary lost"},
		{Component: sla.Network, Start: dt(2026, time.June, 20, 9, 0), End: dt(2026, time.June, 20, 11, 0), Note: "inside the third weekend"},
		{Component: sla.Server, Start: dt(2026, time.July, 9, 8, 0), Note: "still down"},
	}, Extra: o.Maintenance.Extra, Cancelled: o.Maintenance.Cancelled}
}

// TestGoldenAvailabilityR6_1: a past month with a budget over half used, and the
// current month with an open outage counted up to now.
func TestGoldenAvailabilityR6_1(t *testing.T) {
	for name, text := range map[string]string{"availability_june": "availability 2026-06", "availability_now_nl": "beschikbaarheid"} {
		h, _ := newTest(withOutages)
		goldenReply(t, name, h.Handle(context.Background(), staffCaller, text))
	}
	h, _ := newTest(withOutages)
	r := h.Handle(context.Background(), staffCaller, "availability 2026-06")
	// June 2026: 720 h, third weekend 20-21 June (48 h): 672 h scheduled, budget 3h22;
	// the database's 2h30 is over half of it.
	if r.Status != StatusAtRisk || !strings.Contains(r.PlainText(), "database: 99.62 %") {
		t.Fatalf("status %q:\n%s", r.Status, r.PlainText())
	}
	for text, want := range map[string]string{
		"availability 2027-01": "has not started yet",
		"availability juni":    "YYYY-MM",
	} {
		if r := h.Handle(context.Background(), staffCaller, text); r.Kind != KindError || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%s: %s", text, r.PlainText())
		}
	}
	off, _ := newTest()
	if r := off.Handle(context.Background(), staffCaller, "availability"); r.Kind != KindError {
		t.Errorf("without a counter: %s", r.PlainText())
	}
}

func TestParseAvailability(t *testing.T) {
	for text, want := range map[string]Command{
		"availability":            {Verb: VerbAvailability, Lang: English},
		"beschikbaarheid 2026-10": {Verb: VerbAvailability, Lang: Dutch, Month: sla.Month{Year: 2026, Month: time.October}},
		"status":                  {Verb: VerbStatus, Lang: English, Guessed: true},
	} {
		c, err := Parse(text)
		if err != nil || c != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", text, c, err, want)
		}
		if back, _ := Parse(c.String()); back != c {
			t.Errorf("round trip of %q: %+v", text, back)
		}
	}
}

// TestStatusR6_2: what the page says is not operational, and a page that cannot be
// read is said so, never "all operational".
func TestStatusR6_2(t *testing.T) {
	read := now.Add(-10 * time.Minute)
	for name, p := range map[string]StatusPage{
		"status_incident": {URL: "https://status.magda.be", Read: read,
			Components: []StatusComponent{{"Geefpersoon", "partial_outage"}},
			Incidents:  []StatusIncident{{Name: "Trage antwoorden", Status: "investigating", Impact: "minor", URL: "https://stspg.io/x", Updated: read}}},
		"status_unreachable": {URL: "https://status.magda.be", Read: read, FailingSince: now.Add(-5 * time.Minute)},
		"status_ok":          {URL: "https://status.magda.be", Read: read},
	} {
		h, _ := newTest(func(o *Options) { o.StatusPage = func() StatusPage { return p } })
		r := h.Handle(context.Background(), staffCaller, "status")
		goldenReply(t, name, r)
		if operational := strings.Contains(r.PlainText(), "operational"); operational != (name == "status_ok") {
			t.Errorf("%s says operational=%t:\n%s", name, operational, r.PlainText())
		}
	}
}
