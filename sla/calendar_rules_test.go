package sla

import (
	"testing"
	"time"
)

// cals is built once: a calendar covers a century and takes tens of milliseconds.
var cals = NewCalendars([]Closure{{Date: Date{2026, time.May, 15}, Name: "Brugdag"}})

var noClosures = NewCalendars(nil)

// dt is a Brussels wall-clock instant, as rickar/cal's tests write them.
func dt(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, Brussels)
}

func TestDue_R3(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tier   Tier
		start  time.Time
		target time.Duration
		want   time.Time
	}{
		{"R3.2 inside the window", Standard, dt(2026, 3, 2, 10, 0), 2 * h, dt(2026, 3, 2, 12, 0)},
		{"R3.5 target ending exactly at 17:00 is due at 17:00", Standard, dt(2026, 3, 2, 15, 0), 2 * h, dt(2026, 3, 2, 17, 0)},
		{"R3.5 ending at 17:00 after several days", Standard, dt(2026, 3, 2, 9, 0), 24 * h, dt(2026, 3, 4, 17, 0)},
		{"R3.2 reported before the window counts from opening", Standard, dt(2026, 3, 2, 7, 0), 1 * h, dt(2026, 3, 2, 10, 0)},
		{"R3.2 dedicated opens at 08:00", Dedicated, dt(2026, 3, 2, 7, 0), 1 * h, dt(2026, 3, 2, 9, 0)},
		{"R3.2 reported after the window counts from next opening", Standard, dt(2026, 3, 2, 18, 0), 1 * h, dt(2026, 3, 3, 10, 0)},
		{"R3.2 reported exactly at closing", Standard, dt(2026, 3, 2, 17, 0), 1 * h, dt(2026, 3, 3, 10, 0)},
		{"R3.2 weekend skipped", Standard, dt(2026, 3, 6, 16, 0), 2 * h, dt(2026, 3, 9, 10, 0)},
		{"R3.2 reported on a Saturday", Standard, dt(2026, 3, 7, 10, 0), 1 * h, dt(2026, 3, 9, 10, 0)},
		{"R3.2 contract example dedicated P2 response", Dedicated, dt(2026, 7, 10, 16, 30), 2 * h, dt(2026, 7, 13, 9, 30)},
		{"R3.2 contract example dedicated P2 resolution", Dedicated, dt(2026, 7, 10, 16, 30), 16 * h, dt(2026, 7, 14, 14, 30)},
		{"R3.2 13 days and 3 hours of dedicated window", Dedicated, dt(2026, 3, 2, 8, 0), 120 * h, dt(2026, 3, 19, 11, 0)},
		{"R3.3 Easter Monday", Standard, dt(2026, 4, 3, 16, 0), 2 * h, dt(2026, 4, 7, 10, 0)},
		{"R3.3 1 May on a Friday", Standard, dt(2026, 4, 30, 16, 0), 2 * h, dt(2026, 5, 4, 10, 0)},
		{"R3.3 Ascension then a closure day", Standard, dt(2026, 5, 13, 16, 0), 2 * h, dt(2026, 5, 18, 10, 0)},
		{"R3.3 Whit Monday", Standard, dt(2026, 5, 22, 16, 0), 2 * h, dt(2026, 5, 26, 10, 0)},
		{"R3.3 21 July national day", Standard, dt(2026, 7, 20, 16, 0), 2 * h, dt(2026, 7, 22, 10, 0)},
		{"R3.3 11 July Flemish day on a Friday", Standard, dt(2025, 7, 10, 16, 0), 2 * h, dt(2025, 7, 14, 10, 0)},
		{"R3.3 11 July on a Saturday gives no replacement", Standard, dt(2026, 7, 10, 16, 0), 2 * h, dt(2026, 7, 13, 10, 0)},
		{"R3.3 15 August", Standard, dt(2025, 8, 14, 16, 0), 2 * h, dt(2025, 8, 18, 10, 0)},
		{"R3.3 1 and 2 November", Standard, dt(2027, 10, 29, 16, 0), 2 * h, dt(2027, 11, 3, 10, 0)},
		{"R3.3 11 November", Standard, dt(2026, 11, 10, 16, 0), 2 * h, dt(2026, 11, 12, 10, 0)},
		{"R3.3 15 November", Standard, dt(2027, 11, 12, 16, 0), 2 * h, dt(2027, 11, 16, 10, 0)},
		{"R3.3 25/12-01/01 period", Dedicated, dt(2026, 12, 24, 16, 30), 3 * h, dt(2027, 1, 4, 10, 30)},
		{"R3.3 2 January is a working day", Standard, dt(2025, 12, 24, 16, 0), 2 * h, dt(2026, 1, 2, 10, 0)},
		{"R3.3 reported during the Christmas period", Dedicated, dt(2026, 12, 28, 10, 0), 1 * h, dt(2027, 1, 4, 9, 0)},
		{"R3.2 DST spring forward weekend", Standard, dt(2026, 3, 27, 16, 0), 2 * h, dt(2026, 3, 30, 10, 0)},
		{"R3.2 DST autumn back weekend", Standard, dt(2026, 10, 23, 16, 0), 2 * h, dt(2026, 10, 26, 10, 0)},
		{"R3.5 zero target is due at once", Standard, dt(2026, 3, 7, 10, 0), 0, dt(2026, 3, 7, 10, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cals.For(tc.tier).Due(tc.start, tc.target)
			if !got.Equal(tc.want) {
				t.Errorf("Due(%v, %v) = %v; want %v", tc.start, tc.target, got, tc.want)
			}
			if tc.target > 0 {
				if w := cals.For(tc.tier).Worked(tc.start, got); w != tc.target {
					t.Errorf("Worked(start, due) = %v; want the target %v", w, tc.target)
				}
			}
		})
	}
}

