package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// refreshTicket derives a ticket's state from all of its events (sla.Replay sorts them
// by `at`, so the order they arrived in does not matter) and stores it.
func (db *DB) refreshTicket(ctx context.Context, tx *sql.Tx, key, now string) error {
	evs, err := ticketEvents(ctx, tx, key)
	if err != nil {
		return err
	}
	t, err := safeDerive(db.derive, key, evs)
	if err != nil {
		return err
	}
	data, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("ticket %s: %w", key, err)
	}
	return upsertTicket(ctx, tx, key, t, data, db.risk(t), now)
}

// risk is the unix second from which t has a clock at risk, or NULL.
func (db *DB) risk(t sla.Ticket) *int64 {
	if db.riskAt == nil {
		return nil
	}
	r := db.riskAt(t)
	if r.IsZero() {
		return nil
	}
	u := r.Unix()
	return &u
}

// safeDerive turns a panic in the caller's Derive into an error, so that the writer
// goroutine lives on and only the calls touching that ticket fail.
func safeDerive(derive func([]sla.Event) sla.Ticket, key string, evs []sla.Event) (t sla.Ticket, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("derive %s: panic: %v", key, p)
		}
	}()
	t = derive(evs)
	t.Key = key
	return t, nil
}

// ticketEvents loads a ticket's events in arrival order.
func ticketEvents(ctx context.Context, tx *sql.Tx, key string) ([]sla.Event, error) {
	m, err := eventsBetween(ctx, tx, key, key)
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", key, err)
	}
	return m[key], nil
}

// dueUnix is a clock's due instant while it runs (R5.1, R5.2), else NULL: a paused or
// stopped clock is due at no instant.
func dueUnix(c *sla.Clock) *int64 {
	if !c.Running() {
		return nil
	}
	u := c.Due.Unix()
	return &u
}

// updateDueUnix is when the next R5.3 progress update is due while that clock runs.
func updateDueUnix(u *sla.Updates) *int64 {
	if !u.Running() {
		return nil
	}
	d := u.Due.Unix()
	return &d
}

func soonest(dues ...*int64) *int64 {
	var min *int64
	for _, d := range dues {
		if d != nil && (min == nil || *d < *min) {
			min = d
		}
	}
	return min
}

// upsertQuery writes a ticket with every column derived from it: those of lists and
// metrics, then the running clocks' inputs of migration 0003 (runningColumns).
const upsertQuery = `INSERT INTO tickets (key, known, customer, tier, kind, priority, state,
		response_due, resolution_due, next_update_due, next_due, response_breached,
		resolution_breached, updates_missed, escalation, data, updated_at, risk_at,
		notice_at, digest_at, ` + runningColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (key) DO UPDATE SET known = excluded.known, customer = excluded.customer,
		tier = excluded.tier, kind = excluded.kind, priority = excluded.priority,
		state = excluded.state, response_due = excluded.response_due,
		resolution_due = excluded.resolution_due, next_update_due = excluded.next_update_due,
		next_due = excluded.next_due, response_breached = excluded.response_breached,
		resolution_breached = excluded.resolution_breached,
		updates_missed = excluded.updates_missed, escalation = excluded.escalation,
		data = excluded.data, updated_at = excluded.updated_at, risk_at = excluded.risk_at,
		notice_at = excluded.notice_at, digest_at = excluded.digest_at, created = excluded.created, response_target = excluded.response_target,
		response_counted = excluded.response_counted, response_since = excluded.response_since,
		resolution_target = excluded.resolution_target,
		resolution_counted = excluded.resolution_counted,
		resolution_since = excluded.resolution_since, update_interval = excluded.update_interval,
		update_per_day = excluded.update_per_day, update_counted = excluded.update_counted,
		update_since = excluded.update_since, update_last = excluded.update_last`

// upsertTicket stores t, encoded as data, with the columns that lists, metrics and the
// notify scheduler filter on. A new state of an open ticket is one the scheduler has not
// looked at: its notice and digest instants become 0, so that the next pass decides on
// it (Decide); a resolved or unknown ticket has none.
func upsertTicket(ctx context.Context, tx *sql.Tx, key string, t sla.Ticket, data []byte, risk *int64, now string) error {
	resp, res, upd := dueUnix(t.Response), dueUnix(t.Resolution), updateDueUnix(t.Updates)
	missed := 0
	if t.Updates != nil {
		missed = t.Updates.Missed
	}
	var look any
	if t.Known && t.State != sla.ResolvedState {
		look = 0
	}
	args := []any{key, t.Known, t.Customer, string(t.Tier), string(t.Kind), t.Priority.String(), string(t.State),
		resp, res, upd, soonest(resp, res, upd),
		t.Response != nil && t.Response.Breached, t.Resolution != nil && t.Resolution.Breached,
		missed, t.Escalation, data, now, risk, look, look}
	_, err := tx.ExecContext(ctx, upsertQuery, append(args, runningArgs(t)...)...)
	if err != nil {
		return fmt.Errorf("ticket %s: %w", key, err)
	}
	return syncEscalations(ctx, tx, t)
}

// rederiveChunk is how many tickets Rederive refreshes per transaction: large enough to
// share the commit, small enough not to hold the writer back from Append for long.
const rederiveChunk = 1000

// Rederive recomputes every ticket's state from the event log, for a start-up after the
// configuration changed (a customer's tier, closure days), and returns how many tickets
// changed. It commits chunk by chunk, so Append calls interleave with it, and writes only
// the tickets whose state differs, so a start-up without a change costs reads only.
func (db *DB) Rederive(ctx context.Context) (changed int, err error) {
	return db.rederive(ctx, false)
}

// RederiveFor rederives when fingerprint (of the configuration Derive and RiskAt
// depend on: tiers, closure days, the at-risk share) differs from the one stored by the
// last call, rewriting every ticket, and stores it. ran says whether it rederived.
func (db *DB) RederiveFor(ctx context.Context, fingerprint string) (changed int, ran bool, err error) {
	var stored string
	err = db.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'derive_fingerprint'`).Scan(&stored)
	switch {
	case err == nil && stored == fingerprint:
		return 0, false, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return 0, false, fmt.Errorf("rederive: %w", err)
	}
	if changed, err = db.rederive(ctx, true); err != nil {
		return changed, true, err
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('derive_fingerprint', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, fingerprint)
	if err != nil {
		return changed, true, fmt.Errorf("rederive: %w", err)
	}
	return changed, true, nil
}

