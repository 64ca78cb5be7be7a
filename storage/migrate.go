package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
)

// migrations are applied in file-name order, each in its own transaction, and recorded
// in the migrations table. A file never changes once it has landed: a change to the
// schema is a new file.
//
//go:embed migrations/*.sql
var migrations embed.FS

var migrationName = regexp.MustCompile(`^[0-9]{4}_[a-z0-9_]+\.sql$`)

// migrate applies the migrations that the file has not seen yet.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, name := range names {
		if err := db.migrateOne(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// migrateOne applies one migration unless it already has been; checking inside the
// write transaction makes two processes opening the same file at once apply it once.
func (db *DB) migrateOne(ctx context.Context, path string) error {
	name := path[len("migrations/"):]
	if !migrationName.MatchString(name) {
		return fmt.Errorf("name must look like 0001_init.sql")
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	applied, err := isApplied(ctx, tx, name)
	if err != nil || applied {
		return err
	}
	body, err := migrations.ReadFile(path)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
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
