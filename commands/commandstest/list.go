package commandstest

import (
	"context"
	"slices"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// List replays every ticket and keeps the open ones of customer ("" for all), in the
// lists' order (sla.CompareNextDue), at most limit (0: all), with how many there are. It is the full sort that the store's indexed
// read must agree with.
func (s *Store) List(ctx context.Context, customer string, limit int) ([]sla.Ticket, int, error) {
	return s.open(ctx, customer, limit, func(sla.Ticket) bool { return true })
}

// Urgent is List over every customer, keeping the tickets at risk or breached at now
// as their views show them: a clock breached (R3.5) or past the AtRisk share of its
// target while it runs (R3.1), or an update missed (R5.3).
func (s *Store) Urgent(ctx context.Context, now time.Time, limit int) ([]sla.Ticket, int, error) {
	return s.open(ctx, "", limit, func(t sla.Ticket) bool { return Urgent(t.At(s.cals, now)) })
}

// Urgent says whether a ticket's view is at risk or breached: the App Home's choice.
func Urgent(v sla.View) bool {
	for _, c := range []*sla.ClockView{v.Response, v.Resolution} {
		switch {
		case c == nil:
		case c.Met != nil && !*c.Met:
			return true
		case c.DoneAt == nil && c.Due != nil && c.Used >= AtRisk:
			return true
		}
	}
	return v.Updates != nil && v.Updates.Missed > 0
}

func (s *Store) open(ctx context.Context, customer string, limit int, keep func(sla.Ticket) bool) ([]sla.Ticket, int, error) {
	all, err := s.Tickets(ctx, customer, true)
	if err != nil {
		return nil, 0, err
	}
	var out []sla.Ticket
	for _, t := range all {
		if t.Known && keep(t) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, sla.CompareNextDue)
	total := len(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, total, nil
}
