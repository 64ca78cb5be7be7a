package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// seedProgressEvery is how many tickets apart seed's progress lines are.
const seedProgressEvery = 100_000

// seed is `bot seed --tickets N`: a new database holding a generated population
// (internal/population) over the configured customers, for load tests and to reproduce
// the README's performance table. It builds the file beside --db and renames it into
// place only when every ticket is stored, so that a failed or interrupted seed leaves
// nothing; it never replaces an existing file without --force.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fl := flag.NewFlagSet("seed", flag.ContinueOnError)
	var s settings
	s.flags(fl, getenv)
	ticketsS := fl.String("tickets", "", "how many tickets to generate (required), e.g. 1000000")
	nowS := fl.String("now", "", "the instant the population ends at, RFC 3339 (default: now)")
	seedS := fl.String("seed", "1", "the random seed: another seed, another population")
	force := fl.Bool("force", false, "replace an existing database file")
	rest, err := parseFlags(fl, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("seed: unexpected argument %q", rest[0])
	}
	n, err := strconv.Atoi(*ticketsS)
	switch {
	case *ticketsS == "":
		return usagef("seed: --tickets is required (how many tickets, e.g. 1000000)")
	case err != nil || n < 1 || n > 100_000_000:
		return usagef("seed: --tickets %q is not a number of tickets from 1 to 100000000", *ticketsS)
	}
	seedN, err := strconv.ParseUint(*seedS, 10, 64)
	if err != nil {
		return usagef("seed: --seed %q is not a whole number from 0", *seedS)
	}
	now := time.Now().Truncate(time.Minute)
	if *nowS != "" {
		if now, err = time.Parse(time.RFC3339, *nowS); err != nil {
			return usagef("seed: --now %q is not an RFC 3339 instant (2026-07-15T10:00:00+02:00)", *nowS)
		}
	}
	cfg, err := loadConfig(s.config, getenv)
	if err != nil {
		return err
	}
	pop := seedPopulation(cfg, n, seedN, now)
	if err := pop.Check(); err != nil {
		return usagef("seed: %v", err)
	}
	if storage.IsPostgres(s.db) {
		return usagef("seed: seed builds a new SQLite file; for PostgreSQL seed a file, then bot migrate --from FILE --to the URL")
	}
	if _, err := os.Lstat(s.db); err == nil && !*force {
		return usagef("seed: %s exists; seed builds a new database: name a new file or add --force to replace it", s.db)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return seedFile(ctx, s, pop, stdout)
}

// seedPopulation is the population `bot seed` generates: n tickets over the configured
// customers, with their tiers.
func seedPopulation(cfg *config.Config, n int, seed uint64, now time.Time) population.Options {
	pop := population.Options{N: n, Seed: seed, Now: now}
	for _, c := range cfg.Customers {
		tier, _ := cfg.TierOf(c.ID)
		pop.Customers = append(pop.Customers, population.Customer{ID: c.ID, Tier: tier})
	}
	return pop
}

// seedFile imports pop into a new file beside s.db and renames it over s.db once it is
// complete and on disk.
func seedFile(ctx context.Context, s settings, pop population.Options, stdout io.Writer) (err error) {
	final := s.db
	s.db = filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".seeding")
	for _, f := range []string{s.db, s.db + "-wal", s.db + "-shm"} { // a seed interrupted before
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	defer func() {
		if err != nil {
			for _, f := range []string{s.db, s.db + "-wal", s.db + "-shm"} {
				os.Remove(f)
			}
		}
	}()
	// openApp stores the fingerprint of this configuration in the new file: the states
	// Import derives are this configuration's, so `bot serve` starts without re-deriving.
	a, err := openApp(s, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeding %d tickets into %s (seed %d, ending %s, %d customers)\n",
		pop.N, final, pop.Seed, pop.Now.Format(time.RFC3339), len(pop.Customers))
	start, next := time.Now(), seedProgressEvery
	stats, err := a.db.Import(ctx, storage.SourceAPI, pop.InKeyOrder(), func(st storage.ImportStats) {
		for st.Tickets >= next {
			el := time.Since(start)
			fmt.Fprintf(stdout, "%d tickets, %d events, %s, %.0f tickets/s\n",
				st.Tickets, st.Events, el.Round(time.Second), float64(st.Tickets)/el.Seconds())
			next += seedProgressEvery
		}
	})
	if err == nil {
		err = a.db.SetNote(ctx, population.Note, seedNote(pop, fingerprint(a.cfg)))
	}
	if cerr := a.db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := syncFile(s.db); err != nil {
		return err
	}
	for _, f := range []string{final + "-wal", final + "-shm"} { // the replaced file's
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(s.db, final); err != nil {
		return err
	}
	if err := syncFile(filepath.Dir(final)); err != nil {
		return err
	}
	info, err := os.Stat(final)
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(stdout, "seeded %d tickets, %d events into %s in %s (%.0f tickets/s): %.1f MB\n",
		stats.Tickets, stats.Events, final, el.Round(time.Second), float64(stats.Tickets)/el.Seconds(), float64(info.Size())/1e6)
	return nil
}

// seedNote says which population a seeded database holds and which configuration
// derived its states (fingerprint): a benchmark reuses a cached seed only when it is the
// one it asks for.
func seedNote(pop population.Options, fingerprint string) string {
	return pop.Name() + "; derived with the bot configuration " + fingerprint
}

// syncFile flushes a file (or a directory's entries) to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
