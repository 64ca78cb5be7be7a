package notify

import (
	"context"
	"slices"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the outbox's counters, per process, and its depth, read from the
// database at each scrape so that every process reports the same.
type metrics struct {
	sent, failed, parked *prometheus.CounterVec
	depth, due           *prometheus.Desc
	store                Store
}

func newMetrics(s Store) *metrics {
	labels := []string{"kind", "platform"}
	return &metrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "magda_notifications_sent_total",
			Help: "Notifications delivered, by kind and platform (slack, teams, mail)."}, labels),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "magda_notifications_failed_total",
			Help: "Failed tries to deliver a notification (rate limits included), by kind and platform."}, labels),
		parked: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "magda_notifications_parked_total",
			Help: "Notifications given up after too many failed tries, by kind and platform."}, labels),
		depth: prometheus.NewDesc("magda_outbox_depth",
			"Outbox messages not sent, by state (pending, parked) and platform.", []string{"state", "platform"}, nil),
		due: prometheus.NewDesc("magda_scheduler_due_tickets",
			"Tickets the scheduler is to look at by now: near 0 in steady state; the open tickets after a start on a new file or a change of its settings, until its first pass is through them.", nil, nil),
		store: s,
	}
}

// Collectors gives the notifier's Prometheus collectors, to register on the server's
// registry: reg.MustRegister(n.Collectors()...).
func (n *Notifier) Collectors() []prometheus.Collector {
	return []prometheus.Collector{n.metrics.sent, n.metrics.failed, n.metrics.parked, depthCollector{n.metrics, n.configured()},
		dueCollector{n.metrics, n.o.Clock}}
}

// configured are the platforms this process sends to, mail included when it has a
// Mailer, sorted.
func (n *Notifier) configured() []string {
	ps := make([]string, 0, len(n.o.Platforms)+1)
	for name := range n.o.Platforms {
		ps = append(ps, name)
	}
	if n.o.Mailer != nil {
		ps = append(ps, PlatformMail)
	}
	slices.Sort(ps)
	return ps
}

// depthStates are the outbox states that are not sent.
var depthStates = []string{storage.StatePending, storage.StateParked}

// depthCollector reports the depth of every state and configured platform, 0 included:
// an alert on magda_outbox_depth > 0 needs a series to compare, and a missing one reads
// as a scrape that failed.
type depthCollector struct {
	m         *metrics
	platforms []string
}

func (c depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.m.depth }

// Collect reads the depth with one indexed query; a failing query drops the gauge from
// that scrape only.
func (c depthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ds, err := c.m.store.OutboxDepth(ctx)
	if err != nil {
		return
	}
	type key struct{ state, platform string }
	depth := map[key]int{}
	for _, st := range depthStates {
		for _, p := range c.platforms {
			depth[key{st, p}] = 0
		}
	}
	for _, d := range ds { // rows of a platform no longer configured are still shown
		depth[key{d.State, d.Platform}] += d.Count
	}
	for k, n := range depth {
		ch <- prometheus.MustNewConstMetric(c.m.depth, prometheus.GaugeValue, float64(n), k.state, k.platform)
	}
}

// dueCollector reports the scheduler's backlog (magda_scheduler_due_tickets) with one
// count over the index of what is due.
type dueCollector struct {
	m     *metrics
	clock Clock
}

func (c dueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.m.due }

// Collect counts the backlog; a failing query drops the gauge from that scrape only.
func (c dueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := c.m.store.NoticesDue(ctx, c.clock.Now())
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.m.due, prometheus.GaugeValue, float64(n))
}
