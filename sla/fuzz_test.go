package sla_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// fuzzCals are the calendars every fuzz case counts in (a bridge day after Ascension).
var fuzzCals = sla.NewCalendars([]sla.Closure{{Date: sla.Date{Year: 2026, Month: time.May, Day: 15}}})

func fuzzTierOf(c string) (sla.Tier, bool) {
	switch c {
	case "c-std":
		return sla.Standard, true
	case "c-ded":
		return sla.Dedicated, true
	}
	return "", false
}

// sameInstant compares times as instants: a ticket keeps the zone its events came in.
var sameInstant = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

// fuzzBases are the instants a fuzzed ticket's event offsets count from: a Monday
// before opening, the Friday before the spring DST change, the eve of the Christmas
// closure, the Friday before the autumn change at 16:59.
var fuzzBases = [4]time.Time{
	time.Date(2026, time.March, 2, 8, 30, 0, 0, sla.Brussels),
	time.Date(2026, time.March, 27, 16, 0, 0, 0, sla.Brussels),
	time.Date(2026, time.December, 23, 15, 0, 0, 0, sla.Brussels),
	time.Date(2026, time.October, 23, 16, 59, 0, 0, sla.Brussels),
}

var fuzzTypes = [9]sla.EventType{sla.Created, sla.Responded, sla.Updated, sla.Paused, sla.Resumed,
	sla.PriorityChanged, sla.Resolved, sla.Reopened, sla.Escalated}

// fuzzTicket is one fuzz input decoded: a header, then events of eventSize bytes.
type fuzzTicket struct {
	events []sla.Event
	seed   uint64        // shuffles the events
	d1, d2 time.Duration // view instants: last event + d1, then d2 later
}

const (
	headerSize = 4
	eventSize  = 6
	maxEvents  = 64
)

// decodeFuzzTicket reads the compact encoding:
//
//	header: flags, seed, d1 (units of 7 min), d2 (units of 13 min)
//	flags:  bit 0 the first event is forced to be created; bit 1 odd events in UTC;
//	        bits 2-3 the base instant
//	event:  type; offset in minutes (2 bytes, big endian); priority (bits 0-2, 0 for
//	        none), kind (3-4), source (5-6), TNI (7); reason (0-1), motivation (2),
//	        by (3-4); customer (value mod 3) and id (value / 3)
func decodeFuzzTicket(data []byte) fuzzTicket {
	var ft fuzzTicket
	if len(data) < headerSize {
		return ft
	}
	flags := data[0]
	ft.seed = uint64(data[1])
	ft.d1 = time.Duration(data[2]) * 7 * time.Minute
	ft.d2 = time.Duration(1+int(data[3])) * 13 * time.Minute
	base := fuzzBases[flags>>2&3]
	kinds := [4]sla.Kind{sla.Incident, sla.Question, sla.Connection, sla.Incident}
	sources := [4]sla.Source{sla.Portal, sla.Portal, sla.Mail, ""}
	reasons := [4]string{"", sla.WaitCustomer, sla.WaitThirdParty, "impact lower than reported"}
	bys := [4]string{"", "sdm", "agent", "customer"}
	customers := [3]string{"c-std", "c-ded", "c-unknown"}
	for i, rest := 0, data[headerSize:]; len(rest) >= eventSize && i < maxEvents; i, rest = i+1, rest[eventSize:] {
		b := rest[:eventSize]
		e := sla.Event{
			ID:       string(rune('a' + b[5]/3%26)),
			Ticket:   "MAGDA-1",
			Type:     fuzzTypes[int(b[0])%len(fuzzTypes)],
			At:       base.Add(time.Duration(int(b[1])<<8|int(b[2])) * time.Minute),
			Priority: sla.Priority((b[3] & 7) % 5),
			Kind:     kinds[b[3]>>3&3],
			Source:   sources[b[3]>>5&3],
			Reason:   reasons[b[4]&3],
			By:       bys[b[4]>>3&3],
			Customer: customers[int(b[5])%3],
		}
		if b[3]&0x80 != 0 {
			e.Env = sla.TNI
		}
		if b[4]&4 != 0 {
			e.Motivation = "authentic source down for every municipality"
		}
		if i == 0 && flags&1 != 0 {
			e.Type = sla.Created
		}
		if flags&2 != 0 && i%2 == 1 {
			e.At = e.At.UTC()
		}
		ft.events = append(ft.events, e)
	}
	return ft
}

