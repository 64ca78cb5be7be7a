package review

import (
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TrendMonths is how many months the trend chart shows.
const TrendMonths = 12

// Trend gives, for the 12 months ending with the period's last month, the met % per
// priority of the response and resolution clocks decided in each month (the rule of
// Build), and each month's breaches, from the tickets as stored.
func Trend(o Options, in []Input) []TrendMonth {
	last := o.Period.To.AddDate(0, 0, -1)
	first := Month(last.Year(), last.Month()).From.AddDate(0, -(TrendMonths - 1), 0)
	var met, decided [TrendMonths][4]int
	var breaches [TrendMonths]int
	index := func(t time.Time) int {
		b := t.In(sla.Brussels)
		i := (b.Year()-first.Year())*12 + int(b.Month()) - int(first.Month())
		if i < 0 || i >= TrendMonths {
			return -1
		}
		return i
	}
	for _, it := range in {
		tk := it.Ticket
		if !tk.Known || tk.Priority < sla.P1 || tk.Priority > sla.P4 {
			continue
		}
		cal := o.Cals.For(tk.Tier)
		for _, c := range []*sla.Clock{tk.Response, tk.Resolution} {
			if c == nil {
				continue
			}
			res, when, _ := Judge(c, cal, o.Now)
			i := index(when)
			if res == Open || i < 0 {
				continue
			}
			p := int(tk.Priority) - int(sla.P1)
			decided[i][p]++
			if res == Met {
				met[i][p]++
			} else {
				breaches[i]++
			}
		}
	}
	out := make([]TrendMonth, TrendMonths)
	for i := range out {
		m := TrendMonth{Month: first.AddDate(0, i, 0).Format("2006-01"), Breaches: breaches[i]}
		for p := range 4 {
			m.MetPct[p] = pct(int64(met[i][p]), int64(decided[i][p]))
		}
		out[i] = m
	}
	return out
}

// TrendFrom is the first instant the trend of a period reads tickets from: a store
// gives Build the tickets active from then to the period's end.
func TrendFrom(p Period) time.Time {
	last := p.To.AddDate(0, 0, -1)
	first := Month(last.Year(), last.Month()).From.AddDate(0, -(TrendMonths - 1), 0)
	return earlier(first, p.Previous().From)
}
