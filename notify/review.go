package notify

import (
	"context"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// KindReview is the monthly service review post (R1.2).
const KindReview = "review"

// MonthlyReviews posts, on the first working day of each month from DigestAt on, each
// dedicated customer's service review of the month before, once, to the SDMs'
// channels and, with ToCustomers, to the customer's own channels. Its outbox key is
// (customer, review, the month's first instant): one post per customer and month,
// whatever the passes, restarts or processes.
type MonthlyReviews struct {
	Customers   []string // the dedicated customers' ids
	ToCustomers bool
	// Reply counts a customer's report for p and renders its summary card (with links).
	Reply func(ctx context.Context, customer string, p review.Period, l commands.Lang, now time.Time) (commands.Reply, error)
}

// firstWorkingDay is the first working day of d's month.
func (n *Notifier) firstWorkingDay(d sla.Date) sla.Date {
	day := sla.Date{Year: d.Year, Month: d.Month, Day: 1}
	for i := 0; i < 31 && !n.workingDay(day); i++ {
		day = day.AddDays(1)
	}
	return day
}

// monthlyReviews decides the month's review posts due at now: from DigestAt on the
// first working day of the month (or later in the month, after downtime), not for a
// month whose first working day came before the outbox's first pass (history).
func (n *Notifier) monthlyReviews(ctx context.Context, now, start time.Time) ([]storage.Notification, error) {
	mr := n.o.Reviews
	if mr == nil || len(mr.Customers) == 0 {
		return nil, nil
	}
	slot := n.at(n.firstWorkingDay(sla.DateOf(now)))
	if now.Before(slot) || slot.Before(start) {
		return nil, nil
	}
	p := review.LastMonth(now)
	var out []storage.Notification
	for _, id := range mr.Customers {
		done, err := n.o.Store.Decided(ctx, id, KindReview, p.From.Unix())
		if err != nil {
			return nil, err
		}
		if done {
			continue
		}
		r, err := mr.Reply(ctx, id, p, n.o.Language, now)
		if err != nil {
			return nil, err
		}
		r.Files = nil // the outbox posts the card; its links give the chart and the export
		chs := n.o.SDM
		if mr.ToCustomers {
			chs = append(append([]Channel(nil), chs...), n.customer(id).Channels...)
		}
		out = append(out, storage.Notification{Ticket: id, Kind: KindReview, Slot: p.From.Unix(), At: now,
			Messages: func() ([]storage.Message, error) { return n.messages(r, chs, nil) }})
	}
	return out, nil
}
