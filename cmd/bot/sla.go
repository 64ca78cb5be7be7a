package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// slaDue is `bot sla due` (CONTRACT.md): the what-if for a report made at --at.
func slaDue(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sla due", flag.ContinueOnError)
	var (
		tier       = fs.String("tier", "", "dedicated or standard")
		kind       = fs.String("kind", "", "incident, question or connection")
		priority   = fs.String("priority", "", "P1..P4")
		env        = fs.String("env", "prod", "prod or tni")
		motivation = fs.String("motivation", "", "why a TNI incident is urgent (R4.2)")
		source     = fs.String("source", "portal", "portal, mail, phone or chat")
		at         = fs.String("at", "", "when it is reported (RFC 3339; default now)")
		cfgPath    = fs.String("config", "", "configuration file")
		customer   = fs.String("customer", "", "customer id: takes the tier from the configuration")
	)
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usagef("sla due: unexpected argument %q", args[0])
	}
	q := sla.WhatIfQuestion{Motivation: *motivation, Customer: *customer}
	if q.At, err = parseAt(*at); err != nil {
		return err
	}
	if q.Kind, err = sla.ParseKind(*kind); err != nil {
		if *kind == "" {
			return usagef("sla due: --kind is required (incident, question or connection)")
		}
		return usagef("sla due: --kind: %v", err)
	}
	if q.Kind != sla.Connection || *priority != "" {
		if q.Priority, err = sla.ParsePriority(*priority); err != nil {
			if *priority == "" {
				return usagef("sla due: --priority is required for %s (P1..P4)", q.Kind)
			}
			return usagef("sla due: --priority: %v", err)
		}
	}
	if q.Env, err = sla.ParseEnv(*env); err != nil {
		return usagef("sla due: --env: %v", err)
	}
	if q.Source, err = sla.ParseSource(*source); err != nil {
		return usagef("sla due: --source: %v", err)
	}
	switch {
	case *customer != "":
		cfg, err := loadConfig(*cfgPath, getenv)
		if err != nil {
			return err
		}
		cu, ok := cfg.Customer(*customer)
		if !ok {
			return usagef("sla due: --customer: no customer %q in %s", *customer, cfg.Source())
		}
		if *tier != "" {
			if t, err := sla.ParseTier(*tier); err != nil || t != cu.Tier.T {
				return usagef("sla due: --tier %s contradicts --customer %s (%s)", *tier, cu.ID, cu.Tier.T)
			}
		}
		q.Tier, q.Customer = cu.Tier.T, cu.ID
		return writeJSON(stdout, sla.WhatIf(calendars(cfg), q))
	case *tier == "":
		return usagef("sla due: --tier (dedicated or standard) or --customer is required")
	}
	if q.Tier, err = sla.ParseTier(*tier); err != nil {
		return usagef("sla due: --tier: %v", err)
	}
	cfg, err := loadConfig(*cfgPath, getenv)
	if err != nil {
		return err
	}
	return writeJSON(stdout, sla.WhatIf(calendars(cfg), q))
}

// slaReplay is `bot sla replay` (CONTRACT.md): JSON-lines events in, one state per ticket out.
func slaReplay(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sla replay", flag.ContinueOnError)
	at := fs.String("at", "", "the instant to view the tickets at (RFC 3339; default now)")
	cfgPath := fs.String("config", "", "configuration file")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usagef("sla replay: want one FILE, or - for standard input")
	}
	now, err := parseAt(*at)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath, getenv)
	if err != nil {
		return err
	}
	in := io.Reader(os.Stdin)
	if name := args[0]; name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return usagef("sla replay: %v", err)
		}
		defer f.Close()
		in = f
	}
	byTicket, err := readEvents(in)
	if err != nil {
		return err
	}
	cals := calendars(cfg)
	keys := make([]string, 0, len(byTicket))
	for k := range byTicket {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	views := make([]sla.View, 0, len(keys))
	for _, k := range keys {
		t := sla.Replay(byTicket[k], cfg.TierOf, cals)
		if t.Known {
			views = append(views, t.At(cals, now))
		}
	}
	for _, v := range views {
		if err := writeJSON(stdout, v); err != nil {
			return err
		}
	}
	return nil
}

// readEvents reads JSON lines; a bad line stops everything with its line number, so a
// replay never prints states built from part of the input.
func readEvents(r io.Reader) (map[string][]sla.Event, error) {
	out := map[string][]sla.Event{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(trimSpace(line)) == 0 {
			continue
		}
		e, err := sla.DecodeEvent(line)
		if err != nil {
			return nil, usagef("sla replay: line %d: %v", n, err)
		}
		out[e.Ticket] = append(out[e.Ticket], e)
	}
	if err := sc.Err(); err != nil {
		return nil, usagef("sla replay: %v", err)
	}
	return out, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}

func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("--at: %q is not RFC 3339 with an offset (2026-07-10T16:30:00+02:00)", s)
	}
	return t, nil
}

// loadConfig reads --config, else MAGDA_CONFIG, else the built-in example. A bad file
// is a usage error: nothing runs.
func loadConfig(flagPath string, getenv func(string) string) (*config.Config, error) {
	path := flagPath
	if path == "" {
		path = getenv("MAGDA_CONFIG")
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return cfg, nil
}

func calendars(cfg *config.Config) *sla.Calendars { return sla.NewCalendars(cfg.ClosureDays()) }

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
