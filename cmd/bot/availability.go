package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/alertmanager"
	"github.com/digitaal-vlaanderen/magda-sla-bot/availability"
	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/statuspage"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

var (
	_ alertmanager.Store = alertStore{}
	_ statuspage.Store   = pageStore{}
)

// avail is what availability (R6.1) and the status page (R6.2, R8.2) share in one
// process: the page's client (nil without statuspage.url), the maintenance in force,
// and the counter.
type avail struct {
	page    *statuspage.Client
	maint   commands.Maintenance
	counter *availability.Counter
}

// availability builds a's avail once: the commands, the scheduler, the metrics and the
// CLI see the same windows.
func (a *app) availability() *avail {
	if a.av != nil {
		return a.av
	}
	cfg := a.cfg
	v := &avail{maint: commands.Maintenance{Extra: cfg.ExtraWindows(), Cancelled: cfg.CancelledWindows()}}
	if cfg.Statuspage.URL != "" {
		v.page = statuspage.New(statuspage.Options{URL: cfg.Statuspage.URL, Interval: cfg.Statuspage.Interval.D,
			Timeout: cfg.Statuspage.Timeout.D, Store: pageStore{a.db}, Logger: a.log,
			HTTP: &http.Client{Timeout: cfg.Statuspage.Timeout.D}})
		if err := v.page.Load(context.Background()); err != nil {
			a.log.Error("status page: loading kept maintenances failed", "err", err)
		}
		v.maint.Scheduled = v.page.Windows
	}
	v.counter = &availability.Counter{Store: a.db, Extra: v.maint.Extra, Cancelled: v.maint.Cancelled, Scheduled: v.maint.Scheduled}
	a.av = v
	return v
}

// maintenance is cfg's maintenance windows (R8.1, R8.2) with the status page's.
func (a *app) maintenance(cfg *config.Config) commands.Maintenance {
	return commands.Maintenance{Extra: cfg.ExtraWindows(), Cancelled: cfg.CancelledWindows(),
		Scheduled: a.availability().maint.Scheduled}
}

// status gives the page as last read, in the commands' terms.
func (v *avail) status() commands.StatusPage {
	if v.page == nil {
		return commands.StatusPage{}
	}
	s := v.page.Snapshot()
	p := commands.StatusPage{URL: s.URL, Read: s.Read, FailingSince: s.FailingSince}
	for _, c := range s.Components {
		p.Components = append(p.Components, commands.StatusComponent(c))
	}
	for _, i := range s.Incidents {
		p.Incidents = append(p.Incidents, commands.StatusIncident(i))
	}
	return p
}

// wireAvailability mounts the Alertmanager webhook (with MAGDA_ALERTMANAGER_TOKEN),
// runs the status page reader (with statuspage.url) and adds the availability metrics.
func (a *app) wireAvailability(w *wiring) {
	v := a.availability()
	token := w.getenv("MAGDA_ALERTMANAGER_TOKEN")
	if token != "" {
		// Not through handle: the token is checked before the body is read.
		w.mux.Handle("POST "+alertmanager.Path, w.metrics.Instrument("alertmanager", alertmanager.Handler(alertmanager.Options{
			Token: token, Rules: a.cfg.AlertRules(), Store: alertStore{a.db}, Logger: a.log,
			OnResult: func(result string) { w.metrics.Event("alertmanager", result) }, Unavailable: storage.Unavailable,
		})))
	}
	w.state("Alertmanager webhook", token != "", "set MAGDA_ALERTMANAGER_TOKEN")
	if v.page != nil {
		done := make(chan struct{})
		w.loops = append(w.loops, func(ctx context.Context) error { defer close(done); return v.page.Run(ctx) })
		w.drain = append(w.drain, func() { <-done })
	}
	w.state("status page", v.page != nil, "set statuspage.url")
	w.metrics.Availability(func(ctx context.Context, now time.Time) (sla.Availability, error) {
		return v.counter.Month(ctx, sla.MonthOf(now), now)
	})
}

// outageInvalid tells the sender's mistakes in outage events from the store's failures.
func outageInvalid(err error) bool { return errors.Is(err, storage.ErrInvalid) }

// alertStore and pageStore adapt the store to what alertmanager and statuspage declare.
type (
	alertStore struct{ db *storage.DB }
	pageStore  struct{ db *storage.DB }
)

func (s alertStore) MarkAlerts(ctx context.Context, ms []alertmanager.Mark) (int, error) {
	out := make([]storage.AlertMark, len(ms))
	for i, m := range ms {
		out[i] = storage.AlertMark(m)
	}
	return s.db.MarkAlerts(ctx, out)
}

func (s pageStore) SaveMaintenances(ctx context.Context, ms []statuspage.Maintenance) (int, error) {
	out := make([]storage.ScheduledMaintenance, len(ms))
	for i, m := range ms {
		out[i] = storage.ScheduledMaintenance(m)
	}
	return s.db.SaveMaintenances(ctx, out)
}

func (s pageStore) Maintenances(ctx context.Context) ([]statuspage.Maintenance, error) {
	ms, err := s.db.Maintenances(ctx)
	out := make([]statuspage.Maintenance, len(ms))
	for i, m := range ms {
		out[i] = statuspage.Maintenance(m)
	}
	return out, err
}
