package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/benchfixture"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// BenchmarkQueue measures parsing a queue question and answering it (the store's count
// and list over SQLite, the clocks, the reply) over a generated population of
// MAGDA_BENCH_TICKETS tickets (default 100,000) of 20 customers, created over the 200
// days before now, about half of them open, so that every span selects hundreds to tens
// of thousands of them. It reports the 50th and 99th percentiles; the target is a p99
// under 20 ms.
func BenchmarkQueue(b *testing.B) {
	const customers = 20
	cals := sla.NewCalendars(nil)
	var cs []commands.Customer
	var pcs []population.Customer
	for i := range customers {
		tier := sla.Standard
		if i%2 == 0 {
			tier = sla.Dedicated
		}
		cs = append(cs, commands.Customer{ID: fmt.Sprintf("agency-%d", i), Name: fmt.Sprintf("Agentschap %d", i), Tier: tier})
		pcs = append(pcs, population.Customer{ID: cs[i].ID, Tier: tier})
	}
	tierOf := func(id string) (sla.Tier, bool) {
		for _, c := range cs {
			if c.ID == id {
				return c.Tier, true
			}
		}
		return sla.Standard, false
	}
	now := time.Date(2026, time.July, 10, 10, 30, 0, 0, sla.Brussels)
	opts := storage.Options{
		Derive: func(evs []sla.Event) sla.Ticket { return sla.Replay(evs, tierOf, cals) },
		RiskAt: func(t sla.Ticket) time.Time {
			cal := cals.For(t.Tier)
			return earliest(t.Response.RiskAt(cal, 0.75), t.Resolution.RiskAt(cal, 0.75))
		},
	}
	n, err := benchfixture.Tickets(100_000)
	if err != nil {
		b.Fatal(err)
	}
	pop := population.Options{N: n, Seed: 1, Now: now, Span: 200 * 24 * time.Hour, Customers: pcs}
	path, err := benchfixture.Population(b.TempDir(), "queue", "sla.Replay, agency-0..19 with the even ones dedicated, no closure days, no TierOf, RiskAt at 0.75", pop, opts)
	if err != nil {
		b.Fatal(err)
	}
	db, err := storage.Open(path, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	h := commands.New(commands.Options{Store: commandStore{db}, Customers: cs, Calendars: cals, Now: func() time.Time { return now }})
	caller := commands.Caller{UserID: "cli", Platform: "cli", Operator: true}
	texts := []string{"what's due today", "vandaag voor agentschap 3", "breached", "at risk P1", "which tickets breach this week", "overschreden P2 voor agency-5"}
	for _, s := range texts { // every question is answered with tickets, not refused
		if r := h.Handle(context.Background(), caller, s); r.Kind != commands.KindTickets || len(r.Items) == 0 {
			b.Fatalf("%q: %s %q %v", s, r.Kind, r.Title, r.Lines)
		} else {
			b.Logf("%q: %s", s, r.Title)
		}
	}
	var times []time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		r := h.Handle(context.Background(), caller, texts[i%len(texts)])
		times = append(times, time.Since(t0))
		if !strings.Contains(r.Title, ":") {
			b.Fatal(r.Title)
		}
		i++
	}
	slices.Sort(times)
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