func (db *DB) rederive(ctx context.Context, all bool) (changed int, err error) {
	changed, err = inChunks(rederiveChunk, func(after string) (int, int, string, error) {
		return db.rederiveFrom(ctx, after, all)
	})
	if err != nil {
		return changed, fmt.Errorf("rederive: %w", err)
	}
	return changed, nil
}

// inChunks walks the tickets in key order, one transaction of at most size tickets per
// step: step gets the last key of the chunk before ("" first) and says how many tickets
// it read, how many it changed, and its own last key. It adds up the changes.
func inChunks(size int, step func(after string) (n, changed int, last string, err error)) (total int, err error) {
	after := ""
	for {
		n, k, last, err := step(after)
		total += k
		if err != nil || n < size {
			return total, err
		}
		after = last
	}
}

// rederiveFrom recomputes the next chunk of tickets after key `after`: n were read,
// changed were written, last is the last key of the chunk.
func (db *DB) rederiveFrom(ctx context.Context, after string, all bool) (n, changed int, last string, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, "", err
	}
	defer tx.Rollback()
	stored, err := storedTickets(ctx, tx, after, rederiveChunk)
	if err != nil || len(stored) == 0 {
		return 0, 0, "", err
	}
	first, last := stored[0].key, stored[len(stored)-1].key
	byTicket, err := eventsBetween(ctx, tx, first, last)
	if err != nil {
		return 0, 0, "", err
	}
	now := formatTime(db.now())
	for _, s := range stored {
		t, err := safeDerive(db.derive, s.key, byTicket[s.key])
		if err != nil {
			return 0, 0, "", err
		}
		data, err := json.Marshal(t)
		if err != nil {
			return 0, 0, "", fmt.Errorf("ticket %s: %w", s.key, err)
		}
		if !all && bytes.Equal(data, s.data) {
			continue
		}
		if err := upsertTicket(ctx, tx, s.key, t, data, db.risk(t), now); err != nil {
			return 0, 0, "", err
		}
		changed++
	}
	return len(stored), changed, last, tx.Commit()
}

type storedTicket struct {
	key  string
	data []byte
}

// storedTickets reads up to limit tickets after key `after`, in key order.
func storedTickets(ctx context.Context, tx *sql.Tx, after string, limit int) ([]storedTicket, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key, data FROM tickets WHERE key > ? ORDER BY key LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []storedTicket
	for rows.Next() {
		var t storedTicket
		if err := rows.Scan(&t.key, &t.data); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// eventsBetween loads the events of the tickets from first to last (keys inclusive) in
// one pass over the events index, grouped by ticket in arrival order.
const eventsQuery = `SELECT ticket, body, tier FROM events WHERE ticket BETWEEN ? AND ? ORDER BY ticket, seq`

func eventsBetween(ctx context.Context, tx *sql.Tx, first, last string) (map[string][]sla.Event, error) {
	rows, err := tx.QueryContext(ctx, eventsQuery, first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string][]sla.Event)
	for rows.Next() {
		var key string
		var body []byte
		var tier sql.NullString
		if err := rows.Scan(&key, &body, &tier); err != nil {
			return nil, err
		}
		var e sla.Event
		if err := json.Unmarshal(body, &e); err != nil {
			return nil, fmt.Errorf("event of %s: %w", key, err)
		}
		e.Tier = sla.Tier(tier.String)
		out[key] = append(out[key], e)
	}
	return out, rows.Err()
}
