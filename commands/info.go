package commands

import (
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// maintenance answers with the next three maintenance windows (R8.1, R8.2).
func (h *Handler) maintenance(l Lang) Reply {
	now := h.o.Now()
	r := Reply{Kind: KindMaintenance, Title: l.pick("Next maintenance windows (R8)", "Volgende onderhoudsvensters (R8)")}
	for _, w := range sla.Maintenance(now, 3, h.o.Maintenance.Windows(), h.o.Maintenance.Cancelled) {
		what := w.Note
		if what == "" {
			what = l.pick("third weekend of the month (R8.1)", "derde weekend van de maand (R8.1)")
		}
		r.Lines = append(r.Lines, windowText(w, l, now)+" · "+what)
	}
	r.Notes = []string{l.pick("The third weekend of each month is reserved; a reserved weekend may pass without impact. Service status: the MAGDA status page.",
		"Het derde weekend van elke maand is gereserveerd; een gereserveerd weekend kan zonder impact voorbijgaan. Status van de services: de MAGDA-statuspagina.")}
	return r
}

// windowText gives "Sat 18 – Sun 19 Jul" for whole days, "Wed 22 Jul 20:00 – 23:00" or
// "Wed 22 Jul 20:00 – Thu 23 Jul 02:00" otherwise.
func windowText(w sla.MaintenanceWindow, l Lang, now time.Time) string {
	s, e := w.Start.In(sla.Brussels), w.End.In(sla.Brussels)
	midnight := func(t time.Time) bool { return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 }
	if midnight(s) && midnight(e) {
		return l.span(s, e.Add(-time.Second), now)
	}
	if sla.DateOf(s) == sla.DateOf(e) {
		return l.When(s, now) + " – " + e.Format("15:04")
	}
	return l.When(s, now) + " – " + l.When(e, now)
}

// holidays lists the days of a year without SL time (R3.3), with the closures.
func (h *Handler) holidays(year int, l Lang) Reply {
	now := h.o.Now()
	if year == 0 {
		year = now.In(sla.Brussels).Year()
	}
	r := Reply{Kind: KindHolidays, Title: l.pick(fmt.Sprintf("Days without SL time in %d (R3.3)", year),
		fmt.Sprintf("Dagen zonder SL-tijd in %d (R3.3)", year))}
	ref := sla.Date{Year: year, Month: time.January, Day: 1}.At(12, 0) // dates without the year
	for _, d := range sla.HolidaysIn(year, h.o.Calendars.Closures()) {
		line := l.Day(d.Date.At(12, 0), ref) + " · " + l.pick(d.NameEN, d.NameNL) + " (" + dayKind(d.Kind, l) + ")"
		if wd := d.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
			line += l.pick(": a weekend day, no replacement", ": een weekenddag, geen vervangdag")
		}
		r.Lines = append(r.Lines, line)
	}
	return r
}

// help lists every command in both languages, described in the asker's.
func help(l Lang) Reply {
	r := Reply{Kind: KindHelp, Lang: l, Ephemeral: true, Title: l.pick("/magda commands", "/magda-opdrachten")}
	for _, s := range specs {
		usage := "`" + s.Usage + "`"
		if s.UsageNL != s.Usage {
			usage += " · `" + s.UsageNL + "`"
		}
		r.Lines = append(r.Lines, usage+" — "+l.pick(s.Description, s.DescriptionNL))
	}
	r.Notes = []string{l.pick("Dutch and English words both work; times are Brussels time and durations business time.",
		"Nederlandse en Engelse woorden werken allebei; tijden zijn Brusselse tijd en duren werktijd.")}
	return r
}
