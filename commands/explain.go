package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// maxSteps bounds the lines of one clock's explanation; the middle is folded.
const maxSteps = 40

// explain answers `explain MAGDA-123`: for each clock, the windows that counted, the
// days skipped (R3.2, R3.3) and the pauses (R3.4) that put its due time where it is.
func (h *Handler) explain(ctx context.Context, c Caller, key string, l Lang) (Reply, error) {
	t, err := h.ticket(ctx, c, key, l)
	if err != nil {
		return Reply{}, err
	}
	now := h.o.Now()
	cal := h.o.Calendars.For(t.Tier)
	v := t.At(h.o.Calendars, now)
	open, close := sla.Window(t.Tier)
	hours := fmt.Sprintf("%02d:%02d–%02d:%02d", open/60, open%60, close/60, close%60)
	r := Reply{Kind: KindExplain,
		Title: l.pick("How the due times of "+t.Key+" are counted", "Hoe de deadlines van "+t.Key+" geteld worden"),
		Lines: []string{l.pick(
			fmt.Sprintf("Business time counts Mon–Fri %s Brussels time (%s), not on weekends, holidays or closure days (R3.2, R3.3); a pause stops it (R3.4).", hours, tierName(t.Tier, l)),
			fmt.Sprintf("Werktijd telt ma–vr %s Brusselse tijd (%s), niet in weekends, op feestdagen of sluitingsdagen (R3.2, R3.3); een pauze zet ze stil (R3.4).", hours, tierName(t.Tier, l)))},
	}
	clocks := []struct {
		name string
		c    *sla.Clock
		v    *sla.ClockView
	}{
		{l.pick("Response", "Antwoord"), t.Response, v.Response},
		{l.pick("Resolution", "Oplossing"), t.Resolution, v.Resolution},
	}
	for _, k := range clocks {
		if k.c == nil {
			continue
		}
		x := sla.ExplainClock(cal, k.c, now)
		state, status := h.clockText(k.v, l, now)
		r.Items = append(r.Items, Item{
			Title:  fmt.Sprintf("%s (%s): %s", k.name, Hours(x.Target), state),
			Status: status,
			Lines:  explainLines(x, t, l, now),
		})
	}
	if len(r.Items) == 0 {
		r.Lines = append(r.Lines, l.pick("No SL applies to "+t.Key+": no clock counts.", "Voor "+t.Key+" geldt geen SL: geen klok telt."))
	}
	r.Notes = notes(t, l)
	return r, nil
}

func explainLines(x sla.Explanation, t sla.Ticket, l Lang, now time.Time) []string {
	var lines []string
	if !x.Start.IsZero() {
		lines = append(lines, l.pick("start ", "start ")+l.When(x.Start, now))
	}
	var counted time.Duration
	steps := make([]string, 0, len(x.Steps))
	for _, s := range x.Steps {
		counted += s.Worked
		steps = append(steps, stepText(s, t, l, now))
	}
	if len(steps) > maxSteps {
		head, tail := steps[:10], steps[len(steps)-(maxSteps-11):]
		fold := l.pick(fmt.Sprintf("… %d more steps …", len(steps)-len(head)-len(tail)),
			fmt.Sprintf("… nog %d stappen …", len(steps)-len(head)-len(tail)))
		steps = append(append(append([]string(nil), head...), fold), tail...)
	}
	lines = append(lines, steps...)
	if !x.Due.IsZero() {
		lines = append(lines, l.pick("due ", "deadline ")+l.When(x.Due, now)+" (R3.5)")
	}
	return append(lines, l.pick(fmt.Sprintf("total %s, target %s", Hours(counted), Hours(x.Target)),
		fmt.Sprintf("totaal %s, doel %s", Hours(counted), Hours(x.Target))))
}

// stepText gives one step: "Fri 10 Jul 16:30-17:00 counted 0h30", "Sat 11 – Sun 12 Jul
// weekend", "Tue 21 Jul Belgian National Day (public holiday)", "paused Mon 13 Jul 10:00
// – Tue 14 Jul 11:00".
func stepText(s sla.Step, t sla.Ticket, l Lang, now time.Time) string {
	switch s.Kind {
	case sla.StepCounted:
		return fmt.Sprintf("%s %s-%s %s %s", l.Day(s.From, now), s.From.In(sla.Brussels).Format("15:04"),
			s.To.In(sla.Brussels).Format("15:04"), l.pick("counted", "telt"), Hours(s.Worked))
	case sla.StepPaused:
		if s.To.IsZero() {
			p := l.pick("paused since ", "gepauzeerd sinds ") + l.When(s.From, now)
			if w := waitingFor(t.PauseReason, l); w != "" && t.State == sla.PausedState {
				p += " (" + w + ")"
			}
			return p
		}
		return l.pick("paused ", "gepauzeerd ") + l.When(s.From, now) + " – " + l.When(s.To, now)
	}
	last := s.To.Add(-time.Second)
	if s.Day.Kind == sla.Weekend {
		return l.span(s.From, last, now) + " weekend"
	}
	name := l.pick(s.Day.NameEN, s.Day.NameNL)
	kind := dayKind(s.Day.Kind, l)
	if name == "" {
		return l.span(s.From, last, now) + " " + kind
	}
	return l.span(s.From, last, now) + " " + name + " (" + kind + ")"
}

func dayKind(k sla.DayKind, l Lang) string {
	switch k {
	case sla.Weekend:
		return "weekend"
	case sla.PublicHoliday:
		return l.pick("public holiday", "wettelijke feestdag")
	case sla.FlemishHoliday:
		return l.pick("Flemish holiday", "Vlaamse feestdag")
	case sla.ClosureDay:
		return l.pick("closure day", "sluitingsdag")
	}
	return l.pick("no service window", "geen dienstvenster")
}
