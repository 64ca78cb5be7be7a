package storage

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Requeue puts parked outbox rows back to be tried again at now, with their failures
// forgotten: the given ids, or every parked row when none is given. Rows that are not
// parked are left alone. It gives how many rows it requeued.
func (db *DB) Requeue(ctx context.Context, now time.Time, ids ...int64) (int, error) {
	where, args := "", []any{now.UnixMilli()}
	if len(ids) > 0 {
		where = " AND id IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	res, err := db.write.ExecContext(ctx, `UPDATE outbox SET state = 'pending', attempts = 0,
		not_before_ms = ?, last_error = NULL, claimed_by = NULL, claimed_until_ms = NULL
		WHERE state = 'parked'`+where, args...)
	if err != nil {
		return 0, fmt.Errorf("requeue: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
