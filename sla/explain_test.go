package sla

import (
	"testing"
	"time"
)

func TestExplainDue_R3(t *testing.T) {
	x := ExplainDue(cals.For(Standard), dt(2026, 7, 17, 16, 0), 2*h) // Fri before 21 July
	want := []Step{
		{Kind: StepCounted, From: dt(2026, 7, 17, 16, 0), To: dt(2026, 7, 17, 17, 0), Worked: h},
		{Kind: StepSkipped, From: dt(2026, 7, 18, 0, 0), To: dt(2026, 7, 20, 0, 0), Day: Holiday{Kind: Weekend}},
		{Kind: StepCounted, From: dt(2026, 7, 20, 9, 0), To: dt(2026, 7, 20, 10, 0), Worked: h},
	}
	if !x.Due.Equal(dt(2026, 7, 20, 10, 0)) {
		t.Errorf("due %v; want Mon 20 Jul 10:00", x.Due)
	}
	checkSteps(t, x.Steps, want)
	// Across 21 July (a Tuesday): the holiday is a step of its own, with its name.
	x = ExplainDue(cals.For(Standard), dt(2026, 7, 20, 16, 0), 2*h)
	if len(x.Steps) != 3 || x.Steps[1].Kind != StepSkipped || x.Steps[1].Day.Kind != PublicHoliday || x.Steps[1].Day.NameNL != "Nationale Feestdag" {
		t.Errorf("steps %+v; want the national day skipped by name", x.Steps)
	}
}

func TestExplainClock_R3_4_PausesAreSteps(t *testing.T) {
	tk := Replay([]Event{
		created("std", Incident, P3, dt(2026, 3, 2, 9, 0)),
		{Ticket: "MAGDA-1", Type: Paused, Reason: WaitCustomer, At: dt(2026, 3, 2, 11, 0)},
		ev(Resumed, dt(2026, 3, 3, 15, 0)),
	}, tierOf, cals)
	x := ExplainClock(cals.For(Standard), tk.Resolution, dt(2026, 3, 3, 16, 0))
	if len(x.Steps) < 3 || x.Steps[1].Kind != StepPaused || !x.Steps[1].From.Equal(dt(2026, 3, 2, 11, 0)) || !x.Steps[1].To.Equal(dt(2026, 3, 3, 15, 0)) {
		t.Fatalf("steps %+v; want counted, paused Mon 11:00 - Tue 15:00, counted…", x.Steps)
	}
	var worked time.Duration
	for _, s := range x.Steps {
		worked += s.Worked
	}
	if worked != 160*h || !x.Due.Equal(tk.Resolution.Due) {
		t.Errorf("steps count %v up to %v; want the 160h target up to the due time %v", worked, x.Due, tk.Resolution.Due)
	}
}

func checkSteps(t *testing.T, got, want []Step) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d steps %+v; want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Kind != w.Kind || !g.From.Equal(w.From) || !g.To.Equal(w.To) || g.Worked != w.Worked || g.Day.Kind != w.Day.Kind {
			t.Errorf("step %d = %+v; want %+v", i, g, w)
		}
	}
}
