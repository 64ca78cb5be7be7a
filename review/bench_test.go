package review_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/review"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

const benchTickets, benchCustomers = 100_000, 20

var benchDB struct {
	once sync.Once
	db   *storage.DB
	dir  string
	err  error
}

// benchStore is 100,000 tickets of 20 customers over the three years to November
// 2026 (about 2,800 a month), each created, answered, updated and mostly resolved,
// every tenth paused for the customer: built once per test binary.
func benchStore(b *testing.B) *storage.DB {
	benchDB.once.Do(func() {
		benchDB.dir, benchDB.err = os.MkdirTemp("", "review-bench-")
		if benchDB.err != nil {
			return
		}
		benchDB.db, benchDB.err = storage.Open(filepath.Join(benchDB.dir, "magda.db"), storage.Options{
			Derive: func(evs []sla.Event) sla.Ticket { return sla.Replay(evs, dedicated, cals) }})
		if benchDB.err != nil {
			return
		}
		start := dt(2023, 12, 1, 8, 0)
		step := dt(2026, 12, 1, 0, 0).Sub(start) / benchTickets
		var evs []sla.Event
		for i := range benchTickets {
			key := fmt.Sprintf("MAGDA-%06d", i)
			at := start.Add(time.Duration(i) * step)
			evs = append(evs,
				sla.Event{Ticket: key, Type: sla.Created, At: at, Customer: fmt.Sprintf("agency-%02d", i%benchCustomers), Kind: sla.Incident, Priority: sla.Priority(1 + i%4)},
				sla.Event{Ticket: key, Type: sla.Responded, At: at.Add(time.Duration(i%180) * time.Minute)},
				sla.Event{Ticket: key, Type: sla.Updated, At: at.Add(5 * time.Hour)})
			if i%10 == 0 {
				evs = append(evs, sla.Event{Ticket: key, Type: sla.Paused, At: at.Add(6 * time.Hour), Reason: sla.WaitCustomer},
					sla.Event{Ticket: key, Type: sla.Resumed, At: at.Add(26 * time.Hour)})
			}
			if i%7 != 0 {
				evs = append(evs, sla.Event{Ticket: key, Type: sla.Resolved, At: at.Add(time.Duration(8+i%60) * time.Hour)})
			}
			if len(evs) >= 2000 {
				if _, benchDB.err = benchDB.db.Append(context.Background(), "api", "", evs); benchDB.err != nil {
					return
				}
				evs = evs[:0]
			}
		}
		_, benchDB.err = benchDB.db.Append(context.Background(), "api", "", evs)
	})
	if benchDB.err != nil {
		b.Fatal(benchDB.err)
	}
	return benchDB.db
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB.db != nil {
		benchDB.db.Close()
	}
	if benchDB.dir != "" {
		os.RemoveAll(benchDB.dir)
	}
	os.Exit(code)
}

func reader(db *storage.DB) review.Reader {
	return func(ctx context.Context, customer string, from, to, eventsFrom time.Time) ([]review.Input, error) {
		as, err := db.ActiveTickets(ctx, storage.ActiveQuery{Customer: customer, From: from, To: to, EventsFrom: eventsFrom})
		in := make([]review.Input, len(as))
		for i, a := range as {
			in[i] = review.Input{Ticket: a.Ticket, Events: a.Events}
		}
		return in, err
	}
}

// BenchmarkReview: a month's report (with its 12-month trend and the previous month)
// read from SQLite and counted, for all customers (target < 2 s) and for one (< 200 ms).
func BenchmarkReview(b *testing.B) {
	db := benchStore(b)
	for _, tc := range []struct{ name, customer string }{{"all", ""}, {"one", "agency-07"}} {
		b.Run(tc.name, func(b *testing.B) {
			o := review.Options{Customer: tc.customer, Period: review.Month(2026, time.November), Now: dt(2026, 12, 2, 9, 0),
				Lang: "en", TierOf: dedicated, Cals: cals}
			var r review.Report
			for b.Loop() {
				var err error
				if r, err = review.Load(context.Background(), reader(db), o); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(r.Tickets)), "tickets")
		})
	}
}
