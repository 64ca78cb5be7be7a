package storage

import (
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
