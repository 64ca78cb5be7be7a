package sla

import (
	"testing"
	"time"
)

var tiers = map[string]Tier{"ded": Dedicated, "std": Standard}

func tierOf(c string) (Tier, bool) { t, ok := tiers[c]; return t, ok }

func created(cust string, kind Kind, p Priority, at time.Time) Event {
	return Event{Ticket: "MAGDA-1", Type: Created, Customer: cust, Kind: kind, Priority: p, At: at}
}

func ev(typ EventType, at time.Time) Event { return Event{Ticket: "MAGDA-1", Type: typ, At: at} }

func prio(p Priority, at time.Time) Event {
	return Event{Ticket: "MAGDA-1", Type: PriorityChanged, Priority: p, At: at, By: "sdm"}
}

// want describes a clock at an instant; due/done zero means null in the contract.
type want struct {
	due, done time.Time
	met       *bool
	remaining time.Duration
}

func checkClock(t *testing.T, name string, got *ClockView, w *want) {
	t.Helper()
	if w == nil {
		if got != nil {
			t.Errorf("%s: got a clock; want no SL (null)", name)
		}
		return
	}
	if got == nil {
		t.Fatalf("%s: no clock; want one", name)
	}
	if !sameTime(got.Due, w.due) {
		t.Errorf("%s due = %v; want %v", name, show(got.Due), w.due)
	}
	if !sameTime(got.DoneAt, w.done) {
		t.Errorf("%s done_at = %v; want %v", name, show(got.DoneAt), w.done)
	}
	if (got.Met == nil) != (w.met == nil) || (got.Met != nil && *got.Met != *w.met) {
		t.Errorf("%s met = %v; want %v", name, showBool(got.Met), showBool(w.met))
	}
	if got.Remaining != int64(w.remaining/time.Second) {
		t.Errorf("%s remaining_s = %d; want %d", name, got.Remaining, int64(w.remaining/time.Second))
	}
}

func sameTime(p *time.Time, w time.Time) bool {
	if p == nil {
		return w.IsZero()
	}
	return p.Equal(w)
}

func show(p *time.Time) any {
	if p == nil {
		return "null"
	}
	return *p
}

func showBool(p *bool) any {
	if p == nil {
		return "null"
	}
	return *p
}

var metTrue, metFalse = &yes, &no

func TestTicket_R3_4_PauseOverNightAndWeekend(t *testing.T) {
	evs := []Event{
		created("ded", Incident, P2, dt(2026, 3, 5, 10, 0)), // Thu
		ev(Responded, dt(2026, 3, 5, 11, 30)),
		{Ticket: "MAGDA-1", Type: Paused, Reason: WaitCustomer, At: dt(2026, 3, 5, 15, 0)}, // 5h counted
		ev(Resumed, dt(2026, 3, 9, 11, 0)),                                                 // Mon
	}
	tk := Replay(evs, tierOf, cals)
	paused := Replay(evs[:3], tierOf, cals).At(cals, dt(2026, 3, 6, 12, 0))
	if paused.State != PausedState {
		t.Errorf("state = %s; want paused", paused.State)
	}
	checkClock(t, "paused resolution", paused.Resolution, &want{remaining: 11 * h})
	v := tk.At(cals, dt(2026, 3, 9, 12, 0))
	checkClock(t, "response", v.Response, &want{due: dt(2026, 3, 5, 12, 0), done: dt(2026, 3, 5, 11, 30), met: metTrue, remaining: 30 * time.Minute})
	// 11h left at Mon 11:00: 6h on Monday, 5h on Tuesday.
	checkClock(t, "resolution", v.Resolution, &want{due: dt(2026, 3, 10, 13, 0), remaining: 10 * h})
}

