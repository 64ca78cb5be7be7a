package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// copiedTable is a table that holds facts (what was received, decided, sent or read
// from outside), copied row for row by CopyFrom with its own ids.
type copiedTable struct {
	name string
	cols []string // every column, the key first: the copy keeps the key
	// id is the column of the ids the store hands out (AUTOINCREMENT in SQLite,
	// identity in PostgreSQL), "" for none: ids go on after the copy's.
	id string
	// skip leaves out rows of the source the target has its own of.
	skip string
}

// copiedTables are the tables CopyFrom copies, in an order their foreign keys allow:
// events first, with the tickets derived from them, then the escalation steps of those
// tickets, the notifications before their outbox rows. Every other table is derived
// (tickets from the events, open_counts and urgent_days from the tickets: 0010) or the
// store's own (migrations): TestCopiedTablesCoverSchema keeps this list whole.
var copiedTables = []copiedTable{
	{name: "events", id: "seq", cols: []string{"seq", "ticket", "at", "type", "event_id", "source", "body", "received_at", "tier"}},
	// The steps' rows keep whether they were announced (R7): the derive of the tickets
	// records their steps as not announced, and the copy replaces them.
	{name: "escalations", id: "id", cols: []string{"id", "ticket", "level", "actor", "reason", "at", "announced"}},
	{name: "notifications", id: "id", cols: []string{"id", "ticket", "kind", "slot", "decided_at", "service_window"}},
	{name: "outbox", id: "id", cols: []string{"id", "notification", "platform", "channel", "body", "state", "attempts",
		"not_before_ms", "claimed_by", "claimed_until_ms", "last_error", "sent_at", "ref", "tried_ms"}},
	{name: "deliveries", cols: []string{"source", "id", "received_at"}},
	{name: "holds", cols: []string{"platform", "channel", "until_ms"}},
	{name: "teams_references", cols: []string{"channel_id", "conversation_id", "service_url", "tenant_id", "bot_id", "updated_at"}},
	{name: "outages", id: "id", cols: []string{"id", "source", "ref", "component", "started_at", "ended_at", "note", "by"}},
	{name: "scheduled_maintenances", cols: []string{"id", "name", "starts_at", "ends_at", "url"}},
	// The derive fingerprint and generation are those the target derived its tickets
	// under; everything else (the scheduler's horizon outbox_start, the link secret, the
	// notice fingerprint, the tools' notes) is the source's.
	{name: "meta", cols: []string{"key", "value"}, skip: `key IN ('derive_fingerprint', 'derive_generation')`},
}

// derivedTables are the tables CopyFrom does not copy: the target derives them.
var derivedTables = []string{"tickets", "open_counts", "urgent_days", "migrations"}

// copyMarker is the meta entry CopyFrom writes last: when the store was copied.
const copyMarker = "copied_at"

// TableCount is one table's rows in the source and in the target of a copy.
type TableCount struct {
	Table          string
	Source, Target int64
}

// CopyStats is what a CopyFrom stored: per table, the rows in the source and those in
// the target, in the order copied, tickets first.
type CopyStats struct {
	Tables []TableCount
}

// CopyProgress is how far a CopyFrom is: the table it copies, and its rows so far
// (for events also the tickets derived).
type CopyProgress struct {
	Table   string
	Rows    int64
	Tickets int
}

