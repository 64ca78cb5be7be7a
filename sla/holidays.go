package sla

import (
	"sort"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/be"
)

// Brussels is the time zone of every service window (R3.2). It is loaded once; the
// binary embeds the zone database (cmd/bot imports time/tzdata), so it never fails there.
var Brussels = mustLoad("Europe/Brussels")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("sla: time zone " + name + ": " + err.Error())
	}
	return loc
}

// DayKind says why a day has no service window.
type DayKind uint8

// Day kinds, in the order a day is classified: a holiday on a Saturday is a weekend day
// for the explanation (R3.3: it gives no replacement day either way).
const (
	WorkingDay DayKind = iota
	Weekend
	PublicHoliday  // Belgian public holiday (R3.3)
	FlemishHoliday // extra leave day of the Flemish government (R3.3)
	ClosureDay     // operator-configured closure (bridge day) (R3.3)
)

// Holiday is one day without service levels (R3.3).
type Holiday struct {
	Date   Date    `json:"date"`
	Kind   DayKind `json:"-"`
	NameNL string  `json:"name_nl"`
	NameEN string  `json:"name_en"`
}

// Date is a civil date, independent of any time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf gives the civil date of t in Brussels.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Brussels).Date()
	return Date{y, m, d}
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// String gives YYYY-MM-DD.
func (d Date) String() string { return d.At(0, 0).Format(time.DateOnly) }

// At gives the instant of hour:minute on d in Brussels.
func (d Date) At(hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, Brussels)
}

// Weekday of d.
func (d Date) Weekday() time.Weekday { return d.At(12, 0).Weekday() }

// AddDays gives the date n days later (earlier when negative).
func (d Date) AddDays(n int) Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// MarshalText writes YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err == nil {
		*d = v
	}
	return err
}

// Closure is an operator-configured closure day (a bridge day, R3.3).
type Closure struct {
	Date Date
	Name string
}

// publicNamesEN gives the English names of rickar/cal's Belgian holidays.
var publicNamesEN = map[*cal.Holiday]string{
	be.Nieuwjaar:                "New Year's Day",
	be.Paasmaandag:              "Easter Monday",
	be.DagVanDeArbeid:           "Labour Day",
	be.OnzeLieveHeerHemelvaart:  "Ascension Day",
	be.Pinkstermaandag:          "Whit Monday",
	be.NationaleFeestdag:        "Belgian National Day",
	be.OnzeLieveVrouwHemelvaart: "Assumption Day",
	be.Allerheiligen:            "All Saints' Day",
	be.Wapenstilstand:           "Armistice Day",
	be.Kerstmis:                 "Christmas Day",
}

// flemishDays are the Flemish government's extra leave days of R3.3, besides the
// 25 December - 1 January period.
var flemishDays = []struct {
	month          time.Month
	day            int
	nameNL, nameEN string
}{
	{time.July, 11, "Feest van de Vlaamse Gemeenschap", "Day of the Flemish Community"},
	{time.November, 2, "Allerzielen", "All Souls' Day"},
	{time.November, 15, "Feest van de Dynastie", "King's Feast"},
}

// HolidaysIn lists the days of year without service levels (R3.3): Belgian public
// holidays, the Flemish government's extra days, the 25/12-01/01 period and the
// closures given, sorted by date, one entry per date (the first reason wins).
// Weekend days are listed too when they are holidays; they give no replacement.
func HolidaysIn(year int, closures []Closure) []Holiday {
	seen := make(map[Date]bool)
	var out []Holiday
	add := func(h Holiday) {
		if h.Date.Year != year || seen[h.Date] {
			return
		}
		seen[h.Date] = true
		out = append(out, h)
	}
	for _, h := range be.Holidays {
		act, _ := h.Calc(year)
		add(Holiday{Date{act.Year(), act.Month(), act.Day()}, PublicHoliday, h.Name, publicNamesEN[h]})
	}
	for _, f := range flemishDays {
		add(Holiday{Date{year, f.month, f.day}, FlemishHoliday, f.nameNL, f.nameEN})
	}
	for d := 26; d <= 31; d++ {
		add(Holiday{Date{year, time.December, d}, FlemishHoliday, "Kerstverlof Vlaamse overheid", "Flemish government Christmas leave"})
	}
	for _, c := range closures {
		nl, en := c.Name, c.Name
		if nl == "" {
			nl, en = "Sluitingsdag", "Closure day"
		}
		add(Holiday{c.Date, ClosureDay, nl, en})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}