func TestTicket_R5_1_ResponseBreached(t *testing.T) {
	tk := Replay([]Event{
		created("std", Incident, P1, dt(2026, 3, 2, 16, 0)),
		ev(Responded, dt(2026, 3, 3, 11, 0)),
	}, tierOf, cals)
	checkClock(t, "response", tk.At(cals, dt(2026, 3, 3, 12, 0)).Response,
		&want{due: dt(2026, 3, 3, 10, 0), done: dt(2026, 3, 3, 11, 0), met: metFalse, remaining: -h})
	// Before the response, while the clock runs past its due time, met is already false.
	running := Replay([]Event{created("std", Incident, P1, dt(2026, 3, 2, 16, 0))}, tierOf, cals)
	checkClock(t, "running", running.At(cals, dt(2026, 3, 3, 10, 30)).Response,
		&want{due: dt(2026, 3, 3, 10, 0), met: metFalse, remaining: -30 * time.Minute})
	checkClock(t, "not yet due", running.At(cals, dt(2026, 3, 3, 10, 0)).Response,
		&want{due: dt(2026, 3, 3, 10, 0), remaining: 0})
}

func TestTicket_R5_1_UpdateOrResolutionIsAResponse(t *testing.T) {
	for _, typ := range []EventType{Updated, Resolved} {
		tk := Replay([]Event{created("std", Incident, P3, dt(2026, 3, 2, 9, 0)), ev(typ, dt(2026, 3, 2, 10, 0))}, tierOf, cals)
		if !tk.Response.Done() || !tk.RespondedAt.Equal(dt(2026, 3, 2, 10, 0)) {
			t.Errorf("%s did not stop the response clock", typ)
		}
	}
}

func TestTicket_R4_4_RetargetRunningClock(t *testing.T) {
	tk := Replay([]Event{
		created("ded", Incident, P3, dt(2026, 3, 2, 8, 0)),
		prio(P1, dt(2026, 3, 2, 10, 0)), // 2h counted: P1's 1h response is already passed
	}, tierOf, cals)
	v := tk.At(cals, dt(2026, 3, 2, 10, 30))
	checkClock(t, "response", v.Response, &want{due: dt(2026, 3, 2, 9, 0), met: metFalse, remaining: -90 * time.Minute})
	checkClock(t, "resolution", v.Resolution, &want{due: dt(2026, 3, 2, 13, 0), remaining: 150 * time.Minute})
	if v.Priority != "P1" || v.Estimate != "P3" {
		t.Errorf("priority %s (customer %s); want P1 (customer P3)", v.Priority, v.Estimate)
	}
}

func TestTicket_R4_4_BreachedClockKeepsResult(t *testing.T) {
	tk := Replay([]Event{
		created("std", Incident, P2, dt(2026, 3, 2, 9, 0)), // response 4h: due 13:00
		prio(P4, dt(2026, 3, 2, 15, 0)),                    // after the breach
	}, tierOf, cals)
	v := tk.At(cals, dt(2026, 3, 2, 15, 30))
	checkClock(t, "response", v.Response, &want{due: dt(2026, 3, 2, 13, 0), met: metFalse, remaining: 4*h - 390*time.Minute})
	// Resolution was not breached: P4's 240h from Mon 2 March 09:00, 30 working days
	// (Easter Monday skipped), ends exactly at 17:00 on Mon 13 April.
	checkClock(t, "resolution", v.Resolution, &want{due: dt(2026, 4, 13, 17, 0), remaining: 240*h - 390*time.Minute})
}

func TestTicket_R4_4_StoppedClockKeepsResult(t *testing.T) {
	tk := Replay([]Event{
		created("std", Incident, P4, dt(2026, 3, 2, 9, 0)), // response 8h
		ev(Responded, dt(2026, 3, 2, 14, 0)),               // 5h: met
		prio(P1, dt(2026, 3, 2, 15, 0)),                    // P1 would be 2h
	}, tierOf, cals)
	checkClock(t, "response", tk.At(cals, dt(2026, 3, 2, 16, 0)).Response,
		&want{due: dt(2026, 3, 2, 17, 0), done: dt(2026, 3, 2, 14, 0), met: metTrue, remaining: 3 * h})
}

func TestTicket_R5_2_Reopen(t *testing.T) {
	evs := []Event{
		created("ded", Incident, P1, dt(2026, 3, 2, 8, 0)), // resolution 5h
		ev(Resolved, dt(2026, 3, 2, 10, 0)),
		ev(Reopened, dt(2026, 3, 4, 8, 0)),
	}
	resolved := Replay(evs[:2], tierOf, cals).At(cals, dt(2026, 3, 3, 12, 0))
	checkClock(t, "resolved", resolved.Resolution, &want{due: dt(2026, 3, 2, 13, 0), done: dt(2026, 3, 2, 10, 0), met: metTrue, remaining: 3 * h})
	v := Replay(evs, tierOf, cals).At(cals, dt(2026, 3, 4, 9, 0))
	if v.State != Open {
		t.Errorf("state = %s; want open", v.State)
	}
	checkClock(t, "reopened", v.Resolution, &want{due: dt(2026, 3, 4, 11, 0), remaining: 2 * h})
}

