package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Backup writes a consistent copy of the database to path while the bot runs: SQLite's
// online backup API, copying every page in one step from one read transaction. Under
// WAL that transaction is a snapshot, so writers go on meanwhile and the copy holds
// exactly what was committed when it started: every event acknowledged before. The copy
// is written beside path and renamed into place only once it passed `PRAGMA
// integrity_check`, so path is either a whole good copy or absent. An existing path is
// refused: a backup never overwrites.
//
// A PostgreSQL store is backed up with the server's own tools (pg_dump, a base backup
// with WAL archiving), which the operator of a shared server already runs: Backup
// refuses it as ErrInvalid.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.postgres {
		return invalid("backup: the store is PostgreSQL: back it up with pg_dump or the server's base backups; bot backup copies a SQLite file")
	}
	if _, err := os.Lstat(path); err == nil {
		return invalid("backup: %s exists; name a new file", path)
	}
	tmp := path + ".part"
	os.Remove(tmp)
	if err := db.backupTo(ctx, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

func (db *DB) backupTo(ctx context.Context, tmp string) error {
	dst, err := sqliteDriver.Open(dsn(tmp, url.Values{}))
	if err != nil {
		return err
	}
	dc := dst.(*sqlite3.SQLiteConn)
	defer dc.Close()
	src, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	defer src.Close()
	err = src.Raw(func(c any) error {
		b, err := dc.Backup("main", c.(*sqlite3.SQLiteConn), "main")
		if err != nil {
			return err
		}
		if _, err := b.Step(-1); err != nil {
			b.Close()
			return err
		}
		return b.Close()
	})
	if err != nil {
		return err
	}
	// The copy is a file of its own: no -wal beside it to lose when it is moved.
	if _, err := dc.Exec(`PRAGMA journal_mode = DELETE`, nil); err != nil {
		return err
	}
	return integrity(dc)
}

// integrity runs `PRAGMA integrity_check` on c: nil when SQLite answers "ok".
func integrity(c *sqlite3.SQLiteConn) error {
	rows, err := c.Query(`PRAGMA integrity_check`, nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	v := make([]driver.Value, 1)
	if err := rows.Next(v); err != nil {
		return fmt.Errorf("integrity_check: %w", err)
	}
	if s, _ := v[0].(string); s != "ok" {
		return fmt.Errorf("integrity_check: %v", v[0])
	}
	return nil
}

// IntegrityCheck runs `PRAGMA integrity_check` on the database: nil when it is sound.
//
// On PostgreSQL, whose server checks its own pages, it looks for an index of the
// store's tables that the server marked invalid (a CREATE INDEX that failed half way).
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.postgres {
		var bad string
		err := db.read.QueryRowContext(ctx, `SELECT coalesce(string_agg(c.relname, ', '), '') FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND NOT i.indisvalid`).Scan(&bad)
		switch {
		case err != nil:
			return fmt.Errorf("integrity check: %w", err)
		case bad != "":
			return fmt.Errorf("integrity check: invalid indexes: %s", bad)
		}
		return nil
	}
	var s string
	if err := db.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&s); err != nil {
		return fmt.Errorf("integrity_check: %w", err)
	}
	if s != "ok" {
		return fmt.Errorf("integrity_check: %s", s)
	}
	return nil
}

// Size is the database's size in bytes (its pages, without the -wal file), for
// magda_db_size_bytes.
func (db *DB) Size(ctx context.Context) (int64, error) {
	var n int64
	err := db.read.QueryRowContext(ctx, db.pick(`SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`,
		`SELECT pg_database_size(current_database())`)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("size: %w", err)
	}
	return n, nil
}

// Pruned counts what Prune removed.
type Pruned struct {
	Outbox     int64 // sent messages
	Notices    int64 // keys of notices about no ticket (digests, maintenance) whose day passed
	Deliveries int64 // Jira delivery ids
}

// Prune removes what only grows and no longer matters, older than before: outbox
// messages sent before it (the message bodies, the bulk of the file), the Jira delivery
// ids received before it (Jira retries a delivery for hours, not weeks), and the keys of
// digests and maintenance notices due before it whose messages are all gone: those are
// only ever decided for today or a coming window, so an old key prevents nothing. The
// keys of ticket notices stay with the event log: a ticket reopened a year later would
// otherwise announce its old breach again (R3.5, R4.4). Parked and pending messages stay
// whatever their age. One transaction.
func (db *DB) Prune(ctx context.Context, before time.Time) (Pruned, error) {
	var p Pruned
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return p, fmt.Errorf("prune: %w", err)
	}
	defer tx.Rollback()
	cut := formatTime(before)
	steps := []struct {
		n    *int64
		stmt string
		arg  any
	}{
		{&p.Outbox, `DELETE FROM outbox WHERE state = 'sent' AND sent_at < ?`, cut},
		{&p.Notices, `DELETE FROM notifications WHERE ticket = '' AND slot < ?
			AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.notification = notifications.id)`, before.Unix()},
		{&p.Deliveries, `DELETE FROM deliveries WHERE source = 'jira' AND received_at < ?`, cut},
	}
	for _, s := range steps {
		if *s.n, err = affected(tx.ExecContext(ctx, s.stmt, s.arg)); err != nil {
			return Pruned{}, fmt.Errorf("prune: %w", err)
		}
	}
	return p, tx.Commit()
}

func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Waiting counts the events stored for a ticket whose created event has not come
// (events may arrive in any order): they wait for it.
func (db *DB) Waiting(ctx context.Context, key string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM events e WHERE e.ticket = ?
		AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.key = e.ticket AND t.known = 1)`, key).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("waiting %s: %w", key, err)
	}
	return n, nil
}

// Migrations names the migrations applied to the file and those this binary knows that
// are not (none after Open). A file with a migration this binary does not know was
// written by a newer one: Open refuses it.
func (db *DB) Migrations(ctx context.Context) (applied int, missing []string, err error) {
	names, err := migrationNames(db.migrationsDir())
	if err != nil {
		return 0, nil, err
	}
	for _, name := range names {
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
			return 0, nil, fmt.Errorf("migrations: %w", err)
		}
		if n == 0 {
			missing = append(missing, name)
		} else {
			applied++
		}
	}
	return applied, missing, nil
}