func TestDue_R3_3_ClosureOnlyWhenConfigured(t *testing.T) {
	got := noClosures.For(Standard).Due(dt(2026, 5, 13, 16, 0), 2*h)
	if want := dt(2026, 5, 15, 10, 0); !got.Equal(want) {
		t.Errorf("without closures: %v; want %v", got, want)
	}
}

func TestWorked_R3_2(t *testing.T) {
	std := cals.For(Standard)
	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"a night counts nothing", dt(2026, 3, 2, 17, 0), dt(2026, 3, 3, 9, 0), 0},
		{"over a weekend", dt(2026, 3, 6, 16, 0), dt(2026, 3, 9, 10, 0), 2 * h},
		{"across DST, 47 wall hours, no business time", dt(2026, 3, 28, 0, 0), dt(2026, 3, 30, 0, 0), 0},
		{"across DST into Monday", dt(2026, 3, 27, 16, 0), dt(2026, 3, 30, 10, 0), 2 * h},
		{"a whole week", dt(2026, 3, 2, 0, 0), dt(2026, 3, 9, 0, 0), 40 * h},
		{"backwards is zero", dt(2026, 3, 3, 12, 0), dt(2026, 3, 2, 12, 0), 0},
		{"Christmas period counts nothing", dt(2026, 12, 24, 17, 0), dt(2027, 1, 4, 9, 0), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := std.Worked(tc.from, tc.to); got != tc.want {
				t.Errorf("Worked = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestHolidaysIn_R3_3(t *testing.T) {
	got := map[Date]DayKind{}
	for _, hd := range HolidaysIn(2026, []Closure{{Date: Date{2026, 5, 15}}}) {
		got[hd.Date] = hd.Kind
	}
	want := map[Date]DayKind{
		{2026, 1, 1}: PublicHoliday, {2026, 4, 6}: PublicHoliday, {2026, 5, 1}: PublicHoliday,
		{2026, 5, 14}: PublicHoliday, {2026, 5, 25}: PublicHoliday, {2026, 7, 21}: PublicHoliday,
		{2026, 8, 15}: PublicHoliday, {2026, 11, 1}: PublicHoliday, {2026, 11, 11}: PublicHoliday,
		{2026, 12, 25}: PublicHoliday,
		{2026, 7, 11}:  FlemishHoliday, {2026, 11, 2}: FlemishHoliday, {2026, 11, 15}: FlemishHoliday,
		{2026, 12, 26}: FlemishHoliday, {2026, 12, 27}: FlemishHoliday, {2026, 12, 28}: FlemishHoliday,
		{2026, 12, 29}: FlemishHoliday, {2026, 12, 30}: FlemishHoliday, {2026, 12, 31}: FlemishHoliday,
		{2026, 5, 15}: ClosureDay,
	}
	if len(got) != len(want) {
		t.Errorf("got %d days; want %d: %v", len(got), len(want), got)
	}
	for d, k := range want {
		if got[d] != k {
			t.Errorf("%v: kind %v; want %v", d, got[d], k)
		}
	}
}

func TestMaintenance_R8_1(t *testing.T) {
	for _, tc := range []struct {
		y     int
		m     time.Month
		start Date
	}{
		{2026, time.January, Date{2026, 1, 17}},   // the 1st is a Thursday
		{2026, time.August, Date{2026, 8, 15}},    // the 1st is a Saturday
		{2026, time.February, Date{2026, 2, 21}},  // the 1st is a Sunday
		{2026, time.November, Date{2026, 11, 21}}, // the 1st is a Sunday, DST over
	} {
		w := ThirdWeekend(tc.y, tc.m)
		if !w.Start.Equal(tc.start.At(0, 0)) || !w.End.Equal(tc.start.AddDays(2).At(0, 0)) {
			t.Errorf("ThirdWeekend(%d, %v) = %v - %v; want %v 00:00 to the Monday", tc.y, tc.m, w.Start, w.End, tc.start)
		}
	}
}

func TestMaintenance_R8_2(t *testing.T) {
	now := dt(2026, 1, 18, 12, 0) // during January's window
	extra := MaintenanceWindow{Start: dt(2026, 3, 3, 20, 0), End: dt(2026, 3, 3, 23, 0), Note: "urgent"}
	got := Maintenance(now, 3, []MaintenanceWindow{extra}, []Date{{2026, 2, 21}})
	want := []time.Time{dt(2026, 1, 17, 0, 0), extra.Start, dt(2026, 3, 21, 0, 0)}
	if len(got) != len(want) {
		t.Fatalf("got %d windows; want %d", len(got), len(want))
	}
	for i := range want {
		if !got[i].Start.Equal(want[i]) {
			t.Errorf("window %d starts %v; want %v", i, got[i].Start, want[i])
		}
	}
}
