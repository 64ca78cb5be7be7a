package storage

import (
	"context"
	"fmt"
	"time"
)

// FirstSeen records that id of source (a Slack Events API event_id, ...) arrived at
// `at`, and reports whether it is the first time within keep: a sender's retry that
// reaches another process on the same file is seen there too. Ids of source older than
// keep are forgotten in the same transaction, so the table stays small. It shares the
// deliveries table with Append's delivery ids; use a source of its own.
func (db *DB) FirstSeen(ctx context.Context, source, id string, at time.Time, keep time.Duration) (first bool, err error) {
	if source == "" || id == "" || keep <= 0 {
		return false, fmt.Errorf("seen: %w", invalid("need a source, an id and a retention"))
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("seen %s %s: %w", source, id, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM deliveries WHERE source = ? AND received_at < ?`,
		source, formatTime(at.Add(-keep))); err != nil {
		return false, fmt.Errorf("seen %s %s: %w", source, id, err)
	}
	n, err := affected(tx.ExecContext(ctx, `INSERT INTO deliveries (source, id, received_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, source, id, formatTime(at)))
	switch {
	case err != nil:
		return false, fmt.Errorf("seen %s %s: %w", source, id, err)
	case n == 0:
		return false, nil
	}
	return true, tx.Commit()
}
