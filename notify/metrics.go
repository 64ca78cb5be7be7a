package notify

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the outbox's counters, per process, and its depth, read from the
// database at each scrape so that every process reports the same.
type metrics struct {
	sent, failed, parked *prometheus.CounterVec
	depth                *prometheus.Desc
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
		store: s,
	}
}

// Collectors gives the notifier's Prometheus collectors, to register on the server's
// registry: reg.MustRegister(n.Collectors()...).
func (n *Notifier) Collectors() []prometheus.Collector {
	return []prometheus.Collector{n.metrics.sent, n.metrics.failed, n.metrics.parked, depthCollector{n.metrics}}
}

type depthCollector struct{ m *metrics }

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
	for _, d := range ds {
		ch <- prometheus.MustNewConstMetric(c.m.depth, prometheus.GaugeValue, float64(d.Count), d.State, d.Platform)
	}
}