// encodeFuzzEvent is the inverse of one event of decodeFuzzTicket, for seeds.
func encodeFuzzEvent(typ sla.EventType, minutes int, p sla.Priority, kind, reason, customer int) []byte {
	t := slices.Index(fuzzTypes[:], typ)
	return []byte{byte(t), byte(minutes >> 8), byte(minutes), byte(int(p) | kind<<3), byte(reason), byte(customer)}
}

func fuzzSeed(flags byte, evs ...[]byte) []byte {
	b := []byte{flags, 7, 20, 30}
	for _, e := range evs {
		b = append(b, e...)
	}
	return b
}

// FuzzReplay checks Replay on any stream of events of one ticket: it never panics, the
// order events arrive in does not matter (CONTRACT.md: the state is derived from the
// events sorted by `at`), and after the last event time only ever runs down: the time
// remaining on a clock never grows and no missed update is ever taken back (R3.5, R5.3).
func FuzzReplay(f *testing.F) {
	const incident, question, connection = 0, 1, 2
	const std, ded = 0, 1
	// A dedicated P1 answered, paused for the customer, resumed, resolved.
	f.Add(fuzzSeed(1,
		encodeFuzzEvent(sla.Created, 0, sla.P1, incident, 0, ded),
		encodeFuzzEvent(sla.Responded, 40, 0, 0, 0, ded),
		encodeFuzzEvent(sla.Paused, 120, 0, 0, 1, ded),
		encodeFuzzEvent(sla.Resumed, 60*24, 0, 0, 0, ded),
		encodeFuzzEvent(sla.Updated, 60*26, 0, 0, 0, ded),
		encodeFuzzEvent(sla.Resolved, 60*30, 0, 0, 0, ded)))
	// Out of order, priority lowered then raised, reopened, in two zones.
	f.Add(fuzzSeed(2|4,
		encodeFuzzEvent(sla.Resolved, 3000, 0, 0, 0, std),
		encodeFuzzEvent(sla.PriorityChanged, 90, sla.P4, 0, 3, std),
		encodeFuzzEvent(sla.Created, 0, sla.P2, incident, 0, std),
		encodeFuzzEvent(sla.Reopened, 4000, 0, 0, 0, std),
		encodeFuzzEvent(sla.PriorityChanged, 4100, sla.P1, 0, 3, std),
		encodeFuzzEvent(sla.Escalated, 4200, 0, 0, 0, std)))
	// Events before creation, a duplicated pause, a question and a connection request.
	f.Add(fuzzSeed(8,
		encodeFuzzEvent(sla.Paused, 0, 0, 0, 2, ded),
		encodeFuzzEvent(sla.Created, 30, sla.P3, question, 0, ded),
		encodeFuzzEvent(sla.Paused, 30, 0, 0, 2, ded),
		encodeFuzzEvent(sla.Paused, 30, 0, 0, 2, ded),
		encodeFuzzEvent(sla.Resumed, 600, 0, 0, 0, ded)))
	f.Add(fuzzSeed(12, encodeFuzzEvent(sla.Created, 1, 0, connection, 0, 2)))
	// No created event at all.
	f.Add(fuzzSeed(0, encodeFuzzEvent(sla.Responded, 5, 0, 0, 0, std)))
	f.Fuzz(func(t *testing.T, data []byte) {
		ft := decodeFuzzTicket(data)
		sorted := slices.Clone(ft.events)
		sla.SortEvents(sorted)
		want := sla.Replay(sorted, fuzzTierOf, fuzzCals)

		shuffled := slices.Clone(ft.events)
		rand.New(rand.NewPCG(ft.seed, 1)).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		for name, evs := range map[string][]sla.Event{"as given": ft.events, "shuffled": shuffled} {
			if diff := cmp.Diff(want, sla.Replay(evs, fuzzTierOf, fuzzCals), sameInstant); diff != "" {
				t.Fatalf("Replay of the events %s differs from the sorted ones (-sorted +%s):\n%s", name, name, diff)
			}
		}
		if !want.Known {
			return
		}
		t1 := want.LastEvent.Add(ft.d1)
		t2 := t1.Add(ft.d2)
		v1, v2 := want.At(fuzzCals, t1), want.At(fuzzCals, t2)
		for _, c := range []struct {
			name   string
			v1, v2 *sla.ClockView
		}{{"response", v1.Response, v2.Response}, {"resolution", v1.Resolution, v2.Resolution}} {
			if c.v1 != nil && c.v2.Remaining > c.v1.Remaining {
				t.Errorf("%s: %d s remaining at %s, more (%d s) at %s", c.name, c.v1.Remaining, bxl(t1), c.v2.Remaining, bxl(t2))
			}
		}
		if v1.Updates != nil && v2.Updates.Missed < v1.Updates.Missed {
			t.Errorf("updates: %d missed at %s, fewer (%d) at %s", v1.Updates.Missed, bxl(t1), v2.Updates.Missed, bxl(t2))
		}
		for name, c := range map[string]*sla.Clock{"response": want.Response, "resolution": want.Resolution} {
			checkDueIsEarliest(t, name, fuzzCals.For(want.Tier), c)
		}
		checkStoppedClocks(t, v1)
		checkBreachesStay(t, sorted, t1)
	})
}

