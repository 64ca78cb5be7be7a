package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sync"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// importBatch is how many events one import transaction stores: large enough that a
// commit's fsync is shared by tens of thousands of rows, small enough that the WAL and an
// Append waiting for the writer stay small.
const importBatch = 50_000

// importChunk is how many tickets a PostgreSQL import writes in one go (importTickets).
const importChunk = 500

// importCacheKiB is the writer's page cache during an import (SQLite's default is 2,000
// KiB).
const importCacheKiB = 256 << 10

// ImportStats count what an Import stored, so far or in all.
type ImportStats struct {
	Tickets int // tickets whose events were offered
	Events  int // events stored (an event whose ID source already sent is not)
	Commits int // transactions committed
}

// Import stores tickets in bulk: each element of tickets is the events of one ticket
// (one key, any order, any types), as loading a generated population (`bot seed`) or
// copying a database needs. It writes what Append would, faster: many tickets per
// transaction on the writer connection, each ticket derived once (Options.Derive) and
// stored with the same upsert, so that every column and index is as after Append.
//
// The events are checked like Append's (sla.Event.Check, the R1.1 tier of a created
// event from Options.TierOf); a created event that carries its Tier (read from another
// store) keeps it. A ticket that already has events, or one of whose events this source
// already sent, is derived again from all of its stored events, as Append does.
//
// Import commits every importBatch events, so an error leaves the transactions before it
// committed: stats says how much. Append calls meanwhile wait for the transaction in
// progress, a few seconds at most. A caller that must change nothing on bad input imports
// into a new file and keeps it only when Import returns nil (`bot seed` does). progress,
// when not nil, is called after each commit with the totals so far.
func (db *DB) Import(ctx context.Context, source string, tickets iter.Seq[[]sla.Event], progress func(ImportStats)) (stats ImportStats, err error) {
	if !knownSource(source) {
		return stats, fmt.Errorf("import: %w", invalid("unknown source %q (want api, jira, slack, teams or cli)", source))
	}
	db.mu.RLock()
	closed := db.closed
	db.mu.RUnlock()
	if closed {
		return stats, fmt.Errorf("import: %w", ErrClosed)
	}
	// A bulk load touches index pages all over the file: a large page cache on the
	// writer for the time of the import keeps them in memory instead of reading them
	// back at every commit.
	if !db.postgres {
		if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -`+fmt.Sprint(importCacheKiB)); err != nil {
			return stats, fmt.Errorf("import: %w", err)
		}
		defer db.write.ExecContext(context.Background(), `PRAGMA cache_size = -2000`)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := db.prepareAll(ctx, source, tickets)
	defer func() {
		cancel()
		for range queue { // let the preparing goroutines end
		}
	}()
	var tx *sql.Tx
	defer func() {
		if tx != nil {
			tx.Rollback()
		}
	}()
	// SQLite imports a ticket at a time; PostgreSQL importChunk tickets in a handful of
	// statements, since there every statement is a round trip to the server.
	chunkSize := 1
	if db.postgres {
		chunkSize = importChunk
	}
	var chunk []*preparedTicket
	inChunk := make(map[string]bool)
	pending := 0
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		if tx == nil {
			if tx, err = db.write.BeginTx(context.Background(), nil); err != nil {
				return err
			}
		}
		var n int
		if db.postgres {
			n, err = db.importTickets(tx, source, chunk)
		} else {
			n, err = db.importTicket(tx, source, chunk[0])
			if err != nil {
				err = fmt.Errorf("%s: %w", chunk[0].key, err)
			}
		}
		if err != nil {
			return err
		}
		stats.Tickets += len(chunk)
		stats.Events += n
		for _, p := range chunk {
			pending += len(p.rows)
		}
		chunk = chunk[:0]
		clear(inChunk)
		if pending < importBatch {
			return nil
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		tx, pending = nil, 0
		stats.Commits++
		if progress != nil {
			progress(stats)
		}
		return nil
	}
	for p := range queue {
		<-p.ready
		if err := ctx.Err(); err != nil {
			return stats, fmt.Errorf("import: %w", err)
		}
		if p.err != nil {
			return stats, fmt.Errorf("import: %w", p.err)
		}
		if inChunk[p.key] { // one statement writes a ticket once
			if err := flush(); err != nil {
				return stats, fmt.Errorf("import: %w", err)
			}
		}
		chunk, inChunk[p.key] = append(chunk, p), true
		if len(chunk) >= chunkSize {
			if err := flush(); err != nil {
				return stats, fmt.Errorf("import: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return stats, fmt.Errorf("import: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return stats, fmt.Errorf("import: %w", err)
	}
	if tx != nil {
		if err := tx.Commit(); err != nil {
			return stats, fmt.Errorf("import: %w", err)
		}
		tx = nil
		stats.Commits++
		if progress != nil {
			progress(stats)
		}
	}
	return stats, nil
}

// preparedTicket is a ticket checked, encoded and derived off the writer, by one of the
// preparing goroutines; ready closes when it is.
type preparedTicket struct {
	evs   []sla.Event
	key   string
	rows  []eventRow
	state sla.Ticket // derived from the events as the store gives them back
	data  []byte
	err   error
	ready chan struct{}
}

// prepareAll reads tickets on one goroutine and prepares them on as many as there are
// cores, giving them back in the order they came: the writer only inserts.
func (db *DB) prepareAll(ctx context.Context, source string, tickets iter.Seq[[]sla.Event]) <-chan *preparedTicket {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *preparedTicket, 256*workers)
	queue := make(chan *preparedTicket, 256*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for p := range work {
				db.prepare(source, p)
				close(p.ready)
			}
		})
	}
	go func() {
		defer func() { close(work); wg.Wait(); close(queue) }()
		for evs := range tickets {
			if len(evs) == 0 {
				continue
			}
			p := &preparedTicket{evs: evs, ready: make(chan struct{})}
			select {
			case work <- p:
			case <-ctx.Done():
				return
			}
			select {
			case queue <- p:
			case <-ctx.Done():
				return
			}
		}
	}()
	return queue
}

// prepare checks and encodes one ticket's events as Append does, and derives its state
// from them as they will read back from the events table (the JSON body, the stored
// tier), so that the state is the one refreshTicket would store.
func (db *DB) prepare(source string, p *preparedTicket) {
	p.key = p.evs[0].Ticket
	for i, e := range p.evs {
		if e.Ticket != p.key {
			p.err = invalid("ticket %s: event %d is of ticket %q: one ticket's events at a time", p.key, i+1, e.Ticket)
			return
		}
	}
	rows, err := db.encodeEvents(source, p.evs)
	if err != nil {
		p.err = fmt.Errorf("ticket %s: %w", p.key, err)
		return
	}
	back := make([]sla.Event, len(rows))
	for i, e := range p.evs {
		if e.Type == sla.Created && e.Tier != "" {
			rows[i].tier = string(e.Tier)
		}
		if back[i], err = decodeEvent(rows[i].body, rows[i].tier); err != nil {
			p.err = fmt.Errorf("ticket %s: %w", p.key, err)
			return
		}
	}
	p.rows, p.evs = rows, nil
	if p.state, p.err = safeDerive(db.derive, p.key, back); p.err != nil {
		return
	}
	if p.data, err = json.Marshal(p.state); err != nil {
		p.err = fmt.Errorf("ticket %s: %w", p.key, err)
	}
}

// importTicket inserts one prepared ticket's events and stores its state: the one
// prepared when the ticket is new and every event was stored, else derived again from
// everything stored for it (replayTicket, as Append for an event out of order).
//
// Its statements run without the caller's context, which Import checks between tickets:
// go-sqlite3 watches a context that can end on a goroutine of its own for every
// statement, a cost paid millions of times over in a bulk load.
func (db *DB) importTicket(tx *sql.Tx, source string, p *preparedTicket) (stored int, err error) {
	ctx := context.Background()
	if err := db.lockTickets(ctx, tx, []string{p.key}); err != nil {
		return 0, err
	}
	var existed bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE ticket = ?)`, p.key).Scan(&existed); err != nil {
		return 0, err
	}
	received := formatTime(db.now())
	rows := make([]sourcedRow, len(p.rows))
	for i, r := range p.rows {
		rows[i] = sourcedRow{r, source, received}
	}
	ok, err := db.insertEvents(ctx, tx, rows)
	if err != nil {
		return 0, err
	}
	for _, isNew := range ok {
		if isNew {
			stored++
		}
	}
	if existed || stored < len(p.rows) {
		if stored == 0 {
			return 0, nil
		}
		return stored, db.replayTicket(ctx, tx, p.key, db.generation(), received)
	}
	return stored, upsertTicket(ctx, tx, p.key, p.state, p.data, db.risk(p.state), received, db.generation())
}