// CopyFrom copies every fact of src into db, which must hold none: each table of
// copiedTables row for row with its ids (the outbox names its notifications by id), and
// the ticket states derived again from the events with db's Options, as Rederive
// would. The ids db hands out afterwards follow those src handed out, deleted rows'
// included. It counts every table in both stores and commits only when they agree, in
// one transaction on db, so db is either as it was or a whole copy, with meta
// copied_at written last; a re-run after a failure starts again, one after a success
// is refused. A db holding events (or any other copied row but its own meta) is
// ErrInvalid. src is read in one read transaction, a snapshot of what it had
// committed; progress, when not nil, hears of every chunk of tickets and every table.
func (db *DB) CopyFrom(ctx context.Context, src *DB, progress func(CopyProgress)) (CopyStats, error) {
	if progress == nil {
		progress = func(CopyProgress) {}
	}
	var stats CopyStats
	rtx, err := src.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return stats, fmt.Errorf("copy: source: %w", err)
	}
	defer rtx.Rollback()
	// The first read starts the source's snapshot (SQLite's deferred transaction).
	if _, err := rowCount(ctx, rtx, "events", ""); err != nil {
		return stats, fmt.Errorf("copy: source: %w", err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("copy: %w", err)
	}
	defer tx.Rollback()
	if err := refuseFilled(ctx, tx); err != nil {
		return stats, fmt.Errorf("copy: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE NOT (`+copiedTables[len(copiedTables)-1].skip+`)`); err != nil {
		return stats, fmt.Errorf("copy: meta: %w", err)
	}
	if err := db.countLater(ctx, tx); err != nil {
		return stats, fmt.Errorf("copy: %w", err)
	}
	if err := db.copyEvents(ctx, tx, rtx, progress); err != nil {
		return stats, fmt.Errorf("copy: events: %w", err)
	}
	if err := db.countNow(ctx, tx); err != nil {
		return stats, fmt.Errorf("copy: %w", err)
	}
	for _, t := range copiedTables[1:] {
		if t.name == "escalations" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM escalations`); err != nil {
				return stats, fmt.Errorf("copy: escalations: %w", err)
			}
		}
		n, err := db.copyTable(ctx, tx, rtx, t)
		if err != nil {
			return stats, fmt.Errorf("copy: %s: %w", t.name, err)
		}
		progress(CopyProgress{Table: t.name, Rows: n})
	}
	for _, t := range copiedTables {
		if err := db.continueIDs(ctx, tx, rtx, src.postgres, t); err != nil {
			return stats, fmt.Errorf("copy: %s: %w", t.name, err)
		}
	}
	if stats, err = countBoth(ctx, rtx, tx); err != nil {
		return stats, fmt.Errorf("copy: %w", err)
	}
	for _, c := range stats.Tables {
		if c.Source != c.Target {
			return stats, fmt.Errorf("copy: %s: %d rows in the source, %d in the target: nothing was copied", c.Table, c.Source, c.Target)
		}
	}
	if err := setMeta(ctx, tx, copyMarker, formatTime(db.now())); err != nil {
		return stats, fmt.Errorf("copy: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("copy: %w", err)
	}
	return stats, nil
}

// countTriggers are the triggers of tickets that keep open_counts and urgent_days (0010).
var countTriggers = []string{"tickets_counts_insert", "tickets_counts_update", "tickets_counts_delete"}

// countLater turns the count triggers off for the rest of tx, on PostgreSQL: a copy is
// one transaction, and every row version a trigger's update of a count row leaves in it
// is one more that the next update of that row walks past (the copy of 1,000,000
// tickets slowed from 16 s to 43 s a 100,000 by the third). ALTER TABLE is part of tx,
// so a copy that fails leaves them on; countNow counts once the tickets are in.
func (db *DB) countLater(ctx context.Context, tx *sql.Tx) error {
	if !db.postgres {
		return nil
	}
	for _, t := range countTriggers {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE tickets DISABLE TRIGGER `+t); err != nil {
			return fmt.Errorf("counts: %w", err)
		}
	}
	return nil
}

// countNow fills the counts from the tickets in tx, as migration 0010 does, and turns
// the triggers countLater turned off on again.
func (db *DB) countNow(ctx context.Context, tx *sql.Tx) error {
	if !db.postgres {
		return nil
	}
	stmts := []string{`DELETE FROM open_counts`, `DELETE FROM urgent_days`,
		`INSERT INTO open_counts SELECT customer, count(*) FROM tickets WHERE known = 1 AND state <> 'resolved' GROUP BY customer`,
		`INSERT INTO urgent_days SELECT urgent_from / 86400, count(*) FROM tickets
			WHERE known = 1 AND state <> 'resolved' AND urgent_from < 9223372036854775807 GROUP BY urgent_from / 86400`}
	for _, t := range countTriggers {
		stmts = append(stmts, `ALTER TABLE tickets ENABLE TRIGGER `+t)
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("counts: %w", err)
		}
	}
	return nil
}

// CheckCopyTarget tells, without writing, whether db can take a CopyFrom: ErrInvalid
// naming a copied table that holds rows, as CopyFrom itself refuses.
func (db *DB) CheckCopyTarget(ctx context.Context) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	defer tx.Rollback()
	if err := refuseFilled(ctx, tx); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	return nil
}

// refuseFilled says which copied table of tx holds rows, if any does: the copy keeps
// the source's ids, and goes into an empty store only. The target's own meta (the
// derive fingerprint Open stored, a horizon or link secret of a bot that ran on it with
// nothing to tell) is not a fact: the source's replaces it.
func refuseFilled(ctx context.Context, tx *sql.Tx) error {
	for _, t := range copiedTables {
		if t.name == "meta" {
			continue
		}
		var filled bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.name+`)`).Scan(&filled); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		if filled {
			n, err := rowCount(ctx, tx, t.name, "")
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			return invalid("the target is not empty: it holds %d %s rows (migrate copies into an empty database only)", n, t.name)
		}
	}
	return nil
}

