package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// TicketCount is one line of the ticket gauges: open tickets of a customer and priority.
type TicketCount struct {
	Customer, Priority string
	Open, Paused       int
	AtRisk, Breached   int
}

// NoPriority is the priority label of a ticket without one: a connection request (R2.3)
// has none, and an empty label value would read as a missing label.
const NoPriority = "none"

// Metrics holds the bot's Prometheus collectors on a registry of its own.
type Metrics struct {
	reg      *prometheus.Registry
	events   *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	counts   func(ctx context.Context, now time.Time) ([]TicketCount, error)
	now      func() time.Time
	open     *prometheus.Desc
	paused   *prometheus.Desc
	atRisk   *prometheus.Desc
	breached *prometheus.Desc
}

// NewMetrics registers the collectors. counts is asked at every scrape for the ticket
// gauges (one indexed query); a failing query drops the gauges from that scrape only.
func NewMetrics(counts func(ctx context.Context, now time.Time) ([]TicketCount, error), now func() time.Time) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "magda_events_received_total",
			Help: "Ticket events received, by source (api, jira, slack, teams) and result (stored, duplicate, ignored, rejected, unauthorized, error).",
		}, []string{"source", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "magda_http_request_duration_seconds",
			Help:    "HTTP request latencies by route and status code.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "code"}),
		counts:   counts,
		now:      now,
		open:     prometheus.NewDesc("magda_open_tickets", "Open (not resolved) tickets by customer and priority.", []string{"customer", "priority"}, nil),
		paused:   prometheus.NewDesc("magda_paused_tickets", "Paused tickets (R3.4) by customer and priority.", []string{"customer", "priority"}, nil),
		atRisk:   prometheus.NewDesc("magda_tickets_at_risk", "Open tickets past the at-risk share of a target (notify.at_risk_share) with no clock breached yet.", []string{"customer", "priority"}, nil),
		breached: prometheus.NewDesc("magda_clocks_breached", "Running clocks (response, resolution, next R5.3 update) past their due time.", []string{"customer", "priority"}, nil),
	}
	m.reg.MustRegister(m.events, m.latency, m,
		prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

// Registry lets other packages register their own collectors (the notify outbox).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Event counts one received event (or delivery) by source and result.
func (m *Metrics) Event(source, result string) { m.events.WithLabelValues(source, result).Inc() }

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Describe implements prometheus.Collector for the ticket gauges.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.open
	ch <- m.paused
	ch <- m.atRisk
	ch <- m.breached
}

// Collect implements prometheus.Collector: the ticket gauges, read at scrape time.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	if m.counts == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cs, err := m.counts(ctx, m.now())
	if err != nil {
		return
	}
	for _, c := range cs {
		prio := c.Priority
		if prio == "" {
			prio = NoPriority
		}
		ch <- prometheus.MustNewConstMetric(m.open, prometheus.GaugeValue, float64(c.Open), c.Customer, prio)
		ch <- prometheus.MustNewConstMetric(m.paused, prometheus.GaugeValue, float64(c.Paused), c.Customer, prio)
		ch <- prometheus.MustNewConstMetric(m.atRisk, prometheus.GaugeValue, float64(c.AtRisk), c.Customer, prio)
		ch <- prometheus.MustNewConstMetric(m.breached, prometheus.GaugeValue, float64(c.Breached), c.Customer, prio)
	}
}

// Instrument records the latency of every request to h under route.
func (m *Metrics) Instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(sw, r)
		m.latency.WithLabelValues(route, strconv.Itoa(sw.code)).Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (s *statusWriter) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
