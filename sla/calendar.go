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
// holidays and closures (R3.3). It is precomputed once, in two tables. Per day: its
// local midnight, when its window opens and closes and the business seconds counted
// before it, side by side so that counting up to an instant reads one entry; Worked is
// a lookup and some arithmetic. Per working day: when its window opens and the business
// seconds before it. Every working day's window is equally long (DST changes fall on a
// Sunday night, outside any window), so the working day on which a count of business
// seconds is reached is that count divided by the window's length: Due is a lookup too,
// with no search and no walk over days (R3.5). Neither allocates.
// A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	tier        Tier
	open, close int // window in minutes after local midnight

	days   []calDay  // one per day from firstYear to lastYear, and one extra at the end
	kind   []DayKind // per day
	work   []workDay // one per working day, and one extra at the end
	length int64     // seconds in a working day's window
	// perLength is 2^40 / length, rounded up: Due's guess multiplies by it and shifts
	// rather than divide, as a division costs a quarter of a Due. The quotient so taken
	// is exact or one too many for any count below 2^24 windows (a century holds about
	// 26,000), and Due corrects it.
	perLength uint64
	first     Date
	names     map[Date]Holiday
}

// calDay is one day: the unix second of its local midnight, the business seconds
// counted before it, and its window in seconds after midnight (open == close when it
// has none).
type calDay struct {
	midnight, cum int64
	open, close   int32
}

// workDay is a working day's window: the unix second it opens and the business seconds
// counted before it. It closes where the next entry's count begins, so the extra entry
// at the end holds the calendar's whole business time.
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
	c.days = make([]calDay, n+1)
	c.kind = make([]DayKind, n)
	c.work = make([]workDay, 0, n*5/7+1)
	var cum int64
	for i := 0; i < n; i++ {
		d := first.AddDays(i)
		mid := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Brussels).Unix()
		k := WorkingDay
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			k = Weekend
		} else if h, ok := c.names[d]; ok {
			k = h.Kind
		}
		c.kind[i] = k
		c.days[i] = calDay{midnight: mid, cum: cum}
		if k == WorkingDay {
			start := time.Date(d.Year, d.Month, d.Day, open/60, open%60, 0, 0, Brussels).Unix()
			end := time.Date(d.Year, d.Month, d.Day, close/60, close%60, 0, 0, Brussels).Unix()
			c.days[i].open, c.days[i].close = int32(start-mid), int32(end-mid)
			c.work = append(c.work, workDay{start: start, cum: cum})
			cum += end - start
		}
	}
	c.work = append(c.work, workDay{cum: cum})
	last := first.AddDays(n)
	c.days[n] = calDay{midnight: time.Date(last.Year, last.Month, last.Day, 0, 0, 0, 0, Brussels).Unix(), cum: cum}
	c.length = int64(close-open) * 60
	c.perLength = (1<<40 + uint64(c.length) - 1) / uint64(c.length)
	return c
}

// Tier is the tier whose window this calendar counts.
func (c *Calendar) Tier() Tier { return c.tier }

// day gives the index of the day containing unix second u, with u clamped into range.
func (c *Calendar) day(u int64) (int, int64) {
	n := len(c.days) - 1
	if u < c.days[0].midnight {
		return 0, c.days[0].midnight
	}
	if u >= c.days[n].midnight {
		return n - 1, c.days[n].midnight - 1
	}
	// Days are 86400 s but for the DST days (23 h, 25 h): the guess is off by at most one.
	i := int((u - c.days[0].midnight) / 86400)
	if i >= n {
		i = n - 1
	}
	for i > 0 && c.days[i].midnight > u {
		i--
	}
	for i+1 < n && c.days[i+1].midnight <= u {
		i++
	}
	return i, u
}

// hours gives the unix seconds day i's window opens and closes; a day without one opens
// and closes at its midnight.
func (c *Calendar) hours(i int) (open, close int64) {
	d := &c.days[i]
	return d.midnight + int64(d.open), d.midnight + int64(d.close)
}

// counted is the business seconds from the calendar's start up to unix second u.
func (c *Calendar) counted(u int64) int64 {
	i, u := c.day(u)
	d := &c.days[i]
	at := u - d.midnight
	switch {
	case at <= int64(d.open):
		return d.cum
	case at >= int64(d.close):
		return d.cum + int64(d.close-d.open)
	}
	return d.cum + at - int64(d.open)
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
	top := len(c.work) - 1
	if goal > c.work[top].cum {
		_, end := c.hours(len(c.days) - 2)
		return time.Unix(end, 0).In(Brussels)
	}
	// The working day whose window brings the count to goal: work[k].cum < goal <=
	// work[k+1].cum. With windows of equal length the guess is that day; the two loops
	// only correct it should a window ever be shorter or longer, so the answer is exact
	// whatever the tables hold.
	k := min(int(uint64(goal-1)*c.perLength>>40), top-1)
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
	open, close := c.hours(i)
	return u >= open && u < close
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
