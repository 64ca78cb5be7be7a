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

// WriteText writes the report as plain text in its language, for the terminal: the
// page's tables (tables) as aligned columns, and the trend's figures.
func (r Report) WriteText(out io.Writer) error {
	w := wordsFor(r.Lang)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s %s (%s %s)\n", r.Heading(), w.period, r.Period, w.previous, r.Previous)
	write := func(t htmlTable) {
		fmt.Fprintf(&b, "\n%s\n", t.Caption)
		if len(t.Rows) == 0 {
			fmt.Fprintln(&b, w.none)
			return
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, row := range append([][]string{t.Head}, t.Rows...) {
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		tw.Flush()
	}
	for _, t := range r.tables(w) {
		write(t)
	}
	trend := htmlTable{Caption: w.trend, Head: []string{w.month, "P1", "P2", "P3", "P4", w.breaches}}
	for _, m := range r.Trend {
		trend.Rows = append(trend.Rows, []string{m.Month, w.percent(m.MetPct[0]), w.percent(m.MetPct[1]), w.percent(m.MetPct[2]),
			w.percent(m.MetPct[3]), fmt.Sprint(m.Breaches)})
	}
	write(trend)
	_, err := io.WriteString(out, b.String())
	return err
}

// WriteJSON writes the report as one indented JSON object.
func (r Report) WriteJSON(out io.Writer) error {
	e := json.NewEncoder(out)
	e.SetIndent("", "  ")
	return e.Encode(r)
}
