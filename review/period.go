package review

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Period is a stretch of Brussels calendar days: From (inclusive) to To (exclusive),
// both at 00:00 Brussels time, so a month holds exactly its days whatever the DST.
type Period struct {
	From, To time.Time
	// Unit says how it was given, for labels and for the previous period: "month",
	// "quarter" or "range".
	Unit string
}

// Month is the calendar month of year y.
func Month(y int, m time.Month) Period {
	from := time.Date(y, m, 1, 0, 0, 0, 0, sla.Brussels)
	return Period{From: from, To: from.AddDate(0, 1, 0), Unit: "month"}
}

// Quarter is quarter q (1..4) of year y.
func Quarter(y, q int) Period {
	from := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, sla.Brussels)
	return Period{From: from, To: from.AddDate(0, 3, 0), Unit: "quarter"}
}

// Range is the days from `from` to `to`, both inclusive.
func Range(from, to sla.Date) Period {
	return Period{From: from.At(0, 0), To: to.AddDays(1).At(0, 0), Unit: "range"}
}

// Previous is the period of the same length just before p: the month, the quarter, or
// as many days, that the report compares against.
func (p Period) Previous() Period {
	switch p.Unit {
	case "month":
		return Period{From: p.From.AddDate(0, -1, 0), To: p.From, Unit: "month"}
	case "quarter":
		return Period{From: p.From.AddDate(0, -3, 0), To: p.From, Unit: "quarter"}
	}
	days := int(p.To.Sub(p.From).Hours()/24 + 0.5)
	return Period{From: p.From.AddDate(0, 0, -days), To: p.From, Unit: "range"}
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Key names the period in file names and outbox keys: 2026-11, 2026-Q4 or
// 2026-11-01_2026-11-15.
func (p Period) Key() string {
	switch p.Unit {
	case "month":
		return p.From.Format("2006-01")
	case "quarter":
		return fmt.Sprintf("%d-Q%d", p.From.Year(), (int(p.From.Month())-1)/3+1)
	}
	return p.From.Format("2006-01-02") + "_" + p.To.AddDate(0, 0, -1).Format("2006-01-02")
}

// ParseMonth reads 2026-11 (sla.ParseMonth).
func ParseMonth(s string) (Period, error) {
	m, err := sla.ParseMonth(s)
	if err != nil {
		return Period{}, err
	}
	return Month(m.Year, m.Month), nil
}

// ParseQuarter reads 2026-Q4 (q in any case).
func ParseQuarter(s string) (Period, error) {
	y, q, ok := strings.Cut(strings.ToUpper(s), "-Q")
	year, err1 := strconv.Atoi(y)
	n, err2 := strconv.Atoi(q)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > 4 || year < 2000 || year > 2100 {
		return Period{}, fmt.Errorf("quarter %q: want YYYY-Qn, n 1 to 4", s)
	}
	return Quarter(year, n), nil
}

// ParseRange reads two dates YYYY-MM-DD, both inclusive, from before to.
func ParseRange(from, to string) (Period, error) {
	var f, t sla.Date
	if err := f.UnmarshalText([]byte(from)); err != nil {
		return Period{}, fmt.Errorf("from %q: want YYYY-MM-DD", from)
	}
	if err := t.UnmarshalText([]byte(to)); err != nil {
		return Period{}, fmt.Errorf("to %q: want YYYY-MM-DD", to)
	}
	p := Range(f, t)
	if !p.From.Before(p.To) {
		return Period{}, fmt.Errorf("from %s is after to %s", from, to)
	}
	if p.From.Year() < 2000 || p.To.Year() > 2101 {
		return Period{}, fmt.Errorf("dates outside the years 2000-2100 the service calendar counts")
	}
	return p, nil
}

// LastMonth is the calendar month before the one now falls in (Brussels time).
func LastMonth(now time.Time) Period {
	n := now.In(sla.Brussels)
	return Month(n.Year(), n.Month()).Previous()
}

// LastQuarter is the quarter before the one now falls in.
func LastQuarter(now time.Time) Period {
	n := now.In(sla.Brussels)
	return Quarter(n.Year(), (int(n.Month())-1)/3+1).Previous()
}

// RecentMonth is the last month named m that has begun by now: "november" asked in
// December 2026 is November 2026, asked in October 2026 it is November 2025.
func RecentMonth(now time.Time, m time.Month) Period {
	n := now.In(sla.Brussels)
	y := n.Year()
	if m > n.Month() {
		y--
	}
	return Month(y, m)
}

// ParseKey reads a period back from its Key (2026-11, 2026-Q4, 2026-11-01_2026-11-15),
// as a signed link carries it.
func ParseKey(key string) (Period, error) {
	if from, to, ok := strings.Cut(key, "_"); ok {
		return ParseRange(from, to)
	}
	if strings.Contains(strings.ToUpper(key), "-Q") {
		return ParseQuarter(key)
	}
	return ParseMonth(key)
}
