package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/population"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// seedNow is the instant the seeded populations of these tests end at.
const seedNow = "2026-07-15T10:00:00+02:00"

// TestSeedBadInput: bad flags, and a database that exists without --force, give one
// line naming the problem, exit status 2 (a usageError), nothing on stdout and no file.
func TestSeedBadInput(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "fresh.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--db", fresh}, "--tickets is required"},
		{[]string{"--db", fresh, "--tickets", "0"}, "--tickets"},
		{[]string{"--db", fresh, "--tickets", "1e6"}, "--tickets"},
		{[]string{"--db", fresh, "--tickets", "-5"}, "--tickets"},
		{[]string{"--db", fresh, "--tickets", "10", "--seed", "-1"}, "--seed"},
		{[]string{"--db", fresh, "--tickets", "10", "--now", "tomorrow"}, "--now"},
		{[]string{"--db", fresh, "--tickets", "10", "--now", "1990-01-01T00:00:00Z"}, "the span starts too early"},
		{[]string{"--db", fresh, "--tickets", "10", "extra"}, `unexpected argument "extra"`},
		{[]string{"--db", fresh, "--tickets", "10", "--size", "3"}, "unknown flag -size"},
		{[]string{"--db", fresh, "--tickets"}, "flag -tickets needs a value"},
		{[]string{"--db", existing, "--tickets", "10"}, "exists"},
		{[]string{"--db", "postgres://magda:secret@127.0.0.1:1/magda", "--tickets", "10"}, "bot migrate"},
		{[]string{"--db", fresh, "--tickets", "10", "--config", filepath.Join(dir, "none.yml")}, "none.yml"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"seed"}, tc.args...), env(nil), &out)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") || out.Len() > 0 {
			t.Errorf("seed %v: %v (stdout %q); want one usage line containing %q", tc.args, err, out.String(), tc.want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("bad input left files: %v", entries)
	}
	if b, _ := os.ReadFile(existing); string(b) != "x" {
		t.Errorf("the existing file was changed")
	}
}

// TestSeedThenRead seeds 2,000 tickets and reads them back with `bot tickets` and `bot
// ticket`: every key MAGDA-1..2000, about half open, the progress and the last line with
// the totals; the file carries its population note and this configuration's fingerprint,
// so that `bot serve` starts on it without re-deriving; nothing is left beside it. A
// second seed needs --force, and replaces the file whole.
func TestSeedThenRead(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "magda.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"seed", "--tickets", "2000", "--db", db, "--now", seedNow, "--seed", "4"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "seeding 2000 tickets into "+db+" (seed 4, ending "+seedNow) ||
		!strings.HasPrefix(lines[1], "seeded 2000 tickets, ") || !strings.HasSuffix(lines[1], " MB") {
		t.Errorf("seed said:\n%s", out.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("seed left files beside the database: %v", entries)
	}

	count := func(args ...string) map[string]string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), append(args, "--db", db), env(nil), &out); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		states := map[string]string{}
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var v struct{ Ticket, State string }
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				t.Fatalf("%v: %v in %s", args, err, sc.Text())
			}
			states[v.Ticket] = v.State
		}
		return states
	}
	all, open := count("tickets"), count("tickets", "--open")
	if len(all) != 2000 || all["MAGDA-1"] == "" || all["MAGDA-2000"] == "" {
		t.Errorf("bot tickets lists %d tickets (MAGDA-1 %q, MAGDA-2000 %q); want MAGDA-1..2000", len(all), all["MAGDA-1"], all["MAGDA-2000"])
	}
	if len(open) < 900 || len(open) > 1100 {
		t.Errorf("bot tickets --open lists %d of 2000; want about half", len(open))
	}
	if err := run(context.Background(), []string{"ticket", "MAGDA-1234", "--db", db}, env(nil), &bytes.Buffer{}); err != nil {
		t.Errorf("bot ticket MAGDA-1234: %v", err)
	}

	cfg, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	now, _ := time.Parse(time.RFC3339, seedNow)
	st, err := storage.Open(db, storage.Options{Derive: func(evs []sla.Event) sla.Ticket { return sla.Replay(evs, cfg.TierOf, calendars(cfg)) }})
	if err != nil {
		t.Fatal(err)
	}
	note, _, err := st.Note(context.Background(), population.Note)
	if want := seedNote(seedPopulation(cfg, 2000, 4, now), fingerprint(cfg)); err != nil || note != want {
		t.Errorf("note %q, %v; want %q", note, err, want)
	}
	if _, ran, err := st.RederiveFor(context.Background(), fingerprint(cfg)); err != nil || ran {
		t.Errorf("a start-up on the seeded file re-derives (%v, %v): its fingerprint is not stored", ran, err)
	}
	st.Close()

	err = run(context.Background(), []string{"seed", "--tickets", "10", "--db", db, "--now", seedNow}, env(nil), &bytes.Buffer{})
	if !errors.As(err, new(usageError)) {
		t.Fatalf("a second seed without --force: %v; want a usage error", err)
	}
	if err := run(context.Background(), []string{"seed", "--tickets", "10", "--db", db, "--now", seedNow, "--force"}, env(nil), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if all := count("tickets"); len(all) != 10 {
		t.Errorf("after seed --force --tickets 10, bot tickets lists %d", len(all))
	}
}

// TestSeedInterrupted: a seed stopped half-way (Ctrl-C ends its context) leaves no file,
// neither the database nor the one it was building.
func TestSeedInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out lineCanceller
	out.cancel, out.after = cancel, 1 // the first line says it starts
	err := run(ctx, []string{"seed", "--tickets", "50000", "--db", filepath.Join(dir, "magda.db"), "--now", seedNow}, env(nil), &out)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("seed = %v; want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("an interrupted seed left %v", entries)
	}
}

// lineCanceller cancels after its first `after` writes.
type lineCanceller struct {
	cancel func()
	after  int
}

func (w *lineCanceller) Write(p []byte) (int, error) {
	if w.after--; w.after <= 0 {
		w.cancel()
	}
	return len(p), nil
}
