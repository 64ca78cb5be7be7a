package review

import (
	"cmp"
	"slices"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// clockOrder is the order clocks are listed in.
var clockOrder = map[string]int{Response: 0, Resolution: 1, UpdateFreq: 2}

// Results of a clock at an instant.
const (
	Met      = "met"
	Breached = "breached"
	Open     = "open"
)

// Build counts the report of o.Period from the tickets (each as stored, with its
// events for the tickets of the period and the one before; see the storage read).
//
// Which clocks belong to a period: a response or resolution clock (R5.1, R5.2) belongs
// to the period it was decided in, met when it stopped in time, breached at the
// instant its count reached the target (R3.5: that instant is final, R4.4), and to
// every period at whose end it was still undecided (counted as open, not in met %). An
// update clock (R5.3) belongs to each period it ran in: breached there when an update
// was missed in it, else met. Each ticket is seen as of the period's end (its events
// before then replayed), or as of now for a period not yet over.
func Build(o Options, in []Input) Report {
	p := o.Period
	r := Report{
		Customer: o.Customer, Name: o.Name, Period: p.Key(), From: p.From, To: p.To,
		Previous: p.Previous().Key(), Generated: o.Now, Lang: o.Lang,
	}
	cur := count(o, p, in)
	prev := count(o, p.Previous(), in)
	r.Created, r.Breaches, r.Escalations, r.MissedUpdates = cur.created, cur.breaches, cur.escalations, cur.missed
	r.Paused, r.PriorityChanges, r.NoSL, r.Tickets = cur.paused, cur.changes, cur.noSL, cur.rows
	r.Clocks = cur.lines()
	prevLines := map[[3]string]ClockLine{}
	for _, l := range prev.lines() {
		prevLines[[3]string{l.Clock, string(l.Kind), l.Priority}] = l
	}
	for i, l := range r.Clocks {
		if pl, ok := prevLines[[3]string{l.Clock, string(l.Kind), l.Priority}]; ok && pl.MetPct != nil {
			r.Clocks[i].PrevMetPct = pl.MetPct
			if l.MetPct != nil {
				d := *l.MetPct - *pl.MetPct
				r.Clocks[i].Change = &d
			}
		}
	}
	r.Trend = Trend(o, in)
	if o.Availability != nil {
		if a, ok := o.Availability.Availability(o.Customer, p); ok {
			r.Availability = &a
		}
	}
	return r
}

// tally is the counting of one period.
type tally struct {
	o           Options
	byLine      map[[3]string]*lineTally
	created     []KindCount
	breaches    []Breach
	escalations []Escalation
	missed      int
	paused      Paused
	changes     []PriorityChange
	noSL        []NoSL
	rows        []Row
}

type lineTally struct {
	ClockLine
	stopped []time.Duration
}

func (t *tally) line(clock string, kind sla.Kind, p sla.Priority, target time.Duration) *lineTally {
	k := [3]string{clock, string(kind), p.String()}
	l := t.byLine[k]
	if l == nil {
		l = &lineTally{ClockLine: ClockLine{Clock: clock, Kind: kind, Priority: p.String(), TargetS: secs(target)}}
		t.byLine[k] = l
	}
	return l
}

// end is the instant a period is seen at: its end, or now while it runs.
func end(p Period, now time.Time) time.Time {
	if now.Before(p.To) {
		return now
	}
	return p.To
}

func count(o Options, p Period, in []Input) *tally {
	t := &tally{o: o, byLine: map[[3]string]*lineTally{}}
	at := end(p, o.Now)
	kinds := map[KindCount]int{}
	for _, it := range in {
		st := it.Ticket
		if !st.Known || !st.Created.Before(at) || (st.State == sla.ResolvedState && st.ResolvedAt.Before(p.From)) {
			continue
		}
		evs := sortedEvents(it.Events, st.Created)
		tk := sla.Replay(before(evs, at), o.TierOf, o.Cals)
		if !tk.Known {
			continue
		}
		cal := o.Cals.For(tk.Tier)
		if p.Contains(tk.Created) {
			kinds[KindCount{Kind: tk.Kind, Priority: tk.Priority.String()}]++
			if tk.Response == nil && tk.Resolution == nil && tk.Updates == nil {
				reason := "no_target"
				if tk.Source != sla.Portal {
					reason = "source"
				}
				t.noSL = append(t.noSL, NoSL{Ticket: tk.Key, Kind: tk.Kind, Source: tk.Source, Reason: reason})
			}
		}
		row := Row{
			Ticket: tk.Key, Customer: tk.Customer, Tier: tk.Tier, Kind: tk.Kind, Priority: tk.Priority.String(),
			Estimate: tk.Estimate.String(), Source: tk.Source, Env: tk.Env, State: tk.State, Created: tk.Created,
			Resolved: instant(tk.ResolvedAt), Escalation: tk.Escalation,
		}
		row.Response = t.clock(Response, tk, tk.Response, cal, p, at)
		row.Resolution = t.clock(Resolution, tk, tk.Resolution, cal, p, at)
		row.UpdatesMissed = t.updates(tk, evs, cal, p, at)
		ps := pauses(evs, cal, p.From, at)
		row.PausedCustomer, row.PausedThird = secs(ps.customer), secs(ps.third)
		t.paused.OpenS += secs(ps.open)
		t.paused.CustomerS += secs(ps.customer)
		t.paused.ThirdPartyS += secs(ps.third)
		t.paused.OtherS += secs(ps.other)
		for _, s := range tk.Escalations {
			if p.Contains(s.At) {
				t.escalations = append(t.escalations, Escalation{Ticket: tk.Key, Level: s.Level, By: s.By, At: s.At, Reason: s.Reason})
			}
		}
		t.changes = append(t.changes, priorityChanges(o, evs, p, at)...)
		t.rows = append(t.rows, row)
	}
	for k, n := range kinds {
		k.Count = n
		t.created = append(t.created, k)
	}
	slices.SortFunc(t.created, func(a, b KindCount) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Priority, b.Priority))
	})
	t.paused.CustomerPct = pct(t.paused.CustomerS, t.paused.OpenS)
	t.paused.ThirdPartyPct = pct(t.paused.ThirdPartyS, t.paused.OpenS)
	order := clockOrder
	slices.SortFunc(t.breaches, func(a, b Breach) int {
		// update breaches have no single due instant and come last (R5.3)
		return cmp.Or(cmp.Compare(order[a.Clock]/2, order[b.Clock]/2), a.Due.Compare(b.Due),
			cmp.Compare(a.Ticket, b.Ticket), cmp.Compare(a.Clock, b.Clock))
	})
	slices.SortFunc(t.escalations, func(a, b Escalation) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Ticket, b.Ticket)) })
	slices.SortFunc(t.changes, func(a, b PriorityChange) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Ticket, b.Ticket)) })
	slices.SortFunc(t.noSL, func(a, b NoSL) int { return cmp.Compare(a.Ticket, b.Ticket) })
	slices.SortFunc(t.rows, func(a, b Row) int { return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.Ticket, b.Ticket)) })
	return t
}

