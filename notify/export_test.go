package notify

import (
	"context"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// NoteKey is a notification's key in the outbox: (ticket, kind, slot).
type NoteKey struct {
	Ticket, Kind string
	Slot         int64
}

// FullTick is Tick as it was before issue 15, for TestPassEquivalence: it decides on
// every ticket of open (every open ticket, in key order), not on those due, collects the
// digest from the same walk, and stores what it decides with Enqueue. decided plays
// the part of the old pass's read of the keys stored: a decision in it is not tried
// again, and FullTick adds the keys it stores.
func (n *Notifier) FullTick(ctx context.Context, now time.Time, open []storage.Running, decided map[NoteKey]bool) error {
	start, err := n.start(ctx, now)
	if err != nil {
		return err
	}
	dg, err := n.digestDue(ctx, now, start)
	if err != nil {
		return err
	}
	var ns []storage.Notification
	for _, r := range open {
		if dg != nil {
			dg.add(n, r, now)
		}
		out, _ := n.decide(r, now, start)
		for _, nt := range out {
			k := NoteKey{nt.Ticket, nt.Kind, nt.Slot}
			if !decided[k] {
				decided[k] = true
				ns = append(ns, nt)
			}
		}
	}
	added, err := n.o.Store.Enqueue(ctx, ns...)
	if err != nil {
		return err
	}
	return n.globals(ctx, now, start, dg, added)
}
