package review

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Heading is the report's title line: "Service review Agentschap X — November 2026".
func (r Report) Heading() string {
	w := wordsFor(r.Lang)
	return fmt.Sprintf("%s %s — %s", w.title, or(r.Name, or(r.Customer, w.all)), w.periodName(r.From, r.To, r.Period))
}

// WriteText writes the report as plain text in its language, for the terminal.
func (r Report) WriteText(out io.Writer) error {
	w := wordsFor(r.Lang)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s %s (%s %s)\n", r.Heading(), w.period, r.Period, w.previous, r.Previous)
	section := func(title string) { fmt.Fprintf(&b, "\n%s\n", title) }
	tw := func(rows [][]string) {
		t := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, row := range rows {
			fmt.Fprintln(t, strings.Join(row, "\t"))
		}
		t.Flush()
	}
	section(w.created)
	rows := [][]string{{w.kind, w.priority, w.count}}
	for _, k := range r.Created {
		rows = append(rows, []string{w.kinds[k.Kind], or(k.Priority, "–"), fmt.Sprint(k.Count)})
	}
	tw(rows)
	section(w.clocks)
	rows = [][]string{{w.clock, w.kind, w.priority, w.withSL, w.met, w.breached, w.open, w.metPct, w.change, w.target, w.median, w.p90}}
	for _, l := range r.Clocks {
		rows = append(rows, []string{w.clockNames[l.Clock], w.kinds[l.Kind], or(l.Priority, "–"), fmt.Sprint(l.WithSL), fmt.Sprint(l.Met),
			fmt.Sprint(l.Breached), fmt.Sprint(l.Open), w.percent(l.MetPct), w.points(l.Change), hours(l.TargetS),
			w.optHours(l.MedianS), w.optHours(l.P90S)})
	}
	tw(rows)
	section(w.breaches)
	rows = [][]string{{w.ticket, w.clock, w.priority, w.due, w.over}}
	for _, br := range r.Breaches {
		late, due := hours(br.OverS), "–"
		if br.Clock == UpdateFreq {
			late = fmt.Sprintf("%d %s", br.Missed, w.updatesMissed)
		} else {
			due = stamp(br.Due)
		}
		rows = append(rows, []string{br.Ticket, w.clockNames[br.Clock], br.Priority, due, late})
	}
	tw(rows)
	fmt.Fprintf(&b, "%s: %d\n", w.missed, r.MissedUpdates)
	section(w.escalations)
	rows = [][]string{{w.ticket, w.level, w.by, w.at, w.reason}}
	for _, e := range r.Escalations {
		rows = append(rows, []string{e.Ticket, fmt.Sprint(e.Level), or(e.By, "–"), stamp(e.At), or(e.Reason, "–")})
	}
	tw(rows)
	section(w.paused)
	fmt.Fprintf(&b, "%s: %s (%s)\n%s: %s (%s)\n", w.customer, w.percent(r.Paused.CustomerPct), hours(r.Paused.CustomerS),
		w.thirdParty, w.percent(r.Paused.ThirdPartyPct), hours(r.Paused.ThirdPartyS))
	section(w.changes)
	rows = [][]string{{w.ticket, w.at, w.estimate, w.from, w.to, w.by, w.reason}}
	for _, c := range r.PriorityChanges {
		rows = append(rows, []string{c.Ticket, stamp(c.At), or(c.Estimate, "–"), c.From, c.To, or(c.By, "–"), or(c.Reason, "–")})
	}
	tw(rows)
	section(w.noSL)
	for _, n := range r.NoSL {
		fmt.Fprintf(&b, "%s  %s: %s\n", n.Ticket, w.kinds[n.Kind], w.noSLReason(n))
	}
	if len(r.NoSL) == 0 {
		fmt.Fprintln(&b, w.none)
	}
	if r.Availability != nil {
		section(w.availability)
		fmt.Fprintf(&b, "%s (%s %s)\n", w.percent(&r.Availability.Percent), w.target, w.percent(&r.Availability.Target))
	}
	section(w.trend)
	rows = [][]string{{w.month, "P1", "P2", "P3", "P4", w.breaches}}
	for _, m := range r.Trend {
		rows = append(rows, []string{m.Month, w.percent(m.MetPct[0]), w.percent(m.MetPct[1]), w.percent(m.MetPct[2]),
			w.percent(m.MetPct[3]), fmt.Sprint(m.Breaches)})
	}
	tw(rows)
	_, err := io.WriteString(out, b.String())
	return err
}

// WriteJSON writes the report as one indented JSON object.
func (r Report) WriteJSON(out io.Writer) error {
	e := json.NewEncoder(out)
	e.SetIndent("", "  ")
	return e.Encode(r)
}
