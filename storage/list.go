package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// listOrder orders open tickets as the lists show them: soonest running due first
// (sla.Ticket.NextDue), those without a running clock last, then sla.CompareKeys. It is
// the expression of migration 0010's indexes, character for character: SQLite uses an
// index on an expression only for the same expression.
const listOrder = `coalesce(next_due, 9223372036854775807), substr(key, 1, instr(key, '-')), length(key), key`

// urgentFrom is migration 0010's urgent_from column spelled out, as its indexes spell
// it: the unix second from which an open ticket is at risk or breached with no further
// event (R3.1, R3.5, R5.3), as the cards show it to the second.
const urgentFrom = `min(coalesce(risk_at, 9223372036854775807), coalesce(response_due + 1, 9223372036854775807),
		coalesce(resolution_due + 1, 9223372036854775807), coalesce(next_update_due + 1, 9223372036854775807),
		CASE WHEN response_breached = 1 OR resolution_breached = 1
			OR updates_missed > 0 AND coalesce(data ->> '$.updates.off', 0) = 0
		THEN 0 ELSE 9223372036854775807 END)`

// openTickets is the WHERE of migration 0010's partial indexes.
const openTickets = `known = 1 AND state <> 'resolved'`

// fewUrgent is how many urgent tickets List reads through tickets_open_urgent and
// sorts, rather than walking tickets_open_due: when few are urgent, the walk would pass
// every open ticket that is not, and a sort of this many rows costs less than a
// millisecond.
const fewUrgent = 256

// ListFilter selects open tickets for List.
type ListFilter struct {
	Customer string // only this customer's; "" for all
	// Urgent keeps the tickets at risk or breached at Now (the App Home).
	Urgent bool
	Now    time.Time
	Limit  int // at most this many; 0 for all
}

// List gives the open tickets f selects, in the lists' order (listOrder), at most
// f.Limit of them, and how many f selects in all. Order and limit come from migration
// 0010's partial indexes and totals from its counts, so the cost is that of the
// tickets shown, not of the tickets stored: a customer's list walks its index for the
// first f.Limit; the urgent list reads a few urgent tickets from tickets_open_urgent
// directly, and more by walking tickets_open_due until it has f.Limit of them (the
// first of which, the clocks past due, lead that index).
func (db *DB) List(ctx context.Context, f ListFilter) ([]sla.Ticket, int, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("list: %w", err)
	}
	defer tx.Rollback()
	count, list, args := listQueries(f)
	var total int
	if err := tx.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list: %w", err)
	}
	if f.Urgent && total <= fewUrgent {
		list = fewUrgentQuery
	}
	if f.Limit > 0 {
		list += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var ts []sla.Ticket
	err = eachTicket(ctx, tx, list, args, func(t sla.Ticket) error { ts = append(ts, t); return nil })
	if err != nil {
		return nil, 0, err
	}
	return ts, total, tx.Commit()
}

// fewUrgentQuery reads the urgent tickets when there are at most fewUrgent of them: a
// range of tickets_open_urgent, sorted (a sort of at most fewUrgent rows). Its
// arguments are those of the urgent list.
const fewUrgentQuery = `SELECT data FROM tickets INDEXED BY tickets_open_urgent
	WHERE ` + openTickets + ` AND ` + urgentFrom + ` <= ?1 AND (?2 = '' OR customer = ?2)
	ORDER BY ` + listOrder

// urgentTotal counts the urgent tickets at ?1 from urgent_days, adding the days before
// ?1's and counting ?1's own day in tickets_open_urgent.
const urgentTotal = `SELECT (SELECT coalesce(sum(n), 0) FROM urgent_days WHERE day < ?1 / 86400)
	+ (SELECT count(*) FROM tickets INDEXED BY tickets_open_urgent
		WHERE ` + openTickets + ` AND ` + urgentFrom + ` >= ?1 / 86400 * 86400 AND ` + urgentFrom + ` <= ?1 AND ?2 = ?2)`

// listQueries gives List's count and list queries (without LIMIT) and their arguments.
// The totals come from the counts migration 0010's triggers keep (a customer's urgent
// tickets, which no command asks for, are counted in tickets_open_urgent), and each
// list names its index, so that the plan does not hinge on the planner's statistics:
// TestListPlans checks them with EXPLAIN QUERY PLAN.
func listQueries(f ListFilter) (count, list string, args []any) {
	switch {
	case f.Urgent: // ?1 the instant, ?2 the customer or ''
		where := ` WHERE ` + openTickets + ` AND ` + urgentFrom + ` <= ?1 AND (?2 = '' OR customer = ?2)`
		count = urgentTotal
		if f.Customer != "" {
			count = `SELECT count(*) FROM tickets INDEXED BY tickets_open_urgent` + where
		}
		return count, `SELECT data FROM tickets INDEXED BY tickets_open_due` + where + ` ORDER BY ` + listOrder,
			[]any{f.Now.Unix(), f.Customer}
	case f.Customer != "":
		return `SELECT coalesce((SELECT n FROM open_counts WHERE customer = ?), 0)`,
			`SELECT data FROM tickets INDEXED BY tickets_open_customer_due WHERE ` + openTickets +
				` AND customer = ? ORDER BY ` + listOrder,
			[]any{f.Customer}
	}
	return `SELECT coalesce(sum(n), 0) FROM open_counts`,
		`SELECT data FROM tickets INDEXED BY tickets_open_due WHERE ` + openTickets + ` ORDER BY ` + listOrder, nil
}

// EachTicket calls fn with each known ticket f selects, in the order of Tickets, as it
// reads them: memory does not grow with the number of tickets (`bot tickets`). An
// error of fn ends the walk and is returned. The walk is one read transaction, so it
// sees one state of the store however long fn takes; writers go on meanwhile (WAL).
func (db *DB) EachTicket(ctx context.Context, f Filter, fn func(sla.Ticket) error) error {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("tickets: %w", err)
	}
	defer tx.Rollback()
	query, args := ticketsQuery(f)
	if err := eachTicket(ctx, tx, query, args, fn); err != nil {
		return err
	}
	return tx.Commit()
}

// eachTicket decodes the data column of each row of query and hands it to fn.
func eachTicket(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(sla.Ticket) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("tickets: %w", err)
	}
	defer rows.Close()
	var data sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&data); err != nil {
			return fmt.Errorf("tickets: %w", err)
		}
		var t sla.Ticket
		if err := json.Unmarshal(data, &t); err != nil {
			return fmt.Errorf("tickets: %w", err)
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tickets: %w", err)
	}
	return nil
}
