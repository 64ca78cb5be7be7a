package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/jackc/pgx/v5"
	"github.com/mattn/go-sqlite3"
)

// Options configure a DB.
type Options struct {
	// Derive computes a ticket's state from all of its events, in any order; the caller
	// wraps sla.Replay with the configured customers and calendars. Required.
	Derive func(events []sla.Event) sla.Ticket
	// Now stamps received_at and updated_at; nil means time.Now.
	Now func() time.Time
	// RiskAt gives the instant from which a ticket has a clock at risk (a share of its
	// target used, sla.Clock.RiskAt), zero for none; stored for the at-risk metrics.
	// Like Derive it must not read the wall clock. Nil: no ticket is ever at risk.
	RiskAt func(sla.Ticket) time.Time
	// TierOf gives a customer's tier as configured now. A created event is stored with
	// it, and the ticket keeps that tier for its life (R1.1): a tier changed later applies
	// to tickets created after the change. Nil: created events are stored without one and
	// Derive's configuration decides.
	TierOf func(customer string) (sla.Tier, bool)
	// Apply applies one more event to a ticket's stored state when that gives exactly
	// what Derive of all its events would, and says false when it cannot tell (the
	// caller wraps sla.Advance with the calendars Derive uses). Append then rewrites a
	// ticket from its stored row instead of replaying all of its events; a refused
	// event replays. Nil: every Append replays.
	Apply func(t sla.Ticket, e sla.Event) (sla.Ticket, bool)
	// BusyTimeout is how long a connection waits for another process's lock before the
	// call fails as Unavailable; zero means 5 s. Tests that hold the writer from a
	// second connection shorten it.
	BusyTimeout time.Duration
}

// DB is the store: a SQLite file, or a PostgreSQL database that several processes on
// several machines share (issue 16). It is safe for concurrent use.
type DB struct {
	// postgres: the store is a PostgreSQL database (Open of a postgres:// DSN).
	postgres bool
	// pgConfig is its connection configuration, for the LISTEN connection (WatchOutbox).
	pgConfig *pgx.ConnConfig
	// write, on SQLite, has a single connection: every write is serialised on it with
	// BEGIN IMMEDIATE, so a transaction that reads then writes never fails half-way on a
	// lock. On PostgreSQL it is a small pool, and the transactions that read then write
	// lock what they read (lockTickets, FOR UPDATE SKIP LOCKED).
	write *sql.DB
	// read is a pool of query-only connections; WAL lets them read while write writes.
	read   *sql.DB
	derive func([]sla.Event) sla.Ticket
	apply  func(sla.Ticket, sla.Event) (sla.Ticket, bool)
	riskAt func(sla.Ticket) time.Time
	tierOf func(string) (sla.Tier, bool)
	now    func() time.Time

	mu      sync.RWMutex // guards closed and sends on reqs
	closed  bool
	reqs    chan *request // Append calls waiting for the writer goroutine
	stopped chan struct{} // closed when the writer goroutine has returned
	// writerWait bounds how long a batch of Append calls waits for the write
	// connection (appendTx): twice the busy timeout, so that a call waits at most that
	// and one busy timeout more, well inside the HTTP server's 30 s write timeout.
	writerWait time.Duration
	// appending counts the Append calls not answered yet: a long scheduler pass gives
	// way to them between its chunks (Decide).
	appending atomic.Int64

	// gen is the generation this process derives under (meta 'derive_generation',
	// migration 0011): rows of another are stale. bg is the background re-derive.
	gen atomic.Int64
	bg  rederiver
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("storage: closed")

// busyTimeout is how long a connection waits for another process's lock, unless
// Options.BusyTimeout says otherwise.
const busyTimeout = 5 * time.Second

// dsn is the go-sqlite3 URI of the file at path with params and those every connection
// shares, with the default busy timeout.
func dsn(path string, params url.Values) string { return dsnBusy(path, params, busyTimeout) }

// dsnBusy is dsn with a busy timeout of its own.
func dsnBusy(path string, params url.Values, busy time.Duration) string {
	params.Set("_busy_timeout", fmt.Sprint(busy.Milliseconds()))
	params.Set("_foreign_keys", "on")
	params.Set("_stmt_cache_size", "32")
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: params.Encode()}
	return u.String()
}

// readPragmas map the file into memory for the read connections: a page already in the
// OS cache is read without a system call or a copy, which keeps Ticket well under a
// millisecond at p99 with 100,000 tickets (BenchmarkTicketRead).
const readPragmas = `PRAGMA mmap_size = 268435456`

