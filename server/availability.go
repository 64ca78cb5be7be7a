package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// availabilityCollector gives this month's R6.1 figures at scrape time.
type availabilityCollector struct {
	month       func(ctx context.Context, now time.Time) (sla.Availability, error)
	now         func() time.Time
	ratio, left *prometheus.Desc
}

// Availability adds magda_availability_ratio{component} and
// magda_error_budget_remaining_seconds{component} (negative once exceeded) for this
// calendar month up to now, per R6.1 component and for the infrastructure as a whole.
func (m *Metrics) Availability(month func(ctx context.Context, now time.Time) (sla.Availability, error)) {
	m.reg.MustRegister(&availabilityCollector{month: month, now: m.now,
		ratio: prometheus.NewDesc("magda_availability_ratio", "This calendar month's availability (R6.1), maintenance windows excluded, up to now.", []string{"component"}, nil),
		left:  prometheus.NewDesc("magda_error_budget_remaining_seconds", "This calendar month's error budget (0.5 % of its time outside maintenance, R6.1) left; negative once exceeded.", []string{"component"}, nil),
	})
}

func (c *availabilityCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.ratio
	ch <- c.left
}

func (c *availabilityCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	a, err := c.month(ctx, c.now())
	if err != nil {
		return
	}
	for _, f := range a.Components {
		ch <- prometheus.MustNewConstMetric(c.ratio, prometheus.GaugeValue, f.Ratio, string(f.Component))
		ch <- prometheus.MustNewConstMetric(c.left, prometheus.GaugeValue, f.Left.Seconds(), string(f.Component))
	}
}
