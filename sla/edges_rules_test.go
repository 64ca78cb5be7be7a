package sla

import (
	"strings"
	"testing"
	"time"
)

// Rule tests for the edges of the clocks: a breach that keeps its instant, an update
// clock that keeps its history, stopped clocks that read consistently, and the tier a
// ticket was created under.

func pause(reason string, at time.Time) Event {
	return Event{Ticket: "MAGDA-1", Type: Paused, Reason: reason, At: at}
}

// Monday 5 October 2026, a working day.
func oct(d, hh, mm int) time.Time { return dt(2026, time.October, d, hh, mm) }

func TestTicket_R3_5_BreachKeepsItsInstantOverAPause(t *testing.T) {
	// The example: dedicated P2, response target 2h, due Mon 10:00; paused at
	// 12:00 (already breached), resumed at 14:00.
	evs := []Event{
		created("ded", Incident, P2, oct(5, 8, 0)),
		pause(WaitCustomer, oct(5, 12, 0)),
		ev(Resumed, oct(5, 14, 0)),
	}
	v := Replay(evs, tierOf, cals).At(cals, oct(5, 15, 0))
	// 4h counted to 12:00, 1h since 14:00: 5h of a 2h target.
	checkClock(t, "response", v.Response, &want{due: oct(5, 10, 0), met: metFalse, remaining: -3 * h})
	// Resolution 16h: 4h counted, 12h left from 14:00: 3h Monday, 9h Tuesday.
	checkClock(t, "resolution", v.Resolution, &want{due: oct(6, 17, 0), remaining: 11 * h})

	// While paused the breached clock still shows the instant it breached at.
	paused := Replay(evs[:2], tierOf, cals).At(cals, oct(5, 13, 0))
	checkClock(t, "response while paused", paused.Response, &want{due: oct(5, 10, 0), met: metFalse, remaining: -2 * h})
	checkClock(t, "resolution while paused", paused.Resolution, &want{remaining: 12 * h})

	// Answered after the resume: the breach and its instant stay.
	done := Replay(append(evs, ev(Responded, oct(5, 16, 0))), tierOf, cals).At(cals, oct(5, 16, 30))
	checkClock(t, "response answered", done.Response, &want{due: oct(5, 10, 0), done: oct(5, 16, 0), met: metFalse, remaining: -4 * h})
}

func TestTicket_R3_5_R5_2_BreachKeepsItsInstantOverAReopen(t *testing.T) {
	// Dedicated P1: resolution 5h, due Mon 13:00; resolved late at 14:00, reopened on
	// Tuesday at 09:00.
	evs := []Event{
		created("ded", Incident, P1, oct(5, 8, 0)),
		ev(Responded, oct(5, 8, 30)),
		ev(Resolved, oct(5, 14, 0)),
		ev(Reopened, oct(6, 9, 0)),
	}
	v := Replay(evs, tierOf, cals).At(cals, oct(6, 10, 0))
	checkClock(t, "resolution", v.Resolution, &want{due: oct(5, 13, 0), met: metFalse, remaining: -2 * h})
	// Resolved again: the same due, still breached.
	again := Replay(append(evs, ev(Resolved, oct(6, 11, 0))), tierOf, cals).At(cals, oct(6, 12, 0))
	checkClock(t, "resolution resolved again", again.Resolution, &want{due: oct(5, 13, 0), done: oct(6, 11, 0), met: metFalse, remaining: -3 * h})
}

func TestTicket_R4_4_LoweredTargetAlreadyUsedUpIsDueWhereTheCountReachedIt(t *testing.T) {
	// Dedicated P3 (response 3h): 2h counted Mon 08:00-10:00, paused, resumed 14:00,
	// raised to P1 (1h) at 15:00 with 3h counted: the count reached 1h at 09:00.
	v := Replay([]Event{
		created("ded", Incident, P3, oct(5, 8, 0)),
		pause(WaitCustomer, oct(5, 10, 0)),
		ev(Resumed, oct(5, 14, 0)),
		prio(P1, oct(5, 15, 0)),
	}, tierOf, cals).At(cals, oct(5, 15, 0))
	checkClock(t, "response", v.Response, &want{due: oct(5, 9, 0), met: metFalse, remaining: -2 * h})
	// The same raise while paused: breached, due where the count reached 1h.
	paused := Replay([]Event{
		created("ded", Incident, P3, oct(5, 8, 0)),
		pause(WaitCustomer, oct(5, 10, 0)),
		prio(P1, oct(5, 11, 0)),
	}, tierOf, cals).At(cals, oct(5, 12, 0))
	checkClock(t, "response paused", paused.Response, &want{due: oct(5, 9, 0), met: metFalse, remaining: -h})
}

