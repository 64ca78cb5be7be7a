package sla

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// dueDiffClosures are closure days (R3.3) for the differential tests of Due: bridge days
// in the calendar's first and last years, one on a Saturday, one on a day that already
// is a holiday, and one on the eve of the Christmas period.
var dueDiffClosures = []Closure{
	{Date: Date{2000, time.January, 3}, Name: "first Monday"},
	{Date: Date{2026, time.May, 15}, Name: "brugdag"},
	{Date: Date{2027, time.November, 13}}, // a Saturday
	{Date: Date{2026, time.July, 21}},     // already National Day
	{Date: Date{2030, time.December, 24}},
	{Date: Date{2100, time.December, 24}},
}

// plainDay is what a reference walk needs to know of the Brussels day containing t,
// worked out from the date alone: whether it is a working day (R3.3) and the instants
// its window of tier opens and closes (R3.2).
type plainDay struct {
	working     bool
	open, close time.Time
	next        time.Time // the following local midnight
}

// plainCalendar answers plainDay from time.Date and HolidaysIn, with none of Calendar's
// tables, so that a walk over it is an independent reference for Due.
type plainCalendar struct {
	tier     Tier
	holidays map[Date]bool
}

func newPlainCalendar(tier Tier, closures []Closure) *plainCalendar {
	p := &plainCalendar{tier: tier, holidays: map[Date]bool{}}
	for y := firstYear; y <= lastYear; y++ {
		for _, h := range HolidaysIn(y, closures) {
			p.holidays[h.Date] = true
		}
	}
	return p
}

func (p *plainCalendar) day(t time.Time) plainDay {
	y, m, d := t.In(Brussels).Date()
	open, close := Window(p.tier)
	wd := time.Date(y, m, d, 12, 0, 0, 0, Brussels).Weekday()
	return plainDay{
		working: wd != time.Saturday && wd != time.Sunday && !p.holidays[Date{y, m, d}],
		open:    time.Date(y, m, d, open/60, open%60, 0, 0, Brussels),
		close:   time.Date(y, m, d, close/60, close%60, 0, 0, Brussels),
		next:    time.Date(y, m, d+1, 0, 0, 0, 0, Brussels),
	}
}

// The calendar's edges, as Calendar clamps to them: a start before its first midnight
// counts from there, and a count that does not fit before its last is past the end.
var (
	calendarFirst = time.Date(firstYear, time.January, 1, 0, 0, 0, 0, Brussels)
	calendarEnd   = time.Date(lastYear+1, time.January, 1, 0, 0, 0, 0, Brussels)
)

// clampStart is where a reference walk from start begins: its whole second (the model
// counts whole seconds), not before the calendar's first day.
func clampStart(start time.Time) time.Time {
	t := time.Unix(start.Unix(), 0)
	if t.Before(calendarFirst) {
		return calendarFirst
	}
	return t
}

// targetSeconds is target in whole seconds, rounded up: a target of 1.5 s is reached
// after the second second counted.
func targetSeconds(target time.Duration) int64 {
	return int64((target + time.Second - 1) / time.Second)
}

// dayWalk is Due as R3.2-R3.5 define it, walked one day at a time: on each working day
// count from the later of t and the opening up to the closing, and stop in the day where
// the target is reached. ok is false when the calendar ends first.
func (p *plainCalendar) dayWalk(start time.Time, target time.Duration) (due time.Time, ok bool) {
	left := targetSeconds(target)
	for t := clampStart(start); t.Before(calendarEnd); {
		d := p.day(t)
		if d.working && t.Before(d.close) {
			if t.Before(d.open) {
				t = d.open
			}
			avail := int64(d.close.Sub(t) / time.Second)
			if left <= avail {
				return t.Add(time.Duration(left) * time.Second), true
			}
			left -= avail
		}
		t = d.next
	}
	return time.Time{}, false
}

// secondWalk is Due walked second by second: each second [t, t+1s) inside a window
// counts, and the due time is the end of the second that reaches the target. Where t is
// on a whole minute and a minute or more is left, it steps a whole minute at once, which
// counts the same because every window opens and closes on a whole minute. ok is false
// when the calendar ends first.
func (p *plainCalendar) secondWalk(start time.Time, target time.Duration) (due time.Time, ok bool) {
	left := targetSeconds(target)
	t := clampStart(start)
	d := p.day(t)
	for t.Before(calendarEnd) {
		if !t.Before(d.next) {
			d = p.day(t)
		}
		step := time.Second
		if t.Unix()%60 == 0 && left >= 60 {
			step = time.Minute
		}
		if d.working && !t.Before(d.open) && t.Before(d.close) {
			left -= int64(step / time.Second)
			if left == 0 {
				return t.Add(step), true
			}
		}
		t = t.Add(step)
	}
	return time.Time{}, false
}

