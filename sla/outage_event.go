package sla

import (
	"encoding/json"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// The outage event types of the events API (R6.1): a component went down, came back.
const (
	OutageStarted = "outage_started"
	OutageEnded   = "outage_ended"
)

// OutageEvent is one outage event of the events API.
type OutageEvent struct {
	Type      string // OutageStarted or OutageEnded
	Component Component
	At        time.Time
	Note      string
	By        string
}

// IsOutageType reports whether a JSON event's type is an outage's: the events API sends
// those to DecodeOutageEvent, the rest to DecodeEvent.
func IsOutageType(data []byte) bool {
	var head struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(data, &head) // a bad body is DecodeEvent's to explain
	return head.Type == OutageStarted || head.Type == OutageEnded
}

var outageFields = map[string]bool{"type": true, "component": true, "at": true, "note": true, "by": true}

// DecodeOutageEvent reads one outage event with the checks of a ticket event
// (DecodeEvent): exact field names, RFC 3339 in the calendar's years, clean text, and a
// component of R6.1.
func DecodeOutageEvent(data []byte) (OutageEvent, error) {
	if !utf8.Valid(data) {
		return OutageEvent{}, invalid("the body is not valid UTF-8")
	}
	if name, ok := unknownField(data, outageFields); ok {
		return OutageEvent{}, invalid("unknown field %q on an outage event", name)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var w struct{ Type, Component, At, Note, By string }
	if err := dec.Decode(&w); err != nil {
		return OutageEvent{}, invalid("%s", jsonReason(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return OutageEvent{}, invalid("trailing data after the event object")
	}
	e := OutageEvent{Type: w.Type, Note: w.Note, By: w.By}
	if w.Type != OutageStarted && w.Type != OutageEnded {
		return OutageEvent{}, invalid("unknown event type %q", w.Type)
	}
	if w.Component == "" {
		return OutageEvent{}, invalid(`missing required field "component"`)
	}
	c, err := ParseComponent(strings.TrimSpace(w.Component))
	if err != nil {
		return OutageEvent{}, invalid(`field "component": %v`, err)
	}
	e.Component = c
	if w.At == "" {
		return OutageEvent{}, invalid(`missing required field "at"`)
	}
	if e.At, err = time.Parse(time.RFC3339, w.At); err != nil {
		return OutageEvent{}, invalid(`field "at": %q is not RFC 3339 with an offset`, w.At)
	}
	if err := CheckInstant(e.At); err != nil {
		return OutageEvent{}, invalid(`field "at": %v`, err)
	}
	e.At = e.At.Truncate(time.Second)
	if err := checkText("note", e.Note, maxTextLen, true); err != nil {
		return OutageEvent{}, invalid("%v", err)
	}
	if err := checkText("by", e.By, maxNameLen, false); err != nil {
		return OutageEvent{}, invalid("%v", err)
	}
	return e, nil
}
