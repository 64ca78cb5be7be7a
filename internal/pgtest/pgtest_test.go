package pgtest

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The package's tests share one server, as the storage tests will.
func TestMain(m *testing.M) { Main(m) }

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func mustExec(t *testing.T, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func count(t *testing.T, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, table string) int {
	t.Helper()
	var n int
	if err := q.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// TestDatabaseQuery: a test's database takes a table and gives its rows back, over TCP
// on loopback with a password, in the settings the durability tests rely on.
func TestDatabaseQuery(t *testing.T) {
	dsn := Database(t)
	if !strings.HasPrefix(dsn, "postgres://") || !strings.Contains(dsn, "@127.0.0.1:") {
		t.Fatalf("DSN %q is not a loopback postgres:// URL", dsn)
	}
	conn := connect(t, dsn)
	mustExec(t, conn, "CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL)")
	mustExec(t, conn, "INSERT INTO events VALUES (1, $1), (2, $1)", time.Date(2026, 7, 10, 14, 30, 0, 0, time.UTC))
	if n := count(t, conn, "events"); n != 2 {
		t.Fatalf("got %d rows, want 2", n)
	}
	for name, want := range map[string]string{"fsync": "on", "synchronous_commit": "on", "server_encoding": "UTF8", "lc_collate": "C", "TimeZone": "UTC"} {
		var got string
		if err := conn.QueryRow(context.Background(), "SELECT current_setting($1)", name).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// TestServerNotRoot: PostgreSQL refuses root, and CI runs as root, so the server must
// run as another user; this reads the postmaster's real user from /proc.
func TestServerNotRoot(t *testing.T) {
	s := Shared(t)
	if !s.Managed() {
		t.Skip("the server is named by " + EnvServer + ", not started here")
	}
	s.mu.Lock()
	pid := s.proc.Process.Pid
	s.mu.Unlock()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "Uid:" && f[1] == "0" {
			t.Fatalf("the server runs as root: %s", line)
		}
	}
}

// TestDatabasesIsolated: two tests' databases on one server share no table and no row.
func TestDatabasesIsolated(t *testing.T) {
	a, b := connect(t, Database(t)), connect(t, Database(t))
	mustExec(t, a, "CREATE TABLE outbox (id int)")
	mustExec(t, a, "INSERT INTO outbox VALUES (1)")
	var exists bool
	if err := b.QueryRow(context.Background(), "SELECT to_regclass('outbox') IS NOT NULL").Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Fatal("a table made in one test's database is seen in another's")
	}
	mustExec(t, b, "CREATE TABLE outbox (id int)")
	if n := count(t, b, "outbox"); n != 0 {
		t.Fatalf("second database has %d rows, want 0", n)
	}
}

// TestTemplate: a template filled once is cloned with its schema and rows into each
// test's database, and what one clone changes the other does not see.
func TestTemplate(t *testing.T) {
	s := Shared(t)
	ctx := context.Background()
	tmpl := "magda_tmpl_" + strconv.Itoa(os.Getpid())
	err := s.Template(ctx, tmpl, func(dsn string) error {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		// Left open on purpose: Template must end it, or cloning would fail.
		_, err = conn.Exec(ctx, "CREATE TABLE migrations (version int); INSERT INTO migrations VALUES (1), (2)")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.exec(ctx, "ALTER DATABASE "+ident(tmpl)+" WITH IS_TEMPLATE false")
		s.exec(ctx, "DROP DATABASE "+ident(tmpl))
	})
	a, b := connect(t, s.DatabaseFrom(t, tmpl)), connect(t, s.DatabaseFrom(t, tmpl))
	mustExec(t, a, "INSERT INTO migrations VALUES (3)")
	if n := count(t, a, "migrations"); n != 3 {
		t.Errorf("first clone has %d rows, want 3", n)
	}
	if n := count(t, b, "migrations"); n != 2 {
		t.Errorf("second clone has %d rows, want the template's 2", n)
	}
}

// TestRestartKeepsCommitted: rows committed before a restart, and before a crash (no
// checkpoint, WAL replay), are there after it; a transaction open at the crash is not; a
// pool that kept the DSN gets its connections back without being rebuilt.
func TestRestartKeepsCommitted(t *testing.T) {
	s := Start(t, Owned())
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, s.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := pool.Exec(ctx, "CREATE TABLE events (id int PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	insert := func(id int) {
		t.Helper()
		if _, err := pool.Exec(ctx, "INSERT INTO events VALUES ($1)", id); err != nil {
			t.Fatalf("insert %d: %v", id, err)
		}
	}
	insert(1)
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	// The pool's old connection died with the server; pgx drops a broken connection,
	// so a client that retries gets a fresh one. Bounded: a few tries at most.
	retry := func(what string, f func() error) {
		t.Helper()
		var err error
		for try := 0; try < 5; try++ {
			if err = f(); err == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("%s after restart: %v", what, err)
	}
	retry("insert", func() error { _, err := pool.Exec(ctx, "INSERT INTO events VALUES (2)"); return err })

	open, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := open.Exec(ctx, "INSERT INTO events VALUES (99)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Crash(); err != nil {
		t.Fatal(err)
	}
	open.Rollback(ctx) // the connection is gone; this only frees it
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	var ids []int
	retry("select", func() error {
		rows, err := pool.Query(ctx, "SELECT id FROM events ORDER BY id")
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int])
		return err
	})
	if len(ids) != 2 || ids[0] != 1 || ids[1] != 2 {
		t.Fatalf("after restart and crash: ids %v, want [1 2] (committed kept, open transaction gone)", ids)
	}
}

// TestStoppedUnreachable: while the server is stopped a client gets an error at once,
// not a hang, which is what the bot's 503 tests need; after Start it answers on the
// same DSN, with the settings it was launched with.
func TestStoppedUnreachable(t *testing.T) {
	s := Start(t, Owned(), Setting("max_connections", "37"))
	dsn := s.Database(t)
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, dsn); err == nil {
		conn.Close(ctx)
		t.Fatal("connected to a stopped server")
	} else if ctx.Err() != nil {
		t.Fatalf("connecting to a stopped server hung: %v", err)
	}
	if err := s.Stop(); err == nil {
		t.Error("stopping a stopped server gave no error")
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	var max string
	if err := connect(t, dsn).QueryRow(context.Background(), "SHOW max_connections").Scan(&max); err != nil {
		t.Fatal(err)
	}
	if max != "37" {
		t.Errorf("max_connections after Start = %s, want the Setting's 37", max)
	}
}

// TestExternalServer: with MAGDA_TEST_POSTGRES set the harness uses that server: it
// creates databases there, and refuses to stop it.
func TestExternalServer(t *testing.T) {
	t.Setenv(EnvServer, Shared(t).DSN())
	s, err := Launch()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Managed() {
		t.Fatal("a server named by " + EnvServer + " counts as started by the harness")
	}
	connect(t, s.Database(t))
	for name, f := range map[string]func() error{"Stop": s.Stop, "Crash": s.Crash, "Restart": s.Restart, "Start": s.Start} {
		if err := f(); !errors.Is(err, ErrExternal) {
			t.Errorf("%s on an outside server: %v, want ErrExternal", name, err)
		}
	}
	t.Setenv(EnvServer, "host=127.0.0.1 user=x")
	if _, err := Launch(); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("a keyword DSN in %s: %v, want a line asking for a postgres:// URL", EnvServer, err)
	}
}

