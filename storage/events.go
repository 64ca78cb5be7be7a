package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// The events of one ticket, and of a list of tickets (their keys as one JSON array, so
// there is no limit on their number), in arrival order per ticket, through the index
// events_ticket.
const (
	ticketEventsQuery = `SELECT ticket, body, tier FROM events WHERE ticket = ? ORDER BY seq`
	keysEventsQuery   = `SELECT ticket, body, tier FROM events
		WHERE ticket IN (SELECT value FROM json_each(?)) ORDER BY ticket, seq`
)

// ticketEvents loads a ticket's events in arrival order.
func ticketEvents(ctx context.Context, tx *sql.Tx, key string) ([]sla.Event, error) {
	var evs []sla.Event
	err := eachEvent(ctx, tx, ticketEventsQuery, key, func(_ string, body []byte, tier any) error {
		e, err := decodeEvent(body, tier)
		evs = append(evs, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", key, err)
	}
	return evs, nil
}

// eventsOf reads the events of the keys in one query, in arrival order per ticket.
func eventsOf(ctx context.Context, tx *sql.Tx, keys []string, add func(string, sla.Event)) error {
	if len(keys) == 0 {
		return nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	return eachEvent(ctx, tx, keysEventsQuery, string(list), func(key string, body []byte, tier any) error {
		e, err := decodeEvent(body, tier)
		if err != nil {
			return fmt.Errorf("event of %s: %w", key, err)
		}
		add(key, e)
		return nil
	})
}

// eachEvent runs query (one of the events queries above) with arg and hands f each
// row: the ticket, the body and the tier a created event was stored under (a string,
// or nil for none).
func eachEvent(ctx context.Context, tx *sql.Tx, query string, arg any, f func(key string, body []byte, tier any) error) error {
	rows, err := tx.QueryContext(ctx, query, arg)
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
		var t any
		if tier.Valid {
			t = tier.String
		}
		if err := f(key, body, t); err != nil {
			return err
		}
	}
	return rows.Err()
}

// decodeEvent reads an event as stored: its body, and the tier a created event was
// stored under (a string, or nil for none).
func decodeEvent(body []byte, tier any) (sla.Event, error) {
	var e sla.Event
	if err := json.Unmarshal(body, &e); err != nil {
		return sla.Event{}, err
	}
	if s, ok := tier.(string); ok {
		e.Tier = sla.Tier(s)
	}
	return e, nil
}
