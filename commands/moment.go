package commands

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Moment is when a what-if ticket would be reported, as asked: a day and a clock time,
// each optional. Parse stays pure (no wall clock), so a Moment keeps the words' meaning
// and the handler resolves it against now (Resolve). The zero Moment is now.
type Moment struct {
	// Day is "", "today", "tomorrow", "overmorrow", a weekday ("friday"), a date
	// ("2026-12-24") or a day of a month without a year ("12-24": the next one).
	Day string
	// Clock is "HH:MM" (Brussels time) or "".
	Clock string
}

// IsZero reports whether m is now.
func (m Moment) IsZero() bool { return m.Day == "" && m.Clock == "" }

var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

var weekdaysNL = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

// dayWords are the words of a Moment's day, in both languages.
var dayWords = map[string]string{
	"today": "today", "vandaag": "today", "tomorrow": "tomorrow", "morgen": "tomorrow",
	"overmorgen": "overmorrow",
	"maandag":    "monday", "dinsdag": "tuesday", "woensdag": "wednesday", "donderdag": "thursday",
	"vrijdag": "friday", "zaterdag": "saturday", "zondag": "sunday",
	"monday": "monday", "tuesday": "tuesday", "wednesday": "wednesday", "thursday": "thursday",
	"friday": "friday", "saturday": "saturday", "sunday": "sunday",
	"mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday", "fri": "friday",
	"sat": "saturday", "sun": "sunday",
}

// Resolve gives the instant m names at now: a weekday is the next such day (today when
// its time is still to come), a clock without a day is today, a day without a clock is
// that day's start (the service window then opens the count, R3.2).
func (m Moment) Resolve(now time.Time) time.Time {
	if m.IsZero() {
		return now
	}
	now = now.In(sla.Brussels)
	h, mi := 0, 0
	if m.Clock != "" {
		h, _ = strconv.Atoi(m.Clock[:2])
		mi, _ = strconv.Atoi(m.Clock[3:])
	}
	today := sla.DateOf(now)
	d := today
	switch day := m.Day; {
	case day == "" || day == "today":
	case day == "tomorrow":
		d = today.AddDays(1)
	case day == "overmorrow":
		d = today.AddDays(2)
	case weekdays[day] != 0 || day == "sunday":
		d = today.AddDays((int(weekdays[day]) - int(today.Weekday()) + 7) % 7)
		if d == today && d.At(h, mi).Before(now) {
			d = d.AddDays(7)
		}
	case len(day) == 5: // MM-DD: this year's, or next year's when it has passed
		mo, _ := strconv.Atoi(day[:2])
		dd, _ := strconv.Atoi(day[3:])
		d = sla.Date{Year: today.Year, Month: time.Month(mo), Day: dd}
		if d.Before(today) {
			d.Year++
		}
	default:
		d, _ = sla.ParseDate(day)
	}
	return d.At(h, mi)
}

// text gives m as words of l that Parse reads back: "at friday 16:45", "op morgen 16:00".
func (m Moment) text(l Lang) string {
	if m.IsZero() {
		return ""
	}
	day := m.Day
	switch {
	case day == "overmorrow":
		day = l.pick("day after tomorrow", "overmorgen")
	case l == Dutch && day != "":
		for nl, en := range dayWords {
			if en == day && nl != en {
				day = nl
			}
		}
		if wd, ok := weekdays[m.Day]; ok {
			day = weekdaysNL[wd]
		}
	}
	if len(day) == 5 && day[2] == '-' {
		day = day[3:] + "/" + day[:2]
	}
	return l.pick("at ", "op ") + join(day, m.Clock)
}

// readClock reads a clock time: 16:45, 16.45, 16u, 16u30, 16h, 16h30, 4pm. ok is false
// for anything else, or an hour or minute out of range.
func readClock(s string) (string, bool) {
	s, uur := strings.CutSuffix(s, "uur")
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	if pm || am {
		s = s[:len(s)-2]
	}
	hs, ms := s, "00"
	if i := strings.IndexAny(s, ":.uh"); i >= 0 {
		hs, ms = s[:i], s[i+1:]
		if ms == "" {
			ms = "00"
		}
	} else if !pm && !am && !uur {
		return "", false // a bare number is no time unless "om"/"at" comes first (readNumberClock)
	}
	return clockOf(hs, ms, pm)
}

// clockLike reports whether s is shaped as a clock time, "25:00" or "9:5", so that one
// out of range is refused rather than read as part of a customer's name.
func clockLike(s string) bool {
	h, m, ok := strings.Cut(s, ":")
	return ok && isDigits(h) && (m == "" || isDigits(m))
}

func clockOf(hs, ms string, pm bool) (string, bool) {
	if !isDigits(hs) || !isDigits(ms) || len(hs) > 2 || len(ms) != 2 {
		return "", false
	}
	h, _ := strconv.Atoi(hs)
	mi, _ := strconv.Atoi(ms)
	if pm && h < 12 {
		h += 12
	}
	if h > 23 || mi > 59 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", h, mi), true
}

// readDate reads 2026-12-24, 24/12/2026, 24-12-2026 or 24/12 (the next 24 December).
func readDate(s string) (string, bool) {
	if d, err := sla.ParseDate(s); err == nil && d.Year >= 2000 && d.Year <= 2100 {
		return d.String(), true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' })
	if len(parts) < 2 || len(parts) > 3 || strings.Count(s, "/")+strings.Count(s, "-") != len(parts)-1 {
		return "", false
	}
	for _, x := range parts {
		if !isDigits(x) {
			return "", false
		}
	}
	dd, _ := strconv.Atoi(parts[0])
	mo, _ := strconv.Atoi(parts[1])
	if mo < 1 || mo > 12 || dd < 1 || dd > 31 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return "", false
	}
	if len(parts) == 2 {
		if dd > daysIn(time.Month(mo), 2024) { // 29/02 is a day of some year
			return "", false
		}
		return fmt.Sprintf("%02d-%02d", mo, dd), true
	}
	y, _ := strconv.Atoi(parts[2])
	if y < 2000 || y > 2100 || dd > daysIn(time.Month(mo), y) {
		return "", false
	}
	return sla.Date{Year: y, Month: time.Month(mo), Day: dd}.String(), true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
