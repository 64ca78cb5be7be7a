package config

import (
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Customer finds a customer by id, case-insensitively.
func (c *Config) Customer(id string) (Customer, bool) {
	for _, cu := range c.Customers {
		if strings.EqualFold(cu.ID, id) {
			return cu, true
		}
	}
	return Customer{}, false
}

// TierOf gives a customer's tier (R1.1), for sla.Replay.
func (c *Config) TierOf(id string) (sla.Tier, bool) {
	cu, ok := c.Customer(id)
	return cu.Tier.T, ok
}

// Known reports whether id is a configured customer.
func (c *Config) Known(id string) bool {
	_, ok := c.Customer(id)
	return ok
}

// ClosureDays gives the closure days for sla.NewCalendars (R3.3).
func (c *Config) ClosureDays() []sla.Closure {
	out := make([]sla.Closure, len(c.Closures))
	for i, cl := range c.Closures {
		out[i] = sla.Closure{Date: cl.Date.D, Name: cl.Name}
	}
	return out
}

// ExtraWindows gives the operator's extra maintenance windows (R8.2).
func (c *Config) ExtraWindows() []sla.MaintenanceWindow {
	out := make([]sla.MaintenanceWindow, len(c.Maintenance.Extra))
	for i, w := range c.Maintenance.Extra {
		out[i] = sla.MaintenanceWindow{Start: w.Start.T, End: w.End.T, Note: w.Note}
	}
	return out
}

// CancelledWindows gives the Saturdays of reserved weekends the operator cancelled (R8.2).
func (c *Config) CancelledWindows() []sla.Date {
	out := make([]sla.Date, len(c.Maintenance.Cancelled))
	for i, d := range c.Maintenance.Cancelled {
		out[i] = d.D
	}
	return out
}

// Source names where the configuration came from.
func (c *Config) Source() string { return c.source }
