package review

import (
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// words are the report's labels in one language.
type words struct {
	title, all, period, previous, created, clocks, breaches, escalations, missed      string
	paused, changes, noSL, trend, none, availability, generated                       string
	clock, priority, withSL, met, breached, open, metPct, change, target, median, p90 string
	ticket, kind, due, over, level, by, at, reason, estimate, from, to, count         string
	customer, thirdParty, other, month, source, noTarget, updatesMissed, chartAlt     string
	clockNames                                                                        map[string]string
	kinds                                                                             map[sla.Kind]string
	months                                                                            [12]string
}

var english = words{
	title: "Service review", all: "all customers", period: "Period", previous: "compared with",
	created: "Tickets created", clocks: "Service levels", breaches: "Breaches", escalations: "Escalations",
	missed: "Missed updates", paused: "Time paused", changes: "Priority changes", noSL: "Tickets without SL",
	trend: "Trend", none: "none", availability: "Availability (R6.1)", generated: "Generated",
	clock: "clock", priority: "priority", withSL: "with SL", met: "met", breached: "breached", open: "open",
	metPct: "met %", change: "change", target: "target", median: "median", p90: "90th pct",
	ticket: "ticket", kind: "kind", due: "due", over: "late by", level: "level", by: "by", at: "when",
	reason: "why", estimate: "customer's estimate", from: "from", to: "to", count: "count",
	customer: "waiting on the customer", thirdParty: "waiting on a third party", other: "paused without reason",
	month: "month", source: "not logged through the portal (%s, R3.1)", noTarget: "no target for this kind (R5)",
	updatesMissed: "updates missed",
	chartAlt:      "Chart: met %% per priority over the 12 months to %s, and the breaches of each month.",
	clockNames:    map[string]string{Response: "response", Resolution: "resolution", UpdateFreq: "updates (R5.3)"},
	kinds:         map[sla.Kind]string{sla.Incident: "incident", sla.Question: "question", sla.Connection: "connection"},
	months:        [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

var dutch = words{
	title: "Dienstverleningsoverleg", all: "alle afnemers", period: "Periode", previous: "vergeleken met",
	created: "Aangemaakte tickets", clocks: "Serviceniveaus", breaches: "Overschrijdingen", escalations: "Escalaties",
	missed: "Gemiste updates", paused: "Tijd gepauzeerd", changes: "Prioriteitswijzigingen", noSL: "Tickets zonder SL",
	trend: "Verloop", none: "geen", availability: "Beschikbaarheid (R6.1)", generated: "Opgemaakt",
	clock: "klok", priority: "prioriteit", withSL: "met SL", met: "gehaald", breached: "overschreden", open: "open",
	metPct: "% gehaald", change: "verschil", target: "doel", median: "mediaan", p90: "90e pct",
	ticket: "ticket", kind: "soort", due: "deadline", over: "te laat met", level: "niveau", by: "door", at: "wanneer",
	reason: "waarom", estimate: "inschatting klant", from: "van", to: "naar", count: "aantal",
	customer: "wachten op de klant", thirdParty: "wachten op een derde partij", other: "gepauzeerd zonder reden",
	month: "maand", source: "niet via het portaal gemeld (%s, R3.1)", noTarget: "geen doel voor deze soort (R5)",
	updatesMissed: "updates gemist",
	chartAlt:      "Grafiek: %% gehaald per prioriteit over de 12 maanden tot %s, en de overschrijdingen per maand.",
	clockNames:    map[string]string{Response: "reactie", Resolution: "oplossing", UpdateFreq: "updates (R5.3)"},
	kinds:         map[sla.Kind]string{sla.Incident: "incident", sla.Question: "vraag", sla.Connection: "aansluiting"},
	months:        [12]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
}

func wordsFor(lang string) words {
	if lang == "nl" {
		return dutch
	}
	return english
}

// periodName names a period for people: "November 2026", "2026 Q4", "1-15 Nov 2026".
func (w words) periodName(from, to time.Time, key string) string {
	from, last := from.In(sla.Brussels), to.In(sla.Brussels).AddDate(0, 0, -1)
	switch {
	case len(key) == 7 && key[4] == '-':
		return w.months[from.Month()-1] + " " + fmt.Sprint(from.Year())
	case strings.Contains(key, "-Q"):
		return strings.Replace(key, "-", " ", 1)
	}
	return from.Format("2006-01-02") + " – " + last.Format("2006-01-02")
}

// hours writes business seconds as 5h30 (or 45m), signed when negative.
func hours(s int64) string {
	sign := ""
	if s < 0 {
		sign, s = "-", -s
	}
	h, m := s/3600, (s%3600+59)/60
	if m == 60 {
		h, m = h+1, 0
	}
	switch {
	case h == 0:
		return fmt.Sprintf("%s%dm", sign, m)
	case m == 0:
		return fmt.Sprintf("%s%dh", sign, h)
	}
	return fmt.Sprintf("%s%dh%02d", sign, h, m)
}

// percent writes 87.5 %, or – for none; comma decimals in Dutch.
func (w words) percent(v *float64) string {
	if v == nil {
		return "–"
	}
	s := fmt.Sprintf("%.1f %%", *v)
	if w.title == dutch.title {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// points writes a change in percentage points: +2.5 pp, or – for none.
func (w words) points(v *float64) string {
	if v == nil {
		return "–"
	}
	s := fmt.Sprintf("%+.1f pp", *v)
	if w.title == dutch.title {
		s = strings.Replace(strings.Replace(s, ".", ",", 1), "pp", "pt", 1)
	}
	return s
}

func (w words) optHours(v *int64) string {
	if v == nil {
		return "–"
	}
	return hours(*v)
}

func (w words) noSLReason(n NoSL) string {
	if n.Reason == "source" {
		return fmt.Sprintf(w.source, n.Source)
	}
	return w.noTarget
}

func stamp(t time.Time) string { return t.In(sla.Brussels).Format("2006-01-02 15:04") }

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
