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

// The channels events arrive through (the events table's source column).
const (
	SourceAPI   = "api"
	SourceJira  = "jira"
	SourceSlack = "slack"
	SourceTeams = "teams"
	SourceCLI   = "cli"
)

func knownSource(s string) bool {
	switch s {
	case SourceAPI, SourceJira, SourceSlack, SourceTeams, SourceCLI:
		return true
	}
	return false
}

// maxBatchEvents bounds one group commit, so that a flood of calls still gets answers
// at a steady pace instead of one huge transaction.
const maxBatchEvents = 2000

// request is one Append call waiting for the writer goroutine.
type request struct {
	source, delivery string
	received         time.Time
	rows             []eventRow
	done             chan result
}

type result struct {
	stored int
	err    error
}

// eventRow is an event ready to insert, encoded by the calling goroutine.
type eventRow struct {
	ticket, at, typ, id string
	tier                any // the tier a created event is stored under, or NULL
	body                []byte
	// ev is the event as a replay reads it back from body and tier, so that applying it
	// to the stored state (Options.Apply) sees exactly what a replay would.
	ev sla.Event
}

// Append stores events that came in through source (SourceAPI, SourceJira, ...) and
// brings the state of their tickets up to date. It returns how many events were new.
//
// The call is all or nothing. An event whose non-empty ID this source already sent is
// ignored; a non-empty deliveryID seen before (Jira's X-Atlassian-Webhook-Identifier)
// makes the whole call a no-op. When Append returns nil the events are committed to
// disk. Concurrent calls are committed together in one transaction (group commit);
// once a call has been accepted it waits for that commit even if ctx ends, so that its
// answer is true.
func (db *DB) Append(ctx context.Context, source, deliveryID string, evs []sla.Event) (stored int, err error) {
	rows, err := db.encodeEvents(source, evs)
	if err != nil {
		return 0, fmt.Errorf("append: %w", err)
	}
	if len(rows) == 0 {
		return 0, nil
	}
	r := &request{source: source, delivery: deliveryID, received: db.now(), rows: rows, done: make(chan result, 1)}
	db.appending.Add(1)
	defer db.appending.Add(-1)
	if err := db.submit(ctx, r); err != nil {
		return 0, fmt.Errorf("append: %w", err)
	}
	res := <-r.done
	return res.stored, res.err
}

// encodeEvents checks every event against the contract (sla.Event.Check: whatever the
// intake, nothing the engine cannot count is stored) before anything is written, and
// gives a created event the customer's tier of now (Options.TierOf, R1.1).
func (db *DB) encodeEvents(source string, evs []sla.Event) ([]eventRow, error) {
	if !knownSource(source) {
		return nil, invalid("unknown source %q (want api, jira, slack, teams or cli)", source)
	}
	rows := make([]eventRow, len(evs))
	for i, e := range evs {
		if err := e.Check(); err != nil {
			return nil, invalid("event %d: %s", i+1, strings.TrimPrefix(err.Error(), sla.ErrInvalid.Error()+": "))
		}
		body, err := json.Marshal(e)
		if err != nil {
			return nil, invalid("event %d (%s %s): %v", i+1, e.Ticket, e.Type, err)
		}
		rows[i] = eventRow{ticket: e.Ticket, at: formatTime(e.At), typ: string(e.Type), id: e.ID, body: body}
		if e.Type == sla.Created && db.tierOf != nil {
			if tier, ok := db.tierOf(e.Customer); ok {
				rows[i].tier = string(tier)
			}
		}
		if db.apply != nil {
			if rows[i].ev, err = decodeEvent(body, rows[i].tier); err != nil {
				return nil, invalid("event %d (%s %s): %v", i+1, e.Ticket, e.Type, err)
			}
		}
	}
	return rows, nil
}

