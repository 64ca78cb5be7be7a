package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

// outbox stores three messages decided at `at`: two on Slack, one on Teams.
func outbox(t *testing.T, at time.Time) *storage.DB {
	t.Helper()
	db := openDB(t)
	n := note("", "maintenance", at.Unix(), at, "C-1", "C-2")
	teams := storage.Notification{Kind: "digest", Slot: at.Unix(), At: at, Messages: func() ([]storage.Message, error) {
		return []storage.Message{{Platform: "teams", Channel: "19:abc", Body: []byte("digest")}}, nil
	}}
	if _, err := db.Enqueue(context.Background(), n, teams); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestClaimLease: a claimed row is nobody else's until its lease runs out; then another
// worker may take it, and the first one's mark fails with ErrLeaseLost.
func TestClaimLease(t *testing.T) {
	ctx := context.Background()
	at := dt(2026, 7, 6, 9, 0)
	db := outbox(t, at)
	slack := storage.Claimable{Platforms: []string{"slack"}}
	if _, ok, err := db.Claim(ctx, "a", at.Add(-time.Second), time.Minute, slack); ok || err != nil {
		t.Fatalf("claimed a row before it is due (%v)", err)
	}
	a1, ok, err := db.Claim(ctx, "a", at, time.Minute, slack)
	if !ok || err != nil || a1.Channel != "C-1" {
		t.Fatalf("first claim = %+v, %v, %v", a1, ok, err)
	}
	b1, ok, err := db.Claim(ctx, "b", at, time.Minute, slack)
	if !ok || err != nil || b1.Channel != "C-2" {
		t.Fatalf("second claim = %+v, %v, %v; want the other row", b1, ok, err)
	}
	if _, ok, _ := db.Claim(ctx, "b", at.Add(time.Minute), time.Minute, slack); ok {
		t.Fatal("claimed a leased row at the lease's last instant")
	}
	// Worker a died: after its lease b takes the row, and a's late mark is refused.
	late := at.Add(time.Minute + time.Millisecond)
	b2, ok, err := db.Claim(ctx, "b", late, time.Minute, slack)
	if !ok || err != nil || b2.ID != a1.ID {
		t.Fatalf("claim after the lease = %+v, %v, %v; want row %d", b2, ok, err, a1.ID)
	}
	if err := db.MarkSent(ctx, a1.ID, "a", late, "ts-a"); !errors.Is(err, storage.ErrLeaseLost) {
		t.Errorf("mark by the worker that lost the lease = %v, want ErrLeaseLost", err)
	}
	for _, d := range []storage.Delivery{b1, b2} {
		if err := db.MarkSent(ctx, d.ID, "b", late, "ts-b"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkSent(ctx, b2.ID, "b", late, "ts-b"); !errors.Is(err, storage.ErrLeaseLost) {
		t.Errorf("second mark of a sent row = %v, want ErrLeaseLost", err)
	}
	if _, ok, _ := db.Claim(ctx, "c", late.Add(time.Hour), time.Minute, slack); ok {
		t.Error("claimed a sent row")
	}
	teams, ok, err := db.Claim(ctx, "c", late, time.Minute, storage.Claimable{Platforms: []string{"teams", "mail"}})
	if !ok || err != nil || teams.Platform != "teams" || teams.Kind != "digest" {
		t.Errorf("claim on teams = %+v, %v, %v", teams, ok, err)
	}
	sent, err := db.Deliveries(ctx, storage.StateSent)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 || sent[0].Ref != "ts-b" || !sent[0].SentAt.Equal(late) {
		t.Errorf("sent rows: %+v", sent)
	}
}

// TestMarkFailed: a failed try waits until Next; counted tries add up, a rate limit
// does not count, and a parked row is never claimed again but shows in the depth.
func TestMarkFailed(t *testing.T) {
	ctx := context.Background()
	at := dt(2026, 7, 6, 9, 0)
	db := outbox(t, at)
	slack := storage.Claimable{Platforms: []string{"slack"}}
	claim := func(now time.Time) storage.Delivery {
		t.Helper()
		d, ok, err := db.Claim(ctx, "w", now, time.Minute, slack)
		if !ok || err != nil {
			t.Fatalf("claim at %v = %v, %v", now, ok, err)
		}
		return d
	}
	d := claim(at)
	next := at.Add(30 * time.Second)
	if err := db.MarkFailed(ctx, d.ID, "w", storage.Failure{Err: "429", Next: next}); err != nil {
		t.Fatal(err)
	}
	if got := claim(at); got.ID == d.ID {
		t.Fatal("a row waiting for its next try was claimed")
	}
	again := claim(next)
	if again.ID != d.ID || again.Attempts != 0 || !again.NotBefore.Equal(next) || again.LastError != "429" {
		t.Fatalf("after a rate limit: %+v; want the row, 0 attempts, next try %v", again, next)
	}
	if err := db.MarkFailed(ctx, d.ID, "w", storage.Failure{Err: "boom", Next: next, Count: true, Park: true}); err != nil {
		t.Fatal(err)
	}
	parked, err := db.Deliveries(ctx, storage.StateParked)
	if err != nil || len(parked) != 1 || parked[0].Attempts != 1 || parked[0].LastError != "boom" {
		t.Fatalf("parked = %+v, %v", parked, err)
	}
	depth, err := db.OutboxDepth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []storage.Depth{{storage.StateParked, "slack", 1}, {storage.StatePending, "slack", 1}, {storage.StatePending, "teams", 1}}
	if diff := cmp.Diff(want, depth); diff != "" {
		t.Errorf("depth (-want +got):\n%s", diff)
	}
}
