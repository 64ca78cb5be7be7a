package config

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// bad reports a bad scalar the way yaml reports an unknown key, so both carry the line.
func bad(n *yaml.Node, format string, a ...any) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: ", n.Line) + fmt.Sprintf(format, a...)}}
}

// Tier is a customer's tier (R1.1).
type Tier struct{ T sla.Tier }

// UnmarshalYAML reads standard or dedicated.
func (t *Tier) UnmarshalYAML(n *yaml.Node) error {
	v, err := sla.ParseTier(n.Value)
	if err != nil {
		return bad(n, "tier: %v", err)
	}
	t.T = v
	return nil
}

// Date is a YYYY-MM-DD date.
type Date struct{ D sla.Date }

// UnmarshalYAML reads YYYY-MM-DD.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	v, err := sla.ParseDate(n.Value)
	if err != nil {
		return bad(n, "date %q is not YYYY-MM-DD", n.Value)
	}
	d.D = v
	return nil
}

// Instant is an RFC 3339 time with an offset.
type Instant struct{ T time.Time }

// UnmarshalYAML reads RFC 3339.
func (i *Instant) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.Parse(time.RFC3339, n.Value)
	if err != nil {
		return bad(n, "time %q is not RFC 3339 with an offset (2026-07-18T22:00:00+02:00)", n.Value)
	}
	i.T = v
	return nil
}

// Duration is a Go duration ("30m", "1h30m").
type Duration struct{ D time.Duration }

// UnmarshalYAML reads a Go duration.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return bad(n, "duration %q is not like 30m or 1h30m", n.Value)
	}
	d.D = v
	return nil
}

// Clock is a time of day, HH:MM, in Brussels.
type Clock struct {
	Hour, Minute int
	Set          bool
}

// UnmarshalYAML reads HH:MM.
func (c *Clock) UnmarshalYAML(n *yaml.Node) error {
	t, err := time.Parse("15:04", strings.TrimSpace(n.Value))
	if err != nil {
		return bad(n, "time of day %q is not HH:MM", n.Value)
	}
	*c = Clock{Hour: t.Hour(), Minute: t.Minute(), Set: true}
	return nil
}
