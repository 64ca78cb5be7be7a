package commands

import (
	"errors"
	"fmt"
)

// Code classifies an Error for the adapters: invalid, not found, conflict and forbidden
// are shown to the asker as a polite one-liner, internal as "internal error".
type Code string

// Error codes.
const (
	CodeInvalid   Code = "invalid"
	CodeNotFound  Code = "not_found"
	CodeConflict  Code = "conflict"
	CodeForbidden Code = "forbidden"
	CodeInternal  Code = "internal"
)

// Error is an answer that went wrong, with a message fit for the asker (in the asker's
// language) and, for internal errors, the cause to log.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Code == CodeInternal {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode gives err's code: CodeInternal for any error that is not an *Error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

func errorf(code Code, format string, a ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, a...)}
}

func internal(err error) *Error {
	return &Error{Code: CodeInternal, Message: "internal error", Err: err}
}
