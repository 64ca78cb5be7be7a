package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// maxBackoff caps the wait between two tries of a failing message.
const maxBackoff = time.Hour

// Deliver sends what is due at now, one row after the other, until nothing is left
// that this process may claim, and gives how many it sent. Run's workers do the same
// without end; tests call it to step time.
func (n *Notifier) Deliver(ctx context.Context, now time.Time) (sent int, err error) {
	for {
		claimed, ok, err := n.deliverOne(ctx, now)
		if ok {
			sent++
		}
		if err != nil || !claimed {
			return sent, err
		}
	}
}

// claimable is what this process's workers may claim at now: the rows of the platforms
// it can send to, but not those of a service window that is shut (R3.2).
func (n *Notifier) claimable(now time.Time) storage.Claimable {
	c := storage.Claimable{Platforms: n.sendable}
	for _, t := range []sla.Tier{sla.Standard, sla.Dedicated} {
		if !window(n.o.Calendars.For(t), now, false).Equal(now) {
			c.Closed = append(c.Closed, string(t))
		}
	}
	return c
}

// deliverOne claims one row due at now, sends it and marks the outcome. claimed is
// false when nothing was due; sent whether the platform took the message.
//
// The send and the mark run to their end even when ctx ends (at shutdown), within
// SendTimeout: cutting a send short leaves its outcome unknown. A try whose outcome is
// unknown (a timeout, a reset, a 5xx, a death) is recorded in the row by the claim, so
// the next try on a Finder first looks for the message (see the package comment).
func (n *Notifier) deliverOne(ctx context.Context, now time.Time) (claimed, sent bool, err error) {
	if len(n.sendable) == 0 {
		return false, false, nil
	}
	d, ok, err := n.o.Store.Claim(ctx, n.o.Owner, now, n.o.Lease, n.claimable(now))
	if err != nil || !ok {
		return false, false, err
	}
	keep := context.WithoutCancel(ctx)
	sendCtx, cancel := context.WithTimeout(keep, n.o.SendTimeout)
	ref, sendErr := n.send(sendCtx, &d)
	cancel()
	markCtx, cancel := context.WithTimeout(keep, 30*time.Second)
	defer cancel()
	if sendErr == nil {
		if err := n.o.Store.MarkSent(markCtx, d.ID, n.o.Owner, now, ref); err != nil {
			if errors.Is(err, storage.ErrLeaseLost) {
				n.log.Error("notify: sent after the lease ran out: another process may send it again",
					"kind", d.Kind, "ticket", d.Ticket, "platform", d.Platform, "channel", d.Channel)
			}
			return true, true, fmt.Errorf("notify: mark sent: %w", err)
		}
		n.metrics.sent.WithLabelValues(d.Kind, d.Platform).Inc()
		return true, true, nil
	}
	return true, false, n.failed(markCtx, d, now, sendErr)
}

// failed records a failed try: a rate limit waits what the platform asked, holding the
// platform (or, where the limits are per conversation, the channel) for every process
// on the database; any other error waits Backoff, doubling per try, and after
// MaxAttempts tries parks the row for an operator. A failure that leaves no doubt that
// nothing was posted clears the row's unknown try.
func (n *Notifier) failed(ctx context.Context, d storage.Delivery, now time.Time, sendErr error) error {
	n.metrics.failed.WithLabelValues(d.Kind, d.Platform).Inc()
	p := n.o.Platforms[d.Platform]
	f := storage.Failure{Err: truncate(sendErr.Error(), 500), Count: true}
	var permanent *permanentError
	wait, limited := n.retryAfter(d.Platform, sendErr)
	switch {
	case limited:
		f.Next, f.Count, f.Hold = now.Add(wait), false, storage.HoldPlatform
		if p.PerChannel {
			f.Hold = storage.HoldChannel
		}
		n.log.Warn("notify: rate limited", "platform", d.Platform, "channel", d.Channel, "retry_after", wait)
	case errors.As(sendErr, &permanent):
		f.Next, f.Park = now, true
	default:
		f.Next = now.Add(n.backoff(d.Attempts + 1))
		f.Park = d.Attempts+1 >= n.o.MaxAttempts
	}
	refused := limited || permanent != nil || n.rejected(d.Platform, sendErr)
	f.Clear = refused && d.Unclear.IsZero()
	if f.Park {
		n.metrics.parked.WithLabelValues(d.Kind, d.Platform).Inc()
		n.log.Error("notify: message parked after failing: it will not be retried",
			"kind", d.Kind, "ticket", d.Ticket, "platform", d.Platform, "channel", d.Channel,
			"attempts", d.Attempts+1, "err", sendErr)
	} else if f.Count {
		n.log.Warn("notify: send failed, will retry", "kind", d.Kind, "ticket", d.Ticket,
			"platform", d.Platform, "channel", d.Channel, "attempt", d.Attempts+1, "next", f.Next, "err", sendErr)
	}
	if err := n.o.Store.MarkFailed(ctx, d.ID, n.o.Owner, f); err != nil {
		return fmt.Errorf("notify: mark failed: %w", err)
	}
	return nil
}

