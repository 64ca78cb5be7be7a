package config

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// Retention says how long what only grows is kept (issue 14.3); the event log is kept
// whole, it is the source of truth.
type Retention struct {
	// Sent is how long sent notification messages and Jira delivery ids are kept.
	Sent Duration `yaml:"sent"`
}

// DefaultRetention keeps sent messages 90 days: long enough to answer "was the customer
// told?" in a quarterly service review.
const DefaultRetention = 90 * 24 * time.Hour

// minRetention is the least that keeps duplicates out: a day's digest is decided until
// the day's end, and Jira retries a delivery for hours.
const minRetention = 24 * time.Hour

func (c *Config) retentionDefaults() {
	if c.Retention.Sent.D == 0 {
		c.Retention.Sent.D = DefaultRetention
	}
}

func (c *Config) validateRetention(root *yaml.Node) error {
	if c.Retention.Sent.D < minRetention {
		return fmt.Errorf("%d: retention.sent: %s is less than 24h, which could send a notice twice",
			lineOf(root, "retention", "sent"), c.Retention.Sent.D)
	}
	return nil
}
