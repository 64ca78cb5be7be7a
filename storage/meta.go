package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The meta table holds the store's own settings (the derive fingerprint and
// generation, the scheduler's fingerprint and horizon, the link secret) and the notes
// tools keep (SetNote).

// queryer is what a transaction and a pool share.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// metaValue reads the value stored under key; found is false when there is none.
func metaValue(ctx context.Context, q queryer, key string) (v string, found bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("meta %s: %w", key, err)
	}
	return v, true, nil
}

// setMeta stores value under key, over the value stored before.
func setMeta(ctx context.Context, ex execer, key, value string) error {
	_, err := ex.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("meta %s: %w", key, err)
	}
	return nil
}

// Note reads a value a tool stored with SetNote, such as the name of the population a
// benchmark fixture holds; found is false when there is none.
func (db *DB) Note(ctx context.Context, name string) (value string, found bool, err error) {
	if value, found, err = metaValue(ctx, db.read, metaNoteKey(name)); err != nil {
		return "", false, fmt.Errorf("note %s: %w", name, err)
	}
	return value, found, nil
}

// SetNote stores value under name in the meta table, beside but apart from the store's
// own entries (the derive fingerprint): a note never changes how the store behaves.
func (db *DB) SetNote(ctx context.Context, name, value string) error {
	if err := setMeta(ctx, db.write, metaNoteKey(name), value); err != nil {
		return fmt.Errorf("note %s: %w", name, err)
	}
	return nil
}

func metaNoteKey(name string) string { return "note:" + name }
