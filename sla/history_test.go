package sla

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPriorityChanges_R4_1 keeps the customer's estimate and every change of the
// effective priority with when, from, to, who and why; a change to the priority the
// ticket already has, or one R4.2 caps back to it, is no change.
func TestPriorityChanges_R4_1(t *testing.T) {
	start := dt(2026, 7, 6, 9, 0)
	tni := created("ded", Incident, P2, start)
	tni.Env, tni.By = TNI, "klant"
	raise := Event{Ticket: "MAGDA-1", Type: PriorityChanged, Priority: P1, At: start.Add(2 * h), By: "Henk Smets", Reason: "chain down", Motivation: "keten ligt plat"}
	same := Event{Ticket: "MAGDA-1", Type: PriorityChanged, Priority: P1, At: start.Add(3 * h), By: "agent"}
	lower := Event{Ticket: "MAGDA-1", Type: PriorityChanged, Priority: P4, At: start.Add(4 * h), By: "agent", Reason: "workaround"}
	// Given out of order: the trail follows `at`.
	tk := Replay([]Event{lower, tni, same, raise}, tierOf, cals)
	if tk.Estimate != P2 || tk.Priority != P4 {
		t.Fatalf("estimate %s, priority %s; want the customer's P2 kept and P4 effective", tk.Estimate, tk.Priority)
	}
	want := []PriorityChange{
		{At: start.Add(2 * h), From: P3, To: P1, By: "Henk Smets", Reason: "chain down"}, // P2 on TNI capped to P3 at creation (R4.2)
		{At: start.Add(4 * h), From: P1, To: P4, By: "agent", Reason: "workaround"},
	}
	if diff := cmp.Diff(want, tk.PriorityChanges); diff != "" {
		t.Errorf("priority changes (-want +got):\n%s", diff)
	}
}

// TestPriorityChanges_R4_2_CappedIsNoChange: a P1 asked for a TNI incident without a
// motivation stays P3, so the trail holds nothing.
func TestPriorityChanges_R4_2_CappedIsNoChange(t *testing.T) {
	start := dt(2026, 7, 6, 9, 0)
	c := created("ded", Incident, P3, start)
	c.Env = TNI
	tk := Replay([]Event{c, prio(P1, start.Add(h))}, tierOf, cals)
	if len(tk.PriorityChanges) != 0 || tk.Priority != P3 {
		t.Errorf("priority %s, changes %+v; want P3 and no change (R4.2)", tk.Priority, tk.PriorityChanges)
	}
}

// TestExplainClock_R5_2_ResolvedIsNoPause: the time between resolved and reopened is
// the ticket being done, not a pause; resolved while paused is the pause, then that.
func TestExplainClock_R5_2_ResolvedIsNoPause(t *testing.T) {
	mon := dt(2026, 7, 6, 9, 0)
	tk := Replay([]Event{
		created("std", Incident, P3, mon),
		ev(Resolved, mon.Add(2*h)),
		ev(Reopened, mon.Add(5*h)),
		{Ticket: "MAGDA-1", Type: Paused, Reason: WaitCustomer, At: mon.Add(6 * h)},
		ev(Resolved, mon.Add(7*h)),
		ev(Reopened, mon.Add(24*h)),
	}, tierOf, cals)
	x := ExplainClock(cals.For(Standard), tk.Resolution, mon.Add(26*h))
	var gaps []Step
	for _, s := range x.Steps {
		if s.Kind == StepPaused || s.Kind == StepResolved {
			gaps = append(gaps, Step{Kind: s.Kind, From: s.From, To: s.To})
		}
	}
	want := []Step{
		{Kind: StepResolved, From: mon.Add(2 * h), To: mon.Add(5 * h)},
		{Kind: StepPaused, From: mon.Add(6 * h), To: mon.Add(7 * h)},
		{Kind: StepResolved, From: mon.Add(7 * h), To: mon.Add(24 * h)},
	}
	checkSteps(t, gaps, want)
}
