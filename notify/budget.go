package notify

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// Error budget warnings to the SDMs (R6.1): once per component and month each.
const (
	KindBudgetHalf     = "budget_half"     // half of the month's error budget used
	KindBudgetExceeded = "budget_exceeded" // the month's error budget used up: below 99.5 %
)

// Availability counts a month's R6.1 figure up to now (availability.Counter).
type Availability interface {
	Month(ctx context.Context, m sla.Month, now time.Time) (sla.Availability, error)
}

// budget gives the error budget warnings due at now, decided from the stored outages:
// for each component of R6.1 that has used half of this month's budget, and again when
// it has used it all. The outbox key's slot is the month's first second plus the
// component's place in sla.Components, so each warning is stored once per month, also
// across passes, restarts and processes. A warning whose month ended before the
// outbox's first pass is history.
func (n *Notifier) budget(ctx context.Context, now, start time.Time) ([]storage.Notification, error) {
	if n.o.Availability == nil || len(n.o.SDM) == 0 {
		return nil, nil
	}
	m := sla.MonthOf(now)
	if _, end := m.Bounds(); end.Before(start) {
		return nil, nil
	}
	a, err := n.o.Availability.Month(ctx, m, now)
	if err != nil {
		return nil, err
	}
	first, _ := m.Bounds()
	var out []storage.Notification
	for i, c := range sla.Components {
		f := a.Of(c)
		for _, kind := range []string{KindBudgetHalf, KindBudgetExceeded} {
			if kind == KindBudgetHalf && f.Used() < 0.5 || kind == KindBudgetExceeded && f.Left >= 0 || f.Budget <= 0 {
				continue
			}
			out = append(out, storage.Notification{Kind: kind, Slot: first.Unix() + int64(i), At: now,
				Messages: func() ([]storage.Message, error) {
					return n.messages(n.budgetReply(lang(n.o.Language), a, c, kind, now), n.o.SDM, nil)
				}})
		}
	}
	return out, nil
}

// budgetReply is the month's availability under a title that says which threshold the
// component crossed.
func (n *Notifier) budgetReply(l lang, a sla.Availability, c sla.Component, kind string, now time.Time) commands.Reply {
	r := commands.AvailabilityReply(a, commands.Lang(l), now)
	f := a.Of(c)
	if kind == KindBudgetExceeded {
		r.Status = commands.StatusBreached
		r.Title = fmt.Sprintf(l.pick("%s is below 99.5 %% in %s: its error budget is used up (R6.1)",
			"%s zit onder 99,5 %% in %s: het foutbudget is op (R6.1)"), c, a.Month)
	} else {
		r.Status = commands.StatusAtRisk
		r.Title = fmt.Sprintf(l.pick("%s has used half of its error budget for %s (R6.1)",
			"%s heeft de helft van het foutbudget van %s gebruikt (R6.1)"), c, a.Month)
	}
	// The component the warning is about comes first.
	i := slices.IndexFunc(r.Items, func(it commands.Item) bool {
		return it.Title == string(c)+": "+commands.Percent(f.Ratio, commands.Lang(l))
	})
	if i > 0 {
		it := r.Items[i]
		r.Items = slices.Insert(slices.Delete(r.Items, i, i+1), 0, it)
	}
	return r
}
