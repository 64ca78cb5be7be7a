package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

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
	r := Reply{Kind: KindExplain,
		Title: l.pick("How the due times of "+t.Key+" are counted", "Hoe de deadlines van "+t.Key+" geteld worden"),
		Lines: []string{countsText(t.Tier, l)},
	}
	clocks := []struct {
		name   string
		c      *sla.Clock
		v      *sla.ClockView
		target func(sla.Targets) time.Duration
	}{
		{l.pick("Response", "Antwoord"), t.Response, v.Response, func(tg sla.Targets) time.Duration { return tg.Response }},
		{l.pick("Resolution", "Oplossing"), t.Resolution, v.Resolution, func(tg sla.Targets) time.Duration { return tg.Resolution }},
	}
	waiting := ""
	if t.State == sla.PausedState {
		waiting = waitingFor(t.PauseReason, l)
	}
	for _, k := range clocks {
		if k.c == nil {
			continue
		}
		x := sla.ExplainClock(cal, k.c, now)
		state, status := h.clockText(k.v, l, now)
		st := clockStory{tier: t.Tier, changes: t.PriorityChanges, until: storyEnd(x, k.c, now), waiting: waiting,
			target: func(p sla.Priority) time.Duration { return k.target(sla.TargetsFor(t.Tier, t.Kind, p, t.Source)) }}
		r.Items = append(r.Items, Item{
			Title:  fmt.Sprintf("%s (%s): %s", k.name, Hours(x.Target), state),
			Status: status,
			Lines:  explainLines(x, st, l, now),
		})
	}
	if len(r.Items) == 0 {
		r.Lines = append(r.Lines, l.pick("No SL applies to "+t.Key+": no clock counts.", "Voor "+t.Key+" geldt geen SL: geen klok telt."))
	}
	r.Notes = notes(t, l)
	return r, nil
}

// countsText is the rule every explanation counts by (R3.2-R3.4), short enough for a
// phone: "Counts Mon–Fri 08:00–17:00 Brussels time (dedicated), not on weekends,
// holidays or closure days (R3.2, R3.3); pauses stop it (R3.4)."
func countsText(tier sla.Tier, l Lang) string {
	open, close := sla.Window(tier)
	hours := fmt.Sprintf("%02d:%02d–%02d:%02d", open/60, open%60, close/60, close%60)
	return l.pick(
		fmt.Sprintf("Counts Mon–Fri %s Brussels time (%s), not on weekends, holidays or closure days (R3.2, R3.3); pauses stop it (R3.4).", hours, tierName(tier, l)),
		fmt.Sprintf("Telt ma–vr %s Brusselse tijd (%s), niet in weekends, op feestdagen of sluitingsdagen (R3.2, R3.3); pauzes zetten ze stil (R3.4).", hours, tierName(tier, l)))
}

// storyEnd is the last instant an explanation tells of: the end of its last step for a
// clock that stopped; now for one that runs or is paused, since a priority change made
// after its due still tells why it is breached (R4.4).
func storyEnd(x sla.Explanation, c *sla.Clock, now time.Time) time.Time {
	if n := len(x.Steps); c.Done() && n > 0 && !x.Steps[n-1].To.IsZero() {
		return x.Steps[n-1].To
	}
	return now
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