// importTickets is importTicket for a chunk of tickets of distinct keys, on PostgreSQL:
// their locks, the check for stored events, the events and the new tickets' states in
// one statement each; a ticket that had events, or one of whose events was stored
// before, is derived again from all of its events, as importTicket does.
func (db *DB) importTickets(tx *sql.Tx, source string, ps []*preparedTicket) (stored int, err error) {
	ctx := context.Background()
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = p.key
	}
	if err := db.lockTickets(ctx, tx, keys); err != nil {
		return 0, err
	}
	existed := make(map[string]bool)
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT ticket FROM events WHERE ticket = ANY(?::text[])`, keys)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			rows.Close()
			return 0, err
		}
		existed[key] = true
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, err
	}
	received := formatTime(db.now())
	var all []sourcedRow
	for _, p := range ps {
		for _, r := range p.rows {
			all = append(all, sourcedRow{r, source, received})
		}
	}
	ok, err := db.insertEvents(ctx, tx, all)
	if err != nil {
		return 0, err
	}
	var fresh []derivedTicket
	k := 0
	for _, p := range ps {
		n := 0
		for range p.rows {
			if ok[k] {
				n++
			}
			k++
		}
		stored += n
		switch {
		case !existed[p.key] && n == len(p.rows):
			fresh = append(fresh, derivedTicket{t: p.state, data: p.data, sync: true})
		case n > 0:
			if err := db.replayTicket(ctx, tx, p.key, db.generation(), received); err != nil {
				return 0, fmt.Errorf("%s: %w", p.key, err)
			}
		}
	}
	return stored, db.upsertTickets(ctx, tx, fresh, db.generation(), received)
}
