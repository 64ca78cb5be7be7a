package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
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

// platforms are those this process can send to and that no rate limit holds at now.
func (n *Notifier) platforms(now time.Time) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var ps []string
	for name := range n.o.Platforms {
		if until, held := n.held[name]; !held || !now.Before(until) {
			ps = append(ps, name)
		}
	}
	if n.o.Mailer != nil {
		ps = append(ps, PlatformMail)
	}
	slices.Sort(ps)
	return ps
}

func (n *Notifier) hold(platform string, until time.Time) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if until.After(n.held[platform]) {
		n.held[platform] = until
	}
}

// deliverOne claims one row due at now, sends it and marks the outcome. claimed is
// false when nothing was due; sent whether the platform took the message.
//
// The send and the mark run to their end even when ctx ends (at shutdown), within
// SendTimeout: cutting a send short leaves its outcome unknown, which is how a message
// gets sent twice. Between the platform's answer and the mark's commit lies the one
// window where a crash repeats a message (see the package comment).
func (n *Notifier) deliverOne(ctx context.Context, now time.Time) (claimed, sent bool, err error) {
	ps := n.platforms(now)
	if len(ps) == 0 {
		return false, false, nil
	}
	d, ok, err := n.o.Store.Claim(ctx, n.o.Owner, now, n.o.Lease, ps)
	if err != nil || !ok {
		return false, false, err
	}
	keep := context.WithoutCancel(ctx)
	sendCtx, cancel := context.WithTimeout(keep, n.o.SendTimeout)
	ref, sendErr := n.send(sendCtx, d)
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
// whole platform; any other error waits Backoff, doubling per try, and after
// MaxAttempts tries parks the row for an operator.
func (n *Notifier) failed(ctx context.Context, d storage.Delivery, now time.Time, sendErr error) error {
	n.metrics.failed.WithLabelValues(d.Kind, d.Platform).Inc()
	f := storage.Failure{Err: truncate(sendErr.Error(), 500), Count: true}
	var permanent *permanentError
	switch wait, limited := n.retryAfter(d.Platform, sendErr); {
	case limited:
		f.Next, f.Count = now.Add(wait), false
		n.hold(d.Platform, f.Next)
		n.log.Warn("notify: rate limited", "platform", d.Platform, "retry_after", wait)
	case errors.As(sendErr, &permanent):
		f.Next, f.Park = now, true
	default:
		f.Next = now.Add(n.backoff(d.Attempts + 1))
		f.Park = d.Attempts+1 >= n.o.MaxAttempts
	}
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

// send hands a row to its platform.
func (n *Notifier) send(ctx context.Context, d storage.Delivery) (ref string, err error) {
	if d.Platform == PlatformMail {
		var m mail.Message
		if err := json.Unmarshal(d.Body, &m); err != nil {
			return "", &permanentError{fmt.Errorf("mail body: %w", err)}
		}
		return "", n.o.Mailer.Send(ctx, m)
	}
	var r commands.Reply
	if err := json.Unmarshal(d.Body, &r); err != nil {
		return "", &permanentError{fmt.Errorf("message body: %w", err)}
	}
	return n.o.Platforms[d.Platform].Sender.Send(ctx, d.Channel, r, "")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
