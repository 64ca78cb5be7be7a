package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// rederiveChunk is how many tickets a re-derive reads, derives and writes at a time:
// large enough to share the commit, small enough not to hold the writer back from Append
// for long.
const rederiveChunk = 1000

// Rederive recomputes every ticket's state from the event log and returns how many
// tickets changed. It commits chunk by chunk, so Append calls interleave with it, and
// writes only the tickets whose state differs (or whose row is of another generation),
// so a call without a change costs reads only.
func (db *DB) Rederive(ctx context.Context) (changed int, err error) {
	_, changed, err = db.walk(ctx, db.gen.Load(), nil, func(after string) (string, []any) {
		return allRowsQuery, []any{after, rederiveChunk}
	})
	return changed, err
}

// RederiveFor makes fingerprint (of the configuration Derive and RiskAt depend on:
// tiers, closure days, the at-risk share, the engine) the current one (Reconfigure) and
// re-derives the rows of an older generation before it returns: those the new
// fingerprint made stale, or those a re-derive cut short left. ran says whether there
// were any; changed is how many states differ. serve uses StartRederive instead, which
// does the same in the background.
func (db *DB) RederiveFor(ctx context.Context, fingerprint string) (changed int, ran bool, err error) {
	stale, err := db.Reconfigure(ctx, fingerprint)
	if err != nil {
		return 0, false, err
	}
	n, changed, err := db.rederiveStale(ctx, nil)
	return changed, stale || n > 0, err
}

// Reconfigure makes fingerprint the one states are derived under. When it differs from
// the stored one, the store's generation goes up by one (migration 0011): every row
// derived before is stale from then on, which costs one write, not a rewrite of every
// ticket. A stale row is read correctly at once (Ticket derives it from its events), is
// rewritten by Append when it gets an event, and by StartRederive in the background.
// stale also says true when another process (a command run with the new file before
// the reload) moved the generation on for this fingerprint: this one takes it up.
func (db *DB) Reconfigure(ctx context.Context, fingerprint string) (stale bool, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("reconfigure: %w", err)
	}
	defer tx.Rollback()
	// Replicas starting at once with the same new configuration move the generation on
	// once: the second reads the first's fingerprint.
	if err := db.lockSetup(ctx, tx); err != nil {
		return false, fmt.Errorf("reconfigure: %w", err)
	}
	stored, _, err := metaValue(ctx, tx, "derive_fingerprint")
	if err != nil {
		return false, err
	}
	gen, err := storedGeneration(ctx, tx)
	if err != nil {
		return false, err
	}
	if stored == fingerprint {
		moved := gen != db.gen.Load()
		db.gen.Store(gen)
		return moved, nil
	}
	gen++
	for k, v := range map[string]string{"derive_fingerprint": fingerprint, "derive_generation": strconv.FormatInt(gen, 10)} {
		if err := setMeta(ctx, tx, k, v); err != nil {
			return false, fmt.Errorf("reconfigure: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("reconfigure: %w", err)
	}
	db.gen.Store(gen)
	return true, nil
}

// loadGeneration reads the generation this process derives under at Open.
func (db *DB) loadGeneration(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	gen, err := storedGeneration(ctx, tx)
	if err != nil {
		return err
	}
	db.gen.Store(gen)
	return tx.Commit()
}

func storedGeneration(ctx context.Context, q queryer) (int64, error) {
	v, _, err := metaValue(ctx, q, "derive_generation")
	if err != nil || v == "" {
		return 0, err
	}
	gen, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("meta derive_generation %q: %w", v, err)
	}
	return gen, nil
}

// currentRows is the condition a query of the tickets table adds to leave out stale
// rows, those derived under another configuration than this process's, with
// db.generation() as its argument. The scheduler's pass (dueQuery) writes it as
// `+generation = ?3`, so that it never decides on a stale state while a re-derive runs:
// a row it skips is rewritten soon and decided at the next pass.
const currentRows = `generation = ?`

// generation is the argument of currentRows.
func (db *DB) generation() int64 { return db.gen.Load() }