// checkStoppedClocks checks R3.5 on a stopped clock: it was met exactly when it stopped
// by its due time.
func checkStoppedClocks(t *testing.T, v sla.View) {
	t.Helper()
	for name, c := range map[string]*sla.ClockView{"response": v.Response, "resolution": v.Resolution} {
		if c == nil || c.DoneAt == nil {
			continue
		}
		if c.Due == nil || c.Met == nil {
			t.Errorf("%s stopped at %s without a due time or a result", name, bxl(*c.DoneAt))
			continue
		}
		if met := !c.DoneAt.After(*c.Due); *c.Met != met {
			t.Errorf("%s stopped at %s, due %s: met = %v", name, bxl(*c.DoneAt), bxl(*c.Due), *c.Met)
		}
	}
}

// checkBreachesStay checks that a due never moves once it has passed (R3.5, R4.4): the
// ticket is viewed after each event, just before the next one, and then at end; a
// clock seen breached at its due time keeps that due in every later view, whatever
// pauses, priority changes, resolutions and reopenings come after.
func checkBreachesStay(t *testing.T, sorted []sla.Event, end time.Time) {
	t.Helper()
	breached := map[string]time.Time{}
	for k := 1; k <= len(sorted); k++ {
		at := end
		if k < len(sorted) {
			at = sorted[k].At
		}
		tk := sla.Replay(sorted[:k], fuzzTierOf, fuzzCals)
		if !tk.Known || at.Before(tk.LastEvent) {
			continue // events before the creation, or later ones dated before it
		}
		v := tk.At(fuzzCals, at)
		for name, c := range map[string]*sla.ClockView{"response": v.Response, "resolution": v.Resolution} {
			if was, ok := breached[name]; ok {
				if c == nil || c.Due == nil || !c.Due.Equal(was) {
					t.Fatalf("%s breached at %s, but after %d events its due is %v", name, bxl(was), k, c)
				}
				continue
			}
			if c != nil && c.Due != nil && c.Met != nil && !*c.Met {
				breached[name] = *c.Due
			}
		}
	}
}

// checkDueIsEarliest checks R3.5 on a running clock: at its due time the target is
// used up, one second earlier it is not.
func checkDueIsEarliest(t *testing.T, name string, cal *sla.Calendar, c *sla.Clock) {
	t.Helper()
	if !c.Running() || c.Counted >= c.Target {
		return
	}
	if at := c.At(cal, c.Due); at.Remaining > 0 {
		t.Errorf("%s: %d s remaining at its due time %s", name, at.Remaining, bxl(c.Due))
	}
	if before := c.Due.Add(-time.Second); !before.Before(c.Since) {
		if at := c.At(cal, before); at.Remaining <= 0 {
			t.Errorf("%s: target used up at %s, before its due time %s", name, bxl(before), bxl(c.Due))
		}
	}
}

