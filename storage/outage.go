package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Outage sources: what an outage row came from.
const (
	OutageAlertmanager = "alertmanager"
	OutageAPI          = "api"
)

// AlertMark is what one alert of an Alertmanager notification says: the component of
// fingerprint Ref is down from Start, and back at End (zero while firing).
type AlertMark struct {
	Ref       string // the alert's fingerprint
	Component sla.Component
	Start     time.Time
	End       time.Time
	Note      string
}

// MarkAlerts records an Alertmanager notification, all or nothing, and gives how many
// outages it opened or closed. An alert is keyed by its fingerprint and start (R6.1):
// a repeat of a firing alert, or a re-sent resolved one, changes nothing; a resolved
// alert whose firing never arrived is stored whole. The first end stored is kept.
func (db *DB) MarkAlerts(ctx context.Context, marks []AlertMark) (changed int, err error) {
	tx, done, err := db.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("outages: %w", err)
	}
	defer done()
	defer tx.Rollback()
	for _, m := range marks {
		if m.Ref == "" {
			return 0, fmt.Errorf("outages: %w", invalid("an alert without a fingerprint"))
		}
		n, err := markOutage(ctx, tx, OutageAlertmanager, m.Ref, m.Component, m.Start, m.End, m.Note, "")
		if err != nil {
			return 0, fmt.Errorf("outages: alert %s: %w", m.Ref, err)
		}
		changed += n
	}
	return changed, tx.Commit()
}

// markOutage inserts an outage, or ends the stored one of the same key that is still
// open; it gives 1 when it changed a row.
func markOutage(ctx context.Context, tx *sql.Tx, source, ref string, c sla.Component, start, end time.Time, note, by string) (int, error) {
	if _, err := sla.ParseComponent(string(c)); err != nil {
		return 0, invalid("%v", err)
	}
	if !end.IsZero() && end.Before(start) {
		return 0, invalid("ends at %s before it starts at %s", end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	var ended any
	if !end.IsZero() {
		ended = formatTime(end)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO outages (source, ref, component, started_at, ended_at, note, by)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, ref, started_at) DO UPDATE SET ended_at = excluded.ended_at
		WHERE outages.ended_at IS NULL AND excluded.ended_at IS NOT NULL`,
		source, ref, string(c), formatTime(start), ended, note, by)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RecordOutageEvents stores outage events of the events API, all or nothing, in the
// order of their instants, and gives how many changed something. outage_started opens
// an outage of its component at `at` (the same start again is the same outage);
// outage_ended ends the latest one that started at or before `at`. An end with no such
// open outage is ErrInvalid, unless that outage already ended at that very instant
// (a re-sent event).
func (db *DB) RecordOutageEvents(ctx context.Context, evs []sla.OutageEvent) (stored int, err error) {
	evs = slices.Clone(evs)
	slices.SortStableFunc(evs, func(a, b sla.OutageEvent) int { return a.At.Compare(b.At) })
	tx, done, err := db.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("outage events: %w", err)
	}
	defer done()
	defer tx.Rollback()
	for _, e := range evs {
		var n int
		switch e.Type {
		case sla.OutageStarted:
			n, err = markOutage(ctx, tx, OutageAPI, string(e.Component), e.Component, e.At, time.Time{}, e.Note, e.By)
		case sla.OutageEnded:
			n, err = endOutage(ctx, tx, e)
		default:
			err = invalid("unknown event type %q", e.Type)
		}
		if err != nil {
			return 0, fmt.Errorf("outage events: %w", err)
		}
		stored += n
	}
	return stored, tx.Commit()
}

func endOutage(ctx context.Context, tx *sql.Tx, e sla.OutageEvent) (int, error) {
	var (
		id    int64
		ended sql.NullString
	)
	err := tx.QueryRowContext(ctx, `SELECT id, ended_at FROM outages
		WHERE source = ? AND ref = ? AND started_at <= ? ORDER BY started_at DESC LIMIT 1`,
		OutageAPI, string(e.Component), formatTime(e.At)).Scan(&id, &ended)
	at := formatTime(e.At)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, invalid("outage_ended: no outage of %s started at or before %s", e.Component, e.At.Format(time.RFC3339))
	case err != nil:
		return 0, err
	case ended.Valid && ended.String == at:
		return 0, nil
	case ended.Valid:
		return 0, invalid("outage_ended: the last outage of %s before %s already ended", e.Component, e.At.Format(time.RFC3339))
	}
	note := e.Note
	_, err = tx.ExecContext(ctx, `UPDATE outages SET ended_at = ?,
		note = CASE WHEN ? = '' THEN note WHEN note = '' THEN ? ELSE note || ' · ' || ? END WHERE id = ?`,
		at, note, note, note, id)
	return 1, err
}

// Outages gives the outages that overlap [from, to), by start; an open one has a zero End.
func (db *DB) Outages(ctx context.Context, from, to time.Time) ([]sla.Outage, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, source, component, started_at, ended_at, note FROM outages
		WHERE started_at < ? AND (ended_at IS NULL OR ended_at > ?) ORDER BY started_at, id`,
		formatTime(to), formatTime(from))
	if err != nil {
		return nil, fmt.Errorf("outages: %w", err)
	}
	defer rows.Close()
	var out []sla.Outage
	for rows.Next() {
		var (
			o          sla.Outage
			c, started string
			ended      sql.NullString
		)
		if err := rows.Scan(&o.ID, &o.Source, &c, &started, &ended, &o.Note); err != nil {
			return nil, fmt.Errorf("outages: %w", err)
		}
		o.Component = sla.Component(c)
		if o.Start, err = parseTime(started); err != nil {
			return nil, fmt.Errorf("outages: %w", err)
		}
		if ended.Valid {
			if o.End, err = parseTime(ended.String); err != nil {
				return nil, fmt.Errorf("outages: %w", err)
			}
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
