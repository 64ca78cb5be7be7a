package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/jira"
	"github.com/digitaal-vlaanderen/magda-sla-bot/server"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// settings are the flags and environment variables every command that opens the store
// shares (CONTRACT.md: flags override the environment).
type settings struct {
	addr, db, config string
}

func (s *settings) flags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&s.addr, "addr", or(getenv("MAGDA_ADDR"), ":8080"), "listen address (MAGDA_ADDR)")
	fs.StringVar(&s.db, "db", or(getenv("MAGDA_DB"), "./magda.db"), "SQLite file, or a postgres:// URL (MAGDA_DB)")
	fs.StringVar(&s.config, "config", getenv("MAGDA_CONFIG"), "configuration file (MAGDA_CONFIG; default: the built-in example)")
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// app is what every command that works on the store needs. cfg and cals are the
// configuration it started with; what serve runs reads the current one (config,
// calendars), which a reload replaces.
type app struct {
	cfg     *config.Config
	cals    *sla.Calendars
	cur     atomic.Pointer[current]
	path    string // the configuration file, "" for the built-in example
	db      *storage.DB
	log     *slog.Logger
	av      *avail      // availability(): built on first use
	reviews chatReviews // the chat's service reviews (review.go)
}

func openApp(s settings, log *slog.Logger) (*app, error) {
	a, err := openStore(s, log)
	if err != nil {
		return nil, err
	}
	// Stored states follow the configuration: a new tier, closure day or at-risk share
	// (or a new engine) makes every stored state stale at once, which costs one write.
	// serve re-derives them in the background (startRederive); the other commands only
	// read, and a single ticket is derived from its events while its row is stale.
	if _, err := a.db.Reconfigure(context.Background(), fingerprint(a.cfg)); err != nil {
		a.db.Close()
		return nil, err
	}
	return a, nil
}

// openStore is openApp without making the configuration the one stored states are
// derived under: `bot migrate` reads its source as it is, and sets the target's only
// once it knows the target is empty.
func openStore(s settings, log *slog.Logger) (*app, error) {
	cfg, err := config.Load(s.config)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	a := &app{cfg: cfg, cals: calendars(cfg), path: s.config, log: log}
	a.cur.Store(&current{cfg: a.cfg, cals: a.cals})
	// Through a.cur: after a reload, new tickets get the tiers configured then (R1.1),
	// and states are derived with its closures and at-risk share.
	db, err := storage.Open(s.db, storage.Options{
		Derive: func(evs []sla.Event) sla.Ticket { c := a.cur.Load(); return sla.Replay(evs, c.cfg.TierOf, c.cals) },
		Apply:  func(t sla.Ticket, e sla.Event) (sla.Ticket, bool) { return sla.Advance(t, e, a.calendars()) },
		TierOf: func(customer string) (sla.Tier, bool) { return a.config().TierOf(customer) },
		RiskAt: func(t sla.Ticket) time.Time {
			c := a.cur.Load()
			cal, share := c.cals.For(t.Tier), c.cfg.Notify.AtRiskShare
			return earliest(t.Response.RiskAt(cal, share), t.Resolution.RiskAt(cal, share))
		},
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redactDSN(s.db), err)
	}
	a.db = db
	return a, nil
}

// reportTiers says at start-up, one line per customer, which customers changed tier and
// how many open tickets keep the tier they were created under (R1.1), and which open
// tickets belong to a customer no longer configured, with the tier they keep.
func reportTiers(ctx context.Context, db *storage.DB, cfg *config.Config, log *slog.Logger) error {
	tiers, err := db.CustomerTiers(ctx)
	if err != nil {
		return err
	}
	for _, t := range tiers {
		now, ok := cfg.TierOf(t.Customer)
		switch {
		case !ok:
			log.Warn("open tickets of a customer no longer configured keep their tier",
				"customer", t.Customer, "tier", t.Tier, "open", t.Open)
		case now != t.Tier:
			log.Info("customer changed tier: open tickets keep the tier they were created under",
				"customer", t.Customer, "kept", t.Tier, "configured", now, "open", t.Open)
		}
	}
	return nil
}

