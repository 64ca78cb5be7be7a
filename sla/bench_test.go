package sla_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickar/cal/v2"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// dueQuestion is one due-time question: a clock of tier started at start with target.
type dueQuestion struct {
	tier   sla.Tier
	start  time.Time
	target time.Duration
}

// dueQuestions is the mix the bot asks: every R5 target of incidents (P1-P4), support
// questions and connection requests, each tier, from starts at any minute of 2025-2028.
func dueQuestions() []dueQuestion {
	var targets []struct {
		tier   sla.Tier
		target time.Duration
	}
	for _, tier := range []sla.Tier{sla.Standard, sla.Dedicated} {
		for _, kind := range []sla.Kind{sla.Incident, sla.Question, sla.Connection} {
			for p := sla.P1; p <= sla.P4; p++ {
				tg := sla.TargetsFor(tier, kind, p, sla.Portal)
				for _, d := range []time.Duration{tg.Response, tg.Resolution, tg.UpdateInterval} {
					if d > 0 {
						targets = append(targets, struct {
							tier   sla.Tier
							target time.Duration
						}{tier, d})
					}
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(5, 3))
	from := time.Date(2025, time.January, 1, 0, 0, 0, 0, sla.Brussels)
	span := time.Date(2029, time.January, 1, 0, 0, 0, 0, sla.Brussels).Sub(from)
	qs := make([]dueQuestion, 4096)
	for i := range qs {
		tg := targets[rng.IntN(len(targets))]
		start := from.Add(time.Duration(rng.Int64N(int64(span/time.Minute))) * time.Minute)
		qs[i] = dueQuestion{tier: tg.tier, start: start.In(sla.Brussels), target: tg.target}
	}
	return qs
}

var sinkTime time.Time

// BenchmarkDue compares the engine's Due with cal.AddWorkHours on the same questions;
// the engine is meant to be at least 50 times faster and not to allocate.
func BenchmarkDue(b *testing.B) {
	qs := dueQuestions()
	b.Run("engine", func(b *testing.B) {
		cals := sla.NewCalendars(diffClosures)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			q := &qs[i%len(qs)]
			sinkTime = cals.For(q.tier).Due(q.start, q.target)
		}
	})
	b.Run("cal", func(b *testing.B) {
		ref := map[sla.Tier]*cal.BusinessCalendar{
			sla.Standard:  oracle(sla.Standard, diffClosures),
			sla.Dedicated: oracle(sla.Dedicated, diffClosures),
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			q := &qs[i%len(qs)]
			sinkTime = ref[q.tier].AddWorkHours(q.start, q.target)
		}
	})
}

// TestDueDoesNotAllocate: Due is on every hot path (views, reminders, what-if), so it
// must not allocate, whatever the question.
func TestDueDoesNotAllocate(t *testing.T) {
	cals := sla.NewCalendars(diffClosures)
	qs := dueQuestions()
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		q := &qs[i%len(qs)]
		sinkTime = cals.For(q.tier).Due(q.start, q.target)
		i++
	})
	if allocs != 0 {
		t.Errorf("Due allocates %v times per call, want 0", allocs)
	}
}

// replayTicket is a realistic dedicated P2 incident of ten events: answered, waiting
// for the customer overnight, raised to P1, updated, resolved, reopened, resolved.
func replayTicket() []sla.Event {
	at := func(d, h, m int) time.Time { return time.Date(2026, time.March, d, h, m, 0, 0, sla.Brussels) }
	e := func(typ sla.EventType, t time.Time) sla.Event { return sla.Event{Ticket: "MAGDA-1", Type: typ, At: t} }
	created := e(sla.Created, at(2, 9, 12))
	created.Customer, created.Kind, created.Priority = "c-ded", sla.Incident, sla.P2
	paused := e(sla.Paused, at(2, 14, 0))
	paused.Reason = sla.WaitCustomer
	raised := e(sla.PriorityChanged, at(3, 10, 30))
	raised.Priority, raised.By, raised.Reason = sla.P1, "sdm", "all municipalities affected"
	return []sla.Event{
		created,
		e(sla.Responded, at(2, 9, 40)),
		e(sla.Updated, at(2, 12, 0)),
		paused,
		e(sla.Resumed, at(3, 9, 5)),
		raised,
		e(sla.Updated, at(3, 13, 0)),
		e(sla.Resolved, at(3, 16, 45)),
		e(sla.Reopened, at(4, 8, 20)),
		e(sla.Resolved, at(4, 11, 0)),
	}
}

var sinkTicket sla.Ticket

// BenchmarkReplay derives a ten-event ticket's clocks from its events.
func BenchmarkReplay(b *testing.B) {
	evs := replayTicket()
	cals := sla.NewCalendars(diffClosures)
	if tk := sla.Replay(evs, fuzzTierOf, cals); tk.State != sla.ResolvedState || tk.Priority != sla.P1 || tk.Updates == nil {
		b.Fatalf("the benchmark ticket is not a resolved dedicated P1: %+v", tk)
	}
	b.ReportAllocs()
	for b.Loop() {
		sinkTicket = sla.Replay(evs, fuzzTierOf, cals)
	}
}

var sinkCals *sla.Calendars

// BenchmarkNewCalendars is the startup cost: both tiers' calendars for 2000-2100.
func BenchmarkNewCalendars(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkCals = sla.NewCalendars(diffClosures)
	}
}
