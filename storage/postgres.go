package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// PostgreSQL (issue 16): the store several bot processes share, each on its own
// machine. Durability is the server's (synchronous_commit on, its default: a commit
// returns once the server flushed its WAL), and Append keeps its group commit, one
// transaction per batch, so that concurrent callers share a flush.

// pgWriteConns is the size of the write pool of a PostgreSQL store: the group-commit
// writer, the scheduler's pass, the outbox workers' claims and marks, and the other
// writers each hold one for a transaction.
const pgWriteConns = 8

// pgLockClass is the first key of the package's advisory locks ("MAGD"), so that they
// never meet another application's on the same server.
const pgLockClass = 0x4d414744

// openPostgres opens the database dsn names: a write pool and a read pool whose
// sessions are read-only, each waiting at most busy for a lock (lock_timeout, as
// SQLite's busy timeout) and dropped by the server after 30 s idle in a transaction,
// so that a process cut off from the server mid-transaction does not hold its locks.
func (db *DB) openPostgres(dsn string, busy time.Duration) error {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("storage: %w", err) // pgconn's ParseConfigError leaves the password out
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = busy
	}
	cfg.RuntimeParams["lock_timeout"] = fmt.Sprint(busy.Milliseconds())
	cfg.RuntimeParams["idle_in_transaction_session_timeout"] = "30000"
	db.postgres, db.pgConfig = true, cfg
	db.write = sql.OpenDB(pgConnector{stdlib.GetConnector(*cfg)})
	db.write.SetMaxOpenConns(pgWriteConns)
	db.write.SetMaxIdleConns(pgWriteConns)
	if err := db.setUp(); err != nil {
		db.write.Close()
		return oneLine{pgUnavailableErr(err)}
	}
	read := cfg.Copy()
	read.RuntimeParams["default_transaction_read_only"] = "on"
	db.read = sql.OpenDB(pgConnector{stdlib.GetConnector(*read)})
	n := max(4, 2*runtime.NumCPU())
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	return nil
}

// pgTicketLocks is how many advisory locks the tickets share (a power of two): a key
// takes the one of its hash. A transaction then holds at most this many whatever the
// number of tickets it writes, where a lock per ticket ran PostgreSQL's shared lock
// table (max_locks_per_transaction × max_connections, 6,400 by default) out of memory
// for an import of 12,500 tickets a transaction; two tickets of one lock only wait for
// each other.
const pgTicketLocks = 1024

// lockTickets takes, on PostgreSQL, the transaction's advisory lock of each key
// (pgTicketLocks), in one order for every process (so two never wait for each other): a transaction that reads
// a ticket's state or events and then writes its row (Append, the re-derive) is then
// alone on that ticket until it ends, as it is on SQLite's single writer, and a ticket
// created by two processes at once is derived from all of its events. The scheduler's
// pass does not wait for it: it locks the rows it decides on (FOR UPDATE SKIP LOCKED)
// and skips those a writer holds, which the writer's new state sends back to the next
// pass anyway. On SQLite it does nothing.
func (db *DB) lockTickets(ctx context.Context, tx *sql.Tx, keys []string) error {
	if !db.postgres || len(keys) == 0 {
		return nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?1, h) FROM
		(SELECT DISTINCT hashtext(value) & ?3 AS h FROM jsonb_array_elements_text(?2::jsonb) ORDER BY h) k) l`,
		pgLockClass, string(list), pgTicketLocks-1)
	if err != nil {
		return fmt.Errorf("lock tickets: %w", err)
	}
	return nil
}

// lockSetup serialises, on PostgreSQL, the processes that open the database or change
// its configuration at once, so that each migration is applied by one of them
// (migrateOne) and a new configuration moves the generation on once (Reconfigure).
func (db *DB) lockSetup(ctx context.Context, tx *sql.Tx) error {
	if !db.postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?, 0)`, pgLockClass)
	return err
}

// outboxChannel is the PostgreSQL notification channel of new outbox rows.
const outboxChannel = "magda_outbox"

// notifyOutbox tells, on PostgreSQL, every process listening (WatchOutbox) that tx adds
// outbox rows: the server delivers it when tx commits, and not at all if it rolls
// back. Several in one transaction are delivered as one.
func (db *DB) notifyOutbox(ctx context.Context, tx *sql.Tx) error {
	if !db.postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_notify('`+outboxChannel+`', '')`)
	return err
}

// WatchOutbox calls wake whenever a process sharing the store (this one too) commits
// new outbox rows, until ctx ends: the outbox workers of every replica then claim at
// once instead of at their next poll (issue 16). On PostgreSQL it listens on a
// connection of its own (LISTEN magda_outbox), reconnecting after a second when the
// server is gone, and calls wake after each reconnection too, for what was committed
// meanwhile. On SQLite the processes on a file poll, and WatchOutbox returns at once.
// It returns when ctx ends.
func (db *DB) WatchOutbox(ctx context.Context, wake func()) {
	if !db.postgres {
		return
	}
	for ctx.Err() == nil {
		err := db.listen(ctx, wake)
		if ctx.Err() != nil {
			return
		}
		_ = err // the server is away: the outbox's poll covers the wait, and we try again
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (db *DB) listen(ctx context.Context, wake func()) error {
	conn, err := pgx.ConnectConfig(ctx, db.pgConfig)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN `+outboxChannel); err != nil {
		return err
	}
	wake()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		wake()
	}
}

// pgUnavailableErr marks err as ErrUnavailable when it is the server failing
// (pgUnavailable), so that callers see one kind of error for a store that cannot
// answer now.
func pgUnavailableErr(err error) error {
	if err != nil && pgUnavailable(err) && !errors.Is(err, ErrUnavailable) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// oneLine is an error whose message is one line: pgx gives a failed connection one line
// per address tried.
type oneLine struct{ err error }

func (e oneLine) Error() string {
	msg := strings.ReplaceAll(strings.ReplaceAll(e.err.Error(), ":\n", ": "), "\n", "; ")
	return strings.Join(strings.Fields(msg), " ")
}

func (e oneLine) Unwrap() error { return e.err }