// fingerprint names what stored states depend on besides the events: the engine, the
// store's schema (the columns derived from a state), the at-risk share, the tiers and
// the closure days.
func fingerprint(cfg *config.Config) string {
	h := sha256.New()
	fmt.Fprintf(h, "engine %s\nschema %s\nshare %v\n", sla.Version, storage.Schema(), cfg.Notify.AtRiskShare)
	for _, c := range cfg.Customers {
		fmt.Fprintf(h, "customer %s %s\n", strings.ToLower(c.ID), c.Tier.T)
	}
	for _, c := range cfg.ClosureDays() {
		fmt.Fprintf(h, "closure %s\n", c.Date)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// serve is `bot serve` (and `bot` alone): the HTTP server until ctx ends.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var s settings
	s.flags(fs, getenv)
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	lim, err := listenLimits(getenv)
	if err != nil {
		return err
	}
	log := newLogger(stdout)
	a, err := openApp(s, log)
	if err != nil {
		return err
	}
	defer a.db.Close()
	if err := reportTiers(context.WithoutCancel(ctx), a.db, a.cfg, log); err != nil {
		return err
	}

	// The scheduler's horizon (what was due before it is history) is the first start of
	// serve on this file, stored before it listens: an event stored by the first process
	// and acknowledged before its first pass (it was killed, say) is not history to the
	// next one.
	if _, err := a.db.OutboxStart(context.WithoutCancel(ctx), time.Now()); err != nil {
		return err
	}
	lns, err := listen(s.addr, lim)
	if err != nil {
		return err
	}
	w, err := a.wire(getenv, lns.ops != nil)
	if err != nil {
		lns.close()
		return usageError{err.Error()}
	}
	srvs := []*http.Server{server.NewHTTP(w.mux, log)}
	serving := []net.Listener{server.LimitListener(lns.public, lim.maxConns)}
	if lns.ops != nil {
		srvs = append(srvs, server.NewHTTP(w.ops, log))
		serving = append(serving, server.LimitListener(lns.ops, opsConns))
	}
	unpid, err := writePID(s.db, getenv)
	if err != nil {
		lns.close()
		return err
	}
	defer unpid()
	lns.print(log, s, a.cfg.Source(), lim, w)
	a.startRederive(ctx)

	errc := make(chan error, len(srvs)+len(w.loops))
	for i, srv := range srvs {
		go func() { errc <- srv.Serve(serving[i]) }()
	}
	loops, stopLoops := context.WithCancel(ctx)
	defer stopLoops()
	for _, loop := range w.loops {
		go func() { errc <- loop(loops) }()
	}
	select {
	case err := <-errc:
		if ctx.Err() != nil {
			break // a loop that ended because serve is stopping: shut down as asked
		}
		stopLoops()
		for _, srv := range srvs {
			srv.Close()
		}
		if err == nil {
			err = errors.New("a background loop stopped")
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	stopLoops()
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, srv := range srvs {
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	for _, wait := range w.drain {
		wait()
	}
	return nil
}

type integration struct{ name, state string }

// wiring is what serve runs: the routes (ops: the operator's, with MAGDA_METRICS_ADDR),
// the background loops (Socket Mode, the scheduler), and what to wait for after the HTTP
// server stopped.
type wiring struct {
	mux, ops *http.ServeMux
	metrics  *server.Metrics
	bodies   *server.Bodies
	getenv   func(string) string
	on       []integration
	loops    []func(context.Context) error
	drain    []func()
}

// handle mounts h on pattern, its latency measured under route. A POST route's body is
// read first within the slow-body limits (issue 10.4): Slack, Teams and Jira read it
// before they can tell who sent it.
func (w *wiring) handle(pattern, route string, h http.Handler) {
	if strings.HasPrefix(pattern, http.MethodPost+" ") {
		h = w.bodies.Wrap(route, h)
	}
	w.mux.Handle(pattern, w.metrics.Instrument(route, h))
}

// state notes whether an integration is on, or why it is off, for the start-up lines.
func (w *wiring) state(name string, enabled bool, why string) {
	s := "on"
	if !enabled {
		s = "off (" + why + ")"
	}
	w.on = append(w.on, integration{name, s})
}

// wire mounts every endpoint whose settings are present and says which are on. With
// separateOps the metrics are served only on the operator's mux, and the health checks
// on both: a probe of either address tells whether the process is up.
func (a *app) wire(getenv func(string) string, separateOps bool) (*wiring, error) {
	m := server.NewMetrics(a.counts, time.Now)
	w := &wiring{mux: http.NewServeMux(), metrics: m, bodies: server.NewBodies(server.BodyLimits{}, a.log), getenv: getenv}
	ops := w.mux
	if separateOps {
		w.ops = http.NewServeMux()
		ops = w.ops
		ops.Handle("GET /healthz", m.Instrument("healthz", server.Health()))
		ops.Handle("GET /readyz", m.Instrument("readyz", server.Ready(a.db.Ping, a.rederiveReason, a.log)))
	}
	w.handle("GET /healthz", "healthz", server.Health())
	w.handle("GET /readyz", "readyz", server.Ready(a.db.Ping, a.rederiveReason, a.log))
	ops.Handle("GET /metrics", m.Handler())
	m.Registry().MustRegister(a.rederiveGauge())

	token := getenv("MAGDA_API_TOKEN")
	if token != "" {
		// Not through handle: the token is checked before the body is read.
		w.mux.Handle("POST "+server.EventsPath, m.Instrument("events", server.Events(server.EventsOptions{
			Token: token, Store: a.db, Customer: a.customerID, Bodies: w.bodies, Metrics: m, Logger: a.log,
			Outages: a.db, OutageInvalid: outageInvalid, Unavailable: storage.Unavailable,
		})))
	}
	w.state("events API", token != "", "set MAGDA_API_TOKEN")
	secret := getenv("JIRA_WEBHOOK_SECRET")
	if secret != "" {
		w.handle("POST /webhooks/jira", "jira", jira.Handler(jira.HandlerOptions{
			Secret: []byte(secret), Mapping: a.cfg.Jira, Known: func(id string) bool { return a.config().Known(id) }, Store: a.db, Logger: a.log,
			OnResult: func(result string) { m.Event("jira", result) }, Unavailable: storage.Unavailable,
		}))
	}
	w.state("Jira webhooks", secret != "", "set JIRA_WEBHOOK_SECRET")
	a.wireAvailability(w)
	if err := a.wireReview(w); err != nil {
		return nil, err
	}
	reviews, err := a.chatReviews(getenv)
	if err != nil {
		return nil, err
	}
	a.reviews = reviews

	k := &hooks{}
	h := &liveCommands{}
	h.h.Store(a.commands(k.updated))
	if err := a.wireSlack(w, h); err != nil {
		return nil, err
	}
	bot, err := a.wireTeams(w, h)
	if err != nil {
		return nil, err
	}
	loop, err := a.wireNotify(w, k, h, bot)
	if err != nil {
		return nil, err
	}
	r := &reloader{a: a, path: a.path, commands: h, onUpdate: k.updated, notify: loop}
	w.loops = append(w.loops, r.onHangup)
	a.wireRetention(w)
	a.mountOff(w)
	return w, nil
}

// customerID gives the configured spelling of a customer id given in any case.
func (a *app) customerID(id string) (string, bool) {
	c, ok := a.config().Customer(id)
	return c.ID, ok
}

// counts adapts the store's ticket counts to the metrics' gauges.
func (a *app) counts(ctx context.Context, now time.Time) ([]server.TicketCount, error) {
	cs, err := a.db.Counts(ctx, now)
	if err != nil {
		return nil, err
	}
	out := make([]server.TicketCount, len(cs))
	for i, c := range cs {
		out[i] = server.TicketCount{Customer: c.Customer, Priority: c.Priority, Open: c.Open, Paused: c.Paused,
			AtRisk: c.AtRisk, Breached: c.Breached}
	}
	return out, nil
}
