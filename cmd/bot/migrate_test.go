package main

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
)

// TestMigrateBadInput: a missing flag, a --from that is not there or not a database, a
// PostgreSQL --from, and a target that already holds events each get one line naming
// the problem, exit status 2 (a usageError), nothing on stdout, and change nothing.
func TestMigrateBadInput(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "magda.db")
	if err := run(context.Background(), []string{"seed", "--tickets", "50", "--db", src, "--now", seedNow}, env(nil), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	filled := filepath.Join(dir, "filled.db")
	if err := run(context.Background(), []string{"seed", "--tickets", "3", "--db", filled, "--now", seedNow}, env(nil), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "fresh.db")
	files := func() map[string]string {
		out := map[string]string{}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), "-wal") || strings.HasSuffix(e.Name(), "-shm") {
				continue // SQLite's own, beside a file opened to read
			}
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			out[e.Name()] = string(b)
		}
		return out
	}
	before := files()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--to", fresh}, "--from is required"},
		{[]string{"--from", src}, "--to is required"},
		{[]string{"--from", filepath.Join(dir, "none.db"), "--to", fresh}, "no database at --from " + filepath.Join(dir, "none.db")},
		{[]string{"--from", text, "--to", fresh}, "--from " + text + " is not a SQLite database"},
		{[]string{"--from", "postgres://magda:hunter2@127.0.0.1/magda", "--to", fresh}, "is a PostgreSQL database"},
		{[]string{"--from", src, "--to", src}, "the same file"},
		{[]string{"--from", src, "--to", text}, "--to " + text + " is not a SQLite database"},
		{[]string{"--from", src, "--to", filled}, "not empty: it holds"},
		{[]string{"--from", src, "--to", fresh, "extra"}, `unexpected argument "extra"`},
		{[]string{"--from", src, "--to", fresh, "--db", src}, "unknown flag -db"},
		{[]string{"--from", src, "--to"}, "flag -to needs a value"},
		{[]string{"--from", src, "--to", fresh, "--config", filepath.Join(dir, "none.yml")}, "none.yml"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"migrate"}, tc.args...), env(nil), &out)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") || out.Len() > 0 {
			t.Errorf("migrate %v: %v (stdout %q); want one usage line containing %q", tc.args, err, out.String(), tc.want)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("migrate %v: the refusal shows the password: %v", tc.args, err)
		}
	}
	after := files()
	for name, b := range before {
		if after[name] != b {
			t.Errorf("bad input changed %s", name)
		}
		delete(after, name)
	}
	for name := range after {
		t.Errorf("bad input left %s", name)
	}
}

// TestMigrateEndToEnd follows the README: a seeded database with an escalation from
// `bot ask`, migrated into a new one; the counts are printed table by table, `bot
// tickets` lists the same tickets from both, and a second migrate into the target is
// refused.
func TestMigrateEndToEnd(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "magda.db"), filepath.Join(dir, "copy.db")
	migrateEndToEnd(t, src, dst)
}

// TestMigrateToPostgres is TestMigrateEndToEnd into an empty PostgreSQL database, as
// the README's steps do: `bot tickets`, `bot ticket` and `bot check` take the DSN for
// --db, and no output shows its password.
func TestMigrateToPostgres(t *testing.T) {
	dsn := pgtest.Database(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	password, ok := u.User.Password()
	if !ok || password == "" {
		t.Fatalf("the test's DSN has no password to hide")
	}
	out := migrateEndToEnd(t, filepath.Join(t.TempDir(), "magda.db"), dsn)
	var check bytes.Buffer
	err = run(context.Background(), []string{"check", "--db", dsn}, env(nil), &check)
	if !strings.Contains(check.String(), "database") || !strings.Contains(check.String(), redactDSN(dsn)+": ") {
		t.Errorf("bot check on the DSN (%v):\n%s", err, check.String())
	}
	if strings.Contains(out+check.String(), password) {
		t.Errorf("the output shows the DSN's password:\n%s%s", out, check.String())
	}
}

// migrateEndToEnd migrates a seeded src into the empty dst and checks what the
// commands give on both; it gives what migrate printed.
func migrateEndToEnd(t *testing.T, src, dst string) string {
	t.Helper()
	ctx := context.Background()
	if err := run(ctx, []string{"seed", "--tickets", "2000", "--db", src, "--now", seedNow}, env(nil), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"ask", "--db", src, "escalate MAGDA-7 customer is waiting"}, env(nil), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"migrate", "--from", src, "--to", dst}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	shown := redactDSN(dst)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if lines[0] != "migrating "+src+" to "+shown {
		t.Errorf("first line %q", lines[0])
	}
	counted := map[string]bool{}
	row := regexp.MustCompile(`^(\w+) +(\d+) in the source, +(\d+) in the target$`)
	for _, l := range lines[1 : len(lines)-1] {
		m := row.FindStringSubmatch(l)
		if m == nil || m[2] != m[3] {
			t.Errorf("count line %q", l)
			continue
		}
		counted[m[1]] = true
	}
	for _, table := range []string{"tickets", "events", "escalations", "notifications", "outbox", "deliveries", "holds",
		"teams_references", "outages", "scheduled_maintenances", "meta"} {
		if !counted[table] {
			t.Errorf("no count printed for %s:\n%s", table, out.String())
		}
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "migrated 2000 tickets, ") || !strings.Contains(last, " to "+shown+" in ") {
		t.Errorf("last line %q", last)
	}
	list := func(db string, args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, append(args, "--db", db), env(nil), &out); err != nil {
			t.Fatalf("%v on %s: %v", args, redactDSN(db), err)
		}
		// remaining_s counts to the wall clock, which moves between the two reads.
		return remaining.ReplaceAllString(out.String(), `"remaining_s":N`)
	}
	if a, b := list(src, "tickets"), list(dst, "tickets"); a != b || strings.Count(a, "\n") != 2000 {
		t.Errorf("bot tickets lists %d tickets from the source, %d from the target, or they differ",
			strings.Count(a, "\n"), strings.Count(b, "\n"))
	}
	if a, b := list(src, "ticket", "MAGDA-7"), list(dst, "ticket", "MAGDA-7"); a != b || !strings.Contains(a, `"escalations":[{"level":1`) {
		t.Errorf("bot ticket MAGDA-7 differs or lacks its escalation:\n%s\n%s", a, b)
	}
	err := run(ctx, []string{"migrate", "--from", src, "--to", dst}, env(nil), &bytes.Buffer{})
	if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second migrate into the target: %v; want a usage error saying it is not empty", err)
	}
	return out.String()
}

var remaining = regexp.MustCompile(`"remaining_s":-?\d+`)

// TestRedactDSN: a DSN's password, in the user part or as a parameter, is never shown.
func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"./magda.db": "./magda.db",
		"postgres://magda:hunter2@db.example.org:5432/magda?sslmode=require": "postgres://magda:xxxxx@db.example.org:5432/magda?sslmode=require",
		"postgresql://db.example.org/magda?password=hunter2&user=magda":      "postgresql://db.example.org/magda?password=xxxxx&user=magda",
		"postgres://magda@db.example.org/magda":                              "postgres://magda@db.example.org/magda",
	} {
		if got := redactDSN(in); got != want {
			t.Errorf("redactDSN(%q) = %q; want %q", in, got, want)
		}
	}
}
