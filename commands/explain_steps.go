package commands

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// maxLines bounds the step lines of one clock so that an explanation fits a phone
// screen. Grouping keeps nearly every clock under it; only a ticket open for years,
// through dozens of holidays and pauses, has its oldest lines summed into one.
const maxLines = 24

// clockStory is what one clock's explanation is told with besides its steps: the
// ticket's priority changes (R4.1, R4.4) and the target each priority gives this clock.
type clockStory struct {
	tier    sla.Tier
	changes []sla.PriorityChange
	target  func(sla.Priority) time.Duration
	until   time.Time // the end of the explanation: a pause still open runs to now
	waiting string    // whom a pause still open waits for (R3.4), in the asker's language
}

// piece is a step of the explanation, or a priority change between steps.
type piece struct {
	step   sla.Step
	change *sla.PriorityChange
}

// explainLines tells one clock's story, short: the start, the steps with runs of whole
// working days and of closed days each on one line, the priority changes where they
// happened, the due time and the total.
func explainLines(x sla.Explanation, st clockStory, l Lang, now time.Time) []string {
	var lines []string
	if !x.Start.IsZero() {
		lines = append(lines, l.pick("start ", "start ")+l.When(x.Start, now))
	}
	var counted time.Duration
	for _, s := range x.Steps {
		counted += s.Worked
	}
	steps := group(withChanges(x.Steps, x.Start, st), x, st, l, now)
	if len(steps) > maxLines {
		steps = foldOldest(steps, l)
	}
	for _, s := range steps {
		lines = append(lines, s.text)
	}
	if !x.Due.IsZero() {
		lines = append(lines, l.pick("due ", "deadline ")+l.When(x.Due, now)+" (R3.5)")
	}
	return append(lines, l.pick(fmt.Sprintf("total %s, target %s", Hours(counted), Hours(x.Target)),
		fmt.Sprintf("totaal %s, doel %s", Hours(counted), Hours(x.Target))))
}

// withChanges puts each priority change made while the clock was explained between
// the steps, splitting a counted stretch at the instant of the change.
func withChanges(steps []sla.Step, start time.Time, st clockStory) []piece {
	var changes []*sla.PriorityChange
	for i := range st.changes {
		c := &st.changes[i]
		if !c.At.Before(start) && !c.At.After(st.until) {
			changes = append(changes, c)
		}
	}
	out := make([]piece, 0, len(steps)+len(changes))
	for _, s := range steps {
		for len(changes) > 0 && !changes[0].At.After(s.From) {
			out, changes = append(out, piece{change: changes[0]}), changes[1:]
		}
		for s.Kind == sla.StepCounted && len(changes) > 0 && changes[0].At.Before(s.To) {
			at := changes[0].At
			out = append(out, piece{step: sla.Step{Kind: sla.StepCounted, From: s.From, To: at, Worked: at.Sub(s.From)}},
				piece{change: changes[0]})
			s.From, s.Worked, changes = at, s.To.Sub(at), changes[1:]
		}
		out = append(out, piece{step: s})
	}
	for _, c := range changes {
		out = append(out, piece{change: c})
	}
	return out
}

// line is one line of the story, with the business time it counted, so that folding
// the oldest lines can keep their sum.
type line struct {
	text   string
	from   time.Time
	worked time.Duration
}

// group renders the pieces, each run of two or more whole working days (with the
// weekends between them) and each run of closed days on one line.
func group(ps []piece, x sla.Explanation, st clockStory, l Lang, now time.Time) []line {
	open, close := sla.Window(st.tier)
	full := func(p piece) bool {
		s := p.step
		if p.change != nil || s.Kind != sla.StepCounted {
			return false
		}
		f, t := s.From.In(sla.Brussels), s.To.In(sla.Brussels)
		return f.Hour()*60+f.Minute() == open && t.Hour()*60+t.Minute() == close && t.Second() == 0
	}
	weekend := func(p piece) bool {
		return p.change == nil && p.step.Kind == sla.StepSkipped && p.step.Day.Kind == sla.Weekend
	}
	var out []line
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		switch {
		case p.change != nil:
			out = append(out, line{text: changeText(*p.change, x, st, l, now), from: p.change.At})
		case full(p):
			last, days, worked := i, 0, time.Duration(0)
			for j := i; j < len(ps) && (full(ps[j]) || weekend(ps[j])); j++ {
				if full(ps[j]) {
					last, days, worked = j, days+1, worked+ps[j].step.Worked
				}
			}
			if days < 2 {
				out = append(out, line{stepText(p.step, l, now), p.step.From, p.step.Worked})
				continue
			}
			out = append(out, line{text: l.span(p.step.From, ps[last].step.From, now) + l.pick(
				fmt.Sprintf(" %d working days counted %s", days, Hours(worked)),
				fmt.Sprintf(" %d werkdagen telt %s", days, Hours(worked))), from: p.step.From, worked: worked})
			i = last
		case p.step.Kind == sla.StepSkipped:
			j := i
			for j+1 < len(ps) && ps[j+1].change == nil && ps[j+1].step.Kind == sla.StepSkipped &&
				christmas(ps[j+1].step) == christmas(p.step) {
				j++
			}
			out = append(out, line{text: closedText(ps[i:j+1], l, now), from: p.step.From})
			i = j
		case p.step.Kind == sla.StepPaused && p.step.To.IsZero():
			text := l.pick("paused since ", "gepauzeerd sinds ") + l.When(p.step.From, now)
			if st.waiting != "" {
				text += " (" + st.waiting + ")"
			}
			out = append(out, line{text: text, from: p.step.From})
		default:
			out = append(out, line{stepText(p.step, l, now), p.step.From, p.step.Worked})
		}
	}
	return out
}

