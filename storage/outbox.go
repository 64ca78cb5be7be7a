package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Notification is one decision of the notify scheduler: a message about (Ticket, Kind)
// due at Slot. That triple is unique, so the same decision taken twice, by a second pass
// or a second process on the same file, stores nothing the second time.
type Notification struct {
	Ticket string // "" for a notice about no ticket (a digest, a maintenance weekend)
	Kind   string
	// Slot is the unix second the notification is due at, or an escalation's level.
	Slot int64
	// At is when its messages may go out, from when it was decided. Zero: Options.Now.
	At time.Time
	// Window is the tier (sla.Tier) whose service window its messages keep to: they
	// are sent only while it is open, retries too (R3.2). "": any time.
	Window string
	// Messages gives what to send and where. It is called only when the notification
	// is new, inside the transaction that stores it, so it must not call the DB; nil or
	// an empty result records the decision with nothing to send.
	Messages func() ([]Message, error)
}

// Message is what the outbox delivers to one destination.
type Message struct {
	Platform string // "slack", "teams", "mail", …: the caller's names
	Channel  string // a channel id, or the recipients of a mail
	Body     []byte // the message, encoded by the caller
}

// decideChunk is how many open tickets one Decide transaction reads: a few
// milliseconds of holding the write lock, so Append calls interleave.
const decideChunk = 500

// Decide walks the open tickets in key order, chunk by chunk. For each chunk it reads
// the tickets and calls decide on each inside one write transaction, and stores the
// notifications decide returns there, so that a decision and the state it was taken on
// are one. decide must be quick and must not call the DB. It returns how many
// notifications were new.
func (db *DB) Decide(ctx context.Context, decide func(Running) []Notification) (added int, err error) {
	added, err = inChunks(decideChunk, func(after string) (int, int, string, error) {
		return db.decideFrom(ctx, after, decide)
	})
	if err != nil {
		return added, fmt.Errorf("decide: %w", err)
	}
	return added, nil
}

func (db *DB) decideFrom(ctx context.Context, after string, decide func(Running) []Notification) (n, added int, last string, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, "", err
	}
	defer tx.Rollback()
	rs, err := queryRunning(ctx, tx, after, decideChunk)
	if err != nil || len(rs) == 0 {
		return 0, 0, "", err
	}
	stored, err := storedKeys(ctx, tx, rs[0].Key, rs[len(rs)-1].Key)
	if err != nil {
		return 0, 0, "", err
	}
	now := db.now()
	for _, r := range rs {
		for _, nt := range decide(r) {
			if stored[noteKey{nt.Ticket, nt.Kind, nt.Slot}] {
				continue // decided before: most of a pass's decisions are
			}
			ok, err := insertNotification(ctx, tx, nt, now)
			if err != nil {
				return 0, 0, "", err
			}
			if ok {
				added++
			}
		}
	}
	return len(rs), added, rs[len(rs)-1].Key, tx.Commit()
}

type noteKey struct {
	ticket, kind string
	slot         int64
}

// storedKeys gives the keys of the notifications stored for the tickets from first to
// last, in one pass over the key's unique index: a pass then inserts only what is new,
// instead of trying every decision again.
func storedKeys(ctx context.Context, tx *sql.Tx, first, last string) (map[noteKey]bool, error) {
	rows, err := tx.QueryContext(ctx, storedKeysQuery, first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := make(map[noteKey]bool)
	for rows.Next() {
		var k noteKey
		if err := rows.Scan(&k.ticket, &k.kind, &k.slot); err != nil {
			return nil, err
		}
		keys[k] = true
	}
	return keys, rows.Err()
}

const storedKeysQuery = `SELECT ticket, kind, slot FROM notifications WHERE ticket BETWEEN ? AND ?`

// Enqueue stores notifications decided outside Decide (a progress update posted, a
// digest), each with its messages unless its key is already stored, in one
// transaction. It returns how many were new.
func (db *DB) Enqueue(ctx context.Context, ns ...Notification) (added int, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("enqueue: %w", err)
	}
	defer tx.Rollback()
	now := db.now()
	for _, nt := range ns {
		ok, err := insertNotification(ctx, tx, nt, now)
		if err != nil {
			return 0, fmt.Errorf("enqueue: %w", err)
		}
		if ok {
			added++
		}
	}
	return added, tx.Commit()
}

// insertNotification stores nt and, when its key is new, its messages as pending
// outbox rows that may be sent from nt.At (now when zero). ok is false when the key was
// stored before.
func insertNotification(ctx context.Context, tx *sql.Tx, nt Notification, now time.Time) (ok bool, err error) {
	if nt.Kind == "" {
		return false, invalid("notification of %q has no kind", nt.Ticket)
	}
	if !nt.At.IsZero() {
		now = nt.At
	}
	var window any
	if nt.Window != "" {
		window = nt.Window
	}
	res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO notifications (ticket, kind, slot, decided_at, service_window)
		VALUES (?, ?, ?, ?, ?)`, nt.Ticket, nt.Kind, nt.Slot, formatTime(now), window)
	if err != nil {
		return false, fmt.Errorf("notification %s %s: %w", nt.Ticket, nt.Kind, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	id, err := res.LastInsertId()
	if err != nil || nt.Messages == nil {
		return err == nil, err
	}
	msgs, err := nt.Messages()
	if err != nil {
		return false, fmt.Errorf("notification %s %s: %w", nt.Ticket, nt.Kind, err)
	}
	nowMs := now.UnixMilli()
	for _, m := range msgs {
		if m.Platform == "" || m.Channel == "" {
			return false, invalid("notification %s %s: a message without platform or channel", nt.Ticket, nt.Kind)
		}
		_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO outbox (notification, platform, channel, body, state, not_before_ms)
			VALUES (?, ?, ?, ?, 'pending', ?)`, id, m.Platform, m.Channel, m.Body, nowMs)
		if err != nil {
			return false, fmt.Errorf("notification %s %s to %s %s: %w", nt.Ticket, nt.Kind, m.Platform, m.Channel, err)
		}
	}
	return true, nil
}

// Decided reports whether the notification (ticket, kind, slot) is stored.
func (db *DB) Decided(ctx context.Context, ticket, kind string, slot int64) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE ticket = ? AND kind = ? AND slot = ?`,
		ticket, kind, slot).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("decided %s %s: %w", ticket, kind, err)
	}
	return n > 0, nil
}

// OutboxStart gives the instant of the first call ever on this file, storing now when
// there is none: the scheduler's horizon, before which what was due is history.
func (db *DB) OutboxStart(ctx context.Context, now time.Time) (time.Time, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return time.Time{}, fmt.Errorf("outbox start: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO meta (key, value) VALUES ('outbox_start', ?)`,
		formatTime(now)); err != nil {
		return time.Time{}, fmt.Errorf("outbox start: %w", err)
	}
	var s string
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'outbox_start'`).Scan(&s); err != nil {
		return time.Time{}, fmt.Errorf("outbox start: %w", err)
	}
	start, err := parseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("outbox start: %w", err)
	}
	return start, tx.Commit()
}
