package storage

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// refreshTicket brings a ticket's stored state up to date with added, its events that
// this transaction stored: applied to the stored state when Options.Apply takes each of
// them (issue 15.3: an event after the ticket's last one, on a row of this generation),
// else derived from all of its events (sla.Replay sorts them by `at`, so the order they
// arrived in does not matter).
func (db *DB) refreshTicket(ctx context.Context, tx *sql.Tx, key string, added []sla.Event, gen int64, now string) error {
	row, t, ok, err := db.advanceStored(ctx, tx, key, added, gen)
	if err != nil {
		return err
	}
	if ok {
		data, err := json.Marshal(t)
		if err != nil {
			return fmt.Errorf("ticket %s: %w", key, err)
		}
		return updateTicket(ctx, tx, row, t, data, db.risk(t), now, gen)
	}
	return db.replayTicket(ctx, tx, key, gen, now)
}

// refreshTickets is refreshTicket for each of keys. On PostgreSQL the tickets derived
// from all of their events read them in one query, after the others are applied: a
// round trip per ticket was much of what a batch of Append took there (issue 16).
func (db *DB) refreshTickets(ctx context.Context, tx *sql.Tx, keys []string, added map[string][]sla.Event, gen int64, now string) error {
	if !db.postgres {
		for _, key := range keys {
			if err := db.refreshTicket(ctx, tx, key, added[key], gen, now); err != nil {
				return err
			}
		}
		return nil
	}
	stored, err := db.storedRows(ctx, tx, keys, gen)
	if err != nil {
		return err
	}
	var out []derivedTicket
	var replay []string
	for _, key := range keys {
		if row, ok := stored[key]; ok {
			t, ok, err := db.advanceRow(row, added[key])
			if err != nil {
				return err
			}
			if ok {
				out = append(out, derivedTicket{t: t, sync: len(t.Escalations) != len(row.t.Escalations)})
				continue
			}
		}
		replay = append(replay, key)
	}
	evs := make(map[string][]sla.Event, len(replay))
	if err := eventsOf(ctx, tx, replay, func(key string, e sla.Event) { evs[key] = append(evs[key], e) }); err != nil {
		return err
	}
	for _, key := range replay {
		t, err := safeDerive(db.derive, key, evs[key])
		if err != nil {
			return err
		}
		out = append(out, derivedTicket{t: t, sync: true})
	}
	return db.upsertTickets(ctx, tx, out, gen, now)
}

// derivedTicket is a ticket state to store, and its JSON when already encoded; sync: its
// escalation steps may be new.
type derivedTicket struct {
	t    sla.Ticket
	data []byte
	sync bool
}