func (db *DB) submit(ctx context.Context, r *request) error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.closed {
		return ErrClosed
	}
	select {
	case db.reqs <- r:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writeLoop is the single writer: it takes every call waiting, up to maxBatchEvents,
// and commits them in one transaction, until Close closes reqs.
func (db *DB) writeLoop() {
	defer close(db.stopped)
	for first := range db.reqs {
		batch, n := []*request{first}, len(first.rows)
	gather:
		for n < maxBatchEvents {
			select {
			case r, ok := <-db.reqs:
				if !ok {
					break gather
				}
				batch, n = append(batch, r), n+len(r.rows)
			default:
				break gather
			}
		}
		db.commit(batch)
	}
}

// commit stores a batch in one transaction and answers its callers. If that fails, each
// call is tried again in a transaction of its own, so that one call's bad events fail
// that call alone; but a store that is unavailable fails them all at once (issue 16),
// since a call of its own would only wait for the busy timeout again.
func (db *DB) commit(batch []*request) {
	if len(batch) > 1 {
		stored, err := db.appendTx(batch)
		if err == nil {
			for i, r := range batch {
				r.done <- result{stored: stored[i]}
			}
			return
		}
		if Unavailable(err) {
			for _, r := range batch {
				r.done <- result{err: fmt.Errorf("append: %w", err)}
			}
			return
		}
	}
	for _, r := range batch {
		stored, err := db.appendTx([]*request{r})
		if err != nil {
			r.done <- result{err: fmt.Errorf("append: %w", err)}
			continue
		}
		r.done <- result{stored: stored[0]}
	}
}

// appendTx inserts the events of reqs and refreshes the state of every ticket that got
// a new event, in one transaction. The writer's context is not a caller's: a caller
// leaving must not roll back the others' events.
func (db *DB) appendTx(reqs []*request) (stored []int, err error) {
	return retried(func() ([]int, error) { return db.appendOnce(reqs) })
}

func (db *DB) appendOnce(reqs []*request) (stored []int, err error) {
	ctx := context.Background()
	tx, done, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	defer tx.Rollback()
	if err := db.lockTickets(ctx, tx, requestTickets(reqs)); err != nil {
		return nil, err
	}
	stored = make([]int, len(reqs))
	var touched []string
	added := make(map[string][]sla.Event)
	rows, err := db.insertRequests(ctx, tx, reqs)
	if err != nil {
		return nil, err
	}
	for i, rs := range rows {
		stored[i] = len(rs)
		for _, e := range rs {
			if _, ok := added[e.ticket]; !ok {
				touched = append(touched, e.ticket)
			}
			added[e.ticket] = append(added[e.ticket], e.ev)
		}
	}
	now, gen := formatTime(db.now()), db.gen.Load()
	if err := db.refreshTickets(ctx, tx, touched, added, gen, now); err != nil {
		return nil, err
	}
	return stored, tx.Commit()
}

// requestTickets are the tickets reqs have events of.
func requestTickets(reqs []*request) []string {
	seen := make(map[string]bool)
	var keys []string
	for _, r := range reqs {
		for _, e := range r.rows {
			if !seen[e.ticket] {
				seen[e.ticket] = true
				keys = append(keys, e.ticket)
			}
		}
	}
	return keys
}

// beginWrite begins a transaction on the write connection for a caller that answers a
// sender. The connection is shared with the scheduler, the outbox and the other
// writers; while another process holds the file's lock each of them keeps it for a
// whole busy timeout, and database/sql hands it on in no fixed order. Waiting for it at
// most writerWait answers in bounded time (Unavailable: a 503 with Retry-After), where
// waiting without end let an HTTP request outlive the server's write timeout and end
// with no answer at all (issue 16). The transaction runs under ctx; done gives the
// connection back, after the transaction has ended.
func (db *DB) beginWrite(ctx context.Context) (tx *sql.Tx, done func(), err error) {
	wait, cancel := context.WithTimeout(ctx, db.writerWait)
	conn, err := db.write.Conn(wait)
	cancel()
	if err != nil {
		return nil, nil, fmt.Errorf("waiting %s for the write connection: %w", db.writerWait, err)
	}
	tx, err = conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return tx, func() { conn.Close() }, nil
}

// insertRequests inserts the events of reqs and returns, per call, those it stored:
// nothing of a call whose delivery was stored before.
func (db *DB) insertRequests(ctx context.Context, tx *sql.Tx, reqs []*request) ([][]eventRow, error) {
	var all []sourcedRow
	var of []int // the call of each of all
	for i, r := range reqs {
		received := formatTime(r.received)
		if r.delivery != "" {
			n, err := affected(tx.ExecContext(ctx, `INSERT INTO deliveries (source, id, received_at) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, r.source, r.delivery, received))
			if err != nil {
				return nil, fmt.Errorf("delivery %s: %w", r.delivery, err)
			}
			if n == 0 {
				continue
			}
		}
		for _, e := range r.rows {
			all, of = append(all, sourcedRow{e, r.source, received}), append(of, i)
		}
	}
	ok, err := db.insertEvents(ctx, tx, all)
	if err != nil {
		return nil, err
	}
	out := make([][]eventRow, len(reqs))
	for k, r := range all {
		if ok[k] {
			out[of[k]] = append(out[of[k]], r.eventRow)
		}
	}
	return out, nil
}

// sourcedRow is an event to insert with the source and the instant it came in at.
type sourcedRow struct {
	eventRow
	source, received string
}

// insertEvents stores rows in their order; stored[i] is false when rows[i]'s id was
// stored before (or earlier in rows). On SQLite it inserts them one by one; on
// PostgreSQL in one statement, as a round trip per event was most of what a batch of
// Append took there (issue 16).
func (db *DB) insertEvents(ctx context.Context, tx *sql.Tx, rows []sourcedRow) (stored []bool, err error) {
	stored = make([]bool, len(rows))
	if !db.postgres {
		for i, r := range rows {
			if stored[i], err = insertEvent(ctx, tx, r.source, r.received, r.eventRow); err != nil {
				return nil, err
			}
		}
		return stored, nil
	}
	if len(rows) == 0 {
		return stored, nil
	}
	// An id given twice is stored the first time: the later ones are left out, so that
	// the ids the insert returns name one row each. Rows without an id are all stored.
	type sourceID struct{ source, id string }
	first := make(map[sourceID]int)
	cols := make([][]*string, 8)
	for i, r := range rows {
		var id, tier *string
		if r.id != "" {
			k := sourceID{r.source, r.id}
			if _, dup := first[k]; dup {
				continue
			}
			first[k], id = i, &r.id
		} else {
			stored[i] = true
		}
		if t, ok := r.tier.(string); ok {
			tier = &t
		}
		body := string(r.body)
		for c, v := range []*string{&r.ticket, &r.at, &r.typ, id, &r.source, &body, &r.received, tier} {
			cols[c] = append(cols[c], v)
		}
	}
	q, err := tx.QueryContext(ctx, `INSERT INTO events (ticket, at, type, event_id, source, body, received_at, tier)
		SELECT ticket, at, type, event_id, source, body, received_at, tier
		FROM unnest(?1::text[], ?2::text[], ?3::text[], ?4::text[], ?5::text[], ?6::text[], ?7::text[], ?8::text[])
			WITH ORDINALITY AS r (ticket, at, type, event_id, source, body, received_at, tier, n)
		ORDER BY n
		ON CONFLICT DO NOTHING RETURNING source, event_id`,
		cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7])
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer q.Close()
	for q.Next() {
		var source string
		var id sql.NullString
		if err := q.Scan(&source, &id); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		if id.Valid {
			stored[first[sourceID{source, id.String}]] = true
		}
	}
	if err := q.Err(); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return stored, q.Close()
}

// insertEvent stores one event; false when its id was stored before.
func insertEvent(ctx context.Context, tx *sql.Tx, source, received string, e eventRow) (bool, error) {
	var id any
	if e.id != "" {
		id = e.id
	}
	n, err := affected(tx.ExecContext(ctx, `INSERT INTO events (ticket, at, type, event_id, source, body, received_at, tier)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, e.ticket, e.at, e.typ, id, source, e.body, received, e.tier))
	if err != nil {
		return false, fmt.Errorf("event %s %s: %w", e.ticket, e.typ, err)
	}
	return n == 1, nil
}
