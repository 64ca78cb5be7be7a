package sla

import "time"

// Span is a stretch of wall-clock time during which a clock ran; To is zero while it
// still runs.
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitzero"`
	// Resolved is when the ticket was resolved before this run began with its reopening:
	// the time from then to From is no pause but the ticket being done (R5.2).
	Resolved time.Time `json:"resolved,omitzero"`
}

// Clock is a response or resolution clock (R5.1, R5.2) as of the last event applied.
// Business time is counted with the ticket's calendar; pauses stop it (R3.4).
type Clock struct {
	Target  time.Duration `json:"target"`
	Counted time.Duration `json:"counted"` // business time counted before Since
	Since   time.Time     `json:"since,omitzero"`
	Due     time.Time     `json:"due,omitzero"` // of the current run, or the last one
	DoneAt  time.Time     `json:"done_at,omitzero"`
	// Breached is final: set when the clock was stopped, paused or re-targeted after its
	// due time (R4.4: a clock that already breached keeps its result).
	Breached bool   `json:"breached,omitempty"`
	Runs     []Span `json:"runs,omitempty"`
}

func newClock(target time.Duration) *Clock {
	if target <= 0 {
		return nil
	}
	return &Clock{Target: target}
}

// Running reports whether the clock counts right now.
func (c *Clock) Running() bool { return c != nil && !c.Since.IsZero() }

// Done reports whether the clock has stopped for good (met or breached).
func (c *Clock) Done() bool { return c != nil && !c.DoneAt.IsZero() }

func (c *Clock) start(cal *Calendar, at time.Time) {
	if c == nil || c.Running() || c.Done() {
		return
	}
	c.Since = at
	c.Runs = append(c.Runs, Span{From: at})
	if !c.Breached {
		c.setDue(cal) // a breached clock keeps the instant it breached at (R3.5)
	}
}

// setDue sets the due time (R3.5): the instant the counted time reaches the target, in
// the run where it did when a lowered target was already used up (R4.4), or projected
// from the current run.
func (c *Clock) setDue(cal *Calendar) {
	left := c.Target
	for _, r := range c.Runs {
		if r.To.IsZero() {
			c.Due = cal.Due(r.From, left)
			return
		}
		w := cal.Worked(r.From, r.To)
		if w >= left {
			c.Due = cal.Due(r.From, left)
			return
		}
		left -= w
	}
}

// pause stops counting at `at` (R3.4) and judges a breach.
func (c *Clock) pause(cal *Calendar, at time.Time) {
	if !c.Running() {
		return
	}
	if at.After(c.Due) {
		c.Breached = true
	}
	c.Counted += cal.Worked(c.Since, at)
	c.Since = time.Time{}
	c.Runs[len(c.Runs)-1].To = at
}

// stop ends the clock at `at` (response given, ticket resolved). A clock stopped while
// paused and not breached is due where the target would have been reached counting on
// from the stop, so that for every stopped clock met is done_at <= due.
func (c *Clock) stop(cal *Calendar, at time.Time) {
	if c == nil || c.Done() {
		return
	}
	if !c.Running() && !c.Breached {
		c.Due = cal.Due(at, c.Target-c.Counted)
	}
	c.pause(cal, at)
	c.DoneAt = at
}

// reopen lets a stopped clock run on from where it stopped (R5.2); the new run keeps
// when the ticket was resolved, so an explanation tells that gap from a pause.
func (c *Clock) reopen(cal *Calendar, at, resolved time.Time) {
	if !c.Done() {
		return
	}
	c.DoneAt = time.Time{}
	c.start(cal, at)
	if c.Running() {
		c.Runs[len(c.Runs)-1].Resolved = resolved
	}
}

// retarget applies R4.4: a clock still running (or paused) and not past its due takes
// the new target and keeps the time already counted; a stopped or breached clock keeps
// its result and its due. A target lowered below the time counted is due where the
// count reached it, and so breached.
func (c *Clock) retarget(cal *Calendar, at time.Time, target time.Duration) {
	if c == nil || c.Done() || target <= 0 {
		return
	}
	if c.Running() && at.After(c.Due) {
		c.Breached = true
	}
	if c.Breached {
		return
	}
	c.Target = target
	counted := c.Counted
	if c.Running() {
		counted += cal.Worked(c.Since, at)
	}
	if c.Running() || counted > c.Target {
		c.setDue(cal)
	}
	if counted > c.Target {
		c.Breached = true
	}
}

