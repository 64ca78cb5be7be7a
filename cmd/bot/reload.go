package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// current is the configuration serve runs with, replaced whole by a reload.
type current struct {
	cfg  *config.Config
	cals *sla.Calendars
}

// config is the current configuration.
func (a *app) config() *config.Config { return a.cur.Load().cfg }

// calendars are the current configuration's calendars (its closure days, R3.3).
func (a *app) calendars() *sla.Calendars { return a.cur.Load().cals }

// liveCommands answers with the command handler of the current configuration: Slack,
// Teams and the notifier hold it, and a reload swaps what is behind it.
type liveCommands struct {
	h atomic.Pointer[commands.Handler]
}

func (l *liveCommands) Handle(ctx context.Context, c commands.Caller, text string) commands.Reply {
	return l.h.Load().Handle(ctx, c, text)
}

func (l *liveCommands) Run(ctx context.Context, c commands.Caller, cmd commands.Command) commands.Reply {
	return l.h.Load().Run(ctx, c, cmd)
}

func (l *liveCommands) Home(ctx context.Context, c commands.Caller, lang commands.Lang) commands.Reply {
	return l.h.Load().Home(ctx, c, lang)
}

func (l *liveCommands) Card(t sla.Ticket, lang commands.Lang, now time.Time) commands.Reply {
	return l.h.Load().Card(t, lang, now)
}

// reloader re-reads the configuration file on SIGHUP (issue 14.4).
type reloader struct {
	a        *app
	path     string // --config / MAGDA_CONFIG; "" is the built-in example
	commands *liveCommands
	onUpdate func(context.Context, sla.Ticket, string, string)
	notify   *notifyLoop // nil before wireNotify
}

// reload reads the file and, only when it is good, makes it the current configuration:
// channels, access, contacts, closures and the notification settings apply at once;
// a tier applies to tickets created from now on (R1.1: storage stores the tier with
// the created event). A bad file is refused with the same one line as at start-up and
// the running configuration stays. What the environment sets (tokens, addresses) and
// what the chat adapters were built with (jira mapping, teams.tenants, the Slack user
// groups of access) need a restart: the log line says so when they changed.
func (r *reloader) reload(ctx context.Context) error {
	a := r.a
	cfg, err := config.Load(r.path)
	if err != nil {
		a.log.Error("configuration not reloaded: the running one stays", "err", err.Error())
		return err
	}
	old := a.config()
	a.cur.Store(&current{cfg: cfg, cals: calendars(cfg)})
	r.commands.h.Store(a.commands(r.onUpdate))
	// Stored states follow the closures and the at-risk share, as at start: in the
	// background, with /readyz 503 until they do.
	stale, err := a.db.Reconfigure(ctx, fingerprint(cfg))
	if err != nil {
		a.log.Error("reload: ticket states keep the configuration they were derived under until the next start", "err", err)
	} else if stale {
		a.startRederive(ctx)
	}
	if r.notify != nil {
		r.notify.restart()
	}
	a.log.Info("configuration reloaded", "configuration", cfg.Source(), "customers", len(cfg.Customers), "rederive", stale)
	if restartNeeded(old, cfg) {
		a.log.Warn("reload: jira, teams.tenants or the Slack user groups of access changed; they apply after a restart")
	}
	return reportTiers(ctx, a.db, cfg, a.log)
}

// restartNeeded reports whether what the adapters were built with changed.
func restartNeeded(old, cfg *config.Config) bool {
	return fmt.Sprint(old.Jira, old.Teams.Tenants, old.Access.Agents, old.Access.SDMs) !=
		fmt.Sprint(cfg.Jira, cfg.Teams.Tenants, cfg.Access.Agents, cfg.Access.SDMs)
}

// onHangup runs reload on every SIGHUP until ctx ends.
func (r *reloader) onHangup(ctx context.Context) error {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-hup:
			if err := r.reload(ctx); err != nil && ctx.Err() != nil {
				return nil
			}
		}
	}
}

// notifyLoop runs the notifier, and on a reload stops it between passes and runs one
// built over the new configuration. What it decided is in the outbox, so nothing is
// lost or sent twice across the swap (a send cut short is looked up or retried as
// after any crash); its counters start again from zero, as after a restart.
type notifyLoop struct {
	build    func() (*notify.Notifier, error)
	restarts chan struct{}
	hooks    *hooks
	reg      *prometheus.Registry
	log      *slog.Logger
	cur      *notify.Notifier
}

// use makes n the running notifier: the command handler's hook and the metrics.
func (l *notifyLoop) use(n *notify.Notifier) {
	if l.cur != nil {
		for _, c := range l.cur.Collectors() {
			l.reg.Unregister(c)
		}
	}
	l.reg.MustRegister(n.Collectors()...)
	l.hooks.n.Store(n)
	l.cur = n
}

// restart asks run to swap the notifier; a reload right after another makes one swap.
func (l *notifyLoop) restart() {
	select {
	case l.restarts <- struct{}{}:
	default:
	}
}

func (l *notifyLoop) run(ctx context.Context) error {
	for {
		inner, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func(n *notify.Notifier) { done <- n.Run(inner) }(l.cur)
		select {
		case err := <-done:
			cancel()
			return err
		case <-ctx.Done():
			cancel()
			return <-done
		case <-l.restarts:
			cancel()
			if err := <-done; err != nil {
				return err
			}
			n, err := l.build()
			if err != nil { // the file was good, so this is rare: keep sending with the old one
				l.log.Error("reload: the notifier keeps its old settings", "err", err)
				continue
			}
			l.use(n)
		}
	}
}
