package review

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed page.html.tmpl
var pageSource string

var page = template.Must(template.New("page").Parse(pageSource))

// htmlTable is one section of the report, on the page and in the text: its first
// column holds row headers.
type htmlTable struct {
	Caption string
	Head    []string
	Rows    [][]string
}

// WriteHTML writes the report as one self-contained page in its language: styles and
// the SVG chart inline, no script and no external request, real headings and tables,
// the chart with a text alternative, and a print style for "print to PDF". links, when
// given, are the downloads offered at the top (label → URL).
func (r Report) WriteHTML(out io.Writer, links [][2]string) error {
	w := wordsFor(r.Lang)
	var svg bytes.Buffer
	if err := r.WriteChart(&svg, SVG); err != nil {
		return err
	}
	chart := svg.String()
	if i := strings.Index(chart, "<svg"); i >= 0 {
		chart = chart[i:] // drop the XML prolog: the SVG is inline
	}
	chart = strings.Replace(chart, "<svg", `<svg role="img" aria-labelledby="chart-alt" viewBox="0 0 `+
		fmt.Sprintf("%.0f %.0f", chartW.Points(), chartH.Points())+`"`, 1)
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		return err
	}
	data := map[string]any{
		"Lang": r.Lang, "Title": r.Heading(), "W": map[string]string{"Trend": w.trend}, "Links": links,
		"Period": fmt.Sprintf("%s %s (%s %s) · %s %s", w.period, r.Period, w.previous, r.Previous, w.generated, stamp(r.Generated)),
		"Chart":  template.HTML(chart), "Alt": r.ChartAlt(), "Tables": r.tables(w),
	}
	return page.Execute(out, data)
}

// tables are the report's sections as tables, the same facts as the text.
func (r Report) tables(w words) []htmlTable {
	var ts []htmlTable
	t := htmlTable{Caption: w.created, Head: []string{w.kind, w.priority, w.count}}
	for _, k := range r.Created {
		t.Rows = append(t.Rows, []string{w.kinds[k.Kind], or(k.Priority, "–"), fmt.Sprint(k.Count)})
	}
	ts = append(ts, t)
	t = htmlTable{Caption: w.clocks, Head: []string{w.clock, w.kind, w.priority, w.withSL, w.met, w.breached, w.open, w.metPct, w.change, w.target, w.median, w.p90}}
	for _, l := range r.Clocks {
		t.Rows = append(t.Rows, []string{w.clockNames[l.Clock], w.kinds[l.Kind], or(l.Priority, "–"), fmt.Sprint(l.WithSL), fmt.Sprint(l.Met),
			fmt.Sprint(l.Breached), fmt.Sprint(l.Open), w.percent(l.MetPct), w.points(l.Change), hours(l.TargetS), w.optHours(l.MedianS), w.optHours(l.P90S)})
	}
	ts = append(ts, t)
	t = htmlTable{Caption: fmt.Sprintf("%s (%s: %d)", w.breaches, strings.ToLower(w.missed), r.MissedUpdates), Head: []string{w.ticket, w.clock, w.priority, w.due, w.over}}
	for _, b := range r.Breaches {
		late, due := hours(b.OverS), "–"
		if b.Clock == UpdateFreq {
			late = fmt.Sprintf("%d %s", b.Missed, w.updatesMissed)
		} else {
			due = stamp(b.Due)
		}
		t.Rows = append(t.Rows, []string{b.Ticket, w.clockNames[b.Clock], b.Priority, due, late})
	}
	ts = append(ts, t)
	t = htmlTable{Caption: w.escalations, Head: []string{w.ticket, w.level, w.by, w.at, w.reason}}
	for _, e := range r.Escalations {
		t.Rows = append(t.Rows, []string{e.Ticket, fmt.Sprint(e.Level), or(e.By, "–"), stamp(e.At), or(e.Reason, "–")})
	}
	ts = append(ts, t)
	ts = append(ts, htmlTable{Caption: w.paused, Head: []string{"", "%", "h"}, Rows: [][]string{
		{w.customer, w.percent(r.Paused.CustomerPct), hours(r.Paused.CustomerS)},
		{w.thirdParty, w.percent(r.Paused.ThirdPartyPct), hours(r.Paused.ThirdPartyS)}}})
	t = htmlTable{Caption: w.changes, Head: []string{w.ticket, w.at, w.estimate, w.from, w.to, w.by, w.reason}}
	for _, c := range r.PriorityChanges {
		t.Rows = append(t.Rows, []string{c.Ticket, stamp(c.At), or(c.Estimate, "–"), c.From, c.To, or(c.By, "–"), or(c.Reason, "–")})
	}
	ts = append(ts, t)
	t = htmlTable{Caption: w.noSL, Head: []string{w.ticket, w.kind, w.reason}}
	for _, n := range r.NoSL {
		t.Rows = append(t.Rows, []string{n.Ticket, w.kinds[n.Kind], w.noSLReason(n)})
	}
	ts = append(ts, t)
	if r.Availability != nil {
		ts = append(ts, htmlTable{Caption: w.availability, Head: []string{"%", w.target}, Rows: [][]string{
			{w.percent(&r.Availability.Percent), w.percent(&r.Availability.Target)}}})
	}
	return ts
}
