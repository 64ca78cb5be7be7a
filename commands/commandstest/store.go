package commandstest

import (
	"context"
	"strings"
	"sync"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Store is an in-memory event log with the methods of commands.Store: every read
// replays the stored events with sla.Replay, so a ticket is what the engine makes of
// them. Append ignores an event whose non-empty id is stored already, and a whole call
// whose non-empty delivery id its source sent before, as storage does. It is safe for
// concurrent use.
type Store struct {
	cals   *sla.Calendars
	tierOf func(customer string) (sla.Tier, bool)

	mu         sync.Mutex
	events     []sla.Event
	deliveries map[[2]string]bool // {source, delivery id}
	appends    []AppendCall
	stored     []sla.Event
	asked      []string
	calls      int
}

// AppendCall is one call of Append: its arguments and how many of the events were new.
type AppendCall struct {
	Source, Delivery string
	Events           []sla.Event
	New              int
}

// NewStore gives a Store whose log holds events, replayed with cals and tierOf.
func NewStore(cals *sla.Calendars, tierOf func(customer string) (sla.Tier, bool), events ...sla.Event) *Store {
	return &Store{cals: cals, tierOf: tierOf, events: append([]sla.Event(nil), events...), deliveries: map[[2]string]bool{}}
}

// Add puts events in the log as they are: the state a test starts from. Unlike Append
// it is neither de-duplicated nor recorded.
func (s *Store) Add(evs ...sla.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, evs...)
}

// Ticket replays the events of key; false when the log has none.
func (s *Store) Ticket(_ context.Context, key string) (sla.Ticket, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	t, ok := s.replay(key)
	return t, ok, nil
}

// Tickets replays every ticket of customer (any customer for "", case-insensitive
// otherwise), in the order their first events were stored; only the unresolved ones
// when openOnly. The customer is recorded for Asked. List, Urgent and Queue read
// through it; it is no method of commands.Store, whose lists are bounded.
func (s *Store) Tickets(_ context.Context, customer string, openOnly bool) ([]sla.Ticket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	s.asked = append(s.asked, customer)
	var keys []string
	byKey := map[string][]sla.Event{} // one pass: a crowd of tickets stays quick
	for _, e := range s.events {
		if byKey[e.Ticket] == nil {
			keys = append(keys, e.Ticket)
		}
		byKey[e.Ticket] = append(byKey[e.Ticket], e)
	}
	var out []sla.Ticket
	for _, k := range keys {
		t := sla.Replay(byKey[k], s.tierOf, s.cals)
		if (customer == "" || strings.EqualFold(t.Customer, customer)) && (!openOnly || t.State != sla.ResolvedState) {
			out = append(out, t)
		}
	}
	return out, nil
}

// Append stores the events that are new and gives how many were; every call is
// recorded for Appends, a repeated delivery too.
func (s *Store) Append(_ context.Context, source, deliveryID string, evs []sla.Event) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	n := 0
	if d := [2]string{source, deliveryID}; deliveryID == "" || !s.deliveries[d] {
		if deliveryID != "" {
			s.deliveries[d] = true
		}
		for _, e := range evs {
			if e.ID != "" && s.known(e.ID) {
				continue
			}
			s.events = append(s.events, e)
			s.stored = append(s.stored, e)
			n++
		}
	}
	s.appends = append(s.appends, AppendCall{Source: source, Delivery: deliveryID, Events: append([]sla.Event(nil), evs...), New: n})
	return n, nil
}

// Appends gives every Append call so far, in order.
func (s *Store) Appends() []AppendCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]AppendCall(nil), s.appends...)
}

// Stored gives the events Append stored (not those the log started with), in order.
func (s *Store) Stored() []sla.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sla.Event(nil), s.stored...)
}

// Asked gives the customers Tickets was asked about, in order ("" for every customer):
// those of List, Urgent ("") and Queue too.
func (s *Store) Asked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.asked...)
}

// Calls counts the calls of Ticket, Tickets (List, Urgent and Queue among them) and
// Append together: 0 means the store was never touched.
func (s *Store) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// replay gives key's ticket; the caller holds mu.
func (s *Store) replay(key string) (sla.Ticket, bool) {
	var evs []sla.Event
	for _, e := range s.events {
		if e.Ticket == key {
			evs = append(evs, e)
		}
	}
	if len(evs) == 0 {
		return sla.Ticket{}, false
	}
	return sla.Replay(evs, s.tierOf, s.cals), true
}

// known says whether an event with id is in the log; the caller holds mu.
func (s *Store) known(id string) bool {
	for _, e := range s.events {
		if e.ID == id {
			return true
		}
	}
	return false
}