// Updates is the periodic update clock of R5.3 (dedicated P1 and P2): started by the
// first response, restarted by each progress update, stopped by pauses. A due time that
// passes without an update is one missed update, and the next is due one interval later.
type Updates struct {
	Interval time.Duration `json:"interval"`
	PerDay   int           `json:"per_day"`
	Counted  time.Duration `json:"counted"` // business time counted before Since
	Since    time.Time     `json:"since,omitzero"`
	Due      time.Time     `json:"due,omitzero"` // next update due, while running
	LastAt   time.Time     `json:"last_at,omitzero"`
	Missed   int           `json:"missed"`
	Started  bool          `json:"started"`
	Stopped  bool          `json:"stopped"`
	// Off: the priority has no update frequency now (P3/P4, R5.3); the clock keeps its
	// history (missed, last update, time counted) for when it comes back (R4.4).
	Off bool `json:"off,omitempty"`
}

// Running reports whether the update clock counts right now.
func (u *Updates) Running() bool { return u != nil && !u.Since.IsZero() }

// settle counts the updates missed before `at` and moves the clock past them, in
// constant time: each missed due time is one interval of business time after the last.
func (u *Updates) settle(cal *Calendar, at time.Time) {
	if !u.Running() || !at.After(u.Due) {
		return
	}
	k := cal.Worked(u.Due, at) / u.Interval
	last := cal.Due(u.Due, k*u.Interval)
	if last.Before(at) {
		u.Missed += int(k) + 1
	} else {
		u.Missed += int(k)
		last = cal.Due(u.Due, (k-1)*u.Interval)
	}
	u.Since, u.Counted = last, 0
	u.Due = cal.Due(last, u.Interval)
}

func (u *Updates) begin(cal *Calendar, at time.Time) {
	if u == nil || u.Stopped {
		return
	}
	u.Started = true
	u.Counted, u.Since, u.Due = 0, time.Time{}, time.Time{}
	if !u.Off {
		u.Since, u.Due = at, cal.Due(at, u.Interval)
	}
}

func (u *Updates) update(cal *Calendar, at time.Time) {
	if u == nil || !u.Started || u.Stopped {
		return
	}
	u.settle(cal, at)
	u.LastAt = at
	if u.Running() {
		u.begin(cal, at)
	} else {
		u.Counted = 0 // paused: the next interval starts counting at resume
	}
}

func (u *Updates) pause(cal *Calendar, at time.Time) {
	if !u.Running() {
		return
	}
	u.settle(cal, at)
	u.Counted += cal.Worked(u.Since, at)
	u.Since, u.Due = time.Time{}, time.Time{}
}

func (u *Updates) resume(cal *Calendar, at time.Time) {
	if u == nil || !u.Started || u.Stopped || u.Off || u.Running() {
		return
	}
	u.Since = at
	u.Due = cal.Due(at, u.Interval-u.Counted)
}

func (u *Updates) stop(cal *Calendar, at time.Time) {
	if u == nil {
		return
	}
	u.pause(cal, at)
	u.Stopped = true
}

// retarget gives the update clock a new interval (R4.4), keeping what it counted: the
// next update is due one new interval after the last one (or the last one missed). A
// clock that was off (the ticket was P3/P4 meanwhile) counts on from `at` when the
// ticket is open; its missed updates and last update stay.
func (u *Updates) retarget(cal *Calendar, at time.Time, interval time.Duration, perDay int, open bool) {
	u.settle(cal, at)
	u.Interval, u.PerDay = interval, perDay
	if u.Off {
		u.Off = false
		if open {
			u.resume(cal, at)
		}
	}
	if u.Running() {
		u.Due = cal.Due(u.Since, u.Interval-u.Counted)
		u.settle(cal, at)
	}
}

// off suspends the clock at `at` for a priority without updates (R5.3), as a pause.
func (u *Updates) off(cal *Calendar, at time.Time) {
	u.pause(cal, at)
	u.Off = true
}

// RiskAt is the instant at which the clock will have used share (0..1) of its target,
// for at-risk warnings; zero when the clock is not running or has passed that point at
// its current run's start.
func (c *Clock) RiskAt(cal *Calendar, share float64) time.Time {
	if !c.Running() || c.Breached {
		return time.Time{}
	}
	left := time.Duration(share*float64(c.Target)) - c.Counted
	if left <= 0 {
		return c.Since
	}
	return cal.Due(c.Since, left)
}