// storedRows reads, in one query, the rows of keys that the incremental path can
// advance: those of generation gen, when there is an Apply.
func (db *DB) storedRows(ctx context.Context, tx *sql.Tx, keys []string, gen int64) (map[string]storedTicket, error) {
	out := make(map[string]storedTicket, len(keys))
	if db.apply == nil || len(keys) == 0 {
		return out, nil
	}
	// The generation is compared here, not in the query: a condition on it could have
	// the planner read tickets_generation, every row of one generation.
	rows, err := tx.QueryContext(ctx, `SELECT key, data, risk_at, generation FROM tickets
		WHERE key = ANY(?::text[])`, keys)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var data []byte
		var risk sql.NullInt64
		var rowGen int64
		if err := rows.Scan(&key, &data, &risk, &rowGen); err != nil {
			return nil, err
		}
		if rowGen != gen {
			continue
		}
		if out[key], err = decodeStored(key, data, risk); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// storeTickets writes the whole states ts as of generation gen: on PostgreSQL in one
// statement (upsertTickets), on SQLite a statement each, which costs no round trip
// there. The copy and the re-derive write their chunks through it.
func (db *DB) storeTickets(ctx context.Context, tx *sql.Tx, ts []derivedTicket, gen int64, now string) error {
	if db.postgres {
		return db.upsertTickets(ctx, tx, ts, gen, now)
	}
	for _, d := range ts {
		if err := upsertTicket(ctx, tx, d.t.Key, d.t, d.data, db.risk(d.t), now, gen); err != nil {
			return err
		}
	}
	return nil
}

// upsertTickets stores ts, on PostgreSQL, in one statement: upsertQuery's columns and
// conflict rule over arrays of each column's values. PostgreSQL writes a new version
// of every row it updates whatever the columns set, and leaves an index alone when no
// value of its columns changed, so writing every column costs what updateTicket's
// changed columns do on SQLite. The rows go in by customer, so that the count rows of
// migration 0010 are locked in the same order by every process's batch.
func (db *DB) upsertTickets(ctx context.Context, tx *sql.Tx, ts []derivedTicket, gen int64, now string) error {
	if len(ts) == 0 {
		return nil
	}
	slices.SortFunc(ts, func(a, b derivedTicket) int {
		return cmp.Or(strings.Compare(a.t.Customer, b.t.Customer), strings.Compare(a.t.Key, b.t.Key))
	})
	cols := make([]any, len(ticketColumns))
	for i, c := range ticketColumns {
		if textColumns[c] {
			cols[i] = make([]string, 0, len(ts))
		} else {
			cols[i] = make([]*int64, 0, len(ts))
		}
	}
	for _, d := range ts {
		data := d.data
		if data == nil {
			var err error
			if data, err = json.Marshal(d.t); err != nil {
				return fmt.Errorf("ticket %s: %w", d.t.Key, err)
			}
		}
		for i, v := range ticketArgs(d.t.Key, d.t, data, db.risk(d.t), now, gen) {
			switch col := cols[i].(type) {
			case []string:
				cols[i] = append(col, textValue(v))
			case []*int64:
				cols[i] = append(col, intValue(v))
			}
		}
	}
	if _, err := tx.ExecContext(ctx, upsertManyQuery, cols...); err != nil {
		return fmt.Errorf("tickets: %w", err)
	}
	for _, d := range ts {
		if d.sync {
			if err := syncEscalations(ctx, tx, d.t); err != nil {
				return err
			}
		}
	}
	return nil
}

// textColumns are the TEXT columns of ticketColumns; the others are integers.
var textColumns = map[string]bool{"key": true, "customer": true, "tier": true, "kind": true, "priority": true,
	"state": true, "data": true, "updated_at": true}

// upsertManyQuery is upsertQuery over arrays (upsertTickets): one array a column, in
// the order of ticketColumns.
var upsertManyQuery = func() string {
	var arrays []string
	for i, c := range ticketColumns {
		typ := "bigint[]"
		if textColumns[c] {
			typ = "text[]"
		}
		arrays = append(arrays, fmt.Sprintf("?%d::%s", i+1, typ))
	}
	list := strings.Join(ticketColumns, ", ")
	_, conflict, _ := strings.Cut(upsertQuery, "ON CONFLICT")
	return `INSERT INTO tickets (` + list + `) SELECT ` + list + ` FROM unnest(` + strings.Join(arrays, ", ") +
		`) AS r (` + list + `) ON CONFLICT` + conflict
}()

// textValue and intValue give a value of ticketArgs as the arrays of upsertTickets hold it.
func textValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	panic(fmt.Sprintf("storage: a text column given %T", v))
}

func intValue(v any) *int64 {
	var n int64
	switch v := v.(type) {
	case nil:
		return nil
	case *int64:
		return v
	case int64:
		n = v
	case int:
		n = int64(v)
	case bool:
		n = boolInt(v)
	default:
		panic(fmt.Sprintf("storage: an integer column given %T", v))
	}
	return &n
}

// replayTicket derives a ticket's state from all of its events stored in tx and stores
// it: the path of an event out of order, and of an import onto stored events.
func (db *DB) replayTicket(ctx context.Context, tx *sql.Tx, key string, gen int64, now string) error {
	evs, err := ticketEvents(ctx, tx, key)
	if err != nil {
		return err
	}
	return db.storeDerived(ctx, tx, key, evs, gen, now)
}

