package config

import (
	"fmt"
	"net/url"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/alertmanager"
)

// Alertmanager maps Prometheus Alertmanager's alerts to the R6.1 components.
type Alertmanager struct {
	// Components gives, per component, label matchers an alert must all match
	// (`alertname=~"Postgres.*"`); a component left out reads the alert's `component`
	// label, one given [] takes no alerts.
	Components map[string][]string `yaml:"components"`
}

// Statuspage is the MAGDA status page (R6.2, R8.2), an Atlassian Statuspage.
type Statuspage struct {
	URL      string   `yaml:"url"`      // the page's address; empty: off
	Interval Duration `yaml:"interval"` // between reads (default 1m)
	Timeout  Duration `yaml:"timeout"`  // of one read (default 10s)
}

// AlertRules gives the configured matchers, parsed (they were checked at load).
func (c *Config) AlertRules() alertmanager.Rules {
	r, _ := alertmanager.ParseRules(c.Alertmanager.Components)
	return r
}

func (c *Config) availabilityDefaults() {
	if c.Statuspage.Interval.D == 0 {
		c.Statuspage.Interval.D = time.Minute
	}
	if c.Statuspage.Timeout.D == 0 {
		c.Statuspage.Timeout.D = 10 * time.Second
	}
}

func (c *Config) validateAvailability(at func(path ...any) int) error {
	if _, err := alertmanager.ParseRules(c.Alertmanager.Components); err != nil {
		return fmt.Errorf("%d: alertmanager.components: %v", at("alertmanager", "components"), err)
	}
	if s := c.Statuspage.URL; s != "" {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%d: statuspage.url: %q is not an http(s) address", at("statuspage", "url"), s)
		}
	}
	if c.Statuspage.Interval.D < 10*time.Second {
		return fmt.Errorf("%d: statuspage.interval: %v is under 10s", at("statuspage", "interval"), c.Statuspage.Interval.D)
	}
	if c.Statuspage.Timeout.D <= 0 || c.Statuspage.Timeout.D > c.Statuspage.Interval.D {
		return fmt.Errorf("%d: statuspage.timeout: %v must be above 0 and at most the interval", at("statuspage", "timeout"), c.Statuspage.Timeout.D)
	}
	return nil
}
