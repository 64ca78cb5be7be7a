// Package benchfixture gives benchmarks their seeded databases: a generated population
// (internal/population) stored through storage.Import, of MAGDA_BENCH_TICKETS tickets,
// kept between runs at MAGDA_BENCH_FIXTURE when that names a file. It is for tests and
// benchmarks only; the bot never imports it.
package benchfixture

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// The environment that sizes and caches the fixtures (README "Performance").
const (
	TicketsVar = "MAGDA_BENCH_TICKETS"
	FixtureVar = "MAGDA_BENCH_FIXTURE"
)

// Tickets is the size of a benchmark population: MAGDA_BENCH_TICKETS, else def (the
// size each package's benchmarks always had, small enough for a quick run).
func Tickets(def int) (int, error) {
	s := os.Getenv(TicketsVar)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s=%q is not a number of tickets from 1", TicketsVar, s)
	}
	return n, nil
}

// Describe is the note a database holding pop, derived as label says, carries: the
// population's name, the derivation and the engine's version (a new engine derives other
// states from the same events).
func Describe(pop population.Options, label string) string {
	return fmt.Sprintf("%s; derived with %s; engine %s", pop.Name(), label, sla.Version)
}

// Population gives a database file holding pop, derived with opts (which label names),
// built through storage.Import: see At.
func Population(dir, suffix, label string, pop population.Options, opts storage.Options) (string, error) {
	note := Describe(pop, label)
	return At(dir, suffix, note, func(path string) error { return build(path, note, pop, opts) })
}

// At gives a database file that carries note (population.Note): when MAGDA_BENCH_FIXTURE
// names a file, that file (with suffix before its extension when suffix is not empty:
// packages whose derivations differ keep apart files), reused when its note is the same
// and built again with build otherwise; without it, a file built in dir. build makes a
// new file at the path it is given and notes it. A benchmark that changes the database
// works on a Copy.
func At(dir, suffix, note string, build func(path string) error) (string, error) {
	path := os.Getenv(FixtureVar)
	if path == "" {
		path = filepath.Join(dir, "magda.db")
		return path, build(path)
	}
	if suffix != "" {
		ext := filepath.Ext(path)
		path = path[:len(path)-len(ext)] + "-" + suffix + ext
	}
	if ok, err := holds(path, note); err != nil || ok {
		return path, err
	}
	fmt.Fprintf(os.Stderr, "benchfixture: building %s: %s\n", path, note)
	// Built beside it and renamed into place: a run stopped half-way, or another package
	// building the same file at once, never leaves a file that says it is complete.
	tmp := fmt.Sprintf("%s.building-%d", path, os.Getpid())
	if err := build(tmp); err != nil {
		os.Remove(tmp)
		return "", err
	}
	for _, f := range []string{path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
	return path, os.Rename(tmp, path)
}

// holds reports whether the file at path exists and carries the note want.
func holds(path, want string) (bool, error) {
	if _, err := os.Stat(path); err != nil {
		return false, nil
	}
	// Reading a note derives nothing: any Derive will do.
	db, err := storage.Open(path, storage.Options{Derive: func([]sla.Event) sla.Ticket { return sla.Ticket{} }})
	if err != nil {
		return false, fmt.Errorf("benchfixture: %w", err)
	}
	defer db.Close()
	got, _, err := db.Note(context.Background(), population.Note)
	return err == nil && got == want, err
}

// build stores pop in a new file at path through Import and notes what it holds. The
// file is removed first: a build starts from nothing.
func build(path, note string, pop population.Options, opts storage.Options) error {
	if err := pop.Check(); err != nil {
		return err
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
	db, err := storage.Open(path, opts)
	if err != nil {
		return fmt.Errorf("benchfixture: %w", err)
	}
	ctx := context.Background()
	if _, err := db.Import(ctx, storage.SourceAPI, pop.InKeyOrder(), nil); err != nil {
		db.Close()
		return fmt.Errorf("benchfixture: %w", err)
	}
	if err := db.SetNote(ctx, population.Note, note); err != nil {
		db.Close()
		return fmt.Errorf("benchfixture: %w", err)
	}
	return db.Close()
}

// Copy gives a fresh copy of the database at path in tb's temporary directory, for a
// benchmark that writes to it: the fixture stays as built.
func Copy(tb testing.TB, path string) string {
	tb.Helper()
	src, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	dst := filepath.Join(tb.TempDir(), "magda.db")
	f, err := os.Create(dst)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return dst
}

// Shared is the population the storage and notify benchmarks share, so that one cached
// file serves both: n tickets of agency-x (dedicated) and agency-y (standard), as both
// packages' tests configure them, ending on a Wednesday morning, 2026-07-15 10:00 in
// Brussels. A caller derives it as SharedLabel says.
func Shared(n int) population.Options {
	return population.Options{N: n, Seed: 1, Now: SharedNow, Customers: []population.Customer{
		{ID: "agency-x", Tier: sla.Dedicated}, {ID: "agency-y", Tier: sla.Standard}}}
}

// SharedNow is the instant the Shared population ends at.
var SharedNow = time.Date(2026, time.July, 15, 10, 0, 0, 0, sla.Brussels)

// SharedLabel is how the Shared population's states are derived: sla.Replay with those
// two tiers and the calendars without closure days, no TierOf, no RiskAt.
const SharedLabel = "sla.Replay, agency-x dedicated, agency-y standard, no closure days, no TierOf, no RiskAt"