// countBoth counts the tickets and every copied table in the source and the target.
func countBoth(ctx context.Context, src, dst *sql.Tx) (CopyStats, error) {
	var stats CopyStats
	tables := append([]copiedTable{{name: "tickets"}}, copiedTables...)
	for _, t := range tables {
		c := TableCount{Table: t.name}
		var err error
		if c.Source, err = rowCount(ctx, src, t.name, t.skip); err != nil {
			return stats, fmt.Errorf("source %s: %w", t.name, err)
		}
		if c.Target, err = rowCount(ctx, dst, t.name, t.skip); err != nil {
			return stats, fmt.Errorf("target %s: %w", t.name, err)
		}
		stats.Tables = append(stats.Tables, c)
	}
	return stats, nil
}

// rowCount counts the rows of table, but for those skip selects.
func rowCount(ctx context.Context, q queryer, table, skip string) (n int64, err error) {
	query := `SELECT count(*) FROM ` + table
	if skip != "" {
		query += ` WHERE NOT (` + skip + `)`
	}
	err = q.QueryRowContext(ctx, query).Scan(&n)
	return n, err
}

// copyBatch bounds the rows one INSERT of a copy carries, and so its parameters
// (SQLite takes 32,766, PostgreSQL 65,535).
const copyBatch = 500

// copyTable copies the rows of t from src into tx, in key order.
func (db *DB) copyTable(ctx context.Context, tx, src *sql.Tx, t copiedTable) (n int64, err error) {
	query := `SELECT ` + columnList(t.cols) + ` FROM ` + t.name
	if t.skip != "" {
		query += ` WHERE NOT (` + t.skip + `)`
	}
	rows, err := src.QueryContext(ctx, query+` ORDER BY `+t.cols[0])
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var batch [][]any
	for rows.Next() {
		r, err := scanAny(rows, len(t.cols))
		if err != nil {
			return n, err
		}
		if batch = append(batch, r); len(batch) == copyBatch {
			if err := db.insertRows(ctx, tx, t, batch); err != nil {
				return n, err
			}
			n, batch = n+int64(len(batch)), batch[:0]
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if err := db.insertRows(ctx, tx, t, batch); err != nil {
		return n, err
	}
	return n + int64(len(batch)), nil
}

// scanAny reads a row of n columns as the driver gives them.
func scanAny(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

// columnList quotes column names for a statement (`by` is a keyword).
func columnList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = `"` + c + `"`
	}
	return strings.Join(q, ", ")
}

// insertRows inserts rows into t, many a statement, with their ids.
func (db *DB) insertRows(ctx context.Context, tx *sql.Tx, t copiedTable, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	one := `(` + strings.TrimSuffix(strings.Repeat(`?, `, len(t.cols)), `, `) + `)`
	var b strings.Builder
	b.WriteString(`INSERT INTO ` + t.name + ` (` + columnList(t.cols) + `) `)
	if db.postgres && t.id != "" {
		b.WriteString(`OVERRIDING SYSTEM VALUE `) // an identity column takes the source's ids
	}
	b.WriteString(`VALUES `)
	args := make([]any, 0, len(rows)*len(t.cols))
	for i, r := range rows {
		if i > 0 {
			b.WriteString(`, `)
		}
		b.WriteString(one)
		args = append(args, r...)
	}
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}

// continueIDs makes the ids tx hands out for t next follow the highest src handed out:
// those of rows deleted since (a pruned outbox) are not handed out again.
func (db *DB) continueIDs(ctx context.Context, tx, src *sql.Tx, srcPostgres bool, t copiedTable) error {
	if t.id == "" {
		return nil
	}
	var high sql.NullInt64
	if err := src.QueryRowContext(ctx, `SELECT max(`+t.id+`) FROM `+t.name).Scan(&high); err != nil {
		return err
	}
	var seq sql.NullInt64
	if srcPostgres {
		var name string
		if err := src.QueryRowContext(ctx, `SELECT pg_get_serial_sequence(?, ?)`, t.name, t.id).Scan(&name); err != nil {
			return err
		}
		if err := src.QueryRowContext(ctx, `SELECT CASE WHEN is_called THEN last_value END FROM `+name).Scan(&seq); err != nil {
			return err
		}
	} else {
		err := src.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = ?`, t.name).Scan(&seq)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	if seq.Valid && seq.Int64 > high.Int64 {
		high = seq
	}
	if !high.Valid || high.Int64 == 0 {
		return nil
	}
	if db.postgres {
		_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, ?), ?)`, t.name, t.id, high.Int64)
		return err
	}
	// SQLite's AUTOINCREMENT keeps the highest id in sqlite_sequence, which the
	// inserts with ids moved up to their own highest; a table without AUTOINCREMENT
	// (outages) takes the highest rowid plus one.
	res, err := tx.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?`, high.Int64, t.name)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var auto bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%AUTOINCREMENT%')`, t.name).Scan(&auto); err != nil || !auto {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, t.name, high.Int64)
	return err
}

