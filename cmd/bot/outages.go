package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// monthFlag reads --month YYYY-MM; empty is this month.
func monthFlag(cmd, s string, now time.Time) (sla.Month, error) {
	if s == "" {
		return sla.MonthOf(now), nil
	}
	m, err := sla.ParseMonth(s)
	if err != nil {
		return sla.Month{}, usagef("%s: --month: %v", cmd, err)
	}
	return m, nil
}

// availabilityJSON is `bot availability --format json`: the month's R6.1 figure.
type availabilityJSON struct {
	Month        string          `json:"month"`
	AsOf         string          `json:"as_of"`
	Target       float64         `json:"target"`
	TotalS       int64           `json:"total_s"`
	MaintenanceS int64           `json:"maintenance_s"`
	ScheduledS   int64           `json:"scheduled_s"`
	Windows      []windowJSON    `json:"maintenance_windows"`
	Components   []componentJSON `json:"components"`
}

type windowJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Note  string `json:"note"`
}

type componentJSON struct {
	Component  string       `json:"component"`
	Ratio      float64      `json:"ratio"`
	DowntimeS  int64        `json:"downtime_s"`
	BudgetS    int64        `json:"budget_s"`
	RemainingS int64        `json:"budget_remaining_s"`
	Outages    []outageJSON `json:"outages"`
}

type outageJSON struct {
	ID        int64   `json:"id"`
	Component string  `json:"component"`
	Start     string  `json:"start"`
	End       *string `json:"end"`
	Note      string  `json:"note"`
	Source    string  `json:"source"`
}

func brussels(t time.Time) string { return t.In(sla.Brussels).Format(time.RFC3339) }

func outageOut(o sla.Outage) outageJSON {
	j := outageJSON{ID: o.ID, Component: string(o.Component), Start: brussels(o.Start), Note: o.Note, Source: o.Source}
	if !o.End.IsZero() {
		e := brussels(o.End)
		j.End = &e
	}
	return j
}

// availabilityCmd is `bot availability [--month 2026-11] [--format text|json]` (R6.1).
func availabilityCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("availability", flag.ContinueOnError)
	month := fs.String("month", "", "the calendar month, YYYY-MM (default: this month)")
	format := fs.String("format", "text", "text or json")
	now := time.Now()
	var m sla.Month
	a, _, err := openCLI(fs, args, getenv, func(args []string) error {
		if len(args) > 0 {
			return usagef("availability: unexpected argument %q", args[0])
		}
		if *format != "text" && *format != "json" {
			return usagef("availability: --format: %q is not text or json", *format)
		}
		var err error
		m, err = monthFlag("availability", *month, now)
		return err
	})
	if err != nil {
		return err
	}
	defer a.db.Close()
	av, err := a.availability().counter.Month(ctx, m, now)
	if err != nil {
		return err
	}
	if *format == "text" {
		_, err := io.WriteString(stdout, commands.AvailabilityReply(av, commands.Lang(a.cfg.Language), now).PlainText())
		return err
	}
	out := availabilityJSON{Month: m.String(), AsOf: brussels(av.AsOf), Target: sla.Target,
		TotalS: int64(av.Total / time.Second), MaintenanceS: int64(av.Maintenance / time.Second), ScheduledS: int64(av.Scheduled / time.Second),
		Windows: []windowJSON{}}
	for _, w := range av.Windows {
		out.Windows = append(out.Windows, windowJSON{brussels(w.Start), brussels(w.End), w.Note})
	}
	for _, c := range av.Components {
		j := componentJSON{Component: string(c.Component), Ratio: c.Ratio, DowntimeS: int64(c.Downtime / time.Second),
			BudgetS: int64(c.Budget / time.Second), RemainingS: int64(c.Left / time.Second), Outages: []outageJSON{}}
		for _, o := range c.Outages {
			j.Outages = append(j.Outages, outageOut(o))
		}
		out.Components = append(out.Components, j)
	}
	return writeJSON(stdout, out)
}

// outagesCmd is `bot outages [--month 2026-11]`: the month's outages, one JSON line
// each, by start.
func outagesCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("outages", flag.ContinueOnError)
	month := fs.String("month", "", "the calendar month, YYYY-MM (default: this month)")
	var m sla.Month
	a, _, err := openCLI(fs, args, getenv, func(args []string) error {
		if len(args) > 0 {
			return usagef("outages: unexpected argument %q", args[0])
		}
		var err error
		m, err = monthFlag("outages", *month, time.Now())
		return err
	})
	if err != nil {
		return err
	}
	defer a.db.Close()
	start, end := m.Bounds()
	list, err := a.db.Outages(ctx, start, end)
	if err != nil {
		return fmt.Errorf("outages: %w", err)
	}
	for _, o := range list {
		if err := writeJSON(stdout, outageOut(o)); err != nil {
			return err
		}
	}
	return nil
}