// storeDerived derives a ticket's state from evs, all of its events, and stores it.
func (db *DB) storeDerived(ctx context.Context, tx *sql.Tx, key string, evs []sla.Event, gen int64, now string) error {
	t, err := safeDerive(db.derive, key, evs)
	if err != nil {
		return err
	}
	data, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("ticket %s: %w", key, err)
	}
	return upsertTicket(ctx, tx, key, t, data, db.risk(t), now, gen)
}

// advanceStored applies added, in derivation order, to the ticket's row as stored in
// tx. ok is false when that would not be what a replay gives: no Apply, no row yet, a
// row of another generation (derived under another configuration), or an event Apply
// refuses.
func (db *DB) advanceStored(ctx context.Context, tx *sql.Tx, key string, added []sla.Event, gen int64) (row storedTicket, t sla.Ticket, ok bool, err error) {
	if db.apply == nil {
		return row, t, false, nil
	}
	var data []byte
	var rowGen int64
	var risk sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT data, risk_at, generation FROM tickets WHERE key = ?`, key).Scan(&data, &risk, &rowGen)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return row, t, false, nil
	case err != nil:
		return row, t, false, fmt.Errorf("ticket %s: %w", key, err)
	case rowGen != gen:
		return row, t, false, nil
	}
	if row, err = decodeStored(key, data, risk); err != nil {
		return row, t, false, err
	}
	t, ok, err = db.advanceRow(row, added)
	return row, t, ok, err
}

// decodeStored reads a ticket's row as the incremental path needs it.
func decodeStored(key string, data []byte, risk sql.NullInt64) (storedTicket, error) {
	row := storedTicket{key: key}
	if risk.Valid {
		row.risk = &risk.Int64
	}
	if err := json.Unmarshal(data, &row.t); err != nil {
		return row, fmt.Errorf("ticket %s: %w", key, err)
	}
	row.t.Key = key
	return row, nil
}

// advanceRow applies added, in derivation order, to row's state; ok is false when Apply
// refuses one of them.
func (db *DB) advanceRow(row storedTicket, added []sla.Event) (t sla.Ticket, ok bool, err error) {
	if len(added) > 1 {
		added = slices.Clone(added)
		sla.SortEvents(added)
	}
	t = row.t
	for _, e := range added {
		if t, ok, err = safeApply(db.apply, row.key, t, e); err != nil || !ok {
			return t, false, err
		}
	}
	t.Key = row.key
	return t, true, nil
}

// storedTicket is a ticket's row as the incremental path read it: its state and its
// at-risk instant, the inputs of every other column.
type storedTicket struct {
	key  string
	t    sla.Ticket
	risk *int64
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

// safeApply is safeDerive for the caller's Apply.
func safeApply(apply func(sla.Ticket, sla.Event) (sla.Ticket, bool), key string, t sla.Ticket, e sla.Event) (next sla.Ticket, ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("derive %s: panic: %v", key, p)
		}
	}()
	next, ok = apply(t, e)
	return next, ok, nil
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

// upsertQuery writes a ticket with every column derived from it: those of lists and
// metrics, then the running clocks' inputs of migration 0003 (runningColumns).
const upsertQuery = `INSERT INTO tickets (key, known, customer, tier, kind, priority, state,
		response_due, resolution_due, next_update_due, next_due, response_breached,
		resolution_breached, updates_missed, escalation, data, updated_at, risk_at, generation,
		notice_at, digest_at, ` + runningColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (key) DO UPDATE SET known = excluded.known, customer = excluded.customer,
		tier = excluded.tier, kind = excluded.kind, priority = excluded.priority,
		state = excluded.state, response_due = excluded.response_due,
		resolution_due = excluded.resolution_due, next_update_due = excluded.next_update_due,
		next_due = excluded.next_due, response_breached = excluded.response_breached,
		resolution_breached = excluded.resolution_breached,
		updates_missed = excluded.updates_missed, escalation = excluded.escalation,
		data = excluded.data, updated_at = excluded.updated_at, risk_at = excluded.risk_at,
		generation = excluded.generation, notice_at = excluded.notice_at, digest_at = excluded.digest_at,
		created = excluded.created, response_target = excluded.response_target,
		response_counted = excluded.response_counted, response_since = excluded.response_since,
		resolution_target = excluded.resolution_target,
		resolution_counted = excluded.resolution_counted,
		resolution_since = excluded.resolution_since, update_interval = excluded.update_interval,
		update_per_day = excluded.update_per_day, update_counted = excluded.update_counted,
		update_since = excluded.update_since, update_last = excluded.update_last`

// upsertTicket stores t, encoded as data, with the columns that lists, metrics and the
// notify scheduler filter on, as derived under generation gen (migration 0011). A new
// state of an open ticket is one the scheduler has not looked at: its notice and digest
// instants become 0, so that the next pass decides on it (Decide, 0009); a resolved or
// unknown ticket has none.
func upsertTicket(ctx context.Context, tx *sql.Tx, key string, t sla.Ticket, data []byte, risk *int64, now string, gen int64) error {
	_, err := tx.ExecContext(ctx, upsertQuery, ticketArgs(key, t, data, risk, now, gen)...)
	if err != nil {
		return fmt.Errorf("ticket %s: %w", key, err)
	}
	return syncEscalations(ctx, tx, t)
}

// ticketArgs are the values of ticketColumns for t.
func ticketArgs(key string, t sla.Ticket, data []byte, risk *int64, now string, gen int64) []any {
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
		resp, res, upd, unixOrNil(t.NextDue()), // the lists' order (sla.CompareNextDue)
		t.Response != nil && t.Response.Breached, t.Resolution != nil && t.Resolution.Breached,
		missed, t.Escalation, data, now, risk, gen, look, look}
	return append(args, runningArgs(t)...)
}

// ticketColumns are the columns of upsertQuery, in the order of ticketArgs.
var ticketColumns = func() []string {
	_, list, _ := strings.Cut(upsertQuery, "(")
	list, _, _ = strings.Cut(list, ")")
	cols := strings.Split(list, ",")
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c)
	}
	return cols
}()