// Probe reports whether path is a bot database this binary can open, without creating
// or changing anything: ErrNotFound when there is no such file, ErrInvalid when it is
// not a SQLite database or holds no bot schema.
func Probe(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%w: no file %s", ErrNotFound, path)
	} else if err != nil {
		return err
	}
	c := sql.OpenDB(connector{dsn: dsn(path, url.Values{"mode": {"ro"}})})
	defer c.Close()
	var n int
	err := c.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('migrations', 'events')`).Scan(&n)
	switch {
	case err != nil:
		return invalid("%s is not a SQLite database", path)
	case n < 2:
		return invalid("%s is a SQLite database but not the bot's (no events or migrations table)", path)
	}
	return nil
}

// copiedChunk is a chunk of tickets the copy read from the source with their events
// (rows to insert as they are) and derived.
type copiedChunk struct {
	events [][]any
	rows   []storedRow
	out    []rederived
	err    error
}

// copyEvents copies the events of src, ticket by ticket in key order, and stores each
// ticket's state derived from them: one goroutine reads a chunk of rederiveChunk
// tickets and derives it on every core (deriveAll, as the re-derive does) while this
// one writes the chunk before.
func (db *DB) copyEvents(ctx context.Context, tx, src *sql.Tx, progress func(CopyProgress)) error {
	t := copiedTables[0]
	reading, cancel := context.WithCancel(ctx)
	chunks := make(chan copiedChunk, 1)
	defer func() {
		cancel()
		for range chunks { // the reader has stopped when chunks is closed
		}
	}()
	go func() {
		defer close(chunks)
		var c copiedChunk
		evs := map[string][]rawEvent{}
		send := func() bool {
			if c.err == nil && len(c.rows) > 0 {
				c.out, c.err = db.deriveAll(c.rows, evs)
			}
			select {
			case chunks <- c:
			case <-reading.Done():
				return false
			}
			c, evs = copiedChunk{}, map[string][]rawEvent{}
			return true
		}
		rows, err := src.QueryContext(reading, `SELECT `+columnList(t.cols)+` FROM events ORDER BY ticket, seq`)
		if err != nil {
			c.err = err
			send()
			return
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanAny(rows, len(t.cols))
			if err != nil {
				c.err = err
				send()
				return
			}
			key, body := asString(r[1]), []byte(asString(r[6]))
			var tier any
			if r[8] != nil {
				tier = asString(r[8])
			}
			if n := len(c.rows); n == 0 || c.rows[n-1].key != key {
				if n == rederiveChunk && !send() {
					return
				}
				c.rows = append(c.rows, storedRow{key: key})
			}
			c.events = append(c.events, r)
			evs[key] = append(evs[key], rawEvent{body: body, tier: tier})
		}
		c.err = rows.Err()
		if c.err != nil || len(c.rows) > 0 {
			send()
		}
	}()
	// The statements run without ctx, which is checked between chunks: go-sqlite3
	// watches a context that can end on a goroutine of its own for every statement.
	bg, gen, stamp := context.Background(), db.generation(), formatTime(db.now())
	var events int64
	var tickets int
	for c := range chunks {
		if c.err != nil {
			return c.err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := 0; i < len(c.events); i += copyBatch {
			if err := db.insertRows(bg, tx, t, c.events[i:min(i+copyBatch, len(c.events))]); err != nil {
				return err
			}
		}
		states := make([]derivedTicket, len(c.out))
		for i, d := range c.out {
			states[i] = derivedTicket{t: d.t, data: d.data, sync: true}
		}
		if err := db.storeTickets(bg, tx, states, gen, stamp); err != nil {
			return err
		}
		events, tickets = events+int64(len(c.events)), tickets+len(c.rows)
		progress(CopyProgress{Table: t.name, Rows: events, Tickets: tickets})
	}
	return ctx.Err()
}

// asString is a text value as the driver gives it: a string, or bytes for a value
// stored as a BLOB (an event's body).
func asString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return fmt.Sprint(v)
}