// clock counts a response or resolution clock into its line (see Build) and gives its
// row cell.
func (t *tally) clock(name string, tk sla.Ticket, c *sla.Clock, cal *sla.Calendar, p Period, at time.Time) *RowClock {
	if c == nil {
		return nil
	}
	res, when, counted := Judge(c, cal, at)
	cell := &RowClock{TargetS: secs(c.Target), CountedS: secs(counted), Due: instant(c.Due), DoneAt: instant(c.DoneAt)}
	if res != Open && when.Before(p.From) {
		return cell // decided before the period: not one of its clocks
	}
	cell.Result = res
	l := t.line(name, tk.Kind, tk.Priority, c.Target)
	l.WithSL++
	switch res {
	case Met:
		l.Met++
	case Breached:
		l.Breached++
		t.breaches = append(t.breaches, Breach{Ticket: tk.Key, Clock: name, Priority: tk.Priority.String(), Due: c.Due, OverS: secs(counted - c.Target)})
	default:
		l.Open++
	}
	if c.Done() && p.Contains(c.DoneAt) {
		l.stopped = append(l.stopped, counted)
	}
	return cell
}

// updates counts the R5.3 update clock over the period: the updates missed between its
// start and `at`.
func (t *tally) updates(tk sla.Ticket, evs []sla.Event, cal *sla.Calendar, p Period, at time.Time) int {
	u := tk.Updates
	if u == nil || !u.Started {
		return 0
	}
	missed := missedAt(u, cal, at)
	if tk.Created.Before(p.From) {
		missed -= missedAt(sla.Replay(before(evs, p.From), t.o.TierOf, t.o.Cals).Updates, cal, p.From)
	}
	if u.Off && missed == 0 {
		return 0 // at P3/P4 now (R5.3): no update SL in the period's view
	}
	l := t.line(UpdateFreq, tk.Kind, tk.Priority, u.Interval)
	l.WithSL++
	if missed == 0 {
		l.Met++
		return 0
	}
	l.Breached++
	t.missed += missed
	t.breaches = append(t.breaches, Breach{Ticket: tk.Key, Clock: UpdateFreq, Priority: tk.Priority.String(), Missed: missed})
	return missed
}

func missedAt(u *sla.Updates, cal *sla.Calendar, at time.Time) int {
	switch {
	case u == nil:
		return 0
	case u.Off:
		return u.Missed
	}
	return u.At(cal, at).Missed
}

// Judge says where a clock stands at `at`: met when it stopped by its due, breached at
// its due once its count reached the target (R3.5, final by R4.4), else open; counted is
// the business time it counted up to `at`.
func Judge(c *sla.Clock, cal *sla.Calendar, at time.Time) (result string, when time.Time, counted time.Duration) {
	counted = c.Counted
	if c.Running() {
		counted += cal.Worked(c.Since, at)
	}
	switch {
	case c.Done() && !c.Breached && !c.DoneAt.After(c.Due):
		return Met, c.DoneAt, counted
	case c.Done() || c.Breached || (c.Running() && at.After(c.Due)):
		return Breached, c.Due, counted
	}
	return Open, time.Time{}, counted
}

// lines gives the period's clock lines in a fixed order: clock, then priority.
func (t *tally) lines() []ClockLine {
	order := clockOrder
	var out []ClockLine
	for _, l := range t.byLine {
		cl := l.ClockLine
		cl.MetPct = pct(int64(cl.Met), int64(cl.Met+cl.Breached))
		cl.MedianS, cl.P90S = quantile(l.stopped, 0.5), quantile(l.stopped, 0.9)
		out = append(out, cl)
	}
	slices.SortFunc(out, func(a, b ClockLine) int {
		return cmp.Or(cmp.Compare(order[a.Clock], order[b.Clock]), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Priority, b.Priority))
	})
	return out
}

// quantile is the nearest-rank q-quantile (the median of an even count is the lower of
// the two middle values), nil for none.
func quantile(ds []time.Duration, q float64) *int64 {
	if len(ds) == 0 {
		return nil
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.999999) - 1
	i = max(0, min(i, len(s)-1))
	v := secs(s[i])
	return &v
}

func pct(n, of int64) *float64 {
	if of == 0 {
		return nil
	}
	v := 100 * float64(n) / float64(of)
	return &v
}

func secs(d time.Duration) int64 { return int64(d / time.Second) }

func instant(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	b := t.In(sla.Brussels)
	return &b
}