func TestTicket_R5_3_MissedUpdatesOfAP1LeftAlone(t *testing.T) {
	tk := Replay([]Event{
		created("ded", Incident, P1, dt(2026, 3, 2, 8, 0)),
		ev(Responded, dt(2026, 3, 2, 8, 30)), // next update 13:00
		ev(Updated, dt(2026, 3, 2, 12, 0)),   // next update 16:30
	}, tierOf, cals)
	for _, tc := range []struct {
		now     time.Time
		missed  int
		nextDue time.Time
	}{
		{dt(2026, 3, 2, 16, 30), 0, dt(2026, 3, 2, 16, 30)}, // due now: not missed yet
		{dt(2026, 3, 2, 16, 31), 1, dt(2026, 3, 3, 12, 0)},  // 30 min Monday + 4h Tuesday
		{dt(2026, 3, 3, 10, 0), 1, dt(2026, 3, 3, 12, 0)},
		{dt(2026, 3, 4, 8, 0), 3, dt(2026, 3, 4, 12, 0)}, // Tuesday alone missed two
	} {
		u := tk.At(cals, tc.now).Updates
		if u == nil || u.Missed != tc.missed || !sameTime(u.NextDue, tc.nextDue) {
			t.Errorf("at %v: %+v; want missed %d, next %v", tc.now, u, tc.missed, tc.nextDue)
		}
	}
	if u := tk.At(cals, dt(2026, 3, 2, 13, 0)).Updates; u.Interval != 16200 || u.PerDay != 2 {
		t.Errorf("interval %d s, %d/day; want 16200 s (4h30), 2/day", u.Interval, u.PerDay)
	}
}

func TestTicket_R5_3_LateUpdateCountsMissesThenRestarts(t *testing.T) {
	tk := Replay([]Event{
		created("ded", Incident, P1, dt(2026, 3, 2, 8, 0)),
		ev(Responded, dt(2026, 3, 2, 8, 30)),
		ev(Updated, dt(2026, 3, 3, 9, 0)), // missed 13:00 Mon and 17:00 Mon
	}, tierOf, cals)
	u := tk.At(cals, dt(2026, 3, 3, 9, 0)).Updates
	if u.Missed != 2 || !sameTime(u.NextDue, dt(2026, 3, 3, 13, 30)) || !sameTime(u.LastAt, dt(2026, 3, 3, 9, 0)) {
		t.Errorf("%+v; want 2 missed, next 13:30, last 09:00", u)
	}
}

func TestTicket_R5_3_PauseStopsUpdateClock(t *testing.T) {
	evs := []Event{
		created("ded", Incident, P2, dt(2026, 3, 2, 8, 0)),
		ev(Responded, dt(2026, 3, 2, 9, 0)),                                                  // next update Tue 09:00 (9h)
		{Ticket: "MAGDA-1", Type: Paused, Reason: WaitThirdParty, At: dt(2026, 3, 2, 13, 0)}, // 4h counted
		ev(Resumed, dt(2026, 3, 4, 10, 0)),                                                   // 5h left: Wed 15:00
	}
	if u := Replay(evs[:3], tierOf, cals).At(cals, dt(2026, 3, 3, 12, 0)).Updates; u.NextDue != nil || u.Missed != 0 {
		t.Errorf("paused: %+v; want no next due, none missed", u)
	}
	if u := Replay(evs, tierOf, cals).At(cals, dt(2026, 3, 4, 11, 0)).Updates; !sameTime(u.NextDue, dt(2026, 3, 4, 15, 0)) || u.Missed != 0 {
		t.Errorf("resumed: %+v; want next Wed 15:00", u)
	}
}

