package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// TestRequeue: an operator puts a parked row back; it is claimed again at once with its
// failures forgotten, and rows that are not parked are left alone.
func TestRequeue(t *testing.T) {
	ctx := context.Background()
	at := dt(2026, 7, 6, 9, 0)
	db := outbox(t, at)
	d, ok, err := db.Claim(ctx, "w", at, time.Minute, storage.Claimable{Platforms: []string{"slack"}})
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := db.MarkFailed(ctx, d.ID, "w", storage.Failure{Err: "channel_not_found", Next: at.Add(time.Hour), Count: true, Park: true}); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Requeue(ctx, at, d.ID+100); n != 0 || err != nil {
		t.Errorf("requeue of an unknown id: %d, %v; want 0", n, err)
	}
	later := at.Add(2 * time.Hour)
	if n, err := db.Requeue(ctx, later); n != 1 || err != nil {
		t.Fatalf("requeue all parked: %d, %v; want 1", n, err)
	}
	var back storage.Delivery
	for {
		c, ok, err := db.Claim(ctx, "w", later, time.Minute, storage.Claimable{Platforms: []string{"slack"}})
		if err != nil || !ok {
			t.Fatalf("the requeued row was not claimed (%v)", err)
		}
		if c.ID == d.ID {
			back = c
			break
		}
	}
	if back.Attempts != 0 || back.LastError != "" || !back.NotBefore.Equal(later) {
		t.Errorf("requeued row %+v; want no attempts, no error, due at %v", back, later)
	}
	if parked, _ := db.Deliveries(ctx, storage.StateParked); len(parked) != 0 {
		t.Errorf("still parked: %+v", parked)
	}
}
