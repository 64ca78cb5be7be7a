package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

var (
	daysEN   = [7]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	daysNL   = [7]string{"zo", "ma", "di", "wo", "do", "vr", "za"}
	monthsEN = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monthsNL = [12]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}
)

// Day gives "Mon 13 Jul" in Brussels, with the year when it is not now's year: the
// one date format of every answer and notification.
func (l Lang) Day(t, now time.Time) string {
	t = t.In(sla.Brussels)
	wd, m := daysEN[t.Weekday()], monthsEN[t.Month()-1]
	if l == Dutch {
		wd, m = daysNL[t.Weekday()], monthsNL[t.Month()-1]
	}
	s := fmt.Sprintf("%s %d %s", wd, t.Day(), m)
	if t.Year() != now.In(sla.Brussels).Year() {
		s += fmt.Sprintf(" %d", t.Year())
	}
	return s
}

// When gives "Mon 13 Jul 09:30" in Brussels (R3.2: every window is Brussels time).
func (l Lang) When(t, now time.Time) string {
	return l.Day(t, now) + " " + t.In(sla.Brussels).Format("15:04")
}

// span gives "Sat 11 – Sun 12 Jul" for the days from the day of a up to the day of b,
// leaving out what both share (the month, the year).
func (l Lang) span(a, b, now time.Time) string {
	da, db := l.Day(a, now), l.Day(b, now)
	if da == db {
		return da
	}
	ta, tb := a.In(sla.Brussels), b.In(sla.Brussels)
	first := strings.Fields(da)
	switch {
	case ta.Year() == tb.Year() && ta.Month() == tb.Month():
		return first[0] + " " + first[1] + " – " + db
	case ta.Year() == tb.Year():
		return strings.Join(first[:3], " ") + " – " + db // the year, if shown, once
	}
	return da + " – " + db
}

// Hours gives a business duration as "1h30", rounded to the minute.
func Hours(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	m := int((d + 30*time.Second) / time.Minute)
	return fmt.Sprintf("%dh%02d", m/60, m%60)
}

func tierName(t sla.Tier, l Lang) string {
	if t == sla.Standard {
		return l.pick("standard", "standaard")
	}
	return string(t)
}

// KindName gives a ticket kind (R2) in l.
func KindName(k sla.Kind, l Lang) string {
	switch k {
	case sla.Question:
		return l.pick("question", "vraag")
	case sla.Connection:
		return l.pick("connection request", "aansluitingsaanvraag")
	}
	return "incident"
}

func waitingFor(reason string, l Lang) string {
	switch reason {
	case sla.WaitCustomer:
		return l.pick("waiting for the customer", "wacht op de klant")
	case sla.WaitThirdParty:
		return l.pick("waiting for a third party", "wacht op een derde partij")
	}
	return ""
}

// EscalationName gives the meaning of an R7 escalation level in l.
func EscalationName(level int, l Lang) string {
	switch level {
	case 0:
		return l.pick("none", "geen")
	case 1:
		return l.pick("level 1: 2nd line + MAGDA Service Delivery (R7)", "niveau 1: 2de lijn + MAGDA Service Delivery (R7)")
	}
	return l.pick(fmt.Sprintf("level %d: 3rd line (R7)", level), fmt.Sprintf("niveau %d: 3de lijn (R7)", level))
}

// cadence gives R5.3's "at least 2 updates a day, every 4h30".
func cadence(perDay int, interval time.Duration, l Lang) string {
	noun := l.pick("updates", "updates")
	if perDay == 1 {
		noun = "update"
	}
	return l.pick(fmt.Sprintf("at least %d %s a day, every %s", perDay, noun, Hours(interval)),
		fmt.Sprintf("minstens %d %s per dag, om de %s", perDay, noun, Hours(interval)))
}

// note gives an engine note in l: the engine writes English, and the Dutch forms of its
// few notes are kept here; an unknown note is shown as it is.
func note(n string, l Lang) string {
	if l != Dutch {
		return n
	}
	if rest, ok := strings.CutPrefix(n, "TNI incident without motivation: "); ok {
		if from, to, ok := strings.Cut(strings.TrimSuffix(rest, " (R4.2)"), " capped to "); ok {
			return fmt.Sprintf("TNI-incident zonder motivatie: %s begrensd tot %s (R4.2)", from, to)
		}
	}
	if rest, ok := strings.CutPrefix(n, "no SL: logged through "); ok {
		if src, ok := strings.CutSuffix(rest, ", not the portal (R3.1)"); ok {
			return fmt.Sprintf("geen SL: gemeld via %s, niet via het portaal (R3.1)", src)
		}
	}
	if rest, ok := strings.CutPrefix(n, "unknown customer "); ok {
		if who, ok := strings.CutSuffix(rest, ": counted as standard"); ok {
			return fmt.Sprintf("onbekende klant %s: geteld als standaard", who)
		}
	}
	return n
}
