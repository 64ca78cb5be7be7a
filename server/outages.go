package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// OutageRecorder stores the events API's outage events (R6.1), all or nothing; an
// error wrapping an invalid-input error of the store is the sender's (400).
type OutageRecorder interface {
	RecordOutageEvents(ctx context.Context, evs []sla.OutageEvent) (int, error)
}

// errNotOutages says the body holds ticket events: Events goes on with those.
var errNotOutages = errors.New("not outage events")

// decodeOutages reads the body when it holds outage events (outage_started,
// outage_ended): one object, or an array of them only, so that a request stays all
// or nothing in one transaction. A body of ticket events gives errNotOutages.
func decodeOutages(body []byte) ([]sla.OutageEvent, error) {
	trimmed := strings.TrimLeft(string(body), " \t\r\n")
	if !strings.HasPrefix(trimmed, "[") {
		if !sla.IsOutageType(body) {
			return nil, errNotOutages
		}
		e, err := sla.DecodeOutageEvent(body)
		if err != nil {
			return nil, err
		}
		return []sla.OutageEvent{e}, nil
	}
	var raws []json.RawMessage
	if json.Unmarshal(body, &raws) != nil || len(raws) == 0 {
		return nil, errNotOutages // DecodeEvents explains it
	}
	outages := 0
	for _, r := range raws {
		if sla.IsOutageType(r) {
			outages++
		}
	}
	switch outages {
	case 0:
		return nil, errNotOutages
	case len(raws):
	default:
		return nil, fmt.Errorf("an array holds ticket events or outage events, not both")
	}
	out := make([]sla.OutageEvent, len(raws))
	for i, r := range raws {
		e, err := sla.DecodeOutageEvent(r)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		out[i] = e
	}
	return out, nil
}

// serveOutages answers a body of outage events; false when the body holds none.
func serveOutages(w http.ResponseWriter, r *http.Request, o EventsOptions, body []byte, count func(string)) bool {
	evs, err := decodeOutages(body)
	switch {
	case errors.Is(err, errNotOutages):
		return false
	case err == nil && o.Outages == nil:
		err = errors.New("outage events are not taken here")
	}
	if err == nil {
		var stored int
		stored, err = o.Outages.RecordOutageEvents(r.Context(), evs)
		if err == nil {
			if stored > 0 {
				count("stored")
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"received":%d,"stored":%d}`+"\n", len(evs), stored)
			return true
		}
		if !o.OutageInvalid(err) {
			storeFailed(w, o, count, err, len(evs))
			return true
		}
	}
	count("rejected")
	refuse(w, r, o.Logger, EventsPath, http.StatusBadRequest, err.Error())
	return true
}
