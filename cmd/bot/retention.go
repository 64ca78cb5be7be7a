package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// pruneEvery is how often serve prunes: the rows it removes are weeks old, so an hour
// late costs nothing, and every replica may prune (one transaction, idempotent).
const pruneEvery = time.Hour

// wireRetention prunes sent messages and Jira delivery ids older than retention.sent,
// at start and then every hour (issue 14.3), and shows the database's size as
// magda_db_size_bytes.
func (a *app) wireRetention(w *wiring) {
	w.metrics.Registry().MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "magda_db_size_bytes",
		Help: "Size of the SQLite database file's pages, without its -wal file.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		n, err := a.db.Size(ctx)
		if err != nil {
			a.log.Warn("metrics: database size unknown", "err", err)
			return 0
		}
		return float64(n)
	}))
	w.loops = append(w.loops, func(ctx context.Context) error {
		t := time.NewTicker(pruneEvery)
		defer t.Stop()
		for {
			a.prune(ctx, time.Now())
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	})
}

// prune removes what is older than the configured retention; a failure is logged and
// tried again at the next round: nothing is lost by pruning late.
func (a *app) prune(ctx context.Context, now time.Time) {
	keep := a.config().Retention.Sent.D
	p, err := a.db.Prune(ctx, now.Add(-keep))
	switch {
	case err != nil && ctx.Err() == nil:
		a.log.Warn("retention: prune failed", "err", err)
	case p.Outbox+p.Notices+p.Deliveries > 0:
		a.log.Info("retention: pruned", "sent_messages", p.Outbox, "notice_keys", p.Notices, "jira_deliveries", p.Deliveries, "older_than", keep)
	}
}