func (n *Notifier) retryAfter(platform string, err error) (time.Duration, bool) {
	p, ok := n.o.Platforms[platform]
	if !ok || p.RetryAfter == nil {
		return 0, false
	}
	wait, limited := p.RetryAfter(err)
	return max(wait, time.Second), limited
}

// rejected reports that err is the platform's clear refusal (Platform.Rejected).
func (n *Notifier) rejected(platform string, err error) bool {
	p := n.o.Platforms[platform]
	return p.Rejected != nil && p.Rejected(err)
}

// backoff is the wait after the nth failed try: Backoff, doubling, at most maxBackoff.
func (n *Notifier) backoff(try int) time.Duration {
	d := n.o.Backoff
	for i := 1; i < try && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// permanentError is a row that no retry can send (a body that does not decode).
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }

// lookBack widens the search for an earlier try before the instant it started: the
// platform's clock and ours may differ a little.
const lookBack = 5 * time.Minute

// send hands a row to its platform. A Finder tags the message with the row's key and,
// when an earlier try's outcome is unknown (d.Unclear), first looks for it: found, it
// is the message sent; not found, no earlier try got through and d.Unclear is cleared.
// A mail carries a Message-ID made from the key, the same for every try, so that
// receivers can drop a repeat.
func (n *Notifier) send(ctx context.Context, d *storage.Delivery) (ref string, err error) {
	key := outboxKey(*d)
	if d.Platform == PlatformMail {
		var m mail.Message
		if err := json.Unmarshal(d.Body, &m); err != nil {
			return "", &permanentError{fmt.Errorf("mail body: %w", err)}
		}
		m.ID = key
		return "", n.o.Mailer.Send(ctx, m)
	}
	var r commands.Reply
	if err := json.Unmarshal(d.Body, &r); err != nil {
		return "", &permanentError{fmt.Errorf("message body: %w", err)}
	}
	s := n.o.Platforms[d.Platform].Sender
	f, ok := s.(Finder)
	if !ok {
		return s.Send(ctx, d.Channel, r, "")
	}
	if !d.Unclear.IsZero() {
		ref, found, err := f.Find(ctx, d.Channel, key, d.Unclear.Add(-lookBack))
		switch {
		case err != nil && n.rejected(d.Platform, err):
			// The platform will not let us look (missing_scope, ...): a notice twice
			// beats a notice lost.
			n.log.Error("notify: cannot look for an earlier try: posting again, which may repeat it",
				"kind", d.Kind, "ticket", d.Ticket, "platform", d.Platform, "channel", d.Channel, "err", err)
		case err != nil:
			return "", fmt.Errorf("looking for an earlier try: %w", err)
		case found:
			n.log.Info("notify: an earlier try had got through: not sent again", "kind", d.Kind,
				"ticket", d.Ticket, "platform", d.Platform, "channel", d.Channel, "ref", ref)
			return ref, nil
		default:
			d.Unclear = time.Time{}
		}
	}
	return f.SendKeyed(ctx, d.Channel, r, key)
}

// outboxKey names an outbox row for the platforms, the same for every try: its id,
// with the notification's key (ticket, kind, slot) so that a database started anew
// does not take an old message with a reused id for its own.
func outboxKey(d storage.Delivery) string {
	return fmt.Sprintf("%d.%s.%s.%d", d.ID, d.Ticket, d.Kind, d.Slot)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
