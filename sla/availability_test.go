package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func hrs(n float64) time.Duration { return time.Duration(n * float64(time.Hour)) }

func out(c Component, from, to time.Time) Outage { return Outage{Component: c, Start: from, End: to} }

// The months below are counted by hand:
//   - November 2026: 30 days = 720 h; the 1st is a Sunday, so the third Saturday is the
//     21st and R8.1 reserves 21 Nov 00:00 - 23 Nov 00:00 (48 h). Scheduled: 672 h =
//     2,419,200 s; budget 0.5 % = 12,096 s (3 h 21 min 36 s).
//   - December 2026: 744 h; the 1st is a Tuesday, third Saturday the 19th; scheduled
//     696 h = 2,505,600 s; budget 12,528 s.
//   - October 2026: DST ends on Sunday 25 October, so the month has 745 h; the 1st is
//     a Thursday, third Saturday the 17th; scheduled 697 h; budget 12,546 s.
//   - March 2026: DST starts on Sunday 29 March: 743 h; third Saturday the 21st;
//     scheduled 695 h; budget 12,510 s.
func TestAvailabilityR6_1HandCountedMonths(t *testing.T) {
	nov := Month{2026, time.November}
	end := dt(2026, time.December, 5, 0, 0) // the month is over
	tests := []struct {
		name             string
		month            Month
		outages          []Outage
		extra            []MaintenanceWindow
		cancelled        []Date
		now              time.Time
		total, scheduled time.Duration
		budget           time.Duration
		down             map[Component]time.Duration
	}{
		{name: "R8.1 an outage inside the third weekend does not count", month: nov, now: end,
			outages: []Outage{out(Database, dt(2026, 11, 21, 10, 0), dt(2026, 11, 21, 14, 0))},
			total:   hrs(720), scheduled: hrs(672), budget: 12096 * time.Second,
			down: map[Component]time.Duration{Database: 0, Infrastructure: 0}},
		{name: "R8.1 an outage straddling the weekend's start counts up to Saturday 00:00", month: nov, now: end,
			outages: []Outage{out(Server, dt(2026, 11, 20, 22, 0), dt(2026, 11, 21, 2, 0))},
			total:   hrs(720), scheduled: hrs(672), budget: 12096 * time.Second,
			down: map[Component]time.Duration{Server: hrs(2), Infrastructure: hrs(2)}},
		{name: "R6.1 an outage across the month end counts in November", month: nov, now: end,
			outages: []Outage{out(Network, dt(2026, 11, 30, 23, 0), dt(2026, 12, 1, 1, 30))},
			total:   hrs(720), scheduled: hrs(672), budget: 12096 * time.Second,
			down: map[Component]time.Duration{Network: hrs(1), Infrastructure: hrs(1)}},
		{name: "R6.1 and in December", month: Month{2026, time.December}, now: dt(2027, 1, 2, 0, 0),
			outages: []Outage{out(Network, dt(2026, 11, 30, 23, 0), dt(2026, 12, 1, 1, 30))},
			total:   hrs(744), scheduled: hrs(696), budget: 12528 * time.Second,
			down: map[Component]time.Duration{Network: hrs(1.5), Infrastructure: hrs(1.5)}},
		{name: "R6.1 October has 745 hours (DST ends), the outage over the change counts 3 h", month: Month{2026, time.October},
			now:     end,
			outages: []Outage{out(Middleware, dt(2026, 10, 25, 1, 0), dt(2026, 10, 25, 3, 0))},
			total:   hrs(745), scheduled: hrs(697), budget: 12546 * time.Second,
			down: map[Component]time.Duration{Middleware: hrs(3), Infrastructure: hrs(3)}},
		{name: "R6.1 March has 743 hours (DST starts), 01:00-04:00 is 2 h", month: Month{2026, time.March},
			now:     end,
			outages: []Outage{out(Server, dt(2026, 3, 29, 1, 0), dt(2026, 3, 29, 4, 0))},
			total:   hrs(743), scheduled: hrs(695), budget: 12510 * time.Second,
			down: map[Component]time.Duration{Server: hrs(2), Infrastructure: hrs(2)}},
		{name: "R6.1 overlapping outages of two components: the infrastructure is down on their union", month: nov, now: end,
			outages: []Outage{
				out(Server, dt(2026, 11, 10, 10, 0), dt(2026, 11, 10, 12, 0)),
				out(Database, dt(2026, 11, 10, 11, 0), dt(2026, 11, 10, 13, 0)),
			},
			total: hrs(720), scheduled: hrs(672), budget: 12096 * time.Second,
			down: map[Component]time.Duration{Server: hrs(2), Database: hrs(2), Middleware: 0, Infrastructure: hrs(3)}},
		{name: "R6.1 two overlapping outages of one component count once", month: nov, now: end,
			outages: []Outage{
				out(Database, dt(2026, 11, 10, 10, 0), dt(2026, 11, 10, 12, 0)),
				out(Database, dt(2026, 11, 10, 11, 0), dt(2026, 11, 10, 11, 30)),
			},
			total: hrs(720), scheduled: hrs(672), budget: 12096 * time.Second,
			down: map[Component]time.Duration{Database: hrs(2), Infrastructure: hrs(2)}},
		{name: "R8.2 a cancelled weekend counts: all 720 h are scheduled", month: nov, now: end,
			cancelled: []Date{{2026, time.November, 21}},
			outages:   []Outage{out(Database, dt(2026, 11, 21, 10, 0), dt(2026, 11, 21, 14, 0))},
			total:     hrs(720), scheduled: hrs(720), budget: 12960 * time.Second,
			down: map[Component]time.Duration{Database: hrs(4), Infrastructure: hrs(4)}},
		{name: "R8.2 an extra window is excluded, also from the outage it overlaps", month: nov, now: end,
			extra:   []MaintenanceWindow{{Start: dt(2026, 11, 4, 20, 0), End: dt(2026, 11, 4, 23, 0), Note: "urgent"}},
			outages: []Outage{out(Server, dt(2026, 11, 4, 19, 0), dt(2026, 11, 4, 21, 0))},
			total:   hrs(720), scheduled: hrs(669), budget: 12042 * time.Second,
			down: map[Component]time.Duration{Server: hrs(1)}},
		{name: "R6.1 an open outage counts up to now", month: nov, now: dt(2026, 11, 10, 12, 30),
			outages: []Outage{{Component: Database, Start: dt(2026, 11, 10, 10, 0)}},
			total:   hrs(720), scheduled: hrs(672), budget: 12096 * time.Second,
			down: map[Component]time.Duration{Database: hrs(2.5), Infrastructure: hrs(2.5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			windows := MonthWindows(tt.month, tt.extra, tt.cancelled)
			a := MonthlyAvailability(tt.month, tt.outages, windows, tt.now)
			if a.Total != tt.total || a.Scheduled != tt.scheduled {
				t.Fatalf("total %v scheduled %v, want %v and %v", a.Total, a.Scheduled, tt.total, tt.scheduled)
			}
			for c, want := range tt.down {
				f := a.Of(c)
				if f.Downtime != want {
					t.Errorf("%s down %v, want %v", c, f.Downtime, want)
				}
				if f.Budget != tt.budget || f.Left != tt.budget-want {
					t.Errorf("%s budget %v left %v, want %v and %v", c, f.Budget, f.Left, tt.budget, tt.budget-want)
				}
				if r := 1 - want.Seconds()/tt.scheduled.Seconds(); f.Ratio != r {
					t.Errorf("%s ratio %v, want %v", c, f.Ratio, r)
				}
			}
		})
	}
}

func TestAvailabilityR6_1ExceededBudgetIsNegative(t *testing.T) {
	nov := Month{2026, time.November}
	o := []Outage{out(Network, dt(2026, 11, 2, 8, 0), dt(2026, 11, 2, 12, 0))} // 4 h > 3 h 21 min 36 s
	a := MonthlyAvailability(nov, o, MonthWindows(nov, nil, nil), dt(2026, 12, 1, 0, 0))
	f := a.Of(Network)
	if want := -(hrs(4) - 12096*time.Second); f.Left != want || f.Used() <= 1 {
		t.Fatalf("left %v used %v, want %v and over 1", f.Left, f.Used(), want)
	}
	if f.Ratio >= Target {
		t.Fatalf("ratio %v is not below %v", f.Ratio, Target)
	}
	if len(f.Outages) != 1 || len(a.Of(Server).Outages) != 0 {
		t.Fatalf("outages listed: network %d, server %d", len(f.Outages), len(a.Of(Server).Outages))
	}
}

func TestParseMonthR6_1(t *testing.T) {
	for in, ok := range map[string]bool{"2026-11": true, "2026-13": false, "1999-12": false, "nov": false, "2026-1": false} {
		m, err := ParseMonth(in)
		if (err == nil) != ok || ok && m.String() != in {
			t.Errorf("ParseMonth(%q) = %v, %v", in, m, err)
		}
	}
}

// BenchmarkAvailability is the speed: the monthly figure over 10,000 outages
// in under 50 ms.
func BenchmarkAvailability(b *testing.B) {
	m := Month{2026, time.November}
	start, _ := m.Bounds()
	rng := rand.New(rand.NewPCG(1, 2))
	outages := make([]Outage, 10000)
	for i := range outages {
		from := start.Add(time.Duration(rng.Int64N(int64(720 * time.Hour))))
		outages[i] = Outage{ID: int64(i), Component: Components[i%4], Start: from,
			End: from.Add(time.Duration(rng.Int64N(int64(time.Hour)))), Note: fmt.Sprint(i)}
	}
	windows := MonthWindows(m, nil, nil)
	now := dt(2026, 12, 1, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		MonthlyAvailability(m, outages, windows, now)
	}
}
