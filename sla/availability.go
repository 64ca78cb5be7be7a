package sla

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Component is one part of the infrastructure whose uptime R6.1 promises.
type Component string

// The four infrastructure components of R6.1.
const (
	Server     Component = "server"
	Database   Component = "database"
	Middleware Component = "middleware"
	Network    Component = "network"
	// Infrastructure is the whole: down whenever any component is down (R6.1).
	Infrastructure Component = "infrastructure"
)

// Components lists the R6.1 components in the order they are shown.
var Components = []Component{Server, Database, Middleware, Network}

// ParseComponent reads one of the four components of R6.1.
func ParseComponent(s string) (Component, error) {
	for _, c := range Components {
		if string(c) == s {
			return c, nil
		}
	}
	return "", fmt.Errorf("component %q is not server, database, middleware or network (R6.1)", s)
}

// Target is the R6.1 promise: 99.5 % of the month's time outside maintenance.
const Target = 0.995

// budgetShare is 1/(1-Target): the error budget is a 200th of the scheduled time,
// counted in whole seconds without floating point.
const budgetShare = 200

// Outage is a time a component was down, from Start to End; a zero End is an outage
// still open, which counts up to now.
type Outage struct {
	ID        int64
	Component Component
	Start     time.Time
	End       time.Time
	Note      string
	Source    string // "alertmanager" or "api"
}

// Month is a calendar month in Europe/Brussels.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf gives the Brussels month t falls in.
func MonthOf(t time.Time) Month {
	y, m, _ := t.In(Brussels).Date()
	return Month{y, m}
}

// ParseMonth reads "2026-11".
func ParseMonth(s string) (Month, error) {
	t, err := time.ParseInLocation("2006-01", s, Brussels)
	if err != nil || t.Year() < firstYear || t.Year() > lastYear {
		return Month{}, fmt.Errorf("month %q is not YYYY-MM in the years %d-%d", s, firstYear, lastYear)
	}
	return Month{t.Year(), t.Month()}, nil
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Bounds gives the month's first instant and the next month's, in Brussels time: a
// month with a DST change has 743 or 745 hours (R6.1 counts 24/7 in real time).
func (m Month) Bounds() (start, end time.Time) {
	start = time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, Brussels)
	return start, time.Date(m.Year, m.Month+1, 1, 0, 0, 0, 0, Brussels)
}

// Next gives the month after m.
func (m Month) Next() Month { return MonthOf(time.Date(m.Year, m.Month+1, 15, 0, 0, 0, 0, Brussels)) }

// MonthWindows gives the maintenance windows that overlap month m: its third weekend
// (R8.1) unless cancelled, and the extra windows (R8.2), which include the status
// page's scheduled maintenances.
func MonthWindows(m Month, extra []MaintenanceWindow, cancelled []Date) []MaintenanceWindow {
	start, end := m.Bounds()
	var out []MaintenanceWindow
	w := ThirdWeekend(m.Year, m.Month)
	if !slices.Contains(cancelled, DateOf(w.Start)) {
		out = append(out, w)
	}
	for _, w := range extra {
		if w.Start.Before(end) && w.End.After(start) {
			out = append(out, w)
		}
	}
	return out
}

// ComponentAvailability is one component's (or the whole infrastructure's) month.
type ComponentAvailability struct {
	Component Component
	// Downtime is the time down outside maintenance (R6.1, R8), up to now.
	Downtime time.Duration
	// Ratio is 1 - Downtime/Scheduled: the figure R6.1 promises at 99.5 %.
	Ratio float64
	// Budget is the 0.5 % of Scheduled that may be down; Left what remains of it,
	// negative once exceeded.
	Budget, Left time.Duration
	// Outages are those that overlap the month, by start (for Infrastructure: all).
	Outages []Outage
}

// Used gives the share of the budget used (1 = exhausted).
func (c ComponentAvailability) Used() float64 {
	if c.Budget <= 0 {
		return 0
	}
	return float64(c.Downtime) / float64(c.Budget)
}

// Availability is a month's R6.1 figure.
type Availability struct {
	Month Month
	// Total is the month's time, 24/7; Maintenance the part of it in maintenance
	// windows; Scheduled the rest, which the 99.5 % is of.
	Total, Maintenance, Scheduled time.Duration
	// Windows are the maintenance windows that overlap the month.
	Windows []MaintenanceWindow
	// AsOf is the instant the figure was counted up to (now, or the month's end).
	AsOf time.Time
	// Components holds Server, Database, Middleware and Network in that order, then
	// Infrastructure: down when any of them is down.
	Components []ComponentAvailability
}