func TestTicket_R5_3_PriorityChangeStartsAndStopsUpdates(t *testing.T) {
	evs := []Event{
		created("ded", Incident, P3, dt(2026, 3, 2, 8, 0)),
		ev(Responded, dt(2026, 3, 2, 9, 0)),
		prio(P1, dt(2026, 3, 2, 10, 0)),
		prio(P3, dt(2026, 3, 2, 11, 0)),
	}
	if u := Replay(evs[:2], tierOf, cals).At(cals, dt(2026, 3, 2, 9, 30)).Updates; u != nil {
		t.Errorf("P3 has updates %+v; want none (R5.3)", u)
	}
	if u := Replay(evs[:3], tierOf, cals).At(cals, dt(2026, 3, 2, 10, 30)).Updates; u == nil || !sameTime(u.NextDue, dt(2026, 3, 2, 14, 30)) {
		t.Errorf("after P1: %+v; want next update 14:30", u)
	}
	if u := Replay(evs, tierOf, cals).At(cals, dt(2026, 3, 2, 12, 0)).Updates; u != nil {
		t.Errorf("back to P3: %+v; want no update clock", u)
	}
}

func TestTicket_R4_2_TNICap(t *testing.T) {
	e := created("ded", Incident, P1, dt(2026, 3, 2, 8, 0))
	e.Env = TNI
	v := Replay([]Event{e}, tierOf, cals).At(cals, dt(2026, 3, 2, 8, 0))
	if v.Priority != "P3" || v.Estimate != "P1" || len(v.Notes) != 1 {
		t.Errorf("TNI P1 without motivation: priority %s, estimate %s, notes %v; want P3 from P1 with a note", v.Priority, v.Estimate, v.Notes)
	}
	e.Motivation = "blocks the go-live of the new e-loket tomorrow"
	if v := Replay([]Event{e}, tierOf, cals).At(cals, dt(2026, 3, 2, 8, 0)); v.Priority != "P1" || len(v.Notes) != 0 {
		t.Errorf("TNI P1 with motivation: %s %v; want P1, no note", v.Priority, v.Notes)
	}
}

func TestTicket_R3_1_OnlyPortalHasSL(t *testing.T) {
	e := created("ded", Incident, P1, dt(2026, 3, 2, 8, 0))
	e.Source = Mail
	v := Replay([]Event{e}, tierOf, cals).At(cals, dt(2026, 3, 2, 9, 0))
	if v.Response != nil || v.Resolution != nil || v.Updates != nil || len(v.Notes) != 1 {
		t.Errorf("mail ticket: %+v; want no clocks and a note", v)
	}
}

func TestTicket_R5_TargetsPerKind(t *testing.T) {
	at := dt(2026, 3, 2, 9, 0)
	for _, tc := range []struct {
		name           string
		e              Event
		resp, resolved *want
	}{
		{"standard question has no SL", created("std", Question, P1, at), nil, nil},
		// 8h Monday, 4×9h, 9h the next Monday, 3h Tuesday.
		{"dedicated question P2: 56h resolution, no response", created("ded", Question, P2, at), nil,
			&want{due: dt(2026, 3, 10, 11, 0), remaining: 56 * h}},
		// 45 working days of 8h from Mon 2 March: 22 in March, then April less Easter
		// Monday (21), then 1 May is skipped and Mon 4, Tue 5 May complete it.
		{"standard connection 360h", created("std", Connection, NoPriority, at), nil,
			&want{due: dt(2026, 5, 5, 17, 0), remaining: 360 * h}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Replay([]Event{tc.e}, tierOf, cals).At(cals, at)
			checkClock(t, "response", v.Response, tc.resp)
			checkClock(t, "resolution", v.Resolution, tc.resolved)
		})
	}
}

