package storage

import (
	"bytes"
	"database/sql"
	"flag"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The storage tests run on both backends (issue 16): as they are, each on a SQLite file
// in its temporary directory, and once more by TestPostgresBackend, which runs this test
// binary again with MAGDA_TEST_STORE=postgres, where each store a test opens
// (StoreFor) is a fresh database of one PostgreSQL server started for the run.

// storeEnv selects the backend of a run: "postgres", or SQLite when unset.
const storeEnv = "MAGDA_TEST_STORE"

// OnPostgres reports whether this run's stores are PostgreSQL databases.
func OnPostgres() bool { return os.Getenv(storeEnv) == "postgres" }

var storeDSNs sync.Map // SQLite path -> the database a PostgreSQL run opens for it

// StoreFor is what a test opens where it would open the SQLite file path: path
// itself, or on a PostgreSQL run a database of its own, the same one for the same path
// (a test that closes and opens its store again finds what it stored).
func StoreFor(t testing.TB, path string) string {
	t.Helper()
	if !OnPostgres() {
		return path
	}
	if dsn, ok := storeDSNs.Load(path); ok {
		return dsn.(string)
	}
	dsn := pgtest.Database(t)
	storeDSNs.Store(path, dsn)
	return dsn
}

// SQLiteOnly skips, on a PostgreSQL run, a test of what only a SQLite file has (its
// pages, pragmas, query plans, a second process's lock on it).
func SQLiteOnly(t testing.TB, what string) {
	t.Helper()
	if OnPostgres() {
		t.Skip("SQLite only: " + what)
	}
}

var passed = regexp.MustCompile(`(?m)^--- (PASS|SKIP|FAIL): `)

// TestPostgresBackend runs this package's tests again, on PostgreSQL. The run takes
// the parent's -run, -short and -timeout; MAGDA_TEST_STORE_RUN narrows it instead (a
// run that asked for this test alone would otherwise select nothing else).
func TestPostgresBackend(t *testing.T) {
	if OnPostgres() {
		t.Skip("this is the PostgreSQL run")
	}
	srv := pgtest.Shared(t)
	args := []string{"-test.v"}
	run := os.Getenv("MAGDA_TEST_STORE_RUN")
	if f := flag.Lookup("test.run"); run == "" && f != nil && !strings.Contains(f.Value.String(), "PostgresBackend") {
		run = f.Value.String()
	}
	if run != "" {
		args = append(args, "-test.run="+run)
	}
	for _, name := range []string{"test.short", "test.timeout", "test.count"} {
		if f := flag.Lookup(name); f != nil {
			args = append(args, "-"+name+"="+f.Value.String())
		}
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), storeEnv+"=postgres", pgtest.EnvServer+"="+srv.DSN())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	counts := map[string]int{}
	for _, m := range passed.FindAllStringSubmatch(out.String(), -1) {
		counts[m[1]]++
	}
	if err != nil {
		t.Fatalf("the storage tests on PostgreSQL: %v\n%s", err, failures(out.String()))
	}
	if counts["PASS"] == 0 {
		t.Fatalf("the PostgreSQL run passed no test:\n%s", out.String())
	}
	t.Logf("on PostgreSQL: %d passed, %d skipped", counts["PASS"], counts["SKIP"])
}

// failures is the part of a verbose run's output that tells what failed: each failing
// test's lines, or the whole output when none is marked (a panic, a timeout).
func failures(out string) string {
	var b strings.Builder
	blocks := strings.Split(out, "=== RUN")
	for _, blk := range blocks {
		if strings.Contains(blk, "--- FAIL") || strings.Contains(blk, "panic:") {
			b.WriteString("=== RUN" + blk)
		}
	}
	if b.Len() == 0 {
		return out
	}
	return b.String()
}

// RawStore opens the store dsn names (StoreFor) as a plain database/sql pool, for a
// test that reads or writes its tables directly: SQLite's driver on a file, on
// PostgreSQL pgx through the package's own translation of SQLite's SQL (pgConn).
func RawStore(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	if !IsPostgres(dsn) {
		c, err := sql.Open("sqlite3", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	c := sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	t.Cleanup(func() { c.Close() })
	return c
}
