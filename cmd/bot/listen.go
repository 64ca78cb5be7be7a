package main

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/digitaal-vlaanderen/magda-sla-bot/server"
)

// opsConns bounds the metrics listener's connections: a scraper and a few probes.
const opsConns = 64

// limits are serve's settings from the environment only: how it listens.
type limits struct {
	metricsAddr string // MAGDA_METRICS_ADDR; "" serves /metrics on the public address
	maxConns    int    // MAGDA_MAX_CONNS
}

func listenLimits(getenv func(string) string) (limits, error) {
	l := limits{metricsAddr: getenv("MAGDA_METRICS_ADDR"), maxConns: server.DefaultMaxConns()}
	if v := getenv("MAGDA_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return l, usagef("MAGDA_MAX_CONNS %q: want a whole number of connections, at least 1", v)
		}
		l.maxConns = n
	}
	return l, nil
}

// listeners are the public one and, with MAGDA_METRICS_ADDR, the operator's.
type listeners struct{ public, ops net.Listener }

func listen(addr string, lim limits) (listeners, error) {
	var l listeners
	var err error
	if l.public, err = net.Listen("tcp", addr); err != nil {
		return l, fmt.Errorf("listen: %w", err)
	}
	if lim.metricsAddr != "" {
		if l.ops, err = net.Listen("tcp", lim.metricsAddr); err != nil {
			l.public.Close()
			return l, fmt.Errorf("listen on MAGDA_METRICS_ADDR: %w", err)
		}
	}
	return l, nil
}

func (l listeners) close() {
	l.public.Close()
	if l.ops != nil {
		l.ops.Close()
	}
}

// print logs the start-up lines, structured as every log line: where the bot listens,
// where its metrics are, its connection and body limits, then each integration. The
// metrics line always comes second: the tests read it.
func (l listeners) print(log *slog.Logger, s settings, config string, lim limits, w *wiring) {
	log.Info("listening", "url", "http://"+l.public.Addr().String(), "database", redactDSN(s.db), "configuration", config, "version", version)
	if l.ops != nil {
		log.Info("metrics", "url", "http://"+l.ops.Addr().String()+"/metrics", "also", "/healthz /readyz", "setting", "MAGDA_METRICS_ADDR")
	} else {
		log.Info("metrics", "url", "http://"+l.public.Addr().String()+"/metrics", "hint", "set MAGDA_METRICS_ADDR to serve them only on another address")
	}
	b := w.bodies.Limits()
	log.Info("limits", "max_conns", lim.maxConns, "setting", "MAGDA_MAX_CONNS",
		"webhook_body", b.Fast, "slow_bodies", b.Slots, "slow_body_timeout", b.Timeout)
	for _, i := range w.on {
		log.Info("integration", "name", i.name, "state", i.state)
	}
}