// Of gives the figure of component c.
func (a Availability) Of(c Component) ComponentAvailability {
	for _, x := range a.Components {
		if x.Component == c {
			return x
		}
	}
	return ComponentAvailability{Component: c}
}

// span is a half-open interval in Unix seconds.
type span struct{ from, to int64 }

// MonthlyAvailability applies R6.1 with R8.1/R8.2 to month m at now: per component the
// downtime is the union of its outages, cut to the month and to now (an open outage
// counts up to now, one spanning a month boundary counts in each month), less its
// overlap with the maintenance windows; the whole infrastructure is down on the union
// of all components' downtime. Each ratio is against the month's time less its
// maintenance, with 0.5 % of that as the error budget. It sorts nothing in place.
func MonthlyAvailability(m Month, outages []Outage, windows []MaintenanceWindow, now time.Time) Availability {
	start, end := m.Bounds()
	a := Availability{Month: m, Total: end.Sub(start), AsOf: end}
	if now.Before(end) {
		a.AsOf = now
	}
	lo, hi, asOf := start.Unix(), end.Unix(), a.AsOf.Unix()
	var maint []span
	for _, w := range windows {
		if s, ok := clipSpan(w.Start.Unix(), w.End.Unix(), lo, hi); ok {
			maint = append(maint, s)
			a.Windows = append(a.Windows, w)
		}
	}
	maint = union(maint)
	a.Maintenance = seconds(total(maint))
	a.Scheduled = a.Total - a.Maintenance

	per := make(map[Component][]span, len(Components))
	lists := make(map[Component][]Outage, len(Components))
	all := make([]span, 0, len(outages))
	allOutages := make([]Outage, 0, len(outages))
	for _, o := range outages {
		to := asOf
		if !o.End.IsZero() && o.End.Unix() < to {
			to = o.End.Unix()
		}
		from := o.Start.Unix()
		if o.Start.Before(end) && (o.End.IsZero() || o.End.After(start)) && !o.Start.After(a.AsOf) {
			lists[o.Component] = append(lists[o.Component], o)
			allOutages = append(allOutages, o)
		}
		if s, ok := clipSpan(from, to, lo, hi); ok {
			per[o.Component] = append(per[o.Component], s)
			all = append(all, s)
		}
	}
	for _, c := range Components {
		a.Components = append(a.Components, a.figure(c, per[c], maint, lists[c]))
	}
	a.Components = append(a.Components, a.figure(Infrastructure, all, maint, allOutages))
	return a
}

func (a Availability) figure(c Component, down, maint []span, list []Outage) ComponentAvailability {
	slices.SortFunc(list, func(x, y Outage) int { return x.Start.Compare(y.Start) })
	down = union(down)
	d := seconds(total(down) - overlap(down, maint))
	f := ComponentAvailability{Component: c, Downtime: d, Ratio: 1, Outages: list}
	if a.Scheduled > 0 {
		f.Ratio = 1 - float64(d)/float64(a.Scheduled)
		f.Budget = seconds(int64(a.Scheduled/time.Second) / budgetShare)
	}
	f.Left = f.Budget - d
	return f
}

func seconds(n int64) time.Duration { return time.Duration(n) * time.Second }

// clipSpan cuts [from, to) to [lo, hi); false when nothing is left.
func clipSpan(from, to, lo, hi int64) (span, bool) {
	from, to = max(from, lo), min(to, hi)
	return span{from, to}, from < to
}

// union merges spans into sorted, disjoint ones; it reuses the slice.
func union(s []span) []span {
	if len(s) < 2 {
		return s
	}
	slices.SortFunc(s, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	out := s[:1]
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if x.from <= last.to {
			last.to = max(last.to, x.to)
			continue
		}
		out = append(out, x)
	}
	return out
}

func total(s []span) int64 {
	var n int64
	for _, x := range s {
		n += x.to - x.from
	}
	return n
}

// overlap is the length of the intersection of two sorted, disjoint span lists.
func overlap(a, b []span) int64 {
	var n int64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		from, to := max(a[i].from, b[j].from), min(a[i].to, b[j].to)
		if from < to {
			n += to - from
		}
		if a[i].to < b[j].to {
			i++
		} else {
			j++
		}
	}
	return n
}
