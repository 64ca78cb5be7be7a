package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Outbox row states.
const (
	StatePending = "pending" // to send, now or at NotBefore
	StateSent    = "sent"
	StateParked  = "parked" // failed too often: kept for an operator, not retried
)

// Delivery is one outbox row: a message of a notification to one destination.
type Delivery struct {
	ID        int64
	Ticket    string
	Kind      string
	Slot      int64
	Platform  string
	Channel   string
	Body      []byte
	State     string
	Attempts  int       // failed tries that count towards parking
	NotBefore time.Time // the next try, while pending
	LastError string
	SentAt    time.Time
	Ref       string // the platform's id of the message sent
}

// ErrLeaseLost is returned by MarkSent and MarkFailed when the row's lease ran out and
// another worker claimed it: that worker may send it again.
var ErrLeaseLost = errors.New("outbox lease lost")

// Claim leases the pending row due soonest (NotBefore at or before now) whose platform
// is one of platforms and that nobody holds, to owner until now+lease, in one UPDATE:
// two workers, in one process or two, never hold the same row. A lease that ran out
// (its worker died) is free again. ok is false when nothing is due.
func (db *DB) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, platforms []string) (d Delivery, ok bool, err error) {
	if owner == "" || lease <= 0 {
		return Delivery{}, false, fmt.Errorf("claim: %w", invalid("need an owner and a lease"))
	}
	list, err := json.Marshal(platforms)
	if err != nil {
		return Delivery{}, false, fmt.Errorf("claim: %w", err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return Delivery{}, false, fmt.Errorf("claim: %w", err)
	}
	defer tx.Rollback()
	ms := now.UnixMilli()
	err = tx.QueryRowContext(ctx, `UPDATE outbox SET claimed_by = ?1, claimed_until_ms = ?2
		WHERE id = (SELECT id FROM outbox WHERE state = 'pending' AND not_before_ms <= ?3
			AND (claimed_until_ms IS NULL OR claimed_until_ms < ?3)
			AND platform IN (SELECT value FROM json_each(?4))
			ORDER BY not_before_ms, id LIMIT 1)
		RETURNING id`, owner, now.Add(lease).UnixMilli(), ms, string(list)).Scan(&d.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, false, nil
	}
	if err != nil {
		return Delivery{}, false, fmt.Errorf("claim: %w", err)
	}
	ds, err := queryDeliveries(ctx, tx, `o.id = ?`, d.ID)
	if err != nil || len(ds) != 1 {
		return Delivery{}, false, fmt.Errorf("claim %d: %d rows, %v", d.ID, len(ds), err)
	}
	return ds[0], true, tx.Commit()
}

// MarkSent records that owner delivered row id at `at` as the platform's message ref.
// ErrLeaseLost: another worker claimed the row meanwhile.
func (db *DB) MarkSent(ctx context.Context, id int64, owner string, at time.Time, ref string) error {
	return db.mark(ctx, id, owner, `state = 'sent', sent_at = ?, ref = ?, last_error = NULL`, formatTime(at), ref)
}

// Failure is a failed try of a claimed row.
type Failure struct {
	Err   string
	Next  time.Time // when to try again
	Count bool      // the try counts towards parking (a rate limit does not)
	Park  bool      // give up: the row is parked
}

// MarkFailed records a failed try of a claimed row and frees it for the next try at
// f.Next, or parks it. ErrLeaseLost: another worker claimed the row meanwhile.
func (db *DB) MarkFailed(ctx context.Context, id int64, owner string, f Failure) error {
	state := StatePending
	if f.Park {
		state = StateParked
	}
	count := 0
	if f.Count {
		count = 1
	}
	return db.mark(ctx, id, owner, `state = ?, attempts = attempts + ?, not_before_ms = ?, last_error = ?`,
		state, count, f.Next.UnixMilli(), f.Err)
}

// mark updates a row owner holds and releases the lease.
func (db *DB) mark(ctx context.Context, id int64, owner, set string, args ...any) error {
	res, err := db.write.ExecContext(ctx, `UPDATE outbox SET `+set+`, claimed_by = NULL, claimed_until_ms = NULL
		WHERE id = ? AND claimed_by = ? AND state = 'pending'`, append(args, id, owner)...)
	if err != nil {
		return fmt.Errorf("outbox %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("outbox %d: %w", id, errors.Join(ErrLeaseLost, err))
	}
	return nil
}

// Deliveries lists outbox rows in the order they were stored: all of them, or those
// in one state.
func (db *DB) Deliveries(ctx context.Context, state string) ([]Delivery, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	defer tx.Rollback()
	where, args := "1", []any(nil)
	if state != "" {
		where, args = "o.state = ?", []any{state}
	}
	ds, err := queryDeliveries(ctx, tx, where, args...)
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	return ds, tx.Commit()
}

func queryDeliveries(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]Delivery, error) {
	rows, err := tx.QueryContext(ctx, `SELECT o.id, n.ticket, n.kind, n.slot, o.platform, o.channel, o.body,
			o.state, o.attempts, o.not_before_ms, coalesce(o.last_error, ''), coalesce(o.sent_at, ''), coalesce(o.ref, '')
		FROM outbox o JOIN notifications n ON n.id = o.notification WHERE `+where+` ORDER BY o.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ds []Delivery
	for rows.Next() {
		var d Delivery
		var notBefore int64
		var sent string
		if err := rows.Scan(&d.ID, &d.Ticket, &d.Kind, &d.Slot, &d.Platform, &d.Channel, &d.Body,
			&d.State, &d.Attempts, &notBefore, &d.LastError, &sent, &d.Ref); err != nil {
			return nil, err
		}
		d.NotBefore = time.UnixMilli(notBefore).UTC()
		if sent != "" {
			if d.SentAt, err = parseTime(sent); err != nil {
				return nil, err
			}
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// Depth is how many outbox rows of a platform are in a state other than sent.
type Depth struct {
	State    string
	Platform string
	Count    int
}

// OutboxDepth counts the rows not sent by state and platform, for the metrics.
func (db *DB) OutboxDepth(ctx context.Context) ([]Depth, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT state, platform, count(*) FROM outbox
		WHERE state <> 'sent' GROUP BY state, platform ORDER BY state, platform`)
	if err != nil {
		return nil, fmt.Errorf("outbox depth: %w", err)
	}
	defer rows.Close()
	var out []Depth
	for rows.Next() {
		var d Depth
		if err := rows.Scan(&d.State, &d.Platform, &d.Count); err != nil {
			return nil, fmt.Errorf("outbox depth: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
