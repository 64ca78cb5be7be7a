package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/mattn/go-sqlite3"
)

// Escalation is one step of R7 as the audit trail keeps it: who raised the ticket to
// which level, when and why. The `escalated` event itself goes through Append.
type Escalation struct {
	Ticket string
	Level  int // 1 (2nd line) or 2 (3rd line), R7
	By     string
	Reason string
	At     time.Time
}

// RecordEscalation adds e to the audit trail. The ticket must have events (ErrNotFound
// otherwise); a level outside 1..sla.MaxEscalation, no By or no At is ErrInvalid.
func (db *DB) RecordEscalation(ctx context.Context, e Escalation) error {
	if err := checkEscalation(e); err != nil {
		return err
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("escalation of %s: %w", e.Ticket, err)
	}
	defer tx.Rollback()
	if err := insertEscalation(ctx, tx, e); err != nil {
		return fmt.Errorf("escalation of %s: %w", e.Ticket, err)
	}
	return tx.Commit()
}

// checkEscalation gives the ErrInvalid of RecordEscalation, or nil.
func checkEscalation(e Escalation) error {
	switch {
	case e.Ticket == "":
		return fmt.Errorf("escalation: %w", invalid("no ticket"))
	case e.Level < 1 || e.Level > sla.MaxEscalation:
		return fmt.Errorf("escalation of %s: %w", e.Ticket, invalid("level %d is not 1..%d (R7)", e.Level, sla.MaxEscalation))
	case e.By == "":
		return fmt.Errorf("escalation of %s: %w", e.Ticket, invalid("no by: say who escalated"))
	case e.At.IsZero():
		return fmt.Errorf("escalation of %s: %w", e.Ticket, invalid("no time"))
	}
	return nil
}

func insertEscalation(ctx context.Context, tx *sql.Tx, e Escalation) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO escalations (ticket, level, actor, reason, at)
		VALUES (?, ?, ?, ?, ?)`, e.Ticket, e.Level, e.By, e.Reason, formatTime(e.At))
	if constraint(err, sqlite3.ErrConstraintForeignKey) {
		return fmt.Errorf("%w: ticket %s has no events", ErrNotFound, e.Ticket)
	}
	return err
}

// Escalations gives a ticket's audit trail, oldest first.
func (db *DB) Escalations(ctx context.Context, ticket string) ([]Escalation, error) {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("escalations of %s: %w", ticket, err)
	}
	defer tx.Rollback()
	es, err := queryEscalations(ctx, tx, ticket)
	if err != nil {
		return nil, fmt.Errorf("escalations of %s: %w", ticket, err)
	}
	return es, tx.Commit()
}

func queryEscalations(ctx context.Context, tx *sql.Tx, ticket string) ([]Escalation, error) {
	rows, err := tx.QueryContext(ctx, `SELECT level, actor, reason, at FROM escalations
		WHERE ticket = ? ORDER BY at, id`, ticket)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var es []Escalation
	for rows.Next() {
		e := Escalation{Ticket: ticket}
		var at string
		if err := rows.Scan(&e.Level, &e.By, &e.Reason, &at); err != nil {
			return nil, err
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}
