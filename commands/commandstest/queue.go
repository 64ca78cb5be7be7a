package commandstest

import (
	"context"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// AtRisk is the share of a target from which the Store's Queue counts a clock as at
// risk: the default of notify.at_risk_share, as the bot's storage is given it.
const AtRisk = 0.75

// Queue replays every ticket and keeps the open ones of customer and priority, as
// storage does: a running clock due by dueBy, or at risk by riskBy; in the lists'
// order (sla.CompareNextDue), at most limit (0: all), with how many there are.
func (s *Store) Queue(ctx context.Context, customer string, priority sla.Priority, dueBy, riskBy time.Time, limit int) ([]sla.Ticket, int, error) {
	return s.open(ctx, customer, limit, func(t sla.Ticket) bool {
		if priority != sla.NoPriority && t.Priority != priority {
			return false
		}
		cal := s.cals.For(t.Tier)
		next, risk := time.Time{}, time.Time{}
		earliest := func(d *time.Time, x time.Time) {
			if !x.IsZero() && (d.IsZero() || x.Before(*d)) {
				*d = x
			}
		}
		for _, c := range []*sla.Clock{t.Response, t.Resolution} {
			if c.Running() {
				earliest(&next, c.Due)
				earliest(&risk, c.RiskAt(cal, AtRisk))
			}
		}
		if t.Updates.Running() {
			earliest(&next, t.Updates.Due)
		}
		return !next.IsZero() && !next.After(dueBy) || !riskBy.IsZero() && !risk.IsZero() && !risk.After(riskBy)
	})
}
