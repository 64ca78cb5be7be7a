package sla

import "time"

// StepKind says what one step of an explanation is.
type StepKind int

// Explanation steps.
const (
	StepCounted  StepKind = iota // part of a service window that counted (R3.2)
	StepSkipped                  // a day without a window: weekend, holiday, closure (R3.3)
	StepPaused                   // a pause between two runs of the clock (R3.4)
	StepResolved                 // resolved until reopened: the clock was done, not paused (R5.2)
)

// Step is one line of an explanation. Consecutive weekend days form one step.
type Step struct {
	Kind   StepKind
	From   time.Time
	To     time.Time
	Worked time.Duration // for StepCounted
	Day    Holiday       // for StepSkipped: Day.Kind and, for holidays, the names
}

// Explanation tells why a due time is what it is: which windows counted, which days were
// skipped and which pauses stopped the clock, from the start to the due time (or to now,
// when the clock stopped or is paused).
type Explanation struct {
	Target time.Duration
	Start  time.Time
	Due    time.Time // zero while paused
	Steps  []Step
}

// maxSteps bounds an explanation: a ticket open for years still explains in one screen.
const maxSteps = 200

// ExplainDue explains a due time counted from start without pauses (a what-if).
func ExplainDue(cal *Calendar, start time.Time, target time.Duration) Explanation {
	due := cal.Due(start, target)
	x := Explanation{Target: target, Start: start, Due: due}
	x.Steps = cal.walk(x.Steps, start, due)
	return x
}

// ExplainClock explains a ticket clock: every run with its windows and skipped days, the
// pauses between runs, and the current run up to its due time. now is kept for callers
// that show how long ago that was.
func ExplainClock(cal *Calendar, c *Clock, now time.Time) Explanation {
	if c == nil {
		return Explanation{}
	}
	x := Explanation{Target: c.Target}
	if len(c.Runs) > 0 {
		x.Start = c.Runs[0].From
	}
	if c.Running() || c.Done() || c.Breached {
		x.Due = c.Due
	}
	for i, r := range c.Runs {
		if i > 0 {
			x.Steps = appendGap(x.Steps, c.Runs[i-1].To, r)
		}
		to := r.To
		if to.IsZero() {
			to = c.Due // a running clock is explained up to its due time,
			if to.Before(r.From) {
				to = now // or, when it breached in an earlier run, up to now
			}
		}
		x.Steps = cal.walk(x.Steps, r.From, to)
	}
	if !c.Running() && !c.Done() && len(c.Runs) > 0 {
		last := c.Runs[len(c.Runs)-1].To
		x.Steps = append(x.Steps, Step{Kind: StepPaused, From: last})
	}
	return x
}

// appendGap appends what stopped the clock between the run that ended at `end` and r: a
// pause (R3.4), the ticket being resolved until r reopened it (R5.2), or a pause and
// then the resolution, when it was resolved while paused.
func appendGap(steps []Step, end time.Time, r Span) []Step {
	if r.Resolved.IsZero() {
		return append(steps, Step{Kind: StepPaused, From: end, To: r.From})
	}
	if r.Resolved.After(end) {
		steps = append(steps, Step{Kind: StepPaused, From: end, To: r.Resolved})
		end = r.Resolved
	}
	return append(steps, Step{Kind: StepResolved, From: end, To: r.From})
}

// walk appends the steps between from and to: each window part that counted and each
// day without a window, weekends folded into one step.
func (c *Calendar) walk(steps []Step, from, to time.Time) []Step {
	if !to.After(from) {
		return steps
	}
	i, _ := c.day(from.Unix())
	j, _ := c.day(to.Unix() - 1)
	for d := i; d <= j && len(steps) < maxSteps; d++ {
		date := c.first.AddDays(d)
		if c.kind[d] != WorkingDay {
			kind, h := c.DayInfo(date)
			h.Date, h.Kind = date, kind
			day := time.Unix(c.days[d].midnight, 0).In(Brussels)
			next := time.Unix(c.days[d+1].midnight, 0).In(Brussels)
			if n := len(steps); kind == Weekend && n > 0 && steps[n-1].Kind == StepSkipped &&
				steps[n-1].Day.Kind == Weekend && steps[n-1].To.Equal(day) {
				steps[n-1].To = next
				continue
			}
			steps = append(steps, Step{Kind: StepSkipped, From: day, To: next, Day: h})
			continue
		}
		open, close := c.hours(d)
		a, b := max(open, from.Unix()), min(close, to.Unix())
		if b <= a {
			continue
		}
		steps = append(steps, Step{Kind: StepCounted,
			From: time.Unix(a, 0).In(Brussels), To: time.Unix(b, 0).In(Brussels),
			Worked: time.Duration(b-a) * time.Second})
	}
	return steps
}
