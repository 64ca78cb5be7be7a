package sla_test

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// arrivals gives the events of ft in the order a store receives them: mostly in order,
// as a live intake sends them, with a few late ones (seed bits choose which and how
// late), or all shuffled when the seed's low bit is set.
func arrivals(ft fuzzTicket) []sla.Event {
	evs := slices.Clone(ft.events)
	rng := rand.New(rand.NewPCG(ft.seed, 2))
	if ft.seed&1 != 0 {
		rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
		return evs
	}
	sla.SortEvents(evs)
	for range int(ft.seed>>1) % 4 {
		if len(evs) < 2 {
			break
		}
		i := rng.IntN(len(evs))
		e := evs[i]
		evs = slices.Delete(evs, i, i+1)
		evs = slices.Insert(evs, i+rng.IntN(len(evs)-i+1), e)
	}
	return evs
}

// advanceAll derives a ticket as a store does: each arriving event is applied to the
// state stored so far when sla.Advance takes it, and every event so far is replayed when
// it does not. The stored state goes through JSON, as it does in the tickets table. It
// fails t at the first arrival whose state differs from a Replay of every event so far,
// and returns how many events were applied without a replay.
func advanceAll(t *testing.T, evs []sla.Event) (advanced int) {
	t.Helper()
	var stored []byte
	var mem sla.Ticket
	for i, e := range evs {
		want := sla.Replay(evs[:i+1], fuzzTierOf, fuzzCals)
		var last sla.Ticket
		if err := json.Unmarshal(stored, &last); i > 0 && err != nil {
			t.Fatal(err)
		}
		got, ok := sla.Advance(last, e, fuzzCals)
		inMem, okMem := sla.Advance(mem, e, fuzzCals)
		if ok != okMem {
			t.Fatalf("event %d (%s at %s): Advance took it from the stored state %v, from memory %v", i+1, e.Type, bxl(e.At), ok, okMem)
		}
		if !ok {
			got, inMem = want, want
		} else {
			advanced++
			if !reflect.DeepEqual(inMem, want) {
				t.Fatalf("event %d (%s at %s) advanced in memory differs from Replay (-replay +advance):\n%s",
					i+1, e.Type, bxl(e.At), cmp.Diff(want, inMem))
			}
		}
		var err error
		if stored, err = json.Marshal(got); err != nil {
			t.Fatal(err)
		}
		if w, _ := json.Marshal(want); string(stored) != string(w) {
			t.Fatalf("event %d (%s at %s) advanced from the stored JSON differs from Replay:\nreplay  %s\nadvance %s",
				i+1, e.Type, bxl(e.At), w, stored)
		}
		mem = inMem
	}
	return advanced
}

