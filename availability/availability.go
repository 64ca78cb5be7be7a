package availability

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Store gives the outages that overlap [from, to).
type Store interface {
	Outages(ctx context.Context, from, to time.Time) ([]sla.Outage, error)
}

// Counter counts months. Extra and Cancelled are the configuration's R8.2 changes;
// Scheduled, when set, gives the status page's scheduled maintenances (R8.2) as last
// read. It is safe for concurrent use.
type Counter struct {
	Store     Store
	Extra     []sla.MaintenanceWindow
	Cancelled []sla.Date
	Scheduled func() []sla.MaintenanceWindow
}

// Windows gives every extra window in force: the configuration's and the status
// page's, by start.
func (c *Counter) Windows() []sla.MaintenanceWindow {
	out := slices.Clone(c.Extra)
	if c.Scheduled != nil {
		out = append(out, c.Scheduled()...)
	}
	slices.SortFunc(out, func(a, b sla.MaintenanceWindow) int { return a.Start.Compare(b.Start) })
	return out
}

// Month is the R6.1 figure of month m, counted up to now: per component and for the
// infrastructure, downtime outside maintenance, the ratio and the error budget left.
// The service review (issue 11) shows this figure.
func (c *Counter) Month(ctx context.Context, m sla.Month, now time.Time) (sla.Availability, error) {
	start, end := m.Bounds()
	outages, err := c.Store.Outages(ctx, start, end)
	if err != nil {
		return sla.Availability{}, fmt.Errorf("availability %s: %w", m, err)
	}
	return sla.MonthlyAvailability(m, outages, sla.MonthWindows(m, c.Windows(), c.Cancelled), now), nil
}