// refusedEventSeeds are bodies the events API refuses (issue 10.6), seeds of both
// decoding targets: control and bidi characters and a 100,000-character ticket key,
// invalid UTF-8, a field name in another case, a connection request with a priority,
// and instants outside the calendar's years.
var refusedEventSeeds = []string{
	`{"ticket":"MAGDA-1\u0000","type":"responded","at":"2026-03-02T10:00:00Z"}`,
	`{"ticket":"MAGDA-1\nMAGDA-2","type":"responded","at":"2026-03-02T10:00:00Z"}`,
	"{\"ticket\":\"MAGDA-\u202e1\",\"type\":\"responded\",\"at\":\"2026-03-02T10:00:00Z\"}",
	`{"ticket":"MAGDA-` + strings.Repeat("1", 100_000) + `","type":"responded","at":"2026-03-02T10:00:00Z"}`,
	"{\"ticket\":\"MAGDA-1\",\"type\":\"responded\",\"at\":\"2026-03-02T10:00:00Z\",\"by\":\"\xff\xfe\"}",
	`{"Ticket":"MAGDA-1","type":"responded","at":"2026-03-02T10:00:00Z"}`,
	`{"ticket":"MAGDA-1","type":"created","at":"2026-03-02T10:00:00Z","customer":"a","kind":"connection","priority":"P2"}`,
	`{"ticket":"MAGDA-1","type":"responded","at":"0001-01-01T00:00:00Z"}`,
	`{"ticket":"MAGDA-1","type":"responded","at":"9999-12-31T23:59:59Z"}`,
	`{"ticket":"MAGDA-1","type":"responded","at":"1900-01-01T10:00:00+01:00"}`,
	`{"ticket":"MAGDA-1","type":"responded","at":"2200-01-01T10:00:00+01:00"}`,
	`[{"ticket":"MAGDA-1","type":"responded","at":"2026-03-02T10:00:00Z"},{"ticket":"MAGDA-1","type":"responded","at":"2200-01-01T10:00:00Z"}]`,
}

// FuzzDecodeEvent checks the contract's event parser on any bytes: it never panics, it
// accepts nothing but one JSON value, and an event it accepts survives writing out and
// reading back unchanged.
func FuzzDecodeEvent(f *testing.F) {
	for _, s := range []string{
		`{"id":"e1","ticket":"MAGDA-1","type":"created","at":"2026-03-02T09:15:00+01:00","customer":"agency-x","kind":"incident","priority":"P2","env":"tni","motivation":"all municipalities blocked","source":"portal","by":"jdoe"}`,
		`{"ticket":"MAGDA-1","type":"paused","at":"2026-03-02T10:00:00Z","reason":"third-party"}`,
		`{"ticket":" MAGDA-2 ","type":"created","at":"2026-03-02T09:15:00.123+01:00","customer":"a","kind":"aansluiting","priority":"P1"}`,
		`{"ticket":"MAGDA-1","type":"priority_changed","at":"2026-03-02T11:00:00+01:00","priority":"p4","reason":"workaround found"}`,
		`{"ticket":"MAGDA-1","type":"resolved","at":"2026-03-02T11:00:00+01:00","extra":1}`,
		`{"ticket":"MAGDA-1","type":"responded","at":"2026-03-02 11:00"}`,
		`{"ticket":"MAGDA-1","type":"responded","at":"2026-03-02T11:00:00+01:00"} {}`,
		`[{"ticket":"MAGDA-1"}]`,
		`{"ticket":"MAGDA-1","type":"created","at":"2026-03-02T11:00:00+01:00","customer":"a","kind":"vraag","priority":3}`,
		``, `null`, `{}`,
	} {
		f.Add([]byte(s))
	}
	for _, s := range refusedEventSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := sla.DecodeEvent(data)
		if err != nil {
			return
		}
		if !json.Valid(data) {
			t.Errorf("accepted %q, which is not one JSON value", data)
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("accepted %q, but it does not encode: %v", data, err)
		}
		back, err := sla.DecodeEvent(out)
		if err != nil {
			t.Fatalf("accepted %q, but not its encoding %s: %v", data, out, err)
		}
		if diff := cmp.Diff(e, back, sameInstant); diff != "" {
			t.Errorf("%q read back from %s differs (-first +again):\n%s", data, out, diff)
		}
	})
}