func TestTicket_R3_5_StoppedWhilePausedIsDueFromTheStop(t *testing.T) {
	// Dedicated P2: response 2h. 1h counted, paused at 09:00; the agent answers the
	// customer at 15:00 while the ticket waits: met, and due one hour after the stop.
	v := Replay([]Event{
		created("ded", Incident, P2, oct(5, 8, 0)),
		pause(WaitCustomer, oct(5, 9, 0)),
		ev(Responded, oct(5, 15, 0)),
	}, tierOf, cals).At(cals, oct(5, 16, 0))
	checkClock(t, "response", v.Response, &want{due: oct(5, 16, 0), done: oct(5, 15, 0), met: metTrue, remaining: h})
	// Resolved while paused on Friday 16:30 with 15h left of 16h: 30 min on Friday, 9h
	// on Monday, 5h30 on Tuesday: due Tuesday 13:30.
	r := Replay([]Event{
		created("ded", Incident, P2, dt(2026, time.October, 9, 8, 0)),
		pause(WaitThirdParty, dt(2026, time.October, 9, 9, 0)),
		ev(Resolved, dt(2026, time.October, 9, 16, 30)),
	}, tierOf, cals).At(cals, dt(2026, time.October, 9, 17, 0))
	checkClock(t, "resolution", r.Resolution, &want{due: oct(13, 13, 30), done: dt(2026, time.October, 9, 16, 30), met: metTrue, remaining: 15 * h})
}

// updatesAt gives the R5.3 update clock's view, failing when there is none.
func updatesAt(t *testing.T, evs []Event, now time.Time) *UpdatesView {
	t.Helper()
	u := Replay(evs, tierOf, cals).At(cals, now).Updates
	if u == nil {
		t.Fatalf("no update clock at %s", now)
	}
	return u
}

func TestTicket_R5_3_R4_4_UpdateClockKeepsItsHistoryOverP3(t *testing.T) {
	// Dedicated P2 (an update every 9h): answered Mon 08:00, updated 09:00, so due Tue
	// 09:00; missed. Lowered to P3 at 10:00 (1h counted since the missed due), raised
	// to P1 (4h30) at 11:00: the missed update and the last update stay, the hour
	// counted stays, the P3 hour does not count: due 14:30.
	evs := []Event{
		created("ded", Incident, P2, oct(5, 8, 0)),
		ev(Responded, oct(5, 8, 0)),
		ev(Updated, oct(5, 9, 0)),
		prio(P3, oct(6, 10, 0)),
	}
	if u := Replay(evs, tierOf, cals).At(cals, oct(6, 10, 30)).Updates; u != nil {
		t.Errorf("a P3 shows an update clock: %+v; want none (R5.3)", u)
	}
	evs = append(evs, prio(P1, oct(6, 11, 0)))
	u := updatesAt(t, evs, oct(6, 12, 0))
	if u.Missed != 1 || !sameTime(u.LastAt, oct(5, 9, 0)) || !sameTime(u.NextDue, oct(6, 14, 30)) || u.PerDay != 2 {
		t.Errorf("after P2 → P3 → P1: missed %d, last %v, next %v, per day %d; want 1, Mon 09:00, Tue 14:30, 2",
			u.Missed, show(u.LastAt), show(u.NextDue), u.PerDay)
	}
	// An update given while P3 counts as the last one.
	withUpdate := append(evs[:4:4], ev(Updated, oct(6, 10, 30)), prio(P1, oct(6, 11, 0)))
	u = updatesAt(t, withUpdate, oct(6, 12, 0))
	if u.Missed != 1 || !sameTime(u.LastAt, oct(6, 10, 30)) || !sameTime(u.NextDue, oct(6, 15, 30)) {
		t.Errorf("update while P3: missed %d, last %v, next %v; want 1, Tue 10:30, Tue 15:30", u.Missed, show(u.LastAt), show(u.NextDue))
	}
}

func TestTicket_R5_3_R4_4_RaisedAfterAMissedUpdate(t *testing.T) {
	// Dedicated P2 answered Mon 08:00: the update is due 17:00 and missed. Raised to P1
	// on Tuesday 10:00: the next one is due one P1 interval after the missed one, the
	// two hours counted since kept: Tue 12:30.
	evs := []Event{
		created("ded", Incident, P2, oct(5, 8, 0)),
		ev(Responded, oct(5, 8, 0)),
		prio(P1, oct(6, 10, 0)),
	}
	u := updatesAt(t, evs, oct(6, 11, 0))
	if u.Missed != 1 || !sameTime(u.NextDue, oct(6, 12, 30)) {
		t.Errorf("missed %d, next %v; want 1, Tue 12:30", u.Missed, show(u.NextDue))
	}
	// Left alone: 12:30 missed too, the next at 17:00.
	u = updatesAt(t, evs, oct(6, 13, 0))
	if u.Missed != 2 || !sameTime(u.NextDue, oct(6, 17, 0)) {
		t.Errorf("at 13:00: missed %d, next %v; want 2, Tue 17:00", u.Missed, show(u.NextDue))
	}
}

