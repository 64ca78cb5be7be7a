package sla

import (
	"time"
)

// The calendar covers these years; instants outside are clamped to its edges. A ticket
// from before 2000 or after 2100 is a typo, and clamping keeps every answer defined.
const (
	firstYear = 2000
	lastYear  = 2100
)

// Calendar counts business time in one tier's service window (R3.2), skipping weekends,
// holidays and closures (R3.3). It is precomputed once: per day the window's opening and
// closing instants and the business seconds counted before it, so Worked is a lookup and
// some arithmetic, with no allocation and no walk over days. Due has a second table, of
// working days only: every working day's window is equally long (DST changes fall on a
// Sunday night, outside any window), so the working day on which a count of business
// seconds is reached is that count divided by the window's length, found without a
// search (R3.5). A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	tier        Tier
	open, close int // window in minutes after local midnight

	midnight []int64 // unix second of each day's local midnight; one extra at the end
	start    []int64 // unix second the day's window opens (== end when it has none)
	end      []int64 // unix second the day's window closes
	cum      []int64 // business seconds before each day; one extra at the end
	kind     []DayKind
	first    Date
	names    map[Date]Holiday

	// work has one entry per working day, in order, and one extra at the end whose cum
	// is the calendar's whole business time; window is the usual length of a day's
	// window in seconds, from which Due guesses the entry to read.
	work   []workDay
	window int64
}

// workDay is a working day's window: the unix second it opens and the business seconds
// counted before it. Its window closes where the next entry's count begins.
type workDay struct {
	start, cum int64
}

// Window gives a tier's service window (R3.2) in minutes after midnight.
func Window(t Tier) (open, close int) {
	if t == Dedicated {
		return 8 * 60, 17 * 60
	}
	return 9 * 60, 17 * 60
}

// NewCalendar precomputes tier's calendar with the given closure days (R3.3).
func NewCalendar(tier Tier, closures []Closure) *Calendar {
	open, close := Window(tier)
	first := Date{firstYear, time.January, 1}
	c := &Calendar{tier: tier, open: open, close: close, first: first, names: make(map[Date]Holiday)}
	for y := firstYear; y <= lastYear; y++ {
		for _, h := range HolidaysIn(y, closures) {
			c.names[h.Date] = h
		}
	}
	n := 0
	for y := firstYear; y <= lastYear; y++ {
		n += 365
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			n++
		}
	}
	c.midnight = make([]int64, n+1)
	c.start = make([]int64, n)
	c.end = make([]int64, n)
	c.cum = make([]int64, n+1)
	c.kind = make([]DayKind, n)
	for i := 0; i < n; i++ {
		d := first.AddDays(i)
		mid := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Brussels).Unix()
		c.midnight[i] = mid
		k := WorkingDay
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			k = Weekend
		} else if h, ok := c.names[d]; ok {
			k = h.Kind
		}
		c.kind[i] = k
		if k == WorkingDay {
			c.start[i] = time.Date(d.Year, d.Month, d.Day, open/60, open%60, 0, 0, Brussels).Unix()
			c.end[i] = time.Date(d.Year, d.Month, d.Day, close/60, close%60, 0, 0, Brussels).Unix()
		} else {
			c.start[i], c.end[i] = mid, mid
		}
		c.cum[i+1] = c.cum[i] + c.end[i] - c.start[i]
		if k == WorkingDay {
			c.work = append(c.work, workDay{start: c.start[i], cum: c.cum[i]})
		}
	}
	c.work = append(c.work, workDay{start: c.end[n-1], cum: c.cum[n]})
	c.window = int64(close-open) * 60
	last := first.AddDays(n)
	c.midnight[n] = time.Date(last.Year, last.Month, last.Day, 0, 0, 0, 0, Brussels).Unix()
	return c
}

// Tier is the tier whose window this calendar counts.
func (c *Calendar) Tier() Tier { return c.tier }

