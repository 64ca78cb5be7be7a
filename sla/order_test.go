package sla

import (
	"slices"
	"testing"
	"time"
)

// TestCompareKeys: keys in the order people read them, which the store's indexes
// reproduce (project with its hyphen, length, key).
func TestCompareKeys(t *testing.T) {
	want := []string{"A-1", "A-2", "A-10", "AB-1", "MAGDA-9", "MAGDA-10", "MAGDA-99", "MAGDA-100", "MAGDA_2-1", "OPS-3"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, CompareKeys)
	if !slices.Equal(got, want) {
		t.Errorf("sorted %v, want %v", got, want)
	}
}

// TestNextDue: the soonest due time of a running clock (R5.1-R5.3), as the store keeps
// next_due: a paused clock that breached is due at no instant, and an update clock
// keeps the due time it passed.
func TestNextDue(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 7, 6, h, 0, 0, 0, Brussels) }
	running := func(due time.Time) *Clock { return &Clock{Target: time.Hour, Since: at(8), Due: due} }
	tests := []struct {
		name string
		t    Ticket
		want time.Time
	}{
		{"none runs", Ticket{}, time.Time{}},
		{"response first", Ticket{Response: running(at(10)), Resolution: running(at(16))}, at(10)},
		{"a done response", Ticket{Response: &Clock{Due: at(9), DoneAt: at(9), Breached: true}, Resolution: running(at(16))}, at(16)},
		{"paused and breached", Ticket{Resolution: &Clock{Target: time.Hour, Due: at(9), Breached: true}}, time.Time{}},
		{"an update missed", Ticket{Resolution: running(at(16)), Updates: &Updates{Since: at(8), Due: at(9)}}, at(9)},
	}
	for _, tt := range tests {
		if got := tt.t.NextDue(); !got.Equal(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	// Ties at the second go by key; a ticket without a running clock comes last.
	a := Ticket{Key: "MAGDA-10", Response: running(at(10).Add(300 * time.Millisecond))}
	b := Ticket{Key: "MAGDA-9", Response: running(at(10))}
	c := Ticket{Key: "MAGDA-1"}
	ts := []Ticket{c, a, b}
	slices.SortFunc(ts, CompareNextDue)
	if ts[0].Key != "MAGDA-9" || ts[1].Key != "MAGDA-10" || ts[2].Key != "MAGDA-1" {
		t.Errorf("order %s %s %s, want MAGDA-9 MAGDA-10 MAGDA-1", ts[0].Key, ts[1].Key, ts[2].Key)
	}
}
