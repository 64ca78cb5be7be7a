package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// migrateProgressEvery is how many tickets apart migrate's progress lines are.
const migrateProgressEvery = 100_000

// migrate is `bot migrate --from FILE --to DSN`: every fact of the SQLite file --from
// (events, notifications and their outbox, escalation steps, delivery ids, holds,
// Teams references, outages, maintenances, meta) copied into the empty database --to,
// with the ticket states derived again under the configuration (storage.DB.CopyFrom),
// the rows counted table by table in both, in one transaction: --to is either as it
// was or a whole copy. Stop the bot on --from first: what it stores after the copy
// began is not copied.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fl := flag.NewFlagSet("migrate", flag.ContinueOnError)
	from := fl.String("from", "", "the bot's SQLite file to copy (required)")
	to := fl.String("to", "", "the empty database to copy into: postgres://USER:PASSWORD@HOST/DB, or a SQLite file (required)")
	configFile := fl.String("config", getenv("MAGDA_CONFIG"), "configuration file (MAGDA_CONFIG; default: the built-in example)")
	rest, err := parseFlags(fl, args)
	switch {
	case err != nil:
		return err
	case len(rest) > 0:
		return usagef("migrate: unexpected argument %q", rest[0])
	case *from == "":
		return usagef("migrate: --from is required (the bot's SQLite file, e.g. ./magda.db)")
	case *to == "":
		return usagef("migrate: --to is required (the empty database, e.g. postgres://magda@db.example.org/magda)")
	case storage.IsPostgres(*from):
		return usagef("migrate: --from %s is a PostgreSQL database; migrate copies a SQLite file", redactDSN(*from))
	case *from == *to:
		return usagef("migrate: --from and --to are the same file")
	}
	if err := storage.Probe(ctx, *from); errors.Is(err, storage.ErrNotFound) {
		return usagef("migrate: no database at --from %s", *from)
	} else if err != nil {
		return usagef("migrate: --from %s", strings.TrimPrefix(err.Error(), storage.ErrInvalid.Error()+": "))
	}
	if !storage.IsPostgres(*to) {
		if err := storage.Probe(ctx, *to); errors.Is(err, storage.ErrInvalid) {
			return usagef("migrate: --to %s", strings.TrimPrefix(err.Error(), storage.ErrInvalid.Error()+": "))
		}
	}
	quiet := slog.New(slog.DiscardHandler)
	src, err := openStore(settings{db: *from, config: *configFile}, quiet)
	if err != nil {
		return err
	}
	defer src.db.Close()
	dst, err := openStore(settings{db: *to, config: *configFile}, quiet)
	if err != nil {
		return err
	}
	defer dst.db.Close()
	if err := dst.db.CheckCopyTarget(ctx); err != nil {
		return copyRefused(err, *to)
	}
	// The states the copy derives are this configuration's: stored with its
	// fingerprint, `bot serve` starts on the target without re-deriving.
	if _, err := dst.db.Reconfigure(ctx, fingerprint(dst.cfg)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrating %s to %s\n", *from, redactDSN(*to))
	start, next := time.Now(), migrateProgressEvery
	stats, err := dst.db.CopyFrom(ctx, src.db, func(p storage.CopyProgress) {
		for p.Table == "events" && p.Tickets >= next {
			fmt.Fprintf(stdout, "%d tickets, %d events, %s\n", p.Tickets, p.Rows, time.Since(start).Round(time.Second))
			next += migrateProgressEvery
		}
	})
	if err != nil {
		return copyRefused(err, *to)
	}
	var tickets, events int64
	for _, c := range stats.Tables {
		fmt.Fprintf(stdout, "%-22s %10d in the source, %10d in the target\n", c.Table, c.Source, c.Target)
		switch c.Table {
		case "tickets":
			tickets = c.Target
		case "events":
			events = c.Target
		}
	}
	fmt.Fprintf(stdout, "migrated %d tickets, %d events from %s to %s in %s\n",
		tickets, events, *from, redactDSN(*to), time.Since(start).Round(time.Second))
	return nil
}

// copyRefused is a refused copy as one usage line, anything else as it is.
func copyRefused(err error, to string) error {
	if errors.Is(err, storage.ErrInvalid) {
		msg := strings.TrimPrefix(err.Error(), "copy: ")
		return usagef("migrate: --to %s: %s", redactDSN(to), strings.TrimPrefix(msg, storage.ErrInvalid.Error()+": "))
	}
	return err
}