// rederiveStale re-derives the rows of generations older than the current one, oldest
// generation first, until none is left: a reload during the walk (a new generation)
// makes it walk again. progress, if not nil, hears of every chunk.
func (db *DB) rederiveStale(ctx context.Context, progress *rederiver) (n, changed int, err error) {
	for {
		cur := db.gen.Load()
		var oldest sql.NullInt64
		var left int
		err := db.read.QueryRowContext(ctx, `SELECT min(generation), count(*) FROM tickets WHERE generation < ?`, cur).
			Scan(&oldest, &left)
		if err != nil {
			return n, changed, fmt.Errorf("rederive: %w", err)
		}
		if !oldest.Valid {
			return n, changed, nil
		}
		progress.add(0, left)
		k, c, err := db.walk(ctx, cur, progress, func(after string) (string, []any) {
			return staleRowsQuery, []any{oldest.Int64, after, rederiveChunk}
		})
		n, changed = n+k, changed+c
		if err != nil {
			return n, changed, err
		}
	}
}

// walk re-derives the rows chunk selects (its query and arguments for the chunk after
// key `after`, "" first) in key order, and writes them as of generation gen. One
// goroutine reads each chunk and its events on a read connection and derives it on
// every core (deriveAll) while this one writes the chunk before in one short
// transaction on the writer, so that Append calls wait for one such transaction at
// most. A short chunk is the last. It says how many rows it went over and how many
// states changed.
func (db *DB) walk(ctx context.Context, gen int64, progress *rederiver, chunk func(after string) (string, []any)) (n, changed int, err error) {
	type derivedChunk struct {
		rows []storedRow
		out  []rederived
		err  error
	}
	reading, cancel := context.WithCancel(ctx)
	chunks := make(chan derivedChunk, 1)
	defer func() {
		cancel()
		for range chunks { // the reader has stopped when chunks is closed
		}
	}()
	go func() {
		defer close(chunks)
		after := ""
		for {
			query, args := chunk(after)
			rows, evs, err := db.readChunk(reading, query, args)
			var out []rederived
			if err == nil && len(rows) > 0 {
				out, err = db.deriveAll(rows, evs)
			}
			select {
			case chunks <- derivedChunk{rows, out, err}:
			case <-reading.Done():
				return
			}
			if err != nil || len(rows) < rederiveChunk {
				return
			}
			after = rows[len(rows)-1].key
		}
	}()
	for c := range chunks {
		if c.err != nil {
			return n, changed, fmt.Errorf("rederive: %w", c.err)
		}
		if len(c.rows) == 0 {
			break
		}
		k, err := retried(func() (int, error) { return db.writeChunk(ctx, c.rows, c.out, gen) })
		if err != nil {
			return n, changed, fmt.Errorf("rederive: %w", err)
		}
		n, changed = n+len(c.rows), changed+k
		progress.add(len(c.rows), 0)
	}
	if err := ctx.Err(); err != nil {
		return n, changed, fmt.Errorf("rederive: %w", err)
	}
	return n, changed, nil
}

// The chunks of Rederive (every row) and of the background re-derive (the rows of one
// older generation, from the index tickets_generation).
const (
	chunkColumns   = `SELECT key, data, risk_at, generation FROM tickets `
	allRowsQuery   = chunkColumns + `WHERE key > ? ORDER BY key LIMIT ?`
	staleRowsQuery = chunkColumns + `WHERE generation = ? AND key > ? ORDER BY key LIMIT ?`
)

// storedRow is a ticket row as a re-derive reads it.
type storedRow struct {
	key  string
	data []byte
	risk sql.NullInt64
	gen  int64
}

// rederived is a row's state derived again, and what writing it takes.
type rederived struct {
	t       sla.Ticket
	data    []byte
	changed bool // the state or its at-risk instant differs, not only the generation
}

// readChunk reads the rows query selects, and their events, in one read transaction.
func (db *DB) readChunk(ctx context.Context, query string, args []any) ([]storedRow, map[string][]rawEvent, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	res, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer res.Close()
	var rows []storedRow
	for res.Next() {
		var r storedRow
		if err := res.Scan(&r.key, &r.data, &r.risk, &r.gen); err != nil {
			return nil, nil, err
		}
		rows = append(rows, r)
	}
	if err := res.Err(); err != nil || len(rows) == 0 {
		return nil, nil, err
	}
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = r.key
	}
	evs, err := rawEventsOf(ctx, tx, keys)
	if err != nil {
		return nil, nil, err
	}
	return rows, evs, tx.Commit()
}

