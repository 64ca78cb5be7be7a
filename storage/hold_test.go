package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// enqueue stores one notification of kind with a message to each platform/channel pair.
func enqueue(t *testing.T, db *storage.DB, kind, window string, at time.Time, dests ...[2]string) {
	t.Helper()
	n := storage.Notification{Kind: kind, Slot: at.Unix(), At: at, Window: window, Messages: func() ([]storage.Message, error) {
		var ms []storage.Message
		for _, d := range dests {
			ms = append(ms, storage.Message{Platform: d[0], Channel: d[1], Body: []byte(kind)})
		}
		return ms, nil
	}}
	if _, err := db.Enqueue(context.Background(), n); err != nil {
		t.Fatal(err)
	}
}

// claimAll claims what is due at now for owner until nothing is left, giving
// platform/channel of each row.
func claimAll(t *testing.T, db *storage.DB, owner string, now time.Time, c storage.Claimable) [][2]string {
	t.Helper()
	var out [][2]string
	for {
		d, ok, err := db.Claim(context.Background(), owner, now, time.Hour, c)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return out
		}
		out = append(out, [2]string{d.Platform, d.Channel})
	}
}

// TestHoldAcrossProcesses: a rate limit recorded by one process holds the other one's
// claims too: a Slack hold the whole platform, a Teams hold only its conversation,
// each until the instant the platform named.
func TestHoldAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	a, b := openAt(t, path, derive), openAt(t, path, derive)
	at := dt(2026, 7, 6, 9, 0)
	enqueue(t, a, "digest", "", at, [2]string{"slack", "C-1"}, [2]string{"slack", "C-2"}, [2]string{"teams", "19:a"}, [2]string{"teams", "19:b"})
	all := storage.Claimable{Platforms: []string{"slack", "teams"}}

	for _, first := range []string{"slack", "teams"} {
		d, ok, err := a.Claim(ctx, "a", at, time.Minute, storage.Claimable{Platforms: []string{first}})
		if !ok || err != nil {
			t.Fatalf("claim %s: %v, %v", first, ok, err)
		}
		hold := storage.HoldPlatform
		if first == "teams" {
			hold = storage.HoldChannel
		}
		if err := a.MarkFailed(ctx, d.ID, "a", storage.Failure{Err: "429", Next: at.Add(30 * time.Second), Hold: hold, Clear: true}); err != nil {
			t.Fatal(err)
		}
	}
	if got := claimAll(t, b, "b", at.Add(29*time.Second), all); len(got) != 1 || got[0] != [2]string{"teams", "19:b"} {
		t.Fatalf("the other process claimed %v during the holds; want only teams 19:b", got)
	}
	got := claimAll(t, b, "b", at.Add(30*time.Second), all)
	if len(got) != 3 {
		t.Errorf("after the holds the other process claimed %v; want the three other rows", got)
	}
	// Two workers hit the limit of one conversation: the shorter hold does not shorten
	// the longer one.
	enqueue(t, a, "maintenance", "", at, [2]string{"teams", "19:c"})
	enqueue(t, a, "p1_reported", "", at, [2]string{"teams", "19:c"})
	var claimed []storage.Delivery
	for range 2 {
		d, ok, err := a.Claim(ctx, "a", at.Add(time.Minute), time.Minute, all)
		if !ok || err != nil || d.Channel != "19:c" {
			t.Fatalf("claim: %+v, %v, %v", d, ok, err)
		}
		claimed = append(claimed, d)
	}
	for i, until := range []time.Duration{time.Hour, 2 * time.Minute} {
		if err := a.MarkFailed(ctx, claimed[i].ID, "a", storage.Failure{Err: "429", Next: at.Add(until), Hold: storage.HoldChannel}); err != nil {
			t.Fatal(err)
		}
	}
	if got := claimAll(t, b, "b", at.Add(59*time.Minute), all); len(got) != 0 {
		t.Errorf("claimed %v under the longer hold", got)
	}
	if got := claimAll(t, b, "b", at.Add(time.Hour), all); len(got) != 2 {
		t.Errorf("claimed %v after the longer hold; want both rows of 19:c", got)
	}
	if err := a.MarkFailed(ctx, 1, "a", storage.Failure{Hold: "everything"}); err == nil {
		t.Error("an unknown hold scope was accepted")
	}
}