// TestWithHost keeps the port, user and database and changes only the host.
func TestWithHost(t *testing.T) {
	got := WithHost("postgres://postgres:pw@127.0.0.1:54321/db1", "10.231.7.1")
	if want := "postgres://postgres:pw@10.231.7.1:54321/db1"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

// BenchmarkStart is a server's start-up and removal: initdb, the first start, the stop.
func BenchmarkStart(b *testing.B) {
	if _, err := findBinaries(); err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		s, err := Launch(Owned())
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkDatabase is one test's fresh database: created from the template and dropped,
// each part reported on its own.
func BenchmarkDatabase(b *testing.B) {
	s := Shared(b)
	ctx := context.Background()
	var creating, dropping time.Duration
	for b.Loop() {
		name := "magda_bench_" + strconv.Itoa(os.Getpid())
		start := time.Now()
		if err := s.create(ctx, name, "template1"); err != nil {
			b.Fatal(err)
		}
		created := time.Now()
		s.drop(b, name)
		creating, dropping = creating+created.Sub(start), dropping+time.Since(created)
	}
	b.ReportMetric(float64(creating.Milliseconds())/float64(b.N), "create-ms/op")
	b.ReportMetric(float64(dropping.Milliseconds())/float64(b.N), "drop-ms/op")
}

// TestNoServerSkips: without server binaries and without MAGDA_TEST_POSTGRES a test is
// skipped, with a line naming Debian's package and the variable.
func TestNoServerSkips(t *testing.T) {
	defer func(was string) { debianBins = was }(debianBins)
	debianBins = t.TempDir() + "/*/bin"
	t.Setenv("PATH", t.TempDir())
	t.Setenv(EnvServer, "")
	t.Setenv("CI", "")
	if _, err := Launch(); !errors.Is(err, ErrNoServer) {
		t.Fatalf("Launch: %v, want ErrNoServer", err)
	}
	for _, want := range []string{"postgresql", EnvServer} {
		if !strings.Contains(ErrNoServer.Error(), want) {
			t.Errorf("the skip line %q does not name %s", ErrNoServer, want)
		}
	}
	var ran bool
	t.Run("start", func(t *testing.T) {
		Start(t)
		ran = true
	})
	if ran {
		t.Fatal("Start went on without a server")
	}
}
