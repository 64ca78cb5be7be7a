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
	// Window is the tier whose service window the message keeps to; "": any time.
	Window string
	// Unclear is the start of the earliest try whose outcome is not known (it timed
	// out, lost its connection, or its process died): that try may have been posted.
	// From Claim, it is what the tries before this claim left; zero: none.
	Unclear time.Time
}

// ErrLeaseLost is returned by MarkSent and MarkFailed when the row's lease ran out and
// another worker claimed it: that worker may send it again.
var ErrLeaseLost = errors.New("outbox lease lost")

// Claimable is what a worker may claim.
type Claimable struct {
	Platforms []string // those it can send to
	// Closed are the service windows (tiers) shut now: their rows wait for the next
	// opening, whenever they became due and however often they failed (R3.2).
	Closed []string
}

// Claim leases the pending row due soonest (NotBefore at or before now) that c allows,
// that no rate limit holds (Hold) and that nobody else has, to owner until now+lease:
// two workers, in one process or two, never hold the same row. A lease that ran out
// (its worker died) is free again. The claim is the start of a try: it is recorded, so
// that the next claim knows the outcome of this one is unclear until MarkSent, or
// MarkFailed with Clear. ok is false when nothing is due.
func (db *DB) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, c Claimable) (d Delivery, ok bool, err error) {
	if owner == "" || lease <= 0 {
		return Delivery{}, false, fmt.Errorf("claim: %w", invalid("need an owner and a lease"))
	}
	platforms, err := json.Marshal(c.Platforms)
	if err != nil {
		return Delivery{}, false, fmt.Errorf("claim: %w", err)
	}
	closed, err := json.Marshal(append([]string{}, c.Closed...)) // [], not null: NOT IN (NULL) is never true
	if err != nil {
		return Delivery{}, false, fmt.Errorf("claim: %w", err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return Delivery{}, false, fmt.Errorf("claim: %w", err)
	}
	defer tx.Rollback()
	ms := now.UnixMilli()
	var tried sql.NullInt64
	// BEGIN IMMEDIATE (the write connection's) makes the read and the update one step
	// for every process on the file; on PostgreSQL the row is locked as it is read, and
	// a row another process is claiming is passed over for the next.
	err = tx.QueryRowContext(ctx, db.pick(claimQuery, claimQuery+` FOR UPDATE OF o SKIP LOCKED`),
		ms, string(platforms), string(closed)).Scan(&d.ID, &tried)
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, false, nil
	}
	if err != nil {
		return Delivery{}, false, fmt.Errorf("claim: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET claimed_by = ?, claimed_until_ms = ?,
		tried_ms = coalesce(tried_ms, ?) WHERE id = ?`, owner, now.Add(lease).UnixMilli(), ms, d.ID); err != nil {
		return Delivery{}, false, fmt.Errorf("claim %d: %w", d.ID, err)
	}
	ds, err := queryDeliveries(ctx, tx, `o.id = ?`, d.ID)
	if err != nil || len(ds) != 1 {
		return Delivery{}, false, fmt.Errorf("claim %d: %d rows, %v", d.ID, len(ds), err)
	}
	d = ds[0]
	d.Unclear = time.Time{}
	if tried.Valid {
		d.Unclear = time.UnixMilli(tried.Int64).UTC()
	}
	return d, true, tx.Commit()
}

const claimQuery = `SELECT o.id, o.tried_ms FROM outbox o JOIN notifications n ON n.id = o.notification
	WHERE o.state = 'pending' AND o.not_before_ms <= ?1
		AND (o.claimed_until_ms IS NULL OR o.claimed_until_ms < ?1)
		AND o.platform IN (SELECT value FROM json_each(?2))
		AND (n.service_window IS NULL OR n.service_window NOT IN (SELECT value FROM json_each(?3)))
		AND NOT EXISTS (SELECT 1 FROM holds h
			WHERE h.platform = o.platform AND h.channel IN ('', o.channel) AND h.until_ms > ?1)
	ORDER BY o.not_before_ms, o.id LIMIT 1`

// MarkSent records that owner delivered row id at `at` as the platform's message ref.
// ErrLeaseLost: another worker claimed the row meanwhile.
func (db *DB) MarkSent(ctx context.Context, id int64, owner string, at time.Time, ref string) error {
	return db.mark(ctx, db.write, id, owner, `state = 'sent', sent_at = ?, ref = ?, last_error = NULL, tried_ms = NULL`,
		formatTime(at), ref)
}

// How far a Failure's rate limit holds.
const (
	HoldPlatform = "platform" // every row of the row's platform
	HoldChannel  = "channel"  // the rows of the row's platform and channel
)

// Failure is a failed try of a claimed row.
type Failure struct {
	Err   string
	Next  time.Time // when to try again
	Count bool      // the try counts towards parking (a rate limit does not)
	Park  bool      // give up: the row is parked
	// Clear: no try of the row so far can have posted it (the platform refused it, or
	// a look found none): the next try need not look for it.
	Clear bool
	// Hold, HoldPlatform or HoldChannel, is a rate limit: no worker of any process
	// claims the rows it covers before Next.
	Hold string
}

// MarkFailed records a failed try of a claimed row and frees it for the next try at
// f.Next, or parks it; with f.Hold, in the same transaction, it holds the platform or
// channel until f.Next. ErrLeaseLost: another worker claimed the row meanwhile.
func (db *DB) MarkFailed(ctx context.Context, id int64, owner string, f Failure) error {
	state := StatePending
	if f.Park {
		state = StateParked
	}
	count := 0
	if f.Count {
		count = 1
	}
	set := `state = ?, attempts = attempts + ?, not_before_ms = ?, last_error = ?`
	if f.Clear {
		set += `, tried_ms = NULL`
	}
	args := []any{state, count, f.Next.UnixMilli(), f.Err}
	if f.Hold == "" {
		return db.mark(ctx, db.write, id, owner, set, args...)
	}
	if f.Hold != HoldPlatform && f.Hold != HoldChannel {
		return fmt.Errorf("outbox %d: %w", id, invalid("hold %q is not %s or %s", f.Hold, HoldPlatform, HoldChannel))
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("outbox %d: %w", id, err)
	}
	defer tx.Rollback()
	if err := db.mark(ctx, tx, id, owner, set, args...); err != nil {
		return err
	}
	channel := `''`
	if f.Hold == HoldChannel {
		channel = `channel`
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO holds (platform, channel, until_ms)
			SELECT platform, `+channel+`, ? FROM outbox WHERE id = ?
		ON CONFLICT (platform, channel) DO UPDATE SET until_ms =
			CASE WHEN excluded.until_ms > holds.until_ms THEN excluded.until_ms ELSE holds.until_ms END`,
		f.Next.UnixMilli(), id); err != nil {
		return fmt.Errorf("outbox %d: hold: %w", id, err)
	}
	return tx.Commit()
}

// execer is a write transaction or the write connection.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// mark updates a row owner holds and releases the lease.
func (db *DB) mark(ctx context.Context, ex execer, id int64, owner, set string, args ...any) error {
	res, err := ex.ExecContext(ctx, `UPDATE outbox SET `+set+`, claimed_by = NULL, claimed_until_ms = NULL
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
	where, args := "true", []any(nil)
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
			o.state, o.attempts, o.not_before_ms, coalesce(o.last_error, ''), coalesce(o.sent_at, ''), coalesce(o.ref, ''),
			coalesce(n.service_window, ''), o.tried_ms
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
		var tried sql.NullInt64
		if err := rows.Scan(&d.ID, &d.Ticket, &d.Kind, &d.Slot, &d.Platform, &d.Channel, &d.Body,
			&d.State, &d.Attempts, &notBefore, &d.LastError, &sent, &d.Ref, &d.Window, &tried); err != nil {
			return nil, err
		}
		d.NotBefore = time.UnixMilli(notBefore).UTC()
		if tried.Valid {
			d.Unclear = time.UnixMilli(tried.Int64).UTC()
		}
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
