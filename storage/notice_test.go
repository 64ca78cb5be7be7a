package storage_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

// decideAt runs a pass at now whose callback gives each ticket the instants of next and
// decides nothing, and lists the tickets it was handed, in key order.
func decideAt(t *testing.T, db *storage.DB, now time.Time, next func(storage.Running) storage.Next) []string {
	t.Helper()
	var got []string
	if _, err := db.Decide(context.Background(), now, func(r storage.Running) ([]storage.Notification, storage.Next) {
		got = append(got, r.Key)
		return nil, next(r)
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

func noticeKey(i int) string { return fmt.Sprintf("MAGDA-%04d", 1000+i) }

// TestDecideReadsOnlyDue: a pass hands its callback only the open tickets whose notice
// instant has come or whose state was written since the last look, each once even
// over several chunks; a ticket with no instant is not read again until it is written,
// a resolved one not at all; ResetNotices has the next pass read every open ticket.
func TestDecideReadsOnlyDue(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	now := dt(2026, 7, 6, 10, 0)
	const tickets = 1234 // more than one chunk
	var evs []sla.Event
	for i := range tickets {
		evs = append(evs, created(noticeKey(i), "agency-y", sla.P3, now.Add(-time.Hour)))
	}
	mustAppend(t, db, evs...)
	hourly := func(r storage.Running) storage.Next { // every third ticket in an hour, the others never
		var i int
		fmt.Sscanf(r.Key, "MAGDA-%d", &i)
		if (i-1000)%3 == 0 {
			return storage.Next{Notice: now.Add(time.Hour)}
		}
		return storage.Next{}
	}
	if got := decideAt(t, db, now, hourly); len(got) != tickets {
		t.Fatalf("first pass read %d tickets, want all %d", len(got), tickets)
	}
	if got := decideAt(t, db, now.Add(time.Minute), hourly); len(got) != 0 {
		t.Errorf("a pass with nothing due read %d tickets: %v", len(got), got[:min(len(got), 5)])
	}
	mustAppend(t, db, ev(noticeKey(5), sla.Responded, now.Add(time.Minute)), ev(noticeKey(0), sla.Resolved, now.Add(time.Minute)))
	if diff := cmp.Diff([]string{noticeKey(5)}, decideAt(t, db, now.Add(2*time.Minute), hourly)); diff != "" {
		t.Errorf("after a write (-want +got):\n%s", diff)
	}
	var want []string
	for i := 3; i < tickets; i += 3 {
		want = append(want, noticeKey(i))
	}
	if diff := cmp.Diff(want, decideAt(t, db, now.Add(time.Hour), hourly)); diff != "" {
		t.Errorf("at the instant given (-want +got):\n%s", diff)
	}
	if n, err := db.ResetNotices(ctx); err != nil || n != tickets-1 {
		t.Errorf("ResetNotices = %d, %v; want %d open tickets", n, err, tickets-1)
	}
	if got := decideAt(t, db, now.Add(time.Hour), hourly); len(got) != tickets-1 || slices.Contains(got, noticeKey(0)) {
		t.Errorf("after ResetNotices a pass read %d tickets, want the %d open ones", len(got), tickets-1)
	}
}

// TestResetNoticesLeavesUnlooked: ResetNotices sets back only the open tickets the
// scheduler has looked at; those written since (instants 0 already) are left as they
// are, and the next pass reads both.
func TestResetNoticesLeavesUnlooked(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	now := dt(2026, 7, 6, 10, 0)
	mustAppend(t, db, created("MAGDA-1", "agency-y", sla.P3, now), created("MAGDA-2", "agency-y", sla.P3, now))
	if n, err := db.ResetNotices(ctx); err != nil || n != 0 {
		t.Errorf("ResetNotices before any pass = %d, %v; want 0 (both are to be looked at already)", n, err)
	}
	never := func(storage.Running) storage.Next { return storage.Next{} }
	decideAt(t, db, now, never)
	mustAppend(t, db, ev("MAGDA-2", sla.Responded, now.Add(time.Minute)))
	if n, err := db.ResetNotices(ctx); err != nil || n != 1 {
		t.Errorf("ResetNotices after a pass and a write of MAGDA-2 = %d, %v; want 1 (MAGDA-1)", n, err)
	}
	if diff := cmp.Diff([]string{"MAGDA-1", "MAGDA-2"}, decideAt(t, db, now.Add(2*time.Minute), never)); diff != "" {
		t.Errorf("pass after ResetNotices (-want +got):\n%s", diff)
	}
}

// TestDecideNextAfterNow: an instant given at or before the pass's own second does not
// make the pass read the ticket again (it would never end); the next pass reads it.
func TestDecideNextAfterNow(t *testing.T) {
	db := openDB(t)
	now := dt(2026, 7, 6, 10, 0).Add(300 * time.Millisecond)
	mustAppend(t, db, created("MAGDA-1", "agency-y", sla.P3, now))
	calls := 0
	past := func(storage.Running) storage.Next { calls++; return storage.Next{Notice: now.Add(-time.Hour)} }
	if got := decideAt(t, db, now, past); len(got) != 1 || calls != 1 {
		t.Errorf("pass read %v in %d calls, want MAGDA-1 once", got, calls)
	}
	if got := decideAt(t, db, now.Add(time.Second), past); len(got) != 1 {
		t.Errorf("next pass read %v, want MAGDA-1", got)
	}
}

// TestDigestTickets: the digest reads the open tickets whose digest instant has come,
// and those written since the last pass (whose instant is not known yet).
func TestDigestTickets(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	now := dt(2026, 7, 6, 10, 0)
	var evs []sla.Event
	for _, k := range []string{"MAGDA-4", "MAGDA-3", "MAGDA-2", "MAGDA-1"} {
		evs = append(evs, created(k, "agency-y", sla.P3, now.Add(-time.Hour)))
	}
	mustAppend(t, db, evs...)
	from := map[string]time.Time{"MAGDA-1": now.Add(-time.Hour), "MAGDA-2": now.Add(time.Hour), "MAGDA-4": now}
	decideAt(t, db, now, func(r storage.Running) storage.Next { return storage.Next{Digest: from[r.Key]} })
	read := func(at time.Time) []string {
		var got []string
		if err := db.DigestTickets(ctx, at, func(r storage.Running) { got = append(got, r.Key) }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		return got
	}
	if diff := cmp.Diff([]string{"MAGDA-1", "MAGDA-4"}, read(now)); diff != "" {
		t.Errorf("digest tickets at %v (-want +got):\n%s", now, diff)
	}
	mustAppend(t, db, ev("MAGDA-3", sla.Responded, now), ev("MAGDA-4", sla.Resolved, now))
	if diff := cmp.Diff([]string{"MAGDA-1", "MAGDA-2", "MAGDA-3"}, read(now.Add(time.Hour))); diff != "" {
		t.Errorf("digest tickets after writes (-want +got):\n%s", diff)
	}
}

// TestResetNoticesFor: the notices are reset for a fingerprint other than the last one
// stored, once, and not for the same one again.
func TestResetNoticesFor(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	now := dt(2026, 7, 6, 10, 0)
	mustAppend(t, db, created("MAGDA-1", "agency-y", sla.P3, now), created("MAGDA-2", "agency-y", sla.P3, now),
		ev("MAGDA-2", sla.Resolved, now))
	never := func(storage.Running) storage.Next { return storage.Next{} }
	decideAt(t, db, now, never)
	for _, step := range []struct {
		fingerprint string
		ran         bool
		read        int
	}{{"a", true, 1}, {"a", false, 0}, {"b", true, 1}, {"a", true, 1}} {
		n, ran, err := db.ResetNoticesFor(ctx, step.fingerprint)
		if err != nil || ran != step.ran || n != step.read {
			t.Errorf("ResetNoticesFor(%s) = %d, %v, %v; want %d, %v", step.fingerprint, n, ran, err, step.read, step.ran)
		}
		if got := decideAt(t, db, now, never); len(got) != step.read {
			t.Errorf("after ResetNoticesFor(%s) the pass read %v, want %d tickets", step.fingerprint, got, step.read)
		}
	}
}