// writePragmas let the WAL grow to 10,000 pages (40 MiB) before the writer copies it
// into the file (SQLite's default is 1,000). With a million tickets stored, an event's
// write dirties a page of each index at a random place, and a checkpoint writes and
// fsyncs each distinct page: a longer WAL writes a page changed by many commits once.
// It took intake with 1,000,000 tickets stored from 76 % to 87 % of an empty
// database's events/s (BenchmarkAppendStored, medians of three).
const writePragmas = `PRAGMA wal_autocheckpoint = 10000`

// connector opens go-sqlite3 connections with dsn, then runs pragma on each (those that
// the DSN has no parameter for).
type connector struct {
	dsn, pragma string
}

var sqliteDriver = &sqlite3.SQLiteDriver{}

func (c connector) Connect(context.Context) (driver.Conn, error) {
	conn, err := sqliteDriver.Open(c.dsn)
	if err != nil || c.pragma == "" {
		return conn, err
	}
	if _, err := conn.(*sqlite3.SQLiteConn).Exec(c.pragma, nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("%s: %w", c.pragma, err)
	}
	return conn, nil
}

func (c connector) Driver() driver.Driver { return sqliteDriver }

// IsPostgres reports whether dsn names a PostgreSQL database (postgres:// or
// postgresql://) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store dsn names: a PostgreSQL database for a postgres:// or
// postgresql:// URL (IsPostgres), else the SQLite file at that path, created if
// needed. It applies the pending migrations and starts the writer that group-commits
// Append calls.
func Open(dsn string, opts Options) (*DB, error) {
	if opts.Derive == nil {
		return nil, errors.New("storage: Options.Derive is required")
	}
	db := &DB{derive: opts.Derive, apply: opts.Apply, riskAt: opts.RiskAt, tierOf: opts.TierOf, now: opts.Now, reqs: make(chan *request, 1024), stopped: make(chan struct{})}
	if db.now == nil {
		db.now = time.Now
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = busyTimeout
	}
	db.writerWait = 2 * busy
	var err error
	if IsPostgres(dsn) {
		err = db.openPostgres(dsn, busy)
	} else {
		err = db.openSQLite(dsn, busy)
	}
	if err != nil {
		return nil, err
	}
	go db.writeLoop()
	return db, nil
}

// openSQLite opens the file at path.
func (db *DB) openSQLite(path string, busy time.Duration) error {
	if path == "" || path == ":memory:" {
		return fmt.Errorf("storage: want a file path or a postgres:// URL, not %q (each in-memory connection is its own database)", path)
	}
	// Durability: journal_mode=WAL with synchronous=FULL. A commit returns once its WAL
	// frames are written and the WAL file is fsynced, so it survives SIGKILL of the
	// process (TestAppendSurvivesKill) and a power loss. NORMAL would already survive a
	// process kill, since unsynced frames sit in the OS page cache, but could lose the
	// last commits on power loss. The price of FULL is one fsync per commit: a lone
	// caller waits for it, concurrent callers share it through group commit
	// (BenchmarkAppend).
	db.write = sql.OpenDB(connector{dsn: dsnBusy(path, url.Values{
		"_journal_mode": {"WAL"}, "_synchronous": {"FULL"}, "_txlock": {"immediate"},
	}, busy), pragma: writePragmas})
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)
	if err := db.setUp(); err != nil {
		db.write.Close()
		return fmt.Errorf("open %s: %w", path, err)
	}
	// The read connections open after the write one has set WAL mode on the file.
	db.read = sql.OpenDB(connector{
		dsn:    dsnBusy(path, url.Values{"_query_only": {"on"}, "_txlock": {"deferred"}}, busy),
		pragma: readPragmas,
	})
	n := max(4, 2*runtime.NumCPU())
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	return nil
}

// setUp applies the migrations and reads the generation, on the write connection.
func (db *DB) setUp() error {
	if err := db.migrate(context.Background()); err != nil {
		return err
	}
	return db.loadGeneration(context.Background())
}

// Close waits for the Append calls already accepted to commit, then closes the file.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	close(db.reqs)
	db.mu.Unlock()
	db.stopRederive()
	<-db.stopped
	return errors.Join(db.read.Close(), db.write.Close())
}

// Ping reports whether the database answers a query (readiness).
func (db *DB) Ping(ctx context.Context) error {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM migrations`).Scan(&n); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// timeLayout stores instants as UTC text that sorts like the instants it holds.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }
