package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// Errors callers can test with errors.Is; the wrapping message says what was wrong.
var (
	// ErrInvalid: the input breaks a rule of the store; nothing was changed.
	ErrInvalid = errors.New("invalid")
	// ErrNotFound: the ticket the call refers to has no events.
	ErrNotFound = errors.New("not found")
)

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// ErrUnavailable marks a failure of the store itself rather than of the input: the
// call changed nothing and the same call may succeed later. Unavailable tells it.
var ErrUnavailable = errors.New("storage unavailable")

// errDBClosed is database/sql's error for a call on a closed *sql.DB. The package does
// not export it, so it is taken once from a pool that is closed before it ever
// connects: the same value, told by identity rather than by its text.
var errDBClosed = func() error {
	db := sql.OpenDB(connector{dsn: "file:unopened"})
	db.Close()
	return db.PingContext(context.Background())
}()

// unavailableCodes are the SQLite result codes of a store that cannot answer now: busy
// or locked past the busy timeout (another process holds the writer), an I/O error, a
// full disk, a file turned read-only or one that cannot be opened.
var unavailableCodes = []sqlite3.ErrNo{
	sqlite3.ErrBusy, sqlite3.ErrLocked, sqlite3.ErrIoErr, sqlite3.ErrFull,
	sqlite3.ErrReadonly, sqlite3.ErrCantOpen,
}

// Unavailable reports whether err is the store failing rather than the input: the
// handlers that store what a sender will retry answer it with 503 and Retry-After
// instead of 500, because the call changed nothing and the same request may succeed
// once the store is back (issue 16, "never a 2xx for something not committed"). It is
// true for ErrUnavailable, ErrClosed, a closed pool, a context deadline while waiting
// for the writer, and the SQLite codes of unavailableCodes, told by go-sqlite3's
// result code, never by the message. A caller that gives up (context.Canceled) is not
// the store failing, and an ErrInvalid never is: that stays the sender's 400.
//
// PostgreSQL's failures of the same kind are pgUnavailable's: every handler keeps its
// one check whatever the backend.
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, ErrInvalid) {
		return false
	}
	switch {
	case errors.Is(err, ErrUnavailable), errors.Is(err, ErrClosed), errors.Is(err, errDBClosed),
		errors.Is(err, sql.ErrConnDone), errors.Is(err, context.DeadlineExceeded):
		return true
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		for _, c := range unavailableCodes {
			if se.Code == c {
				return true
			}
		}
	}
	return pgUnavailable(err)
}

// pgUnavailable reports whether err is a PostgreSQL server that cannot answer now
// rather than a statement it refused: no connection (refused, reset, timed out, closed
// under us, database/sql's bad connection), or a server error of SQLSTATE class 08
// (connection exception), 53 (insufficient resources), 57 (operator intervention: a
// shutdown or restart), 58 (system error), 40 (a deadlock or serialization failure
// the caller may retry), or 55P03 (a lock not granted within lock_timeout, as SQLite's
// busy timeout).
func pgUnavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code[:2] {
		case "08", "53", "57", "58", "40":
			return true
		}
		return pe.Code == "55P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), pgconn.Timeout(err), pgconn.SafeToRetry(err),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	return false
}

// retryable reports whether err is PostgreSQL ending a transaction that may simply be
// run again: a deadlock detected (40P01) or a serialization failure (40001).
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}
