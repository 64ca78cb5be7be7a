package benchfixture_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/benchfixture"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

var opts = storage.Options{Derive: func(evs []sla.Event) sla.Ticket {
	return sla.Replay(evs, func(string) (sla.Tier, bool) { return sla.Standard, true }, sla.NewCalendars(nil))
}}

// TestPopulationCached: with MAGDA_BENCH_FIXTURE set, the file there is built once,
// reused while it holds the same population, and built again for another one; a suffix
// keeps another file. Without it, each call builds in the directory given.
func TestPopulationCached(t *testing.T) {
	dir := t.TempDir()
	cached := filepath.Join(dir, "magda.db")
	t.Setenv(benchfixture.FixtureVar, cached)
	builds := 0
	at := func(suffix string, n int) string {
		t.Helper()
		note := benchfixture.Describe(benchfixture.Shared(n), "test")
		path, err := benchfixture.At(t.TempDir(), suffix, note, func(path string) error {
			builds++
			db, err := storage.Open(path, opts)
			if err != nil {
				return err
			}
			defer db.Close()
			if _, err := db.Import(context.Background(), storage.SourceAPI, benchfixture.Shared(n).InKeyOrder(), nil); err != nil {
				return err
			}
			return db.SetNote(context.Background(), population.Note, note)
		})
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	t.Setenv(benchfixture.FixtureVar, "")
	if p := at("", 5); p == cached || builds != 1 {
		t.Fatalf("without %s: %s after %d builds", benchfixture.FixtureVar, p, builds)
	}
	t.Setenv(benchfixture.FixtureVar, cached)
	builds = 0
	for _, step := range []struct {
		suffix string
		n      int
		path   string
		builds int
	}{
		{"", 5, cached, 1},
		{"", 5, cached, 1}, // reused
		{"", 6, cached, 2}, // another size: rebuilt
		{"bot", 6, filepath.Join(dir, "magda-bot.db"), 3}, // apart
		{"", 6, cached, 3},
	} {
		if p := at(step.suffix, step.n); p != step.path || builds != step.builds {
			t.Fatalf("n=%d suffix %q: %s after %d builds; want %s after %d", step.n, step.suffix, p, builds, step.path, step.builds)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.building-*")); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}

// TestPopulation: Population builds the shared population through Import, and a second
// call with MAGDA_BENCH_FIXTURE set reuses it (its note matches).
func TestPopulation(t *testing.T) {
	cached := filepath.Join(t.TempDir(), "magda.db")
	t.Setenv(benchfixture.FixtureVar, cached)
	for range 2 {
		path, err := benchfixture.Population(t.TempDir(), "", "test", benchfixture.Shared(20), opts)
		if err != nil || path != cached {
			t.Fatalf("Population = %s, %v", path, err)
		}
	}
	db, err := storage.Open(cached, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	note, _, err := db.Note(context.Background(), population.Note)
	if want := benchfixture.Describe(benchfixture.Shared(20), "test"); note != want || err != nil {
		t.Errorf("note %q, %v; want %q", note, err, want)
	}
	if _, found, err := db.Ticket(context.Background(), population.Key(20)); !found || err != nil {
		t.Errorf("MAGDA-20: %v, %v", found, err)
	}
}

func TestTickets(t *testing.T) {
	t.Setenv(benchfixture.TicketsVar, "")
	if n, err := benchfixture.Tickets(7); n != 7 || err != nil {
		t.Errorf("default: %d, %v", n, err)
	}
	t.Setenv(benchfixture.TicketsVar, "1000000")
	if n, err := benchfixture.Tickets(7); n != 1_000_000 || err != nil {
		t.Errorf("1000000: %d, %v", n, err)
	}
	t.Setenv(benchfixture.TicketsVar, "1e6")
	if _, err := benchfixture.Tickets(7); err == nil {
		t.Error("1e6 was taken")
	}
}
