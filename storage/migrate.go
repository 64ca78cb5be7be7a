package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
)

// migrations are applied in file-name order, each in its own transaction, and recorded
// in the migrations table. A file never changes once it has landed: a change to the
// schema is a new file. SQLite's are migrations/*.sql; PostgreSQL's, in
// migrations/postgres/, begin with SQLite's schema after 0011 as one file, and each
// later SQLite migration has its twin there (TestPostgresSchemaMirrorsNewestMigration).
//
//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// migrationsDir is the folder of the store's backend.
func (db *DB) migrationsDir() string { return db.pick("migrations", "migrations/postgres") }

var migrationName = regexp.MustCompile(`^[0-9]{4}_[a-z0-9_]+\.sql$`)

// migrate applies the migrations that the file has not seen yet.
func (db *DB) migrate(ctx context.Context) error {
	if err := db.migrationsTable(ctx); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	if err := db.refuseNewer(ctx); err != nil {
		return err
	}
	names, err := migrationNames(db.migrationsDir())
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := db.migrateOne(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// migrationsTable creates the table of applied migrations, once for every process
// opening the store at once.
func (db *DB) migrationsTable(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.lockMigrations(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	return tx.Commit()
}

// migrationNames are the file names of the embedded migrations in dir, in order.
func migrationNames(dir string) ([]string, error) {
	paths, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = path.Base(p)
	}
	slices.Sort(names)
	return names, nil
}

// refuseNewer stops an older binary on a file a newer one migrated: it would not know
// the newer tables' rules and could break them (an upgrade is undone by restoring the
// backup taken before it, not by starting the old binary).
func (db *DB) refuseNewer(ctx context.Context) error {
	known, err := migrationNames(db.migrationsDir())
	if err != nil {
		return err
	}
	var newest string
	err = db.write.QueryRowContext(ctx, `SELECT coalesce(max(name), '') FROM migrations`).Scan(&newest)
	if err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	if newest != "" && !slices.Contains(known, newest) && newest > known[len(known)-1] {
		return fmt.Errorf("the database was migrated by a newer bot (migration %s; this one knows up to %s): run that version or a newer one", newest, known[len(known)-1])
	}
	return nil
}

// migrateOne applies one migration unless it already has been; checking inside the
// write transaction (on PostgreSQL, after taking the migrations' lock) makes two
// processes opening the same store at once apply it once.
func (db *DB) migrateOne(ctx context.Context, name string) error {
	if !migrationName.MatchString(name) {
		return fmt.Errorf("name must look like 0001_init.sql")
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.lockMigrations(ctx, tx); err != nil {
		return err
	}
	applied, err := isApplied(ctx, tx, name)
	if err != nil || applied {
		return err
	}
	body, err := migrations.ReadFile(db.migrationsDir() + "/" + name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(raw(ctx), string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`,
		name, formatTime(db.now())); err != nil {
		return err
	}
	return tx.Commit()
}

func isApplied(ctx context.Context, tx *sql.Tx, name string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n)
	return n > 0, err
}

// Schema names the newest migration this binary knows. A migration may add a column
// derived from the ticket state (and fill it the way SQL can); the caller puts Schema in
// the fingerprint it gives Reconfigure, so that the first start after an upgrade
// re-derives every ticket once, in the background, and the columns Append compares
// before it updates (updateTicket) are those this binary writes.
func Schema() string {
	names, err := migrationNames("migrations")
	if err != nil || len(names) == 0 {
		return ""
	}
	return names[len(names)-1]
}
