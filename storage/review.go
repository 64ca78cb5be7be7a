package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Active is one ticket of a period read for a service review: its state as stored and,
// when asked for, its events. A ticket read without events holds only what a trend
// counts: its kind, priority, tier, and how its response and resolution ended.
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
	FROM tickets WHERE known = 1 AND customer = ?1
	AND unixepoch(data ->> '$.created') < ?2
	AND (state <> 'resolved' OR unixepoch(data ->> '$.resolved_at') >= ?4)`

// pgActiveQuery is activeQuery on PostgreSQL, whose timestamptz reads the same RFC 3339.
var pgActiveQuery = `SELECT key, data, state <> 'resolved' OR ` + pgInstant("resolved_at") + ` >= ?3
	FROM tickets WHERE known = 1 AND customer = ?1
	AND ` + pgInstant("created") + ` < ?2
	AND (state <> 'resolved' OR ` + pgInstant("resolved_at") + ` >= ?4)`

// pgInstant is the instant the state keeps under field, in unix seconds.
func pgInstant(field string) string {
	return `extract(epoch FROM (data::jsonb ->> '` + field + `')::timestamptz)`
}

// ActiveTickets gives the tickets of q (R1.2 service reviews), with the events of those
// still open at q.EventsFrom, in one read transaction.
func (db *DB) ActiveTickets(ctx context.Context, q ActiveQuery) ([]Active, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	defer tx.Rollback()
	query := db.pick(activeQuery, pgActiveQuery)
	if q.Customer == "" { // every customer: no condition, so one customer's reads its index
		query = strings.Replace(query, "AND customer = ?1", "AND ?1 = ''", 1)
	}
	rows, err := tx.QueryContext(ctx, query, q.Customer, q.To.Unix(), q.EventsFrom.Unix(), q.From.Unix())
	if err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	type raw struct {
		key        string
		data       []byte
		withEvents bool
	}
	var raws []raw
	for rows.Next() {
		var r raw
		if err := rows.Scan(&r.key, &r.data, &r.withEvents); err != nil {
			rows.Close()
			return nil, fmt.Errorf("active tickets: %w", err)
		}
		raws = append(raws, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	// Decoding is most of the read: it runs on every core, and the trend's tickets
	// (read without events) decode only what the trend counts.
	out := make([]Active, len(raws))
	errs := make([]error, len(raws))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(raws); i += workers {
				if raws[i].withEvents {
					errs[i] = json.Unmarshal(raws[i].data, &out[i].Ticket)
				} else {
					out[i].Ticket, errs[i] = decodeOutcome(raws[i].data)
				}
			}
		})
	}
	wg.Wait()
	var keys []string
	at := map[string]int{}
	for i, r := range raws {
		if errs[i] != nil {
			return nil, fmt.Errorf("active ticket %s: %w", r.key, errs[i])
		}
		if r.withEvents {
			keys = append(keys, r.key)
			at[r.key] = i
		}
	}
	if err := eventsOf(ctx, tx, keys, func(key string, e sla.Event) {
		i := at[key]
		out[i].Events = append(out[i].Events, e)
	}); err != nil {
		return nil, fmt.Errorf("active tickets: %w", err)
	}
	return out, tx.Commit()
}

// outcomeClock is the part of a stored sla.Clock that says how it ended (met, breached,
// running), without its runs.
type outcomeClock struct {
	Target   time.Duration `json:"target"`
	Counted  time.Duration `json:"counted"`
	Since    time.Time     `json:"since"`
	Due      time.Time     `json:"due"`
	DoneAt   time.Time     `json:"done_at"`
	Breached bool          `json:"breached"`
}

func (c *outcomeClock) clock() *sla.Clock {
	if c == nil {
		return nil
	}
	return &sla.Clock{Target: c.Target, Counted: c.Counted, Since: c.Since, Due: c.Due, DoneAt: c.DoneAt, Breached: c.Breached}
}

// decodeOutcome reads of a stored ticket only what a trend counts: who, what, and how
// its response and resolution clocks ended.
func decodeOutcome(data []byte) (sla.Ticket, error) {
	var t struct {
		Key        string        `json:"ticket"`
		Known      bool          `json:"known"`
		Customer   string        `json:"customer"`
		Tier       sla.Tier      `json:"tier"`
		Kind       sla.Kind      `json:"kind"`
		Priority   sla.Priority  `json:"priority"`
		State      sla.State     `json:"state"`
		Created    time.Time     `json:"created"`
		ResolvedAt time.Time     `json:"resolved_at"`
		Response   *outcomeClock `json:"response"`
		Resolution *outcomeClock `json:"resolution"`
	}
	err := json.Unmarshal(data, &t)
	return sla.Ticket{Key: t.Key, Known: t.Known, Customer: t.Customer, Tier: t.Tier, Kind: t.Kind, Priority: t.Priority,
		State: t.State, Created: t.Created, ResolvedAt: t.ResolvedAt, Response: t.Response.clock(), Resolution: t.Resolution.clock()}, err
}