// alwaysWritten are the columns updateTicket writes whatever their value: the state
// itself, and the notice and digest instants, which the scheduler moved on since the
// row was written (a new state is one it has not looked at).
var alwaysWritten = map[string]bool{"data": true, "updated_at": true, "notice_at": true, "digest_at": true}

// updateTicket writes t over the row it was advanced from, setting only the columns
// whose value changed (and data): SQLite rewrites an index entry when an UPDATE sets a
// column of the index, whatever its value, and each such entry is a page written to
// the WAL. An event that moves no due time (most progress updates, an escalation)
// then touches the row and no index, which keeps Append's cost from growing with the
// number of tickets stored. The stored columns are those ticketArgs gives for row.t:
// the row was written by this generation (advanceStored checks it), and a new schema is
// a new generation (Schema).
func updateTicket(ctx context.Context, tx *sql.Tx, row storedTicket, t sla.Ticket, data []byte, risk *int64, now string, gen int64) error {
	before := ticketArgs(row.key, row.t, nil, row.risk, "", gen)
	after := ticketArgs(row.key, t, data, risk, now, gen)
	var q strings.Builder
	q.WriteString("UPDATE tickets SET ")
	var args []any
	for i, col := range ticketColumns {
		if col == "key" || (!alwaysWritten[col] && sameArg(before[i], after[i])) {
			continue
		}
		if len(args) > 0 {
			q.WriteString(", ")
		}
		q.WriteString(col + " = ?")
		args = append(args, after[i])
	}
	q.WriteString(" WHERE key = ?")
	if _, err := tx.ExecContext(ctx, q.String(), append(args, row.key)...); err != nil {
		return fmt.Errorf("ticket %s: %w", row.key, err)
	}
	if len(t.Escalations) == len(row.t.Escalations) {
		return nil
	}
	return syncEscalations(ctx, tx, t)
}

// sameArg reports whether two values of ticketArgs store the same column value.
func sameArg(a, b any) bool {
	switch a := a.(type) {
	case *int64:
		b := b.(*int64)
		return (a == nil) == (b == nil) && (a == nil || *a == *b)
	case []byte:
		return bytes.Equal(a, b.([]byte))
	}
	return a == b
}