// foldOldest sums the oldest lines into one, keeping the last ones: those are the ones
// that put the due time where it is.
func foldOldest(ls []line, l Lang) []line {
	cut := len(ls) - (maxLines - 1)
	var worked time.Duration
	for _, x := range ls[:cut] {
		worked += x.worked
	}
	fold := line{text: l.pick(fmt.Sprintf("%d earlier steps counted %s", cut, Hours(worked)),
		fmt.Sprintf("%d eerdere stappen telden %s", cut, Hours(worked))), from: ls[0].from, worked: worked}
	return append([]line{fold}, ls[cut:]...)
}

// changeText tells a priority change in a clock's story (R4.4): the target it gave the
// clock, or, made after the due, that the clock is breached: a breach is kept, and a
// target raised past the time counted is breached at once.
func changeText(c sla.PriorityChange, x sla.Explanation, st clockStory, l Lang, now time.Time) string {
	s := l.When(c.At, now) + " " + c.From.String() + " → " + c.To.String()
	if !x.Due.IsZero() && c.At.After(x.Due) {
		return s + l.pick(": breached (R4.4)", ": niet gehaald (R4.4)")
	}
	return s + l.pick(": target ", ": doel ") + Hours(st.target(c.To)) + " (R4.4)"
}

// closedText tells a run of days without a service window (R3.3): "Fri 25 Dec – Fri 1
// Jan: Christmas period (R3.3)", "Sat 18 – Tue 21 Jul: weekend, Belgian National Day
// (public holiday)".
func closedText(ps []piece, l Lang, now time.Time) string {
	var parts []string
	for _, p := range ps {
		part := dayText(p.step.Day, l)
		if christmas(p.step) {
			part = l.pick("Christmas period (R3.3)", "kerstperiode (R3.3)")
		}
		if !slices.Contains(parts, part) {
			parts = append(parts, part)
		}
	}
	last := ps[len(ps)-1].step.To.Add(-time.Second)
	return l.span(ps[0].step.From, last, now) + ": " + strings.Join(parts, ", ")
}

// christmas reports whether a closed step falls in the 25 December - 1 January period
// of R3.3, which is told as one: its days have three names and two kinds.
func christmas(s sla.Step) bool {
	d := s.From.In(sla.Brussels)
	return d.Month() == time.December && d.Day() >= 25 || d.Month() == time.January && d.Day() == 1
}

func dayText(h sla.Holiday, l Lang) string {
	if h.Kind == sla.Weekend {
		return "weekend"
	}
	if name := l.pick(h.NameEN, h.NameNL); name != "" {
		return name + " (" + dayKind(h.Kind, l) + ")"
	}
	return dayKind(h.Kind, l)
}

// stepText gives one step: "Fri 10 Jul 16:30-17:00 counted 0h30", "paused Fri 10 Jul
// 12:00–14:00", "resolved Mon 13 Jul 15:00, reopened Wed 15 Jul 08:30 (R5.2)".
func stepText(s sla.Step, l Lang, now time.Time) string {
	switch s.Kind {
	case sla.StepCounted:
		return fmt.Sprintf("%s %s-%s %s %s", l.Day(s.From, now), s.From.In(sla.Brussels).Format("15:04"),
			s.To.In(sla.Brussels).Format("15:04"), l.pick("counted", "telt"), Hours(s.Worked))
	case sla.StepResolved:
		return l.pick("resolved ", "opgelost ") + l.When(s.From, now) + l.pick(", reopened ", ", heropend ") + l.When(s.To, now) + " (R5.2)"
	}
	return l.pick("paused ", "gepauzeerd ") + interval(s.From, s.To, l, now)
}

// interval gives "Fri 10 Jul 12:00–14:00" within a day, else both instants in full.
func interval(a, b time.Time, l Lang, now time.Time) string {
	if sla.DateOf(a.In(sla.Brussels)) == sla.DateOf(b.In(sla.Brussels)) {
		return l.When(a, now) + "–" + b.In(sla.Brussels).Format("15:04")
	}
	return l.When(a, now) + " – " + l.When(b, now)
}