func TestTicket_OutOfOrderAndBeforeCreated(t *testing.T) {
	evs := []Event{
		created("ded", Incident, P2, dt(2026, 3, 2, 8, 0)),
		ev(Responded, dt(2026, 3, 2, 9, 0)),
		{Ticket: "MAGDA-1", Type: Paused, Reason: WaitCustomer, At: dt(2026, 3, 2, 10, 0)},
		ev(Resumed, dt(2026, 3, 3, 10, 0)),
		ev(Updated, dt(2026, 3, 3, 12, 0)),
	}
	rev := []Event{evs[4], evs[3], evs[1], evs[2], evs[0]}
	a, b := Replay(evs, tierOf, cals), Replay(rev, tierOf, cals)
	if av, bv := a.At(cals, dt(2026, 3, 4, 9, 0)), b.At(cals, dt(2026, 3, 4, 9, 0)); !sameView(av, bv) {
		t.Errorf("out of order: %+v; in order: %+v", bv, av)
	}
	if tk := Replay(evs[1:], tierOf, cals); tk.Known {
		t.Error("a ticket without a created event is known")
	}
	// A responded dated before created (clock skew) applies at creation.
	early := Replay([]Event{evs[0], ev(Responded, dt(2026, 3, 2, 7, 0))}, tierOf, cals)
	if !early.RespondedAt.Equal(dt(2026, 3, 2, 8, 0)) {
		t.Errorf("early response at %v; want at creation", early.RespondedAt)
	}
}

func sameView(a, b View) bool {
	eq := func(x, y *ClockView) bool {
		if x == nil || y == nil {
			return x == y
		}
		return sameTime(x.Due, derefOr(y.Due)) && sameTime(x.DoneAt, derefOr(y.DoneAt)) && x.Remaining == y.Remaining
	}
	return a.State == b.State && eq(a.Response, b.Response) && eq(a.Resolution, b.Resolution)
}

func derefOr(p *time.Time) time.Time {
	if p == nil {
		return time.Time{}
	}
	return *p
}

func TestTicket_R7_EscalationLevelStopsAtTwo(t *testing.T) {
	evs := []Event{created("std", Incident, P1, dt(2026, 3, 2, 9, 0))}
	for i := 0; i < 3; i++ {
		evs = append(evs, ev(Escalated, dt(2026, 3, 2, 10+i, 0)))
	}
	if got := Replay(evs, tierOf, cals).Escalation; got != MaxEscalation {
		t.Errorf("escalation level %d; want %d", got, MaxEscalation)
	}
}

func TestSuggest_R4_3(t *testing.T) {
	for _, tc := range []struct {
		name     string
		a        Assessment
		env      Env
		motiv    string
		want     Priority
		decisive []Dimension
		capped   bool
	}{
		{"most severe dimension wins", Assessment{P3, P2, P4}, Prod, "", P2, []Dimension{Users}, false},
		{"ties name every decisive dimension", Assessment{P1, P3, P1}, Prod, "", P1, []Dimension{Scope, Security}, false},
		{"nothing assessed is P4", Assessment{}, Prod, "", P4, nil, false},
		{"R4.2 TNI caps at P3", Assessment{P1, P4, P4}, TNI, "", P3, []Dimension{Scope}, true},
		{"R4.2 TNI with motivation keeps P1", Assessment{P1, P4, P4}, TNI, "payroll run tonight", P1, []Dimension{Scope}, false},
		{"R4.2 blank motivation is none", Assessment{P2, 0, 0}, TNI, "  ", P3, []Dimension{Scope}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, d, c := Suggest(tc.a, tc.env, tc.motiv)
			if p != tc.want || c != tc.capped || len(d) != len(tc.decisive) {
				t.Fatalf("Suggest = %v %v %v; want %v %v %v", p, d, c, tc.want, tc.decisive, tc.capped)
			}
			for i := range d {
				if d[i] != tc.decisive[i] {
					t.Errorf("decisive %v; want %v", d, tc.decisive)
				}
			}
		})
	}
}

func TestTicket_R3_4_ReopenedStraightIntoAPause(t *testing.T) {
	at := dt(2026, 3, 3, 10, 0)
	tk := Replay([]Event{
		created("std", Incident, P3, dt(2026, 3, 2, 9, 0)),
		ev(Resolved, dt(2026, 3, 2, 12, 0)),
		{Ticket: "MAGDA-1", Type: Paused, Reason: WaitCustomer, At: at},
		ev(Reopened, at),
		{Ticket: "MAGDA-1", Type: Paused, Reason: WaitThirdParty, At: at.Add(time.Hour)},
	}, tierOf, cals)
	if tk.State != PausedState || tk.PauseReason != WaitThirdParty || !tk.PausedAt.Equal(at) {
		t.Errorf("state %s (%s since %v); want paused for a third party since %v", tk.State, tk.PauseReason, tk.PausedAt, at)
	}
}
