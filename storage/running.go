package storage

import (
	"context"
	"database/sql"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Running is an open ticket as the notify scheduler reads it: who and what it is, and
// the clocks that run right now, read from one covering index rather than decoded from
// the ticket's JSON (BenchmarkTick in notify). A clock that does not run is nil, and a
// running clock carries no Runs: it is enough for sla.Clock.RiskAt, At and Due, not for
// a full card (use Ticket for that).
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

// runningQuery reads the next chunk of open tickets after a key, from the covering
// index tickets_running alone (0005).
const runningQuery = `SELECT key, customer, tier, kind, priority, state, escalation,
		response_due, resolution_due, next_update_due, response_breached, resolution_breached,
		updates_missed, ` + runningColumns + `
	FROM tickets WHERE known = 1 AND state <> 'resolved' AND key > ? ORDER BY key LIMIT ?`

// runningFields is how many columns runningQuery gives.
const runningFields = 25

func queryRunning(ctx context.Context, tx *sql.Tx, after string, limit int) ([]Running, error) {
	rows, err := tx.QueryContext(ctx, runningQuery, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// Scanning into *any takes database/sql's fast path: no conversion per column.
	var vals [runningFields]any
	var dest [runningFields]any
	for i := range vals {
		dest[i] = &vals[i]
	}
	out := make([]Running, 0, limit)
	for rows.Next() {
		if err := rows.Scan(dest[:]...); err != nil {
			return nil, err
		}
		out = append(out, runningOf(&vals))
	}
	return out, rows.Err()
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

// RunningOf gives the Running view of a full ticket state: what Decide hands its
// callback for t.
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
