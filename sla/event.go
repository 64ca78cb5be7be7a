package sla

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// EventType is what happened to a ticket (CONTRACT.md, generic ticket events).
type EventType string

// The event types of the contract.
const (
	Created         EventType = "created"
	Responded       EventType = "responded"
	Updated         EventType = "updated"
	Paused          EventType = "paused"
	Resumed         EventType = "resumed"
	PriorityChanged EventType = "priority_changed"
	Resolved        EventType = "resolved"
	Reopened        EventType = "reopened"
	Escalated       EventType = "escalated"
)

// rank orders events that happen at the same instant: the ticket exists before
// anything happens to it, a reopen comes before what happens to the reopened ticket
// (Jira moves a resolved ticket straight to a waiting status), and a priority change
// applies before the clocks move.
var rank = map[EventType]int{
	Created: 0, Reopened: 1, PriorityChanged: 2, Responded: 3, Updated: 4, Paused: 5,
	Resumed: 6, Escalated: 7, Resolved: 8,
}

// Pause reasons of R3.4.
const (
	WaitCustomer   = "customer"
	WaitThirdParty = "third_party"
)

// Event is one ticket event of the contract.
type Event struct {
	ID         string    `json:"id,omitempty"`
	Ticket     string    `json:"ticket"`
	Type       EventType `json:"type"`
	At         time.Time `json:"at"`
	Customer   string    `json:"customer,omitempty"`
	Kind       Kind      `json:"kind,omitempty"`
	Priority   Priority  `json:"priority,omitempty"`
	Env        Env       `json:"env,omitempty"`
	Motivation string    `json:"motivation,omitempty"`
	Source     Source    `json:"source,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	By         string    `json:"by,omitempty"`
	// Level is the R7 step an escalated event raises the ticket to (1: 2nd line and
	// MAGDA Service Delivery, 2: 3rd line); 0 means the next one. Two escalations that
	// saw the same level (a Slack and a Teams click at once) are one step.
	Level int `json:"level,omitempty"`
	// Tier is the customer's tier when the bot stored the ticket's created event
	// (R1.1): the ticket keeps it for its life. It is not part of the wire format; the
	// store keeps it beside the event. Empty: the tier of the configuration at replay.
	Tier Tier `json:"-"`
}

// MarshalText writes "P1".."P4".
func (p Priority) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads "P1".."P4".
func (p *Priority) UnmarshalText(b []byte) error {
	v, err := ParsePriority(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// wireEvent is Event as it arrives: strings checked by Validate with a reason a sender
// can act on, instead of a decoder error about Go types.
type wireEvent struct {
	ID         string `json:"id"`
	Ticket     string `json:"ticket"`
	Type       string `json:"type"`
	At         string `json:"at"`
	Customer   string `json:"customer"`
	Kind       string `json:"kind"`
	Priority   string `json:"priority"`
	Env        string `json:"env"`
	Motivation string `json:"motivation"`
	Source     string `json:"source"`
	Reason     string `json:"reason"`
	By         string `json:"by"`
	Level      *int   `json:"level"`
}

// wireFields are the field names of the contract, matched exactly: Go's decoder alone
// would take "Ticket" for "ticket" and slip past the unknown-field check.
var wireFields = map[string]bool{"id": true, "ticket": true, "type": true, "at": true, "customer": true,
	"kind": true, "priority": true, "env": true, "motivation": true, "source": true, "reason": true,
	"by": true, "level": true}

// ErrInvalid marks an event that breaks the contract; its message says which field.
var ErrInvalid = errors.New("invalid event")

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
}

// DecodeEvent reads one contract event from JSON and checks it: unknown fields, a
// missing required field or a bad value give an ErrInvalid naming the field.
func DecodeEvent(data []byte) (Event, error) {
	if !utf8.Valid(data) {
		return Event{}, invalid("the body is not valid UTF-8")
	}
	if name, ok := unknownField(data, wireFields); ok {
		return Event{}, invalid("unknown field %q", name)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var w wireEvent
	if err := dec.Decode(&w); err != nil {
		return Event{}, invalid("%s", jsonReason(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Event{}, invalid("trailing data after the event object")
	}
	return w.event()
}

// unknownField finds a field of the JSON object data that is not among known, shortened
// for a reason line. A body that is no object has none: the decoder explains it.
func unknownField(data []byte, known map[string]bool) (string, bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return "", false
	}
	for name := range fields {
		if !known[name] {
			if len(name) > 40 {
				name = strings.ToValidUTF8(name[:40], "?") + "…"
			}
			return name, true
		}
	}
	return "", false
}

// DecodeEvents reads a JSON object or an array of them (POST /api/v1/events); an error
// names the index of the bad event.
func DecodeEvents(data []byte) ([]Event, error) {
	trimmed := strings.TrimLeft(string(data), " \t\r\n")
	if !strings.HasPrefix(trimmed, "[") {
		e, err := DecodeEvent(data)
		if err != nil {
			return nil, err
		}
		return []Event{e}, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, invalid("%s", jsonReason(err))
	}
	if len(raws) == 0 {
		return nil, invalid("empty array: no events")
	}
	out := make([]Event, 0, len(raws))
	for i, r := range raws {
		e, err := DecodeEvent(r)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i+1, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		want := "string"
		if te.Field == "level" {
			want = "number"
		}
		return fmt.Sprintf("field %q must be a %s, not a JSON %s", te.Field, want, te.Value)
	case errors.Is(err, io.EOF):
		return "empty body: no event"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the body ends before the event does"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func (w wireEvent) event() (Event, error) {
	// Spaces around a key or an id are forgiven; any other character is the key's own.
	e := Event{ID: strings.Trim(w.ID, " "), Ticket: strings.Trim(w.Ticket, " "), Type: EventType(w.Type),
		Customer: strings.Trim(w.Customer, " "), Motivation: w.Motivation, Reason: w.Reason, By: w.By}
	if e.Ticket == "" {
		return Event{}, invalid(`missing required field "ticket"`)
	}
	key, err := ParseKey(e.Ticket)
	if err != nil {
		return Event{}, invalid("%v", err)
	}
	e.Ticket = key
	if _, ok := rank[e.Type]; !ok {
		if w.Type == "" {
			return Event{}, invalid(`missing required field "type"`)
		}
		return Event{}, invalid("unknown event type %q", w.Type)
	}
	if w.At == "" {
		return Event{}, invalid(`missing required field "at"`)
	}
	at, err := time.Parse(time.RFC3339, w.At)
	if err != nil {
		return Event{}, invalid(`field "at": %q is not RFC 3339 with an offset`, w.At)
	}
	if err := CheckInstant(at); err != nil { // also year 1, which Go reads as no time
		return Event{}, invalid(`field "at": %v`, err)
	}
	e.At = at
	if e.Env, err = ParseEnv(w.Env); err != nil {
		return Event{}, invalid(`field "env": %v`, err)
	}
	if e.Source, err = ParseSource(w.Source); err != nil {
		return Event{}, invalid(`field "source": %v`, err)
	}
	if w.Kind != "" {
		if e.Kind, err = ParseKind(w.Kind); err != nil {
			return Event{}, invalid(`field "kind": %v`, err)
		}
	}
	if w.Priority != "" {
		if e.Priority, err = ParsePriority(w.Priority); err != nil {
			return Event{}, invalid(`field "priority": %v`, err)
		}
	}
	if w.Level != nil {
		if *w.Level < 1 {
			return Event{}, invalid(`field "level" on escalated must be 1 or %d (R7), not %d`, MaxEscalation, *w.Level)
		}
		e.Level = *w.Level
	}
	if e.Type == Paused {
		switch e.Reason {
		case "", WaitCustomer, WaitThirdParty:
		case "third-party":
			e.Reason = WaitThirdParty
		default:
			return Event{}, invalid(`field "reason" on paused must be customer or third_party, not %q`, e.Reason)
		}
	}
	if err := e.Check(); err != nil {
		return Event{}, err
	}
	return e, nil
}

// Compare orders events by `at`, then by the fixed rank of their type, then by every
// other field, so that any arrival order of the same events yields the same sequence.
func Compare(a, b Event) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	return cmp.Or(
		cmp.Compare(rank[a.Type], rank[b.Type]),
		cmp.Compare(a.ID, b.ID),
		cmp.Compare(a.Priority, b.Priority),
		cmp.Compare(a.Customer, b.Customer),
		cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.Env, b.Env),
		cmp.Compare(a.Source, b.Source),
		cmp.Compare(a.Reason, b.Reason),
		cmp.Compare(a.Motivation, b.Motivation),
		cmp.Compare(a.By, b.By),
		cmp.Compare(a.Ticket, b.Ticket),
	)
}

// SortEvents sorts events into the order the state is derived in.
func SortEvents(evs []Event) { slices.SortStableFunc(evs, Compare) }
