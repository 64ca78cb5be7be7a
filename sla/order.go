package sla

import (
	"cmp"
	"strings"
	"time"
)

// NextDue is the soonest due time of a running clock of t: response, resolution (R5.1,
// R5.2) or the next R5.3 update as last settled by an event; zero when none runs. It is
// what the store keeps as next_due, and lists of open tickets are ordered by it, so a
// list read in that order from an index and one sorted in memory agree. It differs
// from the soonest due a View shows at an instant in two cases, on purpose: a paused
// clock that breached shows its due time but runs at none (the ticket sorts with those
// without a running clock), and an update clock past its due time keeps that due time
// here (the ticket sorts first, breached) where a View moves on to the next update.
func (t Ticket) NextDue() time.Time {
	var due time.Time
	consider := func(at time.Time) {
		if due.IsZero() || at.Before(due) {
			due = at
		}
	}
	for _, c := range []*Clock{t.Response, t.Resolution} {
		if c.Running() {
			consider(c.Due)
		}
	}
	if t.Updates.Running() {
		consider(t.Updates.Due)
	}
	return due
}

// CompareKeys orders ticket keys as people read them: by project, then by number, so
// MAGDA-9 comes before MAGDA-10. For keys of IsKey's syntax it is the order of
// (project with its hyphen, length, key), which the store's indexes use.
func CompareKeys(a, b string) int {
	pa, na, _ := strings.Cut(a, "-")
	pb, nb, _ := strings.Cut(b, "-")
	if c := strings.Compare(pa, pb); c != 0 {
		return c
	}
	if len(na) != len(nb) {
		return len(na) - len(nb)
	}
	return strings.Compare(na, nb)
}

// CompareNextDue orders tickets as lists of open tickets show them: by NextDue to the
// second (the store keeps unix seconds), those without a running clock last, then by
// key (CompareKeys).
func CompareNextDue(a, b Ticket) int {
	da, db := a.NextDue(), b.NextDue()
	switch {
	case da.IsZero() != db.IsZero():
		if da.IsZero() {
			return 1
		}
		return -1
	case da.Unix() != db.Unix():
		return cmp.Compare(da.Unix(), db.Unix())
	}
	return CompareKeys(a.Key, b.Key)
}
