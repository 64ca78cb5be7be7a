package storage

import (
	"context"
	"fmt"
	"time"
)

// ScheduledMaintenance is a status page's scheduled maintenance (R8.2).
type ScheduledMaintenance struct {
	ID         string
	Name       string
	Start, End time.Time
	URL        string
}

// SaveMaintenances stores the scheduled maintenances of one read of the status page,
// all or nothing: a new one is added, a known one (by id) takes its new name and times.
// One the page no longer lists is kept. It gives how many rows changed.
func (db *DB) SaveMaintenances(ctx context.Context, ms []ScheduledMaintenance) (changed int, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("maintenances: %w", err)
	}
	defer tx.Rollback()
	for _, m := range ms {
		if m.ID == "" || !m.End.After(m.Start) {
			return 0, fmt.Errorf("maintenances: %w", invalid("maintenance %q: need an id and an end after the start", m.ID))
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO scheduled_maintenances (id, name, starts_at, ends_at, url)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, starts_at = excluded.starts_at,
				ends_at = excluded.ends_at, url = excluded.url
			WHERE (scheduled_maintenances.name, scheduled_maintenances.starts_at,
				scheduled_maintenances.ends_at, scheduled_maintenances.url)
				IS DISTINCT FROM (excluded.name, excluded.starts_at, excluded.ends_at, excluded.url)`,
			m.ID, m.Name, formatTime(m.Start), formatTime(m.End), m.URL)
		if err != nil {
			return 0, fmt.Errorf("maintenances: %s: %w", m.ID, err)
		}
		n, _ := res.RowsAffected()
		changed += int(n)
	}
	return changed, tx.Commit()
}

// Maintenances gives every stored scheduled maintenance, by start.
func (db *DB) Maintenances(ctx context.Context) ([]ScheduledMaintenance, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, name, starts_at, ends_at, url FROM scheduled_maintenances ORDER BY starts_at, id`)
	if err != nil {
		return nil, fmt.Errorf("maintenances: %w", err)
	}
	defer rows.Close()
	var out []ScheduledMaintenance
	for rows.Next() {
		var (
			m          ScheduledMaintenance
			start, end string
		)
		if err := rows.Scan(&m.ID, &m.Name, &start, &end, &m.URL); err != nil {
			return nil, fmt.Errorf("maintenances: %w", err)
		}
		if m.Start, err = parseTime(start); err == nil {
			m.End, err = parseTime(end)
		}
		if err != nil {
			return nil, fmt.Errorf("maintenances: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
