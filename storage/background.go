package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// rederiver is the background re-derive of a DB: at most one runs, and a start while it
// runs makes it walk again when it is done (a reload's new generation).
type rederiver struct {
	mu      sync.Mutex
	running bool
	again   bool
	cancel  context.CancelFunc
	done    chan struct{}
	// finished and total count the rows of the walk: total grows when a new generation
	// makes more rows stale.
	finished, total atomic.Int64
}

// add counts n more rows done and more found stale; a nil rederiver (a re-derive in
// the foreground) counts nothing.
func (r *rederiver) add(n, more int) {
	if r == nil {
		return
	}
	r.finished.Add(int64(n))
	r.total.Add(int64(more))
}

// RederiveHooks are told when a background re-derive starts and ends, for the log.
type RederiveHooks struct {
	// Started hears how many rows are stale when the walk begins.
	Started func(stale int)
	// Finished hears how many rows were re-derived, how many of them changed, how long
	// it took and why it stopped early (nil when it is done, ctx's error when stopped).
	Finished func(rederived, changed int, took time.Duration, err error)
}

// StartRederive re-derives, in the background, every row of a generation older than the
// current one (Reconfigure made them stale, or a re-derive cut short by a stop left
// them: a restart resumes with what is left). It walks them in key order, a chunk at a
// time, derives each chunk on every core and writes it in one short transaction on the
// writer, so Append calls interleave. Meanwhile Ticket derives a stale row from its
// events, Append replays it, and lists show it as it was. Rederiving says how far it is.
// It returns at once; the walk stops when ctx ends or at Close.
func (db *DB) StartRederive(ctx context.Context, hooks RederiveHooks) {
	b := &db.bg
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.running {
		b.again = true
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	b.running, b.again, b.cancel, b.done = true, false, cancel, make(chan struct{})
	b.finished.Store(0)
	b.total.Store(0)
	go func(done chan struct{}) {
		defer cancel()
		db.runRederive(ctx, hooks, done)
	}(b.done)
}

func (db *DB) runRederive(ctx context.Context, hooks RederiveHooks, done chan struct{}) {
	b := &db.bg
	defer close(done)
	start := time.Now()
	var stale int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM tickets WHERE generation < ?`, db.gen.Load()).Scan(&stale)
	if err == nil && stale > 0 && hooks.Started != nil {
		hooks.Started(stale)
	}
	changed := 0
	for err == nil {
		var c int
		_, c, err = db.rederiveStale(ctx, b)
		changed += c
		b.mu.Lock()
		again := b.again && err == nil
		b.again = false
		if !again {
			b.running = false
		}
		b.mu.Unlock()
		if !again {
			break
		}
	}
	if err != nil {
		b.mu.Lock()
		b.running = false
		b.mu.Unlock()
	}
	if n := int(b.finished.Load()); hooks.Finished != nil && (n > 0 || err != nil) {
		hooks.Finished(n, changed, time.Since(start), err)
	}
}

// Rederiving says whether a background re-derive runs, and how far it is: done rows of
// total.
func (db *DB) Rederiving() (done, total int, running bool) {
	b := &db.bg
	b.mu.Lock()
	running = b.running
	b.mu.Unlock()
	return int(b.finished.Load()), int(b.total.Load()), running
}

// stopRederive ends a background re-derive and waits for it (Close).
func (db *DB) stopRederive() {
	b := &db.bg
	b.mu.Lock()
	cancel, done := b.cancel, b.done
	b.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// ticketRow reads a ticket's state in tx as of its events: the stored row when it is of
// this generation, else derived from its events on the spot (a stale row, while a
// re-derive runs), so that a single read is right at once.
func (db *DB) ticketRow(ctx context.Context, tx *sql.Tx, key string) (t sla.Ticket, found bool, err error) {
	var data []byte
	var gen int64
	err = tx.QueryRowContext(ctx, `SELECT data, generation FROM tickets WHERE key = ? AND known = 1`, key).Scan(&data, &gen)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return sla.Ticket{}, false, nil
	case err != nil:
		return sla.Ticket{}, false, fmt.Errorf("ticket %s: %w", key, err)
	case gen != db.gen.Load():
		evs, err := ticketEvents(ctx, tx, key)
		if err != nil {
			return sla.Ticket{}, false, err
		}
		t, err = safeDerive(db.derive, key, evs)
		return t, err == nil, err
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return sla.Ticket{}, false, fmt.Errorf("ticket %s: %w", key, err)
	}
	return t, true, nil
}
