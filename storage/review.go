package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Active is one ticket of a period read for a service review: its state as stored and,
// when asked for, its events.
type Active struct {
	Ticket sla.Ticket
	Events []sla.Event
}

// ActiveQuery selects the tickets of a service review: those created before To and not
// resolved before From, of one customer or all ("").
type ActiveQuery struct {
	Customer string
	From, To time.Time
	// EventsFrom: the events of the tickets not resolved before it are read too (the
	// report's own period and the one it compares with); the others (the trend's
	// older months) come without events.
	EventsFrom time.Time
}

// activeQuery reads the instants from the stored state's JSON: SQLite's unixepoch reads
// RFC 3339 with any offset, so no column (and no migration) is needed; a customer's
// tickets come from the tickets_by_customer_due index.
const activeQuery = `SELECT key, data, state <> 'resolved' OR unixepoch(data ->> '$.resolved_at') >= ?3
	FROM tickets WHERE known = 1 AND (?1 = '' OR customer = ?1)
	AND unixepoch(data ->> '$.created') < ?2
	AND (state <> 'resolved' OR unixepoch(data ->> '$.resolved_at') >= ?4)`

// ActiveTickets gives the tickets of q (R1.2 service reviews), with the events of those
// still open at q.EventsFrom, in one read transaction.
func (db *DB) ActiveTickets(ctx context.Context, q ActiveQuery) ([]Active, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, activeQuery, q.Customer, q.To.Unix(), q.EventsFrom.Unix(), q.From.Unix())
	if err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	var out []Active
	var keys []string
	at := map[string]int{}
	for rows.Next() {
		var key string
		var data []byte
		var withEvents bool
		if err := rows.Scan(&key, &data, &withEvents); err != nil {
			rows.Close()
			return nil, fmt.Errorf("active tickets: %w", err)
		}
		var t sla.Ticket
		if err := json.Unmarshal(data, &t); err != nil {
			rows.Close()
			return nil, fmt.Errorf("active ticket %s: %w", key, err)
		}
		if withEvents {
			keys = append(keys, key)
			at[key] = len(out)
		}
		out = append(out, Active{Ticket: t})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	if err := eventsOf(ctx, tx, keys, func(key string, e sla.Event) {
		i := at[key]
		out[i].Events = append(out[i].Events, e)
	}); err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	return out, tx.Commit()
}

// eventsOf reads the events of the keys in one query (the keys as one JSON array, so
// there is no limit on their number), in arrival order per ticket.
func eventsOf(ctx context.Context, tx *sql.Tx, keys []string, add func(string, sla.Event)) error {
	if len(keys) == 0 {
		return nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, strings.Replace(eventsQuery, "BETWEEN ? AND ?", "IN (SELECT value FROM json_each(?))", 1), string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var body []byte
		var tier sql.NullString
		if err := rows.Scan(&key, &body, &tier); err != nil {
			return err
		}
		var e sla.Event
		if err := json.Unmarshal(body, &e); err != nil {
			return fmt.Errorf("event of %s: %w", key, err)
		}
		e.Tier = sla.Tier(tier.String)
		add(key, e)
	}
	return rows.Err()
}
