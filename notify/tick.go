package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// Tick is one scheduler pass at now: it decides, from the stored clocks of every open
// ticket, what is due and stores it in the outbox, with the escalations to announce
// (R7), the maintenance notice (R8), the error budget warnings (R6.1) and the morning
// digest when they are due. A decision already stored, by an earlier pass
// or another process, is not stored again; what became due while no pass ran (the bot
// was down) is decided now, once.
func (n *Notifier) Tick(ctx context.Context, now time.Time) error {
	start, err := n.start(ctx, now)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	dg, err := n.digestDue(ctx, now, start)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	added, err := n.o.Store.Decide(ctx, func(r storage.Running) []storage.Notification {
		if dg != nil {
			dg.add(n, r, now)
		}
		return n.decide(r, now, start)
	})
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	announced, err := n.announce(ctx, now, start)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	added += announced
	globals := n.maintenance(now, start)
	budget, err := n.budget(ctx, now, start)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	globals = append(globals, budget...)
	if dg != nil {
		globals = append(globals, n.digestNotifications(dg, now)...)
	}
	k, err := n.o.Store.Enqueue(ctx, globals...)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if added+k > 0 {
		n.poke()
	}
	return nil
}

// start is the outbox's first pass ever, stored by the first Tick on the file; it
// never changes, so it is read once.
func (n *Notifier) start(ctx context.Context, now time.Time) (time.Time, error) {
	n.firstMu.Lock() // not mu: skip takes mu inside the store's transactions
	defer n.firstMu.Unlock()
	if n.first.IsZero() {
		first, err := n.o.Store.OutboxStart(ctx, now)
		if err != nil {
			return time.Time{}, err
		}
		n.first = first
	}
	return n.first, nil
}

// standard is the calendar of working days for notices about no ticket.
func (n *Notifier) standard() *sla.Calendar { return n.o.Calendars.For(sla.Standard) }

// at gives the instant DigestAt on day d, in Brussels.
func (n *Notifier) at(d sla.Date) time.Time {
	return d.At(int(n.o.DigestAt/time.Hour), int(n.o.DigestAt%time.Hour/time.Minute))
}

func (n *Notifier) workingDay(d sla.Date) bool {
	k, _ := n.standard().DayInfo(d)
	return k == sla.WorkingDay
}

// maintenance gives the R8 notices due at now: at DigestAt on the last working day
// before each maintenance window (R8.1 weekends less the cancelled ones, plus the extra
// windows of R8.2), or at once for a window added later, until the window starts.
func (n *Notifier) maintenance(now, start time.Time) []storage.Notification {
	var out []storage.Notification
	m := n.o.Maintenance
	for _, w := range sla.Maintenance(now, 3, m.Windows(), m.Cancelled) {
		d := sla.DateOf(w.Start).AddDays(-1)
		for !n.workingDay(d) {
			d = d.AddDays(-1)
		}
		notice := n.at(d)
		if notice.After(now) || !now.Before(w.Start) {
			continue
		}
		if notice.Before(start) {
			continue // history, as in decide
		}
		out = append(out, storage.Notification{Kind: KindMaintenance, Slot: w.Start.Unix(), At: now,
			Messages: func() ([]storage.Message, error) {
				return n.messages(n.maintenanceReply(lang(n.o.Language), w), n.o.Announcements, nil)
			}})
	}
	return out
}
