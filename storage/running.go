package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Running is an open ticket as the notify scheduler reads it: who and what it is, and
// the clocks that run right now, read from columns rather than decoded from the
// ticket's JSON (BenchmarkDecide in notify). A clock that does not run is nil, and a
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

// runningQuery reads the next chunk of open tickets after a key. A row written before
// migration 0003 has no created column yet and gives its JSON instead.
const runningQuery = `SELECT key, customer, tier, kind, priority, state, escalation,
		response_due, resolution_due, next_update_due, response_breached, resolution_breached,
		updates_missed, ` + runningColumns + `, CASE WHEN created IS NULL THEN data END
	FROM tickets WHERE known = 1 AND state <> 'resolved' AND key > ? ORDER BY key LIMIT ?`

func queryRunning(ctx context.Context, tx *sql.Tx, after string, limit int) ([]Running, error) {
	rows, err := tx.QueryContext(ctx, runningQuery, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]Running, 0, limit)
	for rows.Next() {
		r, err := scanRunning(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRunning(rows *sql.Rows) (Running, error) {
	var (
		r                               Running
		tier, kind, prio, state         string
		respDue, resDue, updDue         sql.NullInt64
		respBreached, resBreached       bool
		missed                          int
		created, rt, rc, rs, st, sc, ss sql.NullInt64
		ui, up, uc, us, ul              sql.NullInt64
		data                            []byte
	)
	if err := rows.Scan(&r.Key, &r.Customer, &tier, &kind, &prio, &state, &r.Escalation,
		&respDue, &resDue, &updDue, &respBreached, &resBreached, &missed,
		&created, &rt, &rc, &rs, &st, &sc, &ss, &ui, &up, &uc, &us, &ul, &data); err != nil {
		return Running{}, err
	}
	if data != nil {
		var t sla.Ticket
		if err := json.Unmarshal(data, &t); err != nil {
			return Running{}, fmt.Errorf("ticket %s: %w", r.Key, err)
		}
		return RunningOf(t), nil
	}
	r.Tier, r.Kind, r.State = sla.Tier(tier), sla.Kind(kind), sla.State(state)
	r.Priority, _ = sla.ParsePriority(prio) // "" (no priority) gives NoPriority
	r.Created = fromUnix(created)
	r.Response = runningClock(rt, rc, rs, respDue, respBreached)
	r.Resolution = runningClock(st, sc, ss, resDue, resBreached)
	if us.Valid && updDue.Valid {
		r.Updates = &sla.Updates{Interval: time.Duration(ui.Int64), PerDay: int(up.Int64),
			Counted: time.Duration(uc.Int64), Since: fromUnix(us), Due: fromUnix(updDue),
			LastAt: fromUnix(ul), Missed: missed, Started: true}
	}
	return r, nil
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