// dueBySearch is Due as it was before the working-day table: a binary search over every
// day's count for the first day whose window brings the count to the goal. Due must
// give the same instant on every question.
func (c *Calendar) dueBySearch(start time.Time, target time.Duration) time.Time {
	u := start.Unix()
	if target <= 0 {
		return time.Unix(u, 0).In(Brussels)
	}
	cum := func(i int) int64 { return c.days[i].cum } // business seconds before day i
	goal := c.counted(u) + targetSeconds(target)
	n := len(c.days) - 1
	if goal > cum(n) {
		_, end := c.hours(n - 1)
		return time.Unix(end, 0).In(Brussels)
	}
	lo, hi := 0, n-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if cum(mid+1) >= goal {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	open, _ := c.hours(lo)
	return time.Unix(open+goal-cum(lo), 0).In(Brussels)
}

// dueDiffStart draws a start where a business calendar goes wrong: any second, window
// edges and a second around them, weekends, holidays and closure days, their eves, the
// DST weekends, and the calendar's edges (before 2000, its first days, the last days of
// 2100 and after).
func dueDiffStart(rng *rand.Rand, holidays []Date) time.Time {
	year := firstYear + rng.IntN(lastYear-firstYear+1)
	anyDay := func() Date { return Date{year, time.January, 1}.AddDays(rng.IntN(365)) }
	at := func(d Date, sec int) time.Time {
		return time.Date(d.Year, d.Month, d.Day, 0, 0, sec, 0, Brussels)
	}
	edges := []int{8 * 3600, 9 * 3600, 17 * 3600, 0, 86400 - 1}
	switch k := rng.IntN(12); k {
	case 0, 1:
		return at(anyDay(), rng.IntN(86400))
	case 2:
		return at(anyDay(), edges[rng.IntN(len(edges))]+rng.IntN(3)-1)
	case 3: // a weekend day
		d := anyDay()
		for wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday; wd = d.Weekday() {
			d = d.AddDays(1)
		}
		return at(d, rng.IntN(86400))
	case 4, 5: // a holiday or closure day, or its eve near closing
		d := holidays[rng.IntN(len(holidays))]
		if k == 5 {
			return at(d.AddDays(-1), 16*3600+rng.IntN(2*3600))
		}
		return at(d, rng.IntN(86400))
	case 6, 7: // within a day of a DST change: the last Sundays of March and October
		m := []time.Month{time.March, time.October}[rng.IntN(2)]
		d := Date{year, m + 1, 1}.AddDays(-1)
		for d.Weekday() != time.Sunday {
			d = d.AddDays(-1)
		}
		return at(d, rng.IntN(3*86400)-86400)
	case 8: // the calendar's first days, and a little before
		return calendarFirst.Add(time.Duration(rng.IntN(20*86400)-2*86400) * time.Second)
	case 9: // the calendar's last days, and a little after
		return calendarEnd.Add(time.Duration(rng.IntN(40*86400)-38*86400) * time.Second)
	default: // whole minutes inside a window, its ends included
		return at(anyDay(), 8*3600+60*rng.IntN(9*60+1))
	}
}

// dueDiffTarget draws a target log-uniformly from 1 s to 400 h (so seconds, minutes,
// hours, days and weeks are drawn alike), an R5 target, or one with milliseconds.
func dueDiffTarget(rng *rand.Rand, maxTarget time.Duration) time.Duration {
	switch rng.IntN(4) {
	case 0:
		r5 := []time.Duration{1 * h, 2 * h, 3 * h, 4 * h, 4*h + 30*time.Minute, 5 * h, 8 * h, 9 * h,
			16 * h, 24 * h, 40 * h, 54 * h, 56 * h, 80 * h, 120 * h, 160 * h, 240 * h, 360 * h}
		for {
			if tg := r5[rng.IntN(len(r5))]; tg <= maxTarget {
				return tg
			}
		}
	case 1:
		return time.Duration(1+rng.Int64N(int64(maxTarget/time.Millisecond))) * time.Millisecond
	}
	return time.Duration(math.Exp(rng.Float64()*math.Log(float64(maxTarget/time.Second)))) * time.Second
}

// dueDiffCase is one question for the differential tests.
type dueDiffCase struct {
	tier   Tier
	start  time.Time
	target time.Duration
}

// dueDiffCases draws n cases with a fixed seed, so a failure reproduces.
func dueDiffCases(seed uint64, n int, maxTarget time.Duration) []dueDiffCase {
	rng := rand.New(rand.NewPCG(seed, 0xd0e))
	var holidays []Date
	for y := firstYear; y <= lastYear; y++ {
		for _, hd := range HolidaysIn(y, dueDiffClosures) {
			holidays = append(holidays, hd.Date)
		}
	}
	out := make([]dueDiffCase, n)
	for i := range out {
		c := dueDiffCase{tier: []Tier{Standard, Dedicated}[rng.IntN(2)], start: dueDiffStart(rng, holidays), target: dueDiffTarget(rng, maxTarget)}
		if rng.IntN(8) == 0 { // Jira's timestamps carry milliseconds
			c.start = c.start.Add(time.Duration(1+rng.IntN(999)) * time.Millisecond)
		}
		out[i] = c
	}
	return out
}

func showBrussels(t time.Time) string {
	return t.In(Brussels).Format("Mon 2006-01-02 15:04:05.000 MST")
}

// checkDueAgainst compares Due on each case with the reference walk and with the
// previous algorithm, and Worked(start, Due) with the target. A case the walk cannot
// finish before the calendar ends must give the previous algorithm's answer, a due time
// on the calendar's last day. It returns how many cases ran past the end.
func checkDueAgainst(t *testing.T, cases []dueDiffCase, walk func(*plainCalendar, time.Time, time.Duration) (time.Time, bool)) (pastEnd int) {
	t.Helper()
	cs := NewCalendars(dueDiffClosures)
	plain := map[Tier]*plainCalendar{Standard: newPlainCalendar(Standard, dueDiffClosures), Dedicated: newPlainCalendar(Dedicated, dueDiffClosures)}
	fails := 0
	fail := func(format string, args ...any) {
		if fails++; fails <= 20 {
			t.Errorf(format, args...)
		}
	}
	for _, c := range cases {
		cl := cs.For(c.tier)
		got := cl.Due(c.start, c.target)
		what := fmt.Sprintf("%s Due(%s, %v) = %s", c.tier, showBrussels(c.start), c.target, showBrussels(got))
		if old := cl.dueBySearch(c.start, c.target); !got.Equal(old) || got.Location() != Brussels {
			fail("%s, the binary search over days gives %s", what, showBrussels(old))
		}
		want, ok := walk(plain[c.tier], c.start, c.target)
		if !ok {
			pastEnd++
			if lastDay := calendarEnd.AddDate(0, 0, -1); got.Before(lastDay) || !got.Before(calendarEnd) {
				fail("%s, past the calendar's end: want an instant on its last day", what)
			}
			continue
		}
		if !got.Equal(want) {
			fail("%s, the walk gives %s", what, showBrussels(want))
		}
		if w := cl.Worked(c.start, got); w != time.Duration(targetSeconds(c.target))*time.Second {
			fail("%s, but Worked(start, due) = %v", what, w)
		}
	}
	if fails > 0 {
		t.Errorf("%d checks failed on %d cases", fails, len(cases))
	}
	return pastEnd
}

// TestDue_R3_5_AgainstDayWalk compares Due (R3.2-R3.5) with a walk over the days on
// 50,000 random questions of 1 s to 400 h, from 1999 to 2101 with the edges weighted,
// and with the binary search over days it replaced.
func TestDue_R3_5_AgainstDayWalk(t *testing.T) {
	n := 50_000
	if testing.Short() {
		n = 5_000
	}
	pastEnd := checkDueAgainst(t, dueDiffCases(15, n, 400*h), (*plainCalendar).dayWalk)
	t.Logf("%d of %d cases ran past the calendar's end", pastEnd, n)
	if pastEnd == 0 || pastEnd > n/10 {
		t.Errorf("%d of %d cases ran past the calendar's end; want some, and not most", pastEnd, n)
	}
}

// TestDue_R3_5_AgainstSecondWalk compares Due (R3.2-R3.5) with a walk second by second
// on 1,500 random questions of up to 9 h (the short targets: R5's responses, P1 and
// dedicated P2 resolutions, update intervals), and with the binary search over days.
func TestDue_R3_5_AgainstSecondWalk(t *testing.T) {
	n := 1_500
	if testing.Short() {
		n = 200
	}
	checkDueAgainst(t, dueDiffCases(9, n, 9*h), (*plainCalendar).secondWalk)
}

// TestDue_R3_5_WindowsAreEqual pins what Due's guess rests on: every working day's
// window of either tier lasts exactly as long, 2000-2100, DST days included. Were it
// ever not so, Due would still be exact (it corrects the guess) but no longer O(1).
func TestDue_R3_5_WindowsAreEqual(t *testing.T) {
	for _, tier := range []Tier{Standard, Dedicated} {
		c := NewCalendar(tier, dueDiffClosures)
		for k := range len(c.work) - 1 {
			if got := c.work[k+1].cum - c.work[k].cum; got != c.length {
				t.Fatalf("%s: the window of %s lasts %d s, want %d", tier, showBrussels(time.Unix(c.work[k].start, 0)), got, c.length)
			}
		}
	}
}
