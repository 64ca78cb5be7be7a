package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// startRederive re-derives in the background the ticket states a new configuration (or
// engine) made stale, or that a re-derive cut short by a stop left (issue 15.4): serve
// listens meanwhile, /readyz says how far it is, and the log has a line at its start and
// one at its end. A reload while it runs makes it go on with the new configuration.
func (a *app) startRederive(ctx context.Context) {
	a.db.StartRederive(ctx, storageHooks(a))
}

// rederiveReason is why /readyz answers 503 while a re-derive runs, "" when none does.
func (a *app) rederiveReason() string {
	done, total, running := a.db.Rederiving()
	if !running {
		return ""
	}
	return fmt.Sprintf("re-deriving ticket states for a new configuration: %s of %s done", thousands(done), thousands(total))
}

// rederiveGauge is the re-derive's progress as a metric: the stale ticket states left.
func (a *app) rederiveGauge() prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "magda_rederive_remaining_tickets",
		Help: "Ticket states still to re-derive for the current configuration (0 when none; /readyz is 503 until then).",
	}, func() float64 {
		done, total, running := a.db.Rederiving()
		if !running {
			return 0
		}
		return float64(max(total-done, 0))
	})
}

// thousands writes n with a comma between groups of three digits: 1,000,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func storageHooks(a *app) storage.RederiveHooks {
	return storage.RederiveHooks{
		Started: func(stale int) {
			a.log.Info("re-deriving ticket states for this configuration in the background; /readyz is 503 until done",
				"tickets", stale)
		},
		Finished: func(n, changed int, took time.Duration, err error) {
			if err != nil {
				a.log.Warn("re-deriving ticket states stopped; the next start goes on with those left",
					"rederived", n, "changed", changed, "took", took.Round(time.Millisecond), "err", err)
				return
			}
			a.log.Info("ticket states re-derived for this configuration", "rederived", n, "changed", changed,
				"took", took.Round(time.Millisecond))
		},
	}
}
