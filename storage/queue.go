package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// QueueFilter selects the tickets of the day's queue for Queue.
type QueueFilter struct {
	Customer string // "" for all
	Priority string // "P1".."P4", "" for all
	// DueBy: a running clock (response, resolution or update) due at or before it, a
	// breached one included. RiskBy: or at risk at or before it (the RiskAt option);
	// zero leaves the at-risk clocks out.
	DueBy, RiskBy time.Time
	Limit         int // at most this many; 0 for all
}

// Queue gives the open tickets f selects, in the lists' order (listOrder, which is
// sla.CompareNextDue, the order commands shows them in), and how many there are in
// all. The count reads only the tickets_not_resolved index, and the list walks the
// due-ordered index tickets_open_due up to f.Limit, so 100,000 stored tickets cost a
// few milliseconds.
func (db *DB) Queue(ctx context.Context, f QueueFilter) ([]sla.Ticket, int, error) {
	var where strings.Builder
	var args []any
	where.WriteString(`known = 1 AND state <> 'resolved' AND (response_due <= ? OR resolution_due <= ? OR next_update_due <= ?`)
	due := f.DueBy.Unix()
	args = append(args, due, due, due)
	if !f.RiskBy.IsZero() {
		where.WriteString(` OR risk_at <= ?`)
		args = append(args, f.RiskBy.Unix())
	}
	where.WriteString(`)`)
	if f.Customer != "" {
		where.WriteString(` AND customer = ?`)
		args = append(args, f.Customer)
	}
	if f.Priority != "" {
		where.WriteString(` AND priority = ?`)
		args = append(args, f.Priority)
	}
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("queue: %w", err)
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE `+where.String(), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("queue: %w", err)
	}
	q := `SELECT data FROM tickets WHERE ` + where.String() + ` ORDER BY ` + listOrder
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	ts, err := queryTickets(ctx, tx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	return ts, total, tx.Commit()
}
