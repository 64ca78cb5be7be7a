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

// dueWeight is how often, per 1,000 tickets, a ticket of this tier, kind and priority
// comes in. The weights follow how tickets really come: incidents 60 %, support questions
// 35 %, connection requests 5 %; among incidents and questions P3 and P4 are most of them
// (P1 5 %, P2 15 %, P3 40 %, P4 40 %); standard customers 65 %, dedicated 35 %. A
// standard customer's question has no service level (R5), so it asks no due time.
type dueWeight struct {
	tier     sla.Tier
	kind     sla.Kind
	priority sla.Priority
	per1000  int
}

// dueWeights expands the shares of dueWeight into one row per tier, kind and priority.
func dueWeights() []dueWeight {
	tiers := []struct {
		tier  sla.Tier
		share int // per 100
	}{{sla.Standard, 65}, {sla.Dedicated, 35}}
	prios := []struct {
		p     sla.Priority
		share int // per 100
	}{{sla.P1, 5}, {sla.P2, 15}, {sla.P3, 40}, {sla.P4, 40}}
	var out []dueWeight
	for _, t := range tiers {
		for _, p := range prios {
			out = append(out,
				dueWeight{t.tier, sla.Incident, p.p, t.share * 60 * p.share / 1000},
				dueWeight{t.tier, sla.Question, p.p, t.share * 35 * p.share / 1000})
		}
		out = append(out, dueWeight{t.tier, sla.Connection, sla.NoPriority, t.share * 5 / 10})
	}
	return out
}

// dueBand is a range of targets whose cost differs: a short target ends within two
// working days, a long one crosses weeks of weekends and holidays.
type dueBand struct {
	name     string
	min, max time.Duration // min < target <= max
}

var dueBands = []dueBand{
	{"all", 0, 1 << 62},
	{"short<=9h", 0, 9 * time.Hour},
	{"mid<=40h", 9 * time.Hour, 40 * time.Hour},
	{"long>40h", 40 * time.Hour, 1 << 62},
}

// dueQuestions is the mix the bot asks, 4,096 questions: tickets drawn by dueWeights,
// each asking the due time of every R5 target it has (response, resolution, update
// interval), from starts at any minute of 2025-2028; only the questions in band are kept.
func dueQuestions(band dueBand) []dueQuestion {
	ws := dueWeights()
	total := 0
	for _, w := range ws {
		total += w.per1000
	}
	rng := rand.New(rand.NewPCG(5, 3))
	from := time.Date(2025, time.January, 1, 0, 0, 0, 0, sla.Brussels)
	span := time.Date(2029, time.January, 1, 0, 0, 0, 0, sla.Brussels).Sub(from)
	qs := make([]dueQuestion, 0, 4096)
	for len(qs) < cap(qs) {
		r := rng.IntN(total)
		w := ws[0]
		for _, w = range ws {
			if r < w.per1000 {
				break
			}
			r -= w.per1000
		}
		tg := sla.TargetsFor(w.tier, w.kind, w.priority, sla.Portal)
		start := from.Add(time.Duration(rng.Int64N(int64(span/time.Minute))) * time.Minute).In(sla.Brussels)
		for _, d := range []time.Duration{tg.Response, tg.Resolution, tg.UpdateInterval} {
			if d > band.min && d <= band.max && len(qs) < cap(qs) {
				qs = append(qs, dueQuestion{tier: w.tier, start: start, target: d})
			}
		}
	}
	return qs
}

var sinkTime time.Time

// BenchmarkDue compares the engine's Due with cal.AddWorkHours on the same questions,
// over the whole weighted mix and per band of target. Each band runs cal first and then
// the engine, which reports x_cal: how many times faster it is than cal on that band.
// The engine is meant to be at least 200 times faster on the mix, 50 times on the short
// targets (issue 15), and not to allocate.
func BenchmarkDue(b *testing.B) {
	cals := sla.NewCalendars(diffClosures)
	ref := map[sla.Tier]*cal.BusinessCalendar{
		sla.Standard:  oracle(sla.Standard, diffClosures),
		sla.Dedicated: oracle(sla.Dedicated, diffClosures),
	}
	for _, band := range dueBands {
		qs := dueQuestions(band)
		var calNs float64
		b.Run(band.name, func(b *testing.B) {
			b.Run("cal", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					q := &qs[i%len(qs)]
					sinkTime = ref[q.tier].AddWorkHours(q.start, q.target)
				}
				calNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			})
			b.Run("engine", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					q := &qs[i%len(qs)]
					sinkTime = cals.For(q.tier).Due(q.start, q.target)
				}
				if ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N); ns > 0 && calNs > 0 {
					b.ReportMetric(calNs/ns, "x_cal")
				}
			})
		})
	}
}

// TestDueDoesNotAllocate: Due is on every hot path (views, reminders, what-if), so it
// must not allocate, whatever the question.
func TestDueDoesNotAllocate(t *testing.T) {
	cals := sla.NewCalendars(diffClosures)
	qs := dueQuestions(dueBands[0])
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
