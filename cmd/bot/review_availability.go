package main

import (
	"context"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/availability"
	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// reviewAvailability joins the R6.1 infrastructure figure to a service review: the
// calendar months the period covers, added up by their time outside maintenance. The
// infrastructure is shared, so every customer's review shows the same figure. A period
// that does not cover whole months, or a failed read, shows none.
type reviewAvailability struct {
	counter *availability.Counter
	now     time.Time
}

var _ review.AvailabilitySource = reviewAvailability{}

func (r reviewAvailability) Availability(_ string, p review.Period) (review.Availability, bool) {
	first, last := sla.MonthOf(p.From), sla.MonthOf(p.To.Add(-time.Second))
	if start, _ := first.Bounds(); !start.Equal(p.From) {
		return review.Availability{}, false
	}
	if _, end := last.Bounds(); !end.Equal(p.To) {
		return review.Availability{}, false
	}
	var scheduled, down time.Duration
	months := 0
	for m := first; ; m = m.Next() {
		a, err := r.counter.Month(context.Background(), m, r.now)
		if err != nil {
			return review.Availability{}, false
		}
		scheduled += a.Scheduled
		down += a.Of(sla.Infrastructure).Downtime
		months++
		if m == last {
			break
		}
	}
	if scheduled <= 0 {
		return review.Availability{}, false
	}
	a := review.Availability{Percent: 100 * (1 - float64(down)/float64(scheduled)), Target: 99.5,
		Note: fmt.Sprintf("infrastructure, %d month(s), maintenance excluded (R6.1, R8)", months)}
	return a, true
}
