package sla

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The instants the engine can count: the calendar's years (firstYear..lastYear) in
// Brussels time. An event outside them is refused at every intake rather than clamped
// into an answer that means nothing ("breached 59,741 h ago").
var (
	FirstInstant = time.Date(firstYear, 1, 1, 0, 0, 0, 0, Brussels)
	LastInstant  = time.Date(lastYear+1, 1, 1, 0, 0, 0, 0, Brussels).Add(-time.Second)
)

// CheckInstant refuses an instant outside FirstInstant..LastInstant.
func CheckInstant(t time.Time) error {
	if t.Before(FirstInstant) || t.After(LastInstant) {
		return fmt.Errorf("%s is outside the years %d-%d the service calendar counts", t.Format(time.RFC3339), firstYear, lastYear)
	}
	return nil
}

// Key syntax: a project key of 1 to 32 letters, digits or underscores that starts with
// a letter, a hyphen, and an issue number of 1 to 18 digits: every Jira key (MAGDA-1234,
// AB_2-7) passes. Keys are upper case; ParseKey folds the case.
const (
	maxProject = 32
	maxNumber  = 18
)

// ParseKey checks s against the ticket key syntax and gives it in upper case.
func ParseKey(s string) (string, error) {
	if !IsKey(s) {
		return "", keyError(s)
	}
	return strings.ToUpper(s), nil
}

// IsKey reports whether s is of the ticket key syntax, in any case.
func IsKey(s string) bool {
	dash := strings.IndexByte(s, '-')
	if dash < 1 || dash > maxProject || len(s)-dash-1 < 1 || len(s)-dash-1 > maxNumber {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		switch {
		case i == dash:
		case i < dash && (letter || i > 0 && (c >= '0' && c <= '9' || c == '_')):
		case i > dash && c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return true
}

func keyError(s string) error {
	shown := s
	if len(shown) > 40 || !utf8.ValidString(shown) {
		shown = strings.ToValidUTF8(shown[:min(len(shown), 40)], "?") + "…"
	}
	return fmt.Errorf("ticket key %q is not PROJECT-NUMBER (letters, digits or _ starting with a letter, a hyphen, digits)", shown)
}

// Text limits of an event's free fields, in bytes.
const (
	maxIDLen   = 200
	maxNameLen = 200      // customer, by
	maxTextLen = 64 << 10 // reason, motivation: a pasted update, a long Jira field
)

// checkText refuses what a chat message or a log line must never carry: invalid UTF-8,
// control characters (only reason and motivation may hold newlines and tabs) and the
// bidirectional overrides that make text read other than it is.
func checkText(field, s string, limit int, multiline bool) error {
	if len(s) > limit {
		return fmt.Errorf("field %q is %d bytes, over its %d", field, len(s), limit)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("field %q is not valid UTF-8", field)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) || isBidiControl(r) {
			return fmt.Errorf("field %q holds the control character %U", field, r)
		}
	}
	return nil
}

func isBidiControl(r rune) bool {
	return r == 0x061C || r == 0x200E || r == 0x200F || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// Check applies what every event must satisfy whatever its intake (events API, Jira,
// chat, the command line): a key of the ticket key syntax in upper case, a known type, an
// instant the calendar counts, clean text, and the fields its type requires (CONTRACT.md).
// The error says which field, in one line.
func (e Event) Check() error {
	if k, err := ParseKey(e.Ticket); err != nil {
		return invalid("%v", err)
	} else if k != e.Ticket {
		return invalid("ticket key %q must be upper case (%s)", e.Ticket, k)
	}
	if _, ok := rank[e.Type]; !ok {
		return invalid("unknown event type %q", e.Type)
	}
	if e.At.IsZero() {
		return invalid(`missing required field "at"`)
	}
	if err := CheckInstant(e.At); err != nil {
		return invalid(`field "at": %v`, err)
	}
	for _, f := range []struct {
		name, value string
		limit       int
		multiline   bool
	}{
		{"id", e.ID, maxIDLen, false}, {"customer", e.Customer, maxNameLen, false}, {"by", e.By, maxNameLen, false},
		{"reason", e.Reason, maxTextLen, true}, {"motivation", e.Motivation, maxTextLen, true},
	} {
		if err := checkText(f.name, f.value, f.limit, f.multiline); err != nil {
			return invalid("%v", err)
		}
	}
	switch e.Type {
	case Created:
		switch {
		case e.Customer == "":
			return invalid(`missing required field "customer" on created`)
		case e.Kind == "":
			return invalid(`missing required field "kind" on created`)
		case e.Kind != Connection && e.Priority == NoPriority:
			return invalid(`missing required field "priority" on created %s`, e.Kind)
		case e.Kind == Connection && e.Priority != NoPriority:
			return invalid(`a connection request has no priority (R2.3): drop "priority"`)
		}
	case PriorityChanged:
		if e.Priority == NoPriority {
			return invalid(`missing required field "priority" on priority_changed`)
		}
	case Escalated:
		if e.Level < 0 || e.Level > MaxEscalation {
			return invalid(`field "level" on escalated must be 1 or %d (R7), not %d`, MaxEscalation, e.Level)
		}
	}
	if e.Level != 0 && e.Type != Escalated {
		return invalid(`field "level" belongs to escalated events only`)
	}
	return nil
}
