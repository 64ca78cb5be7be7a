package commands

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Moment is when a what-if is reported, as typed: "at friday 16:45", "om 9:00", "at
// tomorrow 08:30", "op 2026-12-24 om 16:00". It is read without a clock (Parse is pure)
// and placed in time by On, in Brussels time (R3.2: every window is Brussels time).
type Moment struct {
	Set          bool
	Weekday      int      // 1..7 = Monday..Sunday; 0: none
	Tomorrow     bool     // "tomorrow", "morgen"
	Date         sla.Date // a date given as 2026-12-24; zero: none
	Hour, Minute int
}

var weekdays = map[string]int{
	"monday": 1, "mon": 1, "maandag": 1, "ma": 1, "tuesday": 2, "tue": 2, "dinsdag": 2, "di": 2,
	"wednesday": 3, "wed": 3, "woensdag": 3, "wo": 3, "thursday": 4, "thu": 4, "donderdag": 4, "do": 4,
	"friday": 5, "fri": 5, "vrijdag": 5, "vr": 5, "saturday": 6, "sat": 6, "zaterdag": 6, "za": 6,
	"sunday": 7, "sun": 7, "zondag": 7, "zo": 7,
}

var (
	weekdaysEN = [8]string{"", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
	weekdaysNL = [8]string{"", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"}
)

// momentWords may introduce a moment or its time of day.
var momentWords = map[string]bool{"at": true, "on": true, "om": true, "op": true}

// cutMoment finds a moment at the end of ws ("… at friday 16:45") and gives the words
// before it. No moment: ws unchanged and a zero Moment. A moment word followed by
// something that is no moment is an error, so that a typo is not taken as a customer.
func cutMoment(ws []word) ([]word, Moment, error) {
	for i := 1; i < len(ws); i++ {
		if !momentWords[ws[i].lo] {
			continue
		}
		m, ok := readMoment(ws[i+1:])
		if ok {
			return ws[:i], m, nil
		}
		if ws[i].lo == "at" || ws[i].lo == "om" {
			return ws, Moment{}, bad("I can't read “%s” as a moment. Try `at friday 16:45` or `at 2026-12-24 09:00`.",
				"Ik kan “%s” niet als moment lezen. Probeer `op vrijdag om 16:45` of `op 2026-12-24 om 09:00`.", joinWords(ws[i+1:]))
		}
	}
	return ws, Moment{}, nil
}

// readMoment reads [DAY] [at|om] HH:MM, DAY a weekday, tomorrow or a date.
func readMoment(ws []word) (Moment, bool) {
	m := Moment{Set: true}
	if len(ws) == 0 {
		return Moment{}, false
	}
	switch d, lo := ws[0], ws[0].lo; {
	case weekdays[lo] != 0:
		m.Weekday, ws = weekdays[lo], ws[1:]
	case lo == "tomorrow" || lo == "morgen":
		m.Tomorrow, ws = true, ws[1:]
	case lo == "today" || lo == "vandaag":
		ws = ws[1:]
	default:
		if t, err := time.Parse(time.DateOnly, d.s); err == nil && t.Year() >= 2000 && t.Year() <= 2100 {
			m.Date, ws = sla.DateOf(t), ws[1:]
		}
	}
	if len(ws) > 0 && momentWords[ws[0].lo] {
		ws = ws[1:]
	}
	if len(ws) != 1 {
		return Moment{}, false
	}
	h, min, ok := clockTime(ws[0].lo)
	if !ok {
		return Moment{}, false
	}
	m.Hour, m.Minute = h, min
	return m, true
}

// clockTime reads 16:45, 9:00, 16u45, 16h45 or 16u.
func clockTime(s string) (int, int, bool) {
	hs, ms, found := strings.Cut(strings.NewReplacer("u", ":", "h", ":").Replace(s), ":")
	if !found || len(hs) == 0 || len(hs) > 2 || len(ms) != 2 && ms != "" {
		return 0, 0, false
	}
	if ms == "" {
		ms = "00"
	}
	h, err1 := strconv.Atoi(hs)
	min, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || min < 0 || min > 59 || hs[0] == '+' || ms[0] == '+' {
		return 0, 0, false
	}
	return h, min, true
}

// On places the moment in time from now: a weekday is today when it is that day, else
// the next such day; no day is today. Brussels time.
func (m Moment) On(now time.Time) time.Time {
	n := now.In(sla.Brussels)
	y, mo, d := n.Date()
	switch {
	case m.Date != (sla.Date{}):
		y, mo, d = m.Date.Year, m.Date.Month, m.Date.Day
	case m.Tomorrow:
		d++
	case m.Weekday != 0:
		today := (int(n.Weekday())+6)%7 + 1 // Monday = 1
		d += (m.Weekday - today + 7) % 7
	}
	return time.Date(y, mo, d, m.Hour, m.Minute, 0, 0, sla.Brussels)
}

// text gives the moment's canonical words in l, which cutMoment reads back.
func (m Moment) text(l Lang) string {
	day := ""
	switch {
	case m.Date != (sla.Date{}):
		day = fmt.Sprintf("%04d-%02d-%02d", m.Date.Year, m.Date.Month, m.Date.Day)
	case m.Tomorrow:
		day = l.pick("tomorrow", "morgen")
	case m.Weekday != 0:
		day = l.pick(weekdaysEN[m.Weekday], weekdaysNL[m.Weekday])
	}
	hm := fmt.Sprintf("%02d:%02d", m.Hour, m.Minute)
	if day == "" {
		return l.pick("at ", "om ") + hm
	}
	return l.pick("at "+day+" "+hm, "op "+day+" om "+hm)
}