// day gives the index of the day containing unix second u, with u clamped into range.
func (c *Calendar) day(u int64) (int, int64) {
	n := len(c.start)
	if u < c.midnight[0] {
		return 0, c.midnight[0]
	}
	if u >= c.midnight[n] {
		return n - 1, c.midnight[n] - 1
	}
	// Days are 86400 s but for the DST days (23 h, 25 h): the guess is off by at most one.
	i := int((u - c.midnight[0]) / 86400)
	if i >= n {
		i = n - 1
	}
	for i > 0 && c.midnight[i] > u {
		i--
	}
	for i+1 < n && c.midnight[i+1] <= u {
		i++
	}
	return i, u
}

// counted is the business seconds from the calendar's start up to unix second u.
func (c *Calendar) counted(u int64) int64 {
	i, u := c.day(u)
	switch {
	case u <= c.start[i]:
		return c.cum[i]
	case u >= c.end[i]:
		return c.cum[i+1]
	}
	return c.cum[i] + u - c.start[i]
}

// Worked is the business time between from and to (R3.2, R3.3), zero when to is not after
// from. Sub-second parts are dropped: the model counts whole seconds.
func (c *Calendar) Worked(from, to time.Time) time.Duration {
	a, b := c.counted(from.Unix()), c.counted(to.Unix())
	if b <= a {
		return 0
	}
	return time.Duration(b-a) * time.Second
}

// Due is the earliest instant at which the business time counted from start reaches
// target (R3.5): a target ending exactly at closing time is due at closing time, and a
// start outside the window counts from the next opening. A target of zero or less is due
// at start itself. The result is in Brussels time.
func (c *Calendar) Due(start time.Time, target time.Duration) time.Time {
	u := start.Unix()
	if target <= 0 {
		return time.Unix(u, 0).In(Brussels)
	}
	goal := c.counted(u) + int64((target+time.Second-1)/time.Second)
	n := len(c.start)
	if goal > c.cum[n] {
		return time.Unix(c.end[n-1], 0).In(Brussels)
	}
	// The working day whose window brings the count to goal: work[k].cum < goal <=
	// work[k+1].cum. With windows of equal length the guess is that day; the two loops
	// only correct it should a window ever be shorter or longer, so the answer is exact
	// whatever the tables hold.
	k := min(int((goal-1)/c.window), len(c.work)-2)
	for k > 0 && c.work[k].cum >= goal {
		k--
	}
	for c.work[k+1].cum < goal {
		k++
	}
	return time.Unix(c.work[k].start+goal-c.work[k].cum, 0).In(Brussels)
}

// DayInfo tells what kind of day d is and, for a holiday or closure, its names.
func (c *Calendar) DayInfo(d Date) (DayKind, Holiday) {
	h, ok := c.names[d]
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return Weekend, h
	}
	if ok {
		return h.Kind, h
	}
	return WorkingDay, Holiday{}
}

// IsOpen reports whether t falls inside the service window (R3.2, R3.3).
func (c *Calendar) IsOpen(t time.Time) bool {
	i, u := c.day(t.Unix())
	return u >= c.start[i] && u < c.end[i]
}

// NextOpen is the first instant at or after t that is inside the service window.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	u := t.Unix()
	if c.IsOpen(t) {
		return time.Unix(u, 0).In(Brussels)
	}
	return c.Due(t, time.Second).Add(-time.Second)
}

// Calendars holds the precomputed calendar of each tier, built once from the same
// closure days.
type Calendars struct {
	standard, dedicated *Calendar
	closures            []Closure
}

// NewCalendars builds both tiers' calendars.
func NewCalendars(closures []Closure) *Calendars {
	return &Calendars{
		standard:  NewCalendar(Standard, closures),
		dedicated: NewCalendar(Dedicated, closures),
		closures:  closures,
	}
}

// For gives tier's calendar; anything but Dedicated counts in the standard window.
func (cs *Calendars) For(t Tier) *Calendar {
	if t == Dedicated {
		return cs.dedicated
	}
	return cs.standard
}

// Closures gives the closure days the calendars were built with.
func (cs *Calendars) Closures() []Closure { return cs.closures }
