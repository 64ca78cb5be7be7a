package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Ticket gives a ticket's state as of its events. found is false for a key without a
// created event: events that came before their ticket are kept but show nowhere yet.
func (db *DB) Ticket(ctx context.Context, key string) (t sla.Ticket, found bool, err error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return sla.Ticket{}, false, fmt.Errorf("ticket %s: %w", key, err)
	}
	defer tx.Rollback()
	if t, found, err = db.ticketRow(ctx, tx, key); err != nil || !found {
		return sla.Ticket{}, false, err
	}
	return t, true, tx.Commit()
}

// Filter selects tickets for Tickets.
type Filter struct {
	Customer string // only this customer's tickets; "" for all
	OpenOnly bool   // leave out resolved tickets
	Limit    int    // at most this many; 0 for all
}

// Tickets lists known tickets, soonest running due time first (response, resolution or
// next update), tickets without a running clock last, then by key.
func (db *DB) Tickets(ctx context.Context, f Filter) ([]sla.Ticket, error) {
	var ts []sla.Ticket
	if err := db.EachTicket(ctx, f, func(t sla.Ticket) error { ts = append(ts, t); return nil }); err != nil {
		return nil, err
	}
	return ts, nil
}

// ticketsQuery builds the query of Tickets. Its ORDER BY matches the tickets_by_due
// indexes, so the order comes from an index, not from a sort.
func ticketsQuery(f Filter) (string, []any) {
	var q strings.Builder
	var args []any
	q.WriteString(`SELECT data FROM tickets WHERE known = 1`)
	if f.Customer != "" {
		q.WriteString(` AND customer = ?`)
		args = append(args, f.Customer)
	}
	if f.OpenOnly {
		q.WriteString(` AND state <> 'resolved'`)
	}
	q.WriteString(` ORDER BY coalesce(next_due, 9223372036854775807), key`)
	if f.Limit > 0 {
		q.WriteString(` LIMIT ?`)
		args = append(args, f.Limit)
	}
	return q.String(), args
}

// queryTickets gives the tickets of query's rows, whose one column is data.
func queryTickets(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]sla.Ticket, error) {
	var ts []sla.Ticket
	err := eachTicket(ctx, tx, query, args, func(t sla.Ticket) error { ts = append(ts, t); return nil })
	return ts, err
}

// Events gives a ticket's events in the order its state is derived in (sla.SortEvents),
// including those stored before its created event.
func (db *DB) Events(ctx context.Context, key string) ([]sla.Event, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", key, err)
	}
	defer tx.Rollback()
	evs, err := ticketEvents(ctx, tx, key)
	if err != nil {
		return nil, err
	}
	sla.SortEvents(evs)
	return evs, tx.Commit()
}

// Count is one line of the metrics: the known tickets of a customer and priority that
// are not resolved.
type Count struct {
	Customer string
	Priority string // "P1".."P4", "" for none (connection requests)
	Open     int    // not resolved, paused ones included
	Paused   int
	// Breached is how many running clocks (response, resolution, next R5.3 update) of
	// those tickets were due before now.
	Breached int
	// AtRisk is how many of those tickets are past their at-risk point (Options.RiskAt)
	// with no running clock breached yet: a breached ticket counts as breached only.
	AtRisk int
}

// Counts gives the open tickets by customer and priority, with their breached clocks as
// of now, in one pass over the tickets_not_resolved index.
func (db *DB) Counts(ctx context.Context, now time.Time) ([]Count, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("counts: %w", err)
	}
	defer tx.Rollback()
	cs, err := queryCounts(ctx, tx, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("counts: %w", err)
	}
	return cs, tx.Commit()
}

// countsQuery reads only the covering index tickets_not_resolved. ?1 is now in unix
// seconds; a NULL due (clock not running) is not breached.
const countsQuery = `SELECT customer, priority, count(*), sum(CASE WHEN state = 'paused' THEN 1 ELSE 0 END),
		sum(CASE WHEN response_due < ?1 THEN 1 ELSE 0 END + CASE WHEN resolution_due < ?1 THEN 1 ELSE 0 END
			+ CASE WHEN next_update_due < ?1 THEN 1 ELSE 0 END),
		sum(CASE WHEN risk_at <= ?1 AND NOT coalesce(response_due < ?1, false)
			AND NOT coalesce(resolution_due < ?1, false) AND NOT coalesce(next_update_due < ?1, false) THEN 1 ELSE 0 END)
	FROM tickets WHERE known = 1 AND state <> 'resolved'
	GROUP BY customer, priority ORDER BY customer, priority`

func queryCounts(ctx context.Context, tx *sql.Tx, now int64) ([]Count, error) {
	rows, err := tx.QueryContext(ctx, countsQuery, now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Customer, &c.Priority, &c.Open, &c.Paused, &c.Breached, &c.AtRisk); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// Tiers is how many open tickets of a customer keep a tier.
type Tiers struct {
	Customer string
	Tier     sla.Tier
	Open     int
}

// CustomerTiers gives the open tickets by customer and the tier they were created under
// (R1.1), for the start-up report of tier changes and customers no longer configured,
// from the covering index of the open tickets (tickets_running).
func (db *DB) CustomerTiers(ctx context.Context) ([]Tiers, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT customer, tier, count(*) FROM tickets
		WHERE known = 1 AND state <> 'resolved' GROUP BY customer, tier ORDER BY customer, tier`)
	if err != nil {
		return nil, fmt.Errorf("customer tiers: %w", err)
	}
	defer rows.Close()
	var out []Tiers
	for rows.Next() {
		var t Tiers
		if err := rows.Scan(&t.Customer, &t.Tier, &t.Open); err != nil {
			return nil, fmt.Errorf("customer tiers: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
