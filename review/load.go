package review

import (
	"context"
	"time"
)

// Reader gives the tickets a report reads: those of customer ("" for all) created
// before `to` and not resolved before `from`, with the events of those not resolved
// before eventsFrom. cmd/bot wires it to storage.DB.ActiveTickets.
type Reader func(ctx context.Context, customer string, from, to, eventsFrom time.Time) ([]Input, error)

// Load reads what o's report needs (the trend's 12 months, the period and the one it is
// compared with) and builds it.
func Load(ctx context.Context, read Reader, o Options) (Report, error) {
	in, err := read(ctx, o.Customer, TrendFrom(o.Period), o.Period.To, o.Period.Previous().From)
	if err != nil {
		return Report{}, err
	}
	return Build(o, in), nil
}