// FuzzAdvance checks that incremental derivation is exact: for any events, arriving in
// order, nearly in order or shuffled, taking each one with sla.Advance where it allows
// and replaying otherwise gives, after every arrival, the ticket Replay gives of all the
// events so far: deep-equal in memory and the same JSON from the stored state. The
// clock rules of R3-R5 and R7 are the ones Replay applies.
func FuzzAdvance(f *testing.F) {
	const incident = 0
	const std, ded = 0, 1
	f.Add(fuzzSeed(1,
		encodeFuzzEvent(sla.Created, 0, sla.P1, incident, 0, ded),
		encodeFuzzEvent(sla.Responded, 40, 0, 0, 0, ded),
		encodeFuzzEvent(sla.Paused, 120, 0, 0, 1, ded),
		encodeFuzzEvent(sla.Resumed, 60*24, 0, 0, 0, ded),
		encodeFuzzEvent(sla.Updated, 60*26, 0, 0, 0, ded),
		encodeFuzzEvent(sla.PriorityChanged, 60*27, sla.P3, 0, 3, ded),
		encodeFuzzEvent(sla.PriorityChanged, 60*28, sla.P1, 0, 3, ded),
		encodeFuzzEvent(sla.Escalated, 60*29, 0, 0, 0, ded),
		encodeFuzzEvent(sla.Resolved, 60*30, 0, 0, 0, ded),
		encodeFuzzEvent(sla.Reopened, 60*31, 0, 0, 0, ded),
		encodeFuzzEvent(sla.Resolved, 60*40, 0, 0, 0, ded)))
	f.Add(fuzzSeed(2|4,
		encodeFuzzEvent(sla.Resolved, 3000, 0, 0, 0, std),
		encodeFuzzEvent(sla.PriorityChanged, 90, sla.P4, 0, 3, std),
		encodeFuzzEvent(sla.Created, 0, sla.P2, incident, 0, std),
		encodeFuzzEvent(sla.Reopened, 4000, 0, 0, 0, std),
		encodeFuzzEvent(sla.Escalated, 4200, 0, 0, 0, std)))
	f.Add(fuzzSeed(8,
		encodeFuzzEvent(sla.Paused, 0, 0, 0, 2, ded),
		encodeFuzzEvent(sla.Created, 30, sla.P3, 1, 0, ded),
		encodeFuzzEvent(sla.Paused, 30, 0, 0, 2, ded),
		encodeFuzzEvent(sla.Resumed, 600, 0, 0, 0, ded)))
	f.Fuzz(func(t *testing.T, data []byte) {
		ft := decodeFuzzTicket(data)
		// Only what the store takes: every intake checks an event before it is stored
		// (a created incident without a priority, say, is refused).
		ft.events = slices.DeleteFunc(ft.events, func(e sla.Event) bool { return e.Check() != nil })
		advanceAll(t, arrivals(ft))
	})
}

// TestAdvanceTakesEventsInOrder makes FuzzAdvance able to fail: events that arrive in
// order, each after the last, are applied one by one (no replay), and the state is still
// Replay's; an event older than the last one, a second one in the last event's second and
// a created event are refused.
func TestAdvanceTakesEventsInOrder(t *testing.T) {
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, sla.Brussels)
	ev := func(typ sla.EventType, min int) sla.Event {
		return sla.Event{Ticket: "MAGDA-1", Type: typ, At: at.Add(time.Duration(min) * time.Minute), Customer: "c-ded",
			Kind: sla.Incident, Priority: sla.P2}
	}
	evs := []sla.Event{ev(sla.Created, 0), ev(sla.Responded, 30), ev(sla.Paused, 60), ev(sla.Resumed, 90),
		ev(sla.Updated, 120), ev(sla.PriorityChanged, 150), ev(sla.Escalated, 180), ev(sla.Resolved, 600)}
	if n := advanceAll(t, evs); n != len(evs)-1 {
		t.Errorf("%d of the %d events after the created one were applied incrementally, want all", n, len(evs)-1)
	}
	stored := sla.Replay(evs, fuzzTierOf, fuzzCals)
	before := sla.Replay(evs, fuzzTierOf, fuzzCals)
	for _, c := range []struct {
		name string
		e    sla.Event
	}{
		{"older than the last event", ev(sla.Updated, 500)},
		{"in the last event's second", func() sla.Event { e := ev(sla.Reopened, 600); e.At = e.At.Add(400 * time.Millisecond); return e }()},
		{"a created event", ev(sla.Created, 700)},
		{"before the ticket is known", ev(sla.Responded, 700)},
	} {
		tk := stored
		if c.name == "before the ticket is known" {
			tk = sla.Replay(evs[1:], fuzzTierOf, fuzzCals)
		}
		if _, ok := sla.Advance(tk, c.e, fuzzCals); ok {
			t.Errorf("%s: Advance took it; want a replay", c.name)
		}
	}
	sla.Advance(stored, ev(sla.Reopened, 700), fuzzCals)
	if !reflect.DeepEqual(stored, before) {
		t.Errorf("Advance changed the ticket it was given:\n%s", cmp.Diff(before, stored))
	}
}
