package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func note(ticket, kind string, slot int64, at time.Time, channels ...string) storage.Notification {
	return storage.Notification{Ticket: ticket, Kind: kind, Slot: slot, At: at, Messages: func() ([]storage.Message, error) {
		var ms []storage.Message
		for _, c := range channels {
			ms = append(ms, storage.Message{Platform: "slack", Channel: c, Body: []byte(kind + " " + ticket)})
		}
		return ms, nil
	}}
}

// TestDecideOnce: the same decision taken twice, by Decide or Enqueue, stores one
// notification and its messages once (the outbox key).
func TestDecideOnce(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	at := dt(2026, 7, 6, 9, 0)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P1, at))
	decide := func(r storage.Running) ([]storage.Notification, storage.Next) {
		return []storage.Notification{note(r.Key, "p1_reported", r.Created.Unix(), at, "C-SDM", "C-OTHER")}, storage.Next{}
	}
	for round, want := range []int{1, 0} {
		if round > 0 {
			if _, err := db.ResetNotices(ctx); err != nil { // the same decision taken again
				t.Fatal(err)
			}
		}
		if n, err := db.Decide(ctx, at, decide); err != nil || n != want {
			t.Errorf("Decide round %d = %d, %v; want %d new", round, n, err, want)
		}
	}
	if n, err := db.Enqueue(ctx, note("MAGDA-1", "p1_reported", at.Unix(), at, "C-SDM")); err != nil || n != 0 {
		t.Errorf("Enqueue of a stored key = %d, %v; want 0", n, err)
	}
	called := false
	again := storage.Notification{Ticket: "MAGDA-1", Kind: "p1_reported", Slot: at.Unix(),
		Messages: func() ([]storage.Message, error) { called = true; return nil, nil }}
	if _, err := db.Enqueue(ctx, again); err != nil || called {
		t.Errorf("Enqueue of a stored key rendered its messages (%v)", err)
	}
	ds, err := db.Deliveries(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []storage.Delivery{
		{Ticket: "MAGDA-1", Kind: "p1_reported", Slot: at.Unix(), Platform: "slack", Channel: "C-SDM",
			Body: []byte("p1_reported MAGDA-1"), State: storage.StatePending, NotBefore: at},
		{Ticket: "MAGDA-1", Kind: "p1_reported", Slot: at.Unix(), Platform: "slack", Channel: "C-OTHER",
			Body: []byte("p1_reported MAGDA-1"), State: storage.StatePending, NotBefore: at},
	}
	if diff := cmp.Diff(want, ds, sameInstant, cmpopts.IgnoreFields(storage.Delivery{}, "ID")); diff != "" {
		t.Errorf("outbox (-want +got):\n%s", diff)
	}
	if yes, err := db.Decided(ctx, "MAGDA-1", "p1_reported", at.Unix()); !yes || err != nil {
		t.Errorf("Decided = %v, %v", yes, err)
	}
	if yes, err := db.Decided(ctx, "MAGDA-1", "p1_reported", at.Unix()+1); yes || err != nil {
		t.Errorf("Decided (other slot) = %v, %v", yes, err)
	}
}

// TestEnqueueAllOrNothing: a notification whose messages fail leaves nothing stored.
func TestEnqueueAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	at := dt(2026, 7, 6, 9, 0)
	bad := storage.Notification{Ticket: "", Kind: "digest", Slot: at.Unix(),
		Messages: func() ([]storage.Message, error) { return []storage.Message{{Platform: "slack"}}, nil }}
	if _, err := db.Enqueue(ctx, note("", "maintenance", 1, at, "C-NEWS"), bad); !errors.Is(err, storage.ErrInvalid) {
		t.Errorf("Enqueue of a message without channel = %v, want ErrInvalid", err)
	}
	if ds, _ := db.Deliveries(ctx, ""); len(ds) != 0 {
		t.Errorf("%d rows stored after a failed Enqueue", len(ds))
	}
	if yes, _ := db.Decided(ctx, "", "maintenance", 1); yes {
		t.Error("the first notification of the failed Enqueue is stored")
	}
}

// TestOutboxStart: the first call's instant is kept.
func TestOutboxStart(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	first, later := dt(2026, 7, 6, 9, 0), dt(2026, 7, 7, 9, 0)
	for _, now := range []time.Time{first, later} {
		if got, err := db.OutboxStart(ctx, now); err != nil || !got.Equal(first) {
			t.Errorf("OutboxStart(%v) = %v, %v; want %v", now, got, err, first)
		}
	}
}
