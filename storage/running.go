package storage

import (
	"context"
	"database/sql"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Running is an open ticket as the notify scheduler reads it: who and what it is, and
// the clocks that run right now, read from the columns of migration 0003 rather than
// decoded from the ticket's JSON (BenchmarkTick in notify). A clock that does not run
// is nil, and a running clock carries no Runs: it is enough for sla.Clock.RiskAt, At
// and Due, not for a full card (use Ticket for that).
type Running struct {
	Key        string
	Customer   string
	Tier       sla.Tier
	Kind       sla.Kind
	Priority   sla.Priority
	State      sla.State
	Created    time.Time
	Escalation int
	Response   *sla.Clock
	Resolution *sla.Clock
	Updates    *sla.Updates
}

// runningColumns are the columns of 0003 that Running is read from, in upsert order.
const runningColumns = `created, response_target, response_counted, response_since,
	resolution_target, resolution_counted, resolution_since,
	update_interval, update_per_day, update_counted, update_since, update_last`

// runningArgs gives the values of runningColumns for t.
func runningArgs(t sla.Ticket) []any {
	clock := func(c *sla.Clock) (target, counted, since any) {
		if c == nil {
			return nil, nil, nil
		}
		return int64(c.Target), int64(c.Counted), unixOrNil(c.Since)
	}
	rt, rc, rs := clock(t.Response)
	st, sc, ss := clock(t.Resolution)
	var ui, up, uc, us, ul any
	if u := t.Updates; u != nil {
		ui, up, uc, us, ul = int64(u.Interval), u.PerDay, int64(u.Counted), unixOrNil(u.Since), unixOrNil(u.LastAt)
	}
	return []any{unixOrNil(t.Created), rt, rc, rs, st, sc, ss, ui, up, uc, us, ul}
}

func unixOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

// runningSelect are the columns a Running is read from, in runningOf's order.
const runningSelect = `key, customer, tier, kind, priority, state, escalation,
		response_due, resolution_due, next_update_due, response_breached, resolution_breached,
		updates_missed, ` + runningColumns

// runningFields is how many columns runningSelect gives.
const runningFields = 25

// dueQuery reads a chunk of the tickets whose notice instant is not after ?1 (now, unix
// seconds) through the partial index tickets_notice (0009), each row by its rowid, with
// the instant read (for the guarded update) and whether the ticket is open: one that
// is not has its instants cleared, so it leaves the index. A stale row (currentRows, ?3
// the generation) is left out while a re-derive runs: the re-derive writes it with its
// instants at 0, and the next pass decides on the new state. The unary + keeps SQLite
// from reading the query through tickets_generation, which would walk every row.
const dueQuery = `SELECT notice_at, known = 1 AND state <> 'resolved', ` + runningSelect + `
	FROM tickets WHERE notice_at <= ?1 AND +generation = ?3 LIMIT ?2`

// digestQuery reads the open tickets whose digest instant is not after ?1, through the
// partial index tickets_digest (0009), in no order: an ORDER BY key would have SQLite
// walk the primary key over every ticket instead.
const digestQuery = `SELECT ` + runningSelect + ` FROM tickets
	WHERE digest_at <= ?1 AND known = 1 AND state <> 'resolved'`

// queryDue reads a chunk with query, dueQuery or (PostgreSQL) dueQuery with its rows
// locked and those another process holds skipped: two processes' passes then decide on
// different tickets, and never on one an Append is writing.
func queryDue(ctx context.Context, tx *sql.Tx, query string, now, gen int64) ([]due, error) {
	rows, err := tx.QueryContext(ctx, query, now, decideChunk, gen)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]due, 0, decideChunk)
	err = scanRunning(rows, 2, func(lead []any, r Running) error {
		at, _ := lead[0].(int64)
		open, _ := lead[1].(int64)
		out = append(out, due{open: open == 1, noticeAt: at, r: r})
		return nil
	})
	return out, err
}

// scanRunning reads rows whose columns are lead others, then runningSelect's, and hands
// f each row's lead columns and Running.
func scanRunning(rows *sql.Rows, lead int, f func(lead []any, r Running) error) error {
	// Scanning into *any takes database/sql's fast path: no conversion per column.
	vals := make([]any, lead+runningFields)
	dest := make([]any, len(vals))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := f(vals[:lead], runningOf((*[runningFields]any)(vals[lead:]))); err != nil {
			return err
		}
	}
	return rows.Err()
}

// runningOf reads a row of runningQuery: TEXT as string, INTEGER as int64, NULL as nil.
func runningOf(v *[runningFields]any) Running {
	str := func(i int) string { s, _ := v[i].(string); return s }
	num := func(i int) sql.NullInt64 { n, ok := v[i].(int64); return sql.NullInt64{Int64: n, Valid: ok} }
	r := Running{Key: str(0), Customer: str(1), Tier: sla.Tier(str(2)), Kind: sla.Kind(str(3)),
		State: sla.State(str(5)), Escalation: int(num(6).Int64)}
	r.Priority, _ = sla.ParsePriority(str(4)) // "" (no priority) gives NoPriority
	respDue, resDue, updDue := num(7), num(8), num(9)
	r.Created = fromUnix(num(13))
	r.Response = runningClock(num(14), num(15), num(16), respDue, num(10).Int64 != 0)
	r.Resolution = runningClock(num(17), num(18), num(19), resDue, num(11).Int64 != 0)
	if us := num(23); us.Valid && updDue.Valid {
		r.Updates = &sla.Updates{Interval: time.Duration(num(20).Int64), PerDay: int(num(21).Int64),
			Counted: time.Duration(num(22).Int64), Since: fromUnix(us), Due: fromUnix(updDue),
			LastAt: fromUnix(num(24)), Missed: int(num(12).Int64), Started: true}
	}
	return r
}

func runningClock(target, counted, since, due sql.NullInt64, breached bool) *sla.Clock {
	if !since.Valid || !due.Valid {
		return nil
	}
	return &sla.Clock{Target: time.Duration(target.Int64), Counted: time.Duration(counted.Int64),
		Since: fromUnix(since), Due: fromUnix(due), Breached: breached}
}

func fromUnix(u sql.NullInt64) time.Time {
	if !u.Valid {
		return time.Time{}
	}
	return time.Unix(u.Int64, 0).In(sla.Brussels)
}

// RunningOf gives the Running view of a full ticket state: what Decide and
// DigestTickets hand their callbacks for t.
func RunningOf(t sla.Ticket) Running {
	r := Running{Key: t.Key, Customer: t.Customer, Tier: t.Tier, Kind: t.Kind, Priority: t.Priority,
		State: t.State, Created: t.Created, Escalation: t.Escalation}
	thin := func(c *sla.Clock) *sla.Clock {
		if !c.Running() {
			return nil
		}
		return &sla.Clock{Target: c.Target, Counted: c.Counted, Since: c.Since, Due: c.Due, Breached: c.Breached}
	}
	r.Response, r.Resolution = thin(t.Response), thin(t.Resolution)
	if u := t.Updates; u.Running() && !u.Stopped {
		r.Updates = &sla.Updates{Interval: u.Interval, PerDay: u.PerDay, Counted: u.Counted, Since: u.Since,
			Due: u.Due, LastAt: u.LastAt, Missed: u.Missed, Started: true}
	}
	return r
}
