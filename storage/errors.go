package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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

// constraint reports whether err is the SQLite constraint violation code (by its
// extended code, never by the message).
func constraint(err error, code sqlite3.ErrNoExtended) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == code
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
// Another backend adds its own failures here and nowhere else: a PostgreSQL store
// would wrap its connection errors (pgconn's connect errors, SQLSTATE classes 08 and
// 57P, a serialization retry given up) with ErrUnavailable, or add a case for them
// below, so that every handler keeps its one check.
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
	return false
}
