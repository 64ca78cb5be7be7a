package population

import (
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Version names the generator's rules: a database cached for another version (another
// mix, other gaps) is not the population these Options describe and must be rebuilt.
const Version = "1"

// Note is the name of the storage note (storage.DB.SetNote) that says which population
// a database holds and how its states were derived: `bot seed` writes it, and a
// benchmark reuses a cached database only when it matches.
const Note = "population"

// DefaultSpan is how long before Now the first ticket is created when Options.Span is
// zero: half a year, so that the oldest open tickets are long breached and the newest
// still run.
const DefaultSpan = 182 * 24 * time.Hour

// Customer is one customer tickets are reported for. The tier only shapes the events
// (progress updates for dedicated P1 and P2, R5.3); the store decides the tier a ticket
// is counted under (R1.1), so it should match the configuration the events go to.
type Customer struct {
	ID   string
	Tier sla.Tier
}

// ExampleCustomers are the customers of the built-in example configuration
// (config/example.yml), both tiers: what `bot seed` uses when no configuration is given.
var ExampleCustomers = []Customer{
	{ID: "agency-x", Tier: sla.Dedicated},
	{ID: "agency-y", Tier: sla.Standard},
	{ID: "city-ghent", Tier: sla.Standard},
}

// Options describe a population.
type Options struct {
	// N is the number of tickets: keys MAGDA-1 to MAGDA-N, created in key order.
	N int
	// Seed makes another population of the same size and span.
	Seed uint64
	// Now is the end of the span: no event is later than Now.
	Now time.Time
	// Span is how long before Now ticket MAGDA-1 is created; zero means DefaultSpan.
	Span time.Duration
	// Customers the tickets are spread over, evenly; nil means ExampleCustomers.
	Customers []Customer
}

// Check refuses Options that describe no population, with a one-line reason.
func (o Options) Check() error {
	switch {
	case o.N < 0:
		return fmt.Errorf("population: %d tickets; want 0 or more", o.N)
	case o.Now.IsZero():
		return errors.New("population: Now is required: it is the instant the span ends at")
	case o.Span < 0:
		return fmt.Errorf("population: span %s is negative", o.Span)
	}
	if err := sla.CheckInstant(o.Now.Add(-o.span())); err != nil {
		return fmt.Errorf("population: the span starts too early: %v", err)
	}
	if err := sla.CheckInstant(o.Now); err != nil {
		return fmt.Errorf("population: Now: %v", err)
	}
	for _, c := range o.customers() {
		if c.ID == "" {
			return errors.New("population: a customer without an ID")
		}
	}
	return nil
}

// Name identifies the population in one line: a cached database whose name differs
// holds another one.
func (o Options) Name() string {
	name := fmt.Sprintf("population v%s n=%d seed=%d now=%s span=%s customers=", Version, o.N, o.Seed,
		o.Now.UTC().Format(time.RFC3339), o.span())
	for i, c := range o.customers() {
		if i > 0 {
			name += ","
		}
		name += c.ID + ":" + string(c.Tier)
	}
	return name
}

func (o Options) span() time.Duration {
	if o.Span == 0 {
		return DefaultSpan
	}
	return o.Span
}

func (o Options) customers() []Customer {
	if len(o.Customers) == 0 {
		return ExampleCustomers
	}
	return o.Customers
}

// Key is the key of the i-th ticket (1-based), as Jira numbers them.
func Key(i int) string { return "MAGDA-" + strconv.Itoa(i) }

// Tickets yields each ticket's events, MAGDA-1 first, in the order they happened. The
// slice is the caller's: it is not reused. Options must pass Check.
func (o Options) Tickets() iter.Seq[[]sla.Event] {
	return func(yield func([]sla.Event) bool) {
		for i := 1; i <= o.N; i++ {
			if !yield(o.Ticket(i)) {
				return
			}
		}
	}
}

// InKeyOrder yields the same tickets as Tickets in the order of their keys as text
// (MAGDA-1, MAGDA-10, MAGDA-100, ..., MAGDA-11, ...): the order of the tickets table's
// primary key and of every index that starts with the key or an event's ID. A bulk load
// in this order appends to those indexes instead of inserting all over them, which
// keeps a million-ticket load from slowing down as the file grows.
func (o Options) InKeyOrder() iter.Seq[[]sla.Event] {
	return func(yield func([]sla.Event) bool) {
		// A preorder walk of the decimal numbers 1..N: i, then i0..i9 and theirs.
		var walk func(i int) bool
		walk = func(i int) bool {
			if i > o.N {
				return true
			}
			if !yield(o.Ticket(i)) {
				return false
			}
			for d := range 10 {
				if i*10+d > o.N {
					return true
				}
				if !walk(i*10 + d) {
					return false
				}
			}
			return true
		}
		for i := 1; i <= 9; i++ {
			if !walk(i) {
				return
			}
		}
	}
}

// Ticket gives the events of the i-th ticket (1-based). Each ticket draws from its own
// random stream (Seed, i), so that a ticket does not depend on the others and any one
// of them can be made again alone.
func (o Options) Ticket(i int) []sla.Event {
	rng := rand.New(rand.NewPCG(o.Seed, uint64(i)))
	span := o.span()
	// Tickets come in key order, evenly over the span, jittered within their slot.
	slot := span / time.Duration(max(o.N, 1))
	at := o.Now.Add(-span).Add(slot*time.Duration(i-1) + time.Duration(rng.Int64N(int64(max(slot, 1)))))
	cs := o.customers()
	g := gen{rng: rng, key: Key(i), now: o.Now.Truncate(time.Second)}
	return g.ticket(cs[(i-1)%len(cs)], at.Truncate(time.Second))
}
