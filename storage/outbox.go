package storage

import (
	"context"
	"database/sql"
	"errors"
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

// decideChunk is how many tickets one Decide transaction reads at most: a few
// milliseconds of holding the write lock, so Append calls interleave.
const decideChunk = 500

// Next is when the scheduler is to look at a ticket again, as its decide callback
// found: Notice is the earliest instant at which a notice not decided yet may go out,
// Digest the instant from which the ticket counts in the morning digest (at risk or
// breached). Zero: not without a new event.
type Next struct {
	Notice, Digest time.Time
}

// Decide decides on the open tickets that have something due at now: those whose
// notice instant (tickets.notice_at, 0009) is not after now. They are the tickets
// written since the scheduler last looked at them (upsertTicket sets the instant to 0)
// and those for which a notice has come due, so a pass costs what is due, not what is
// stored (issue 15). Chunk by chunk, inside one write transaction, it reads them, calls
// decide on each, and stores the notifications decide returns and the instants of the
// next look, so that a decision and the state it was taken on are one. decide must be
// quick and must not call the DB. It returns how many notifications were new.
func (db *DB) Decide(ctx context.Context, now time.Time, decide func(Running) ([]Notification, Next)) (added int, err error) {
	for {
		start := time.Now()
		n, k, err := db.decideDue(ctx, now, decide)
		added += k
		if err != nil {
			return added, fmt.Errorf("decide: %w", err)
		}
		if n < decideChunk {
			return added, nil
		}
		db.giveWay(ctx, time.Since(start))
	}
}

// giveWay lets event intake have the writer for as long as the chunk before took when
// Append calls are waiting: a pass with many chunks (the first one on a file, or after
// a change of the scheduler's settings, looks at every open ticket) then takes at most
// half of the writer's time, where it would otherwise hold it chunk after chunk and
// leave intake one small group commit between two chunks. A steady pass is one chunk
// and never waits.
func (db *DB) giveWay(ctx context.Context, took time.Duration) {
	if db.appending.Load() == 0 {
		return
	}
	select {
	case <-ctx.Done():
	case <-time.After(min(took, 250*time.Millisecond)):
	}
}

// due is a ticket read by a pass: its state and the notice instant it was read with.
type due struct {
	open     bool
	noticeAt int64
	r        Running
}

// decideDue decides on the next chunk of due tickets; n is how many it read. Each
// leaves the due set: its next notice instant is after now, or none.
func (db *DB) decideDue(ctx context.Context, now time.Time, decide func(Running) ([]Notification, Next)) (n, added int, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	ds, err := queryDue(ctx, tx, db.pick(dueQuery, dueQuery+` FOR UPDATE SKIP LOCKED`), now.Unix(), db.generation())
	if err != nil || len(ds) == 0 {
		return 0, 0, err
	}
	looks := make([]look, 0, len(ds))
	decided := db.now()
	for _, d := range ds {
		var next Next
		if d.open {
			var ns []Notification
			ns, next = decide(d.r)
			for _, nt := range ns {
				ok, err := db.insertNotification(ctx, tx, nt, decided)
				if err != nil {
					return 0, 0, err
				}
				if ok {
					added++
				}
			}
		}
		looks = append(looks, look{key: d.r.Key, notice: noticeUnix(next.Notice, now), digest: unixOrNil(next.Digest), read: d.noticeAt})
	}
	if err := db.storeLooks(ctx, tx, looks); err != nil {
		return 0, 0, err
	}
	return len(ds), added, tx.Commit()
}

// look is the instants of a ticket's next look (NULL or unix seconds), and the
// notice instant the pass read it with.
type look struct {
	key            string
	notice, digest any
	read           int64
}

// storeLooks stores the instants of a chunk's next looks, each guarded by the instant
// read: a ticket whose state was written meanwhile (on a backend whose write
// transactions do not serialise as SQLite's do) keeps the 0 of that write, and the
// next pass looks at it again. On PostgreSQL the chunk is one statement over arrays,
// where a statement a ticket would cost the first pass on a million tickets half a
// million round trips.
func (db *DB) storeLooks(ctx context.Context, tx *sql.Tx, looks []look) error {
	if db.postgres {
		keys, notices, digests, read := make([]string, len(looks)), make([]*int64, len(looks)), make([]*int64, len(looks)), make([]int64, len(looks))
		for i, l := range looks {
			keys[i], notices[i], digests[i], read[i] = l.key, intValue(l.notice), intValue(l.digest), l.read
		}
		if _, err := tx.ExecContext(ctx, lookManyQuery, keys, notices, digests, read); err != nil {
			return fmt.Errorf("tickets: %w", err)
		}
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, lookQuery)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, l := range looks {
		if _, err := stmt.ExecContext(ctx, l.notice, l.digest, l.key, l.read); err != nil {
			return fmt.Errorf("ticket %s: %w", l.key, err)
		}
	}
	return nil
}

// NoticesDue is how many tickets the scheduler is to look at by now (tickets.notice_at
// not after it), counted in the partial index tickets_notice: near 0 in steady state; a
// start on a file the scheduler never saw, or a change of its settings, makes it the
// number of open tickets until the first pass is through them.
func (db *DB) NoticesDue(ctx context.Context, now time.Time) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE notice_at <= ?`, now.Unix()).Scan(&n); err != nil {
		return 0, fmt.Errorf("notices due: %w", err)
	}
	return n, nil
}

// lookQuery stores the instants of a ticket's next look.
const lookQuery = `UPDATE tickets SET notice_at = ?, digest_at = ? WHERE key = ? AND notice_at = ?`

// lookManyQuery is lookQuery over arrays of keys, instants and the instants read
// (storeLooks, PostgreSQL).
const lookManyQuery = `UPDATE tickets SET notice_at = r.notice, digest_at = r.digest
	FROM unnest(?1::text[], ?2::bigint[], ?3::bigint[], ?4::bigint[]) AS r (key, notice, digest, read_at)
	WHERE tickets.key = r.key AND tickets.notice_at = r.read_at`

// noticeUnix is the notice instant stored for t after a pass at now: NULL for none, and
// never this pass's second or before, which would have the pass read the ticket again
// in its next chunk. The scheduler's instants are whole seconds after now, so the
// bound only guards.
func noticeUnix(t, now time.Time) any {
	if t.IsZero() {
		return nil
	}
	return max(t.Unix(), now.Unix()+1)
}

// resetChunk is how many rows of tickets one ResetNotices statement covers.
const resetChunk = 10_000

// ResetNotices has the next pass look at every open ticket again, as after a write of
// each: for a scheduler whose settings changed what it decides on the same states (the
// at-risk share, the update lead, the service windows' closure days). It commits range
// by range of rows, so Append calls interleave, and returns how many tickets it reset.
// A ticket whose instants are 0 already (written since the last look, or stored by an
// import or bot migrate) is left alone: rewriting it would change nothing the pass
// reads, and on PostgreSQL costs a new row version in every index.
func (db *DB) ResetNotices(ctx context.Context) (reset int, err error) {
	if db.postgres {
		return db.resetNoticesByKey(ctx)
	}
	var last int64
	if err := db.write.QueryRowContext(ctx, `SELECT coalesce(max(rowid), 0) FROM tickets`).Scan(&last); err != nil {
		return 0, fmt.Errorf("reset notices: %w", err)
	}
	for from := int64(0); from < last; from += resetChunk {
		res, err := db.write.ExecContext(ctx, `UPDATE tickets SET notice_at = 0, digest_at = 0
			WHERE rowid > ? AND rowid <= ? AND known = 1 AND state <> 'resolved' AND `+notZeroYet, from, from+resetChunk)
		if err != nil {
			return reset, fmt.Errorf("reset notices: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return reset, fmt.Errorf("reset notices: %w", err)
		}
		reset += int(n)
	}
	return reset, nil
}

// notZeroYet selects the rows ResetNotices has to set (an instant NULL or not 0).
const notZeroYet = `(coalesce(notice_at, -1) <> 0 OR coalesce(digest_at, -1) <> 0)`

// resetNoticesByKey is ResetNotices on PostgreSQL, which has no rowid: the open tickets
// in key order, resetChunk a statement, each statement its own transaction.
func (db *DB) resetNoticesByKey(ctx context.Context) (reset int, err error) {
	for after := ""; ; {
		rows, err := db.write.QueryContext(ctx, `UPDATE tickets SET notice_at = 0, digest_at = 0 WHERE key IN
			(SELECT key FROM tickets WHERE key > ? AND known = 1 AND state <> 'resolved' AND `+notZeroYet+` ORDER BY key LIMIT ?)
			RETURNING key`, after, resetChunk)
		if err != nil {
			return reset, fmt.Errorf("reset notices: %w", err)
		}
		n := 0
		for rows.Next() {
			var key string
			if err := rows.Scan(&key); err != nil {
				rows.Close()
				return reset, fmt.Errorf("reset notices: %w", err)
			}
			after, n = max(after, key), n+1
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return reset, fmt.Errorf("reset notices: %w", err)
		}
		if reset += n; n < resetChunk {
			return reset, nil
		}
	}
}

// ResetNoticesFor resets the notices (ResetNotices) when fingerprint, of the scheduler
// settings the stored instants were computed with, differs from the one stored by the
// last call, and then stores it; ran says whether it reset. A process that stops half
// way has not stored it, so the next call resets again.
func (db *DB) ResetNoticesFor(ctx context.Context, fingerprint string) (reset int, ran bool, err error) {
	stored, _, err := metaValue(ctx, db.read, "notice_fingerprint")
	switch {
	case err != nil:
		return 0, false, fmt.Errorf("reset notices: %w", err)
	case stored == fingerprint:
		return 0, false, nil
	}
	if reset, err = db.ResetNotices(ctx); err != nil {
		return reset, true, err
	}
	if err := setMeta(ctx, db.write, "notice_fingerprint", fingerprint); err != nil {
		return reset, true, fmt.Errorf("reset notices: %w", err)
	}
	return reset, true, nil
}

// DigestTickets hands add, in no particular order, each open ticket that may count in
// the morning digest at now: those whose digest instant (tickets.digest_at, 0009) is
// not after now, through the partial index tickets_digest, instead of every open
// ticket. add decides whether it counts; it must not call the DB.
func (db *DB) DigestTickets(ctx context.Context, now time.Time, add func(Running)) error {
	rows, err := db.read.QueryContext(ctx, digestQuery, now.Unix())
	if err != nil {
		return fmt.Errorf("digest tickets: %w", err)
	}
	defer rows.Close()
	err = scanRunning(rows, 0, func(_ []any, r Running) error { add(r); return nil })
	if err != nil {
		return fmt.Errorf("digest tickets: %w", err)
	}
	return nil
}

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
		ok, err := db.insertNotification(ctx, tx, nt, now)
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
func (db *DB) insertNotification(ctx context.Context, tx *sql.Tx, nt Notification, now time.Time) (ok bool, err error) {
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
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO notifications (ticket, kind, slot, decided_at, service_window)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`, nt.Ticket, nt.Kind, nt.Slot, formatTime(now), window).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows): // decided before
		return false, nil
	case err != nil:
		return false, fmt.Errorf("notification %s %s: %w", nt.Ticket, nt.Kind, err)
	case nt.Messages == nil:
		return true, nil
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
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox (notification, platform, channel, body, state, not_before_ms)
			VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING`, id, m.Platform, m.Channel, m.Body, nowMs)
		if err != nil {
			return false, fmt.Errorf("notification %s %s to %s %s: %w", nt.Ticket, nt.Kind, m.Platform, m.Channel, err)
		}
	}
	if len(msgs) > 0 {
		if err := db.notifyOutbox(ctx, tx); err != nil {
			return false, fmt.Errorf("notification %s %s: %w", nt.Ticket, nt.Kind, err)
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
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('outbox_start', ?) ON CONFLICT DO NOTHING`,
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