// TestClaimKeepsWindow (R3.2): a row of a notification kept to a service window is not
// claimed while that window is closed, however long it has been due; others are.
func TestClaimKeepsWindow(t *testing.T) {
	db := openDB(t)
	at := dt(2026, 7, 6, 16, 0)
	enqueue(t, db, "response_breached", "standard", at, [2]string{"slack", "C-Y"})
	enqueue(t, db, "p1_reported", "", at, [2]string{"slack", "C-SDM"})
	night := storage.Claimable{Platforms: []string{"slack"}, Closed: []string{"standard", "dedicated"}}
	if got := claimAll(t, db, "w", at.Add(5*time.Hour), night); len(got) != 1 || got[0][1] != "C-SDM" {
		t.Errorf("claimed %v with the windows closed; want only the P1 notice", got)
	}
	open := storage.Claimable{Platforms: []string{"slack"}, Closed: []string{"dedicated"}}
	if got := claimAll(t, db, "w", at.Add(5*time.Hour), open); len(got) != 1 || got[0][1] != "C-Y" {
		t.Errorf("claimed %v with the standard window open; want the breach", got)
	}
	enqueue(t, db, "update_due", "dedicated", at, [2]string{"slack", "C-X"})
	if got := claimAll(t, db, "w", at.Add(5*time.Hour), storage.Claimable{Platforms: []string{"slack"}}); len(got) != 1 || got[0][1] != "C-X" {
		t.Errorf("claimed %v with no window closed; want the reminder", got)
	}
}

// TestClaimRecordsTries: a claim is the start of a try; the next claim of the row
// learns when the earliest try whose outcome is unknown began, until a failure the
// platform made clear (Clear) or the row is sent.
func TestClaimRecordsTries(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	at := dt(2026, 7, 6, 9, 0)
	enqueue(t, db, "digest", "", at, [2]string{"slack", "C-1"})
	slack := storage.Claimable{Platforms: []string{"slack"}}
	claim := func(now time.Time) storage.Delivery {
		t.Helper()
		d, ok, err := db.Claim(ctx, "w", now, time.Minute, slack)
		if !ok || err != nil {
			t.Fatalf("claim at %v: %v, %v", now, ok, err)
		}
		return d
	}
	fail := func(d storage.Delivery, now time.Time, clear bool) {
		t.Helper()
		if err := db.MarkFailed(ctx, d.ID, "w", storage.Failure{Err: "x", Next: now, Clear: clear}); err != nil {
			t.Fatal(err)
		}
	}
	d := claim(at)
	if !d.Unclear.IsZero() {
		t.Fatalf("first claim: Unclear %v, want none", d.Unclear)
	}
	fail(d, at, true) // refused by the platform: nothing can have been posted
	if d = claim(at.Add(time.Second)); !d.Unclear.IsZero() {
		t.Fatalf("after a clear failure: Unclear %v, want none", d.Unclear)
	}
	// This try's worker dies: its lease runs out and the next claim learns of it.
	t2 := at.Add(time.Minute + 2*time.Second)
	if d = claim(t2); !d.Unclear.Equal(at.Add(time.Second)) {
		t.Fatalf("after a lost try: Unclear %v, want %v", d.Unclear, at.Add(time.Second))
	}
	fail(d, t2, false) // a timeout: still unclear, and the earliest try still counts
	if d = claim(t2.Add(time.Second)); !d.Unclear.Equal(at.Add(time.Second)) {
		t.Fatalf("after a timeout: Unclear %v, want the earliest try %v", d.Unclear, at.Add(time.Second))
	}
	if err := db.MarkSent(ctx, d.ID, "w", t2, "ts"); err != nil {
		t.Fatal(err)
	}
	if ds, _ := db.Deliveries(ctx, storage.StateSent); len(ds) != 1 || !ds[0].Unclear.IsZero() {
		t.Errorf("sent row %+v; want no unclear try", ds)
	}
}

// TestFirstSeen: an id is first once across the processes on one file, per source,
// and forgotten after the retention.
func TestFirstSeen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	a, b := openAt(t, path, derive), openAt(t, path, derive)
	at := dt(2026, 7, 6, 9, 0)
	keep := time.Hour
	steps := []struct {
		db     *storage.DB
		source string
		at     time.Time
		first  bool
	}{
		{a, "slack-events", at, true},
		{b, "slack-events", at.Add(time.Minute), false}, // Slack's retry, at the other process
		{b, "other", at.Add(time.Minute), true},
		{a, "slack-events", at.Add(keep - time.Second), false},
		{b, "slack-events", at.Add(keep + time.Second), true}, // forgotten after an hour
	}
	for i, s := range steps {
		first, err := s.db.FirstSeen(ctx, s.source, "Ev1", s.at, keep)
		if err != nil || first != s.first {
			t.Errorf("step %d: FirstSeen = %v, %v; want %v", i, first, err, s.first)
		}
	}
	if _, err := a.FirstSeen(ctx, "slack-events", "", at, keep); err == nil {
		t.Error("an empty id was accepted")
	}
}
