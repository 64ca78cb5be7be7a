package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Escalation is one step of R7 as the store keeps it: who raised the ticket to which
// level, when and why. It is derived from the ticket's `escalated` events
// (sla.Ticket.Escalations), one per (ticket, level), whatever path stored the event.
type Escalation struct {
	Ticket string
	Level  int // 1 (2nd line) or 2 (3rd line), R7
	By     string
	Reason string
	At     time.Time
}

// syncEscalations records the escalation steps of t that the store does not have yet,
// as not announced. A step already recorded keeps its row: what was announced stays.
func syncEscalations(ctx context.Context, tx *sql.Tx, t sla.Ticket) error {
	for _, s := range t.Escalations {
		_, err := tx.ExecContext(ctx, `INSERT INTO escalations (ticket, level, actor, reason, at, announced)
			VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (ticket, level) DO NOTHING`,
			t.Key, s.Level, s.By, s.Reason, formatTime(s.At))
		if err != nil {
			return fmt.Errorf("escalation of %s to %d: %w", t.Key, s.Level, err)
		}
	}
	return nil
}

// Escalations gives a ticket's escalation steps, oldest first.
func (db *DB) Escalations(ctx context.Context, ticket string) ([]Escalation, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT level, actor, reason, at FROM escalations
		WHERE ticket = ? ORDER BY at, id`, ticket)
	if err != nil {
		return nil, fmt.Errorf("escalations of %s: %w", ticket, err)
	}
	defer rows.Close()
	var es []Escalation
	for rows.Next() {
		e := Escalation{Ticket: ticket}
		var at string
		if err := rows.Scan(&e.Level, &e.By, &e.Reason, &at); err != nil {
			return nil, fmt.Errorf("escalations of %s: %w", ticket, err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("escalations of %s: %w", ticket, err)
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

// announceChunk bounds the steps one AnnounceEscalations transaction takes.
const announceChunk = 100

// AnnounceEscalations hands every escalation step not yet announced, with its ticket's
// state, to decide, and stores the notifications decide returns (the SDM post and the
// ESCALATIE mail, R7) with the step marked announced, in one transaction: each step is
// announced once, by one process, also when the process that stored the event died
// right after. decide must be quick and must not call the DB. It returns how many
// notifications were new; with nothing to announce it only reads.
func (db *DB) AnnounceEscalations(ctx context.Context, decide func(sla.Ticket, Escalation) []Notification) (added int, err error) {
	var pending int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM escalations WHERE announced = 0`).Scan(&pending); err != nil {
		return 0, fmt.Errorf("announce escalations: %w", err)
	}
	for pending > 0 {
		n, k, err := db.announceSome(ctx, decide)
		added += k
		if err != nil {
			return added, fmt.Errorf("announce escalations: %w", err)
		}
		if n < announceChunk {
			break
		}
	}
	return added, nil
}

const announceQuery = `SELECT e.id, e.ticket, e.level, e.actor, e.reason, e.at, t.data
	FROM escalations e JOIN tickets t ON t.key = e.ticket
	WHERE e.announced = 0 ORDER BY e.id LIMIT ?`

func (db *DB) announceSome(ctx context.Context, decide func(sla.Ticket, Escalation) []Notification) (n, added int, err error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	// On PostgreSQL the steps are locked as they are read, and those another process is
	// announcing are passed over.
	rows, err := tx.QueryContext(ctx, db.pick(announceQuery, announceQuery+` FOR UPDATE OF e SKIP LOCKED`), announceChunk)
	if err != nil {
		return 0, 0, err
	}
	type step struct {
		id int64
		e  Escalation
		t  sla.Ticket
	}
	var steps []step
	for rows.Next() {
		var s step
		var at string
		var data []byte
		if err := rows.Scan(&s.id, &s.e.Ticket, &s.e.Level, &s.e.By, &s.e.Reason, &at, &data); err != nil {
			rows.Close()
			return 0, 0, err
		}
		if s.e.At, err = parseTime(at); err == nil {
			err = json.Unmarshal(data, &s.t)
		}
		if err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("escalation of %s: %w", s.e.Ticket, err)
		}
		steps = append(steps, s)
	}
	if err := rows.Close(); err != nil {
		return 0, 0, err
	}
	now := db.now()
	for _, s := range steps {
		for _, nt := range decide(s.t, s.e) {
			ok, err := db.insertNotification(ctx, tx, nt, now)
			if err != nil {
				return 0, 0, err
			}
			if ok {
				added++
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE escalations SET announced = 1 WHERE id = ?`, s.id); err != nil {
			return 0, 0, err
		}
	}
	return len(steps), added, tx.Commit()
}
