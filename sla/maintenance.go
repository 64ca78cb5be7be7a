package sla

import (
	"sort"
	"time"
)

// MaintenanceWindow is a reserved maintenance weekend (R8.1) or an operator's own window
// (R8.2), from Start (inclusive) to End (exclusive), in Brussels time.
type MaintenanceWindow struct {
	Start, End time.Time
	Note       string // empty for the structural third weekend
}

// ThirdWeekend gives the R8.1 window of a month: its third Saturday 00:00 to the
// following Monday 00:00.
func ThirdWeekend(year int, month time.Month) MaintenanceWindow {
	first := Date{year, month, 1}
	offset := (int(time.Saturday) - int(first.Weekday()) + 7) % 7
	sat := first.AddDays(offset + 14)
	mon := sat.AddDays(2)
	return MaintenanceWindow{Start: sat.At(0, 0), End: mon.At(0, 0)}
}

// Maintenance lists the next n maintenance windows that have not ended at now: the
// third weekends (R8.1) less the cancelled ones (matched by the Saturday's date), merged
// with the extra windows (R8.2), sorted by start.
func Maintenance(now time.Time, n int, extra []MaintenanceWindow, cancelled []Date) []MaintenanceWindow {
	if n <= 0 {
		return nil
	}
	skip := make(map[Date]bool, len(cancelled))
	for _, d := range cancelled {
		skip[d] = true
	}
	var out []MaintenanceWindow
	y, m, _ := now.In(Brussels).Date()
	// n windows need at most n+len(cancelled)+1 months to look at.
	for i := 0; len(out) < n && i <= n+len(cancelled)+1; i++ {
		w := ThirdWeekend(y, m+time.Month(i))
		if w.End.After(now) && !skip[DateOf(w.Start)] {
			out = append(out, w)
		}
	}
	for _, w := range extra {
		if w.End.After(now) {
			out = append(out, w)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}