// rawEvent is a stored event not decoded yet: the re-derive decodes on every core.
type rawEvent struct {
	body []byte
	tier any
}

// rawEventsOf reads the events of the tickets keys, by key rather than by key range
// (the stale rows of a chunk may lie far apart), in arrival order per ticket.
func rawEventsOf(ctx context.Context, tx *sql.Tx, keys []string) (map[string][]rawEvent, error) {
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]rawEvent, len(keys))
	err = eachEvent(ctx, tx, keysEventsQuery, string(list), func(key string, body []byte, tier any) error {
		out[key] = append(out[key], rawEvent{body: body, tier: tier})
		return nil
	})
	return out, err
}

// deriveAll decodes the events of rows and derives them on runtime.NumCPU goroutines.
func (db *DB) deriveAll(rows []storedRow, evs map[string][]rawEvent) ([]rederived, error) {
	out := make([]rederived, len(rows))
	errs := make([]error, len(rows))
	workers := min(runtime.NumCPU(), len(rows))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(rows); i += workers {
				out[i], errs[i] = db.rederiveRow(rows[i], evs[rows[i].key])
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

func (db *DB) rederiveRow(r storedRow, raw []rawEvent) (rederived, error) {
	evs := make([]sla.Event, len(raw))
	for i, e := range raw {
		var err error
		if evs[i], err = decodeEvent(e.body, e.tier); err != nil {
			return rederived{}, fmt.Errorf("event of %s: %w", r.key, err)
		}
	}
	t, err := safeDerive(db.derive, r.key, evs)
	if err != nil {
		return rederived{}, err
	}
	data, err := json.Marshal(t)
	if err != nil {
		return rederived{}, fmt.Errorf("ticket %s: %w", r.key, err)
	}
	risk := db.risk(t)
	same := bytes.Equal(data, r.data) && (risk == nil) == !r.risk.Valid && (risk == nil || *risk == r.risk.Int64)
	return rederived{t: t, data: data, changed: !same}, nil
}

// writeChunk writes the rows derived again in one transaction on the writer: the whole
// state where it changed, only the generation where it did not.
func (db *DB) writeChunk(ctx context.Context, rows []storedRow, out []rederived, gen int64) (changed int, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = r.key
	}
	if err := db.lockTickets(ctx, tx, keys); err != nil {
		return 0, err
	}
	now, err := rowsNow(ctx, tx, keys)
	if err != nil {
		return 0, err
	}
	var states []derivedTicket
	var older []string // rows whose state stays, of another generation
	for i, r := range rows {
		cur, ok := now[r.key]
		switch {
		case !ok || cur.gen != r.gen || !bytes.Equal(cur.data, r.data):
			continue // an Append rewrote it since it was read
		case out[i].changed:
			states = append(states, derivedTicket{t: out[i].t, data: out[i].data, sync: true})
		case r.gen != gen:
			older = append(older, r.key)
		}
	}
	if err := db.storeTickets(ctx, tx, states, gen, formatTime(db.now())); err != nil {
		return 0, err
	}
	if len(older) > 0 {
		list, err := json.Marshal(older)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tickets SET generation = ? WHERE key IN (SELECT value FROM json_each(?))`, gen, string(list)); err != nil {
			return 0, fmt.Errorf("tickets: %w", err)
		}
	}
	return len(states), tx.Commit()
}

// rowsNow reads the data and generation of the rows keys as they are in tx.
func rowsNow(ctx context.Context, tx *sql.Tx, keys []string) (map[string]storedRow, error) {
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	res, err := tx.QueryContext(ctx, `SELECT key, data, generation FROM tickets WHERE key IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, err
	}
	defer res.Close()
	out := make(map[string]storedRow, len(keys))
	for res.Next() {
		var r storedRow
		if err := res.Scan(&r.key, &r.data, &r.gen); err != nil {
			return nil, err
		}
		out[r.key] = r
	}
	return out, res.Err()
}