func TestTicket_R1_1_StoredTierOutlivesTheConfiguration(t *testing.T) {
	// Stored as dedicated; the configuration now says standard, or no longer knows the
	// customer: the ticket keeps the tier it was created under, with no note.
	c := created("gone", Incident, P2, oct(5, 8, 0))
	c.Tier = Dedicated
	for name, tiers := range map[string]func(string) (Tier, bool){
		"now standard": func(string) (Tier, bool) { return Standard, true },
		"removed":      func(string) (Tier, bool) { return "", false },
	} {
		tk := Replay([]Event{c}, tiers, cals)
		if tk.Tier != Dedicated || len(tk.Notes) != 0 {
			t.Errorf("%s: tier %s, notes %q; want dedicated and none", name, tk.Tier, tk.Notes)
		}
		checkClock(t, name+" response", tk.At(cals, oct(5, 9, 0)).Response, &want{due: oct(5, 10, 0), remaining: h})
	}
}

func TestTicket_R7_EscalationsAreStepsByLevel(t *testing.T) {
	esc := func(level int, by string, at time.Time) Event {
		return Event{Ticket: "MAGDA-1", Type: Escalated, Level: level, By: by, At: at, Reason: "customer blocked"}
	}
	tk := Replay([]Event{
		created("ded", Incident, P2, oct(5, 8, 0)),
		esc(1, "slack-user", oct(5, 9, 0)),
		esc(1, "teams-user", oct(5, 9, 0)), // the same step, seen from Teams at the same moment
		esc(0, "api", oct(5, 10, 0)),       // the next step
		esc(0, "api", oct(5, 11, 0)),       // none after the last
	}, tierOf, cals)
	if tk.Escalation != 2 || len(tk.Escalations) != 2 {
		t.Fatalf("level %d with %d steps; want 2 and 2", tk.Escalation, len(tk.Escalations))
	}
	if s := tk.Escalations[0]; s.Level != 1 || !s.At.Equal(oct(5, 9, 0)) || s.Reason != "customer blocked" {
		t.Errorf("first step %+v; want level 1 at 09:00 with its reason", s)
	}
	if s := tk.Escalations[1]; s.Level != 2 || s.By != "api" || !s.At.Equal(oct(5, 10, 0)) {
		t.Errorf("second step %+v; want level 2 by api at 10:00", s)
	}
}

// TestDecodeEventRefusesWhatCannotBeCounted: instants outside the calendar's years,
// year 1 included, and keys that are not of the key syntax are refused with a reason
// naming the field, in one line.
func TestDecodeEventRefusesWhatCannotBeCounted(t *testing.T) {
	body := func(key, at string) string {
		return `{"ticket":"` + key + `","type":"responded","at":"` + at + `"}`
	}
	for name, tc := range map[string]struct{ body, want string }{
		"year 1":           {body("MAGDA-1", "0001-01-01T00:00:00Z"), `field "at": 0001-01-01T00:00:00Z is outside`},
		"year 1900":        {body("MAGDA-1", "1900-03-01T09:00:00+01:00"), `field "at": 1900-03-01`},
		"year 2200":        {body("MAGDA-1", "2200-03-01T09:00:00+01:00"), `field "at": 2200-03-01`},
		"year 9999":        {body("MAGDA-1", "9999-12-31T23:59:59Z"), `field "at": 9999-12-31`},
		"newline in a key": {body(`MAGDA-1\n`, "2026-03-02T09:00:00Z"), `ticket key "MAGDA-1\n"`},
		"bidi in a key":    {body("MAGDA-\u202e1", "2026-03-02T09:00:00Z"), `ticket key`},
		"two dashes":       {body("MAGDA-1-2", "2026-03-02T09:00:00Z"), `ticket key "MAGDA-1-2"`},
		"long field name":  {`{"` + strings.Repeat("x", 5000) + `":1}`, `unknown field "xxxxxxxx`},
	} {
		_, err := DecodeEvent([]byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.ContainsAny(err.Error(), "\n") || len(err.Error()) > 300 {
			t.Errorf("%s: %v; want one short line with %q", name, err, tc.want)
		}
	}
	e, err := DecodeEvent([]byte(body(" magda-7 ", "2026-03-02T09:00:00Z")))
	if err != nil || e.Ticket != "MAGDA-7" {
		t.Errorf("a key in lower case with spaces: %q, %v; want MAGDA-7", e.Ticket, err)
	}
}