// TestDecodeEventTrailingData: a body holding more than the event object is malformed
// (CONTRACT.md: a malformed body gets a one-line reason and changes nothing), whatever
// the bytes after the object are.
func TestDecodeEventTrailingData(t *testing.T) {
	const ev = `{"ticket":"MAGDA-1","type":"responded","at":"2026-03-02T10:00:00Z"}`
	for _, trailing := range []string{" x", " {}", "}", "]", " ]]]}garbage"} {
		if _, err := sla.DecodeEvent([]byte(ev + trailing)); !errors.Is(err, sla.ErrInvalid) {
			t.Errorf("DecodeEvent(event + %q) = %v, want ErrInvalid (trailing data)", trailing, err)
		}
	}
	if _, err := sla.DecodeEvent([]byte(ev + " \n")); err != nil {
		t.Errorf("DecodeEvent(event + white space) = %v, want it accepted", err)
	}
}

// FuzzDecodeEvents covers the events API's body: one object or an array, all or nothing.
// It never panics, a refusal is one line, and an accepted array is exactly its elements
// each accepted alone.
func FuzzDecodeEvents(f *testing.F) {
	for _, s := range []string{
		`{"ticket":"MAGDA-1","type":"responded","at":"2026-03-02T10:00:00Z"}`,
		`[{"ticket":"MAGDA-1","type":"responded","at":"2026-03-02T10:00:00Z"},{"ticket":"MAGDA-2","type":"resumed","at":"2026-03-02T10:00:00Z"}]`,
		`[{"ticket":"MAGDA-1","type":"responded","at":"2026-03-02T10:00:00Z"},{"ticket":"MAGDA-2"}]`,
		`[]`, `[[]]`, ` [ {} ] `, `[{"ticket":"MAGDA-1","type":"responded","at":"2026-03-02T10:00:00Z"}]]`,
	} {
		f.Add([]byte(s))
	}
	for _, s := range refusedEventSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		evs, err := sla.DecodeEvents(data)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("refusal of %q is not one line: %q", data, err)
			}
			return
		}
		if len(evs) == 0 || !json.Valid(data) {
			t.Fatalf("accepted %q as %d events", data, len(evs))
		}
		var raws []json.RawMessage
		if json.Unmarshal(data, &raws) != nil {
			return // a single object, covered by FuzzDecodeEvent
		}
		if len(raws) != len(evs) {
			t.Fatalf("%d elements gave %d events", len(raws), len(evs))
		}
		for i, r := range raws {
			one, err := sla.DecodeEvent(r)
			if err != nil {
				t.Fatalf("element %d accepted in the array, refused alone: %v", i, err)
			}
			if diff := cmp.Diff(one, evs[i], sameInstant); diff != "" {
				t.Errorf("element %d differs (-alone +in array):\n%s", i, diff)
			}
		}
	})
}

// FuzzDecodeOutageEvent: any body gives a checked outage event or an error.
func FuzzDecodeOutageEvent(f *testing.F) {
	f.Add([]byte(`{"type":"outage_started","component":"database","at":"2026-11-10T10:00:00+01:00","note":"x"}`))
	f.Add([]byte(`{"type":"outage_ended","component":"disk","at":"2026-11-10T10:00:00Z"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := sla.DecodeOutageEvent(body)
		if err != nil {
			return
		}
		if _, err := sla.ParseComponent(string(e.Component)); err != nil || sla.CheckInstant(e.At) != nil {
			t.Fatalf("accepted %+v from %s", e, body)
		}
	})
}
