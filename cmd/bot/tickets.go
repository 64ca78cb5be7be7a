package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// openCLI parses a terminal command's flags (fs's own and the store's), checks the
// other arguments, and only then opens the store, without logging: the terminal shows
// answers, not logs. Bad input opens (and creates) nothing; the store must exist.
func openCLI(fs *flag.FlagSet, args []string, getenv func(string) string, check func([]string) error) (*app, []string, error) {
	var s settings
	s.flags(fs, getenv)
	args, err := parseFlags(fs, args)
	if err == nil {
		err = check(args)
	}
	if err != nil {
		return nil, nil, err
	}
	if !createsStore[fs.Name()] {
		if err := mustExist(fs.Name(), s.db); err != nil {
			return nil, nil, err
		}
	}
	a, err := openApp(s, slog.New(slog.DiscardHandler))
	return a, args, err
}

// createsStore are the terminal commands that may start a database, as serve does:
// `bot ask` answers what-ifs without one and records escalations and updates.
var createsStore = map[string]bool{"ask": true}

// mustExist refuses a database file that is not there: opening would create an empty
// one, and a typo in a path would quietly answer "no tickets" (issue 14.6). A
// PostgreSQL database is not created by opening it: a wrong one fails to connect.
func mustExist(cmd, path string) error {
	if storage.IsPostgres(path) {
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return usagef("%s: no database at %s (check --db or MAGDA_DB; `bot serve` creates it)", cmd, path)
	}
	return nil
}

// tickets is `bot tickets [--customer ID] [--open] [--from D] [--to D] [--limit N]`: one
// JSON line per stored ticket (created in the range, when given), soonest due first,
// with the clocks as the contract's replay prints them and the history of ticketView.
// Each line is written as its row is read (storage.EachTicket), so memory does not grow
// with the number of tickets stored (issue 15).
func tickets(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("tickets", flag.ContinueOnError)
	customer := fs.String("customer", "", "only this customer's tickets")
	open := fs.Bool("open", false, "only tickets that are not resolved")
	fromS := fs.String("from", "", "only tickets created at or after this date or instant")
	toS := fs.String("to", "", "only tickets created before this instant, or on or before this date")
	limit := fs.Int("limit", 0, "at most this many tickets, the soonest due; 0 for all")
	var from, to time.Time
	a, _, err := openCLI(fs, args, getenv, func(args []string) error {
		if len(args) > 0 {
			return usagef("tickets: unexpected argument %q", args[0])
		}
		if *limit < 0 {
			return usagef("tickets: --limit %d is negative (0 lists them all)", *limit)
		}
		var err error
		if from, err = parseBound("--from", *fromS, false); err != nil {
			return err
		}
		if to, err = parseBound("--to", *toS, true); err != nil {
			return err
		}
		if !from.IsZero() && !to.IsZero() && !from.Before(to) {
			return usagef("tickets: --from %s is not before --to %s", *fromS, *toS)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer a.db.Close()
	if *customer != "" && !a.cfg.Known(*customer) {
		return usagef("tickets: --customer: no customer %q in %s", *customer, a.cfg.Source())
	}
	// Buffered: one write per line would be one system call per ticket.
	w := bufio.NewWriter(stdout)
	now, n := time.Now(), 0
	err = a.db.EachTicket(ctx, storage.Filter{Customer: *customer, OpenOnly: *open}, func(t sla.Ticket) error {
		if !createdIn(t, from, to) {
			return nil
		}
		if *limit > 0 && n == *limit {
			return errEnough
		}
		n++
		return writeJSON(w, viewTicket(t, a.cfg, a.cals, now))
	})
	if err != nil && !errors.Is(err, errEnough) {
		return err
	}
	return w.Flush()
}

// errEnough ends a walk of the store that has given what was asked.
var errEnough = errors.New("enough")

// ticket is `bot ticket KEY`: one ticket's clocks.
func ticket(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	a, args, err := openCLI(flag.NewFlagSet("ticket", flag.ContinueOnError), args, getenv, func(args []string) error {
		if len(args) != 1 {
			return usagef("ticket: want one ticket KEY")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer a.db.Close()
	t, found, err := a.db.Ticket(ctx, args[0])
	if err != nil {
		return err
	}
	if !found {
		n, err := a.db.Waiting(ctx, args[0])
		if err != nil {
			return err
		}
		if n > 0 {
			return usagef("ticket: %s has %d event(s) stored that wait for its created event", args[0], n)
		}
		return usagef("ticket: no ticket %s", args[0])
	}
	return writeJSON(stdout, viewTicket(t, a.cfg, a.cals, time.Now()))
}
