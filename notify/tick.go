package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// Tick is one scheduler pass at now: it decides, from the stored clocks of the open
// tickets that have something due, what is due and stores it in the outbox, with the
// escalations to announce (R7), the maintenance notice (R8), the error budget warnings
// (R6.1) and the morning digest when they are due. A decision already stored, by an
// earlier pass or another process, is not stored again; what became due while no pass
// ran (the bot was down) is decided now, once.
//
// A pass looks only at the tickets whose next notice instant has come, as decide
// computed it the last time it looked at them, and at those written since (issue 15).
// The first pass of a Notifier looks at every open ticket when its settings are not
// those the stored instants were computed with (fingerprint): after an upgrade, or a
// reload that changed the at-risk share, the update lead or the closure days.
func (n *Notifier) Tick(ctx context.Context, now time.Time) error {
	start, err := n.start(ctx, now)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if err := n.resetOnce(ctx); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	dg, err := n.digestDue(ctx, now, start)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	added, err := n.o.Store.Decide(ctx, now, func(r storage.Running) ([]storage.Notification, storage.Next) {
		ns, next := n.decide(r, now, start)
		return ns, storage.Next{Notice: next, Digest: n.digestFrom(r)}
	})
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if dg != nil {
		if err := n.collect(ctx, dg, now); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	return n.globals(ctx, now, start, dg, added)
}

// globals stores what a pass decides besides the tickets' own notices: the
// escalations to announce, the maintenance notices, the error budget warnings, the
// digest dg (nil: none due) and the monthly reviews. added is how many notifications
// the pass stored already; the workers are woken when there is anything new.
func (n *Notifier) globals(ctx context.Context, now, start time.Time, dg *digest, added int) error {
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
	reviews, err := n.monthlyReviews(ctx, now, start)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	globals = append(globals, reviews...)
	k, err := n.o.Store.Enqueue(ctx, globals...)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if added+k > 0 {
		n.poke()
	}
	return nil
}

// resetOnce has the Notifier's first pass look at every open ticket when the stored
// instants were computed with other settings (storage.DB.ResetNoticesFor); after a
// failure the next pass tries again.
func (n *Notifier) resetOnce(ctx context.Context) error {
	n.resetMu.Lock()
	defer n.resetMu.Unlock()
	if n.reset {
		return nil
	}
	k, ran, err := n.o.Store.ResetNoticesFor(ctx, n.fingerprint())
	if err != nil {
		return err
	}
	if ran {
		n.log.Info("notify: every open ticket is looked at again for these settings", "tickets", k)
	}
	n.reset = true
	return nil
}

// stagesVersion names the rules by which decide and digestFrom compute a ticket's
// instants (stages, updateStages, window): change it when they change, so that the
// first pass of the new version computes every ticket's instants again.
const stagesVersion = "issue15"

// fingerprint names what the instants decide and digestFrom give depend on besides a
// ticket's stored state: the rules, the engine's calendars and their closure days
// (R3.2, R3.3), the at-risk share (R5.1, R5.2) and the update lead (R5.3).
func (n *Notifier) fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "stages %s\nengine %s\nshare %v\nlead %v\n", stagesVersion, sla.Version, n.o.AtRisk, n.o.UpdateLead)
	for _, c := range n.o.Calendars.Closures() {
		fmt.Fprintf(h, "closure %v\n", c.Date)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// start is the scheduler's horizon on this file, stored by the first call ever (bot
// serve stores it before it listens; a Notifier alone, by its first Tick); it never
// changes, so it is read once.
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
