package storage_test

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

// calendars are built once per test binary: they take tens of milliseconds.
var calendars = sync.OnceValue(func() *sla.Calendars { return sla.NewCalendars(nil) })

// deriveWith is the caller's Derive: sla.Replay with a fixed customer map.
func deriveWith(tiers map[string]sla.Tier) func([]sla.Event) sla.Ticket {
	return func(evs []sla.Event) sla.Ticket {
		return sla.Replay(evs, func(c string) (sla.Tier, bool) { t, ok := tiers[c]; return t, ok }, calendars())
	}
}

var customers = map[string]sla.Tier{"agency-x": sla.Dedicated, "agency-y": sla.Standard}

var derive = deriveWith(customers)

func dt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, sla.Brussels)
}

// sameInstant compares times by instant: JSON keeps the offset, not the *time.Location.
var sameInstant = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func openAt(t testing.TB, path string, d func([]sla.Event) sla.Ticket) *storage.DB {
	t.Helper()
	db, err := storage.Open(storage.StoreFor(t, path), storage.Options{Derive: d})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openDB(t testing.TB) *storage.DB {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "magda.db"), derive)
}

func created(key, customer string, p sla.Priority, at time.Time) sla.Event {
	return sla.Event{Ticket: key, Type: sla.Created, At: at, Customer: customer, Kind: sla.Incident, Priority: p}
}

func ev(key string, typ sla.EventType, at time.Time) sla.Event {
	return sla.Event{Ticket: key, Type: typ, At: at}
}
