package storage_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// TestBackupUnderWriteLoad (issue 14.2): a backup taken while writers append holds
// every event acknowledged before it started and passes integrity_check; the writers
// are not stopped by it.
func TestBackupUnderWriteLoad(t *testing.T) {
	storage.SQLiteOnly(t, "the online backup of the file")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dir := t.TempDir()
	db := openAt(t, filepath.Join(dir, "magda.db"), derive)
	var acked atomic.Int64 // tickets 1..acked are on disk
	var wg sync.WaitGroup
	stop := make(chan struct{})
	at := dt(2026, 7, 6, 9, 0)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := int64(1); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			e := created(fmt.Sprintf("MAGDA-%d", i), "agency-x", sla.P2, at)
			if _, err := db.Append(ctx, "api", "", []sla.Event{e}); err != nil {
				t.Error(err)
				return
			}
			acked.Store(i)
		}
	}()
	for acked.Load() < 200 && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	before := acked.Load()
	copyPath := filepath.Join(dir, "copy.db")
	err := db.Backup(ctx, copyPath)
	during := acked.Load()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("acknowledged %d before the backup, %d when it ended", before, during)
	if _, err := os.Stat(copyPath + "-wal"); err == nil {
		t.Error("the copy has a -wal file: it is not one self-contained file")
	}
	cp := openAt(t, copyPath, derive)
	if err := cp.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	for i := int64(1); i <= before; i++ {
		if _, ok, err := cp.Ticket(ctx, fmt.Sprintf("MAGDA-%d", i)); !ok || err != nil {
			t.Fatalf("MAGDA-%d, acknowledged before the backup, is not in it (%v)", i, err)
		}
	}
}

// TestBackupRefusesExisting: a backup never overwrites a file, and leaves no part file.
func TestBackupRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	db := openAt(t, filepath.Join(dir, "magda.db"), derive)
	existing := filepath.Join(dir, "old.db")
	os.WriteFile(existing, []byte("keep me"), 0o600)
	if err := db.Backup(context.Background(), existing); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("the existing file changed: %q", b)
	}
	if _, err := os.Stat(existing + ".part"); err == nil {
		t.Error("a .part file was left behind")
	}
}

// TestPrune (issue 14.3): sent messages and Jira delivery ids older than the cut go;
// pending messages, the ticket notices' keys (they keep a breach from being announced
// twice, R3.5) and the event log stay.
func TestPrune(t *testing.T) {
	ctx := context.Background()
	at := dt(2026, 7, 6, 9, 0)
	clock := at
	db, err := storage.Open(storage.StoreFor(t, filepath.Join(t.TempDir(), "magda.db")), storage.Options{Derive: derive, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Append(ctx, "jira", "delivery-1", []sla.Event{created("MAGDA-1", "agency-x", sla.P2, at)}); err != nil {
		t.Fatal(err)
	}
	_, err = db.Enqueue(ctx, note("MAGDA-1", "breach", at.Unix(), at, "C-1"),
		note("", "digest", at.Unix(), at, "C-2"), note("MAGDA-1", "at_risk", at.Unix(), at, "C-3"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the breach and the digest are sent; the at-risk message stays pending
		d, ok, err := db.Claim(ctx, "w", at, time.Minute, storage.Claimable{Platforms: []string{"slack"}})
		if !ok || err != nil {
			t.Fatalf("claim: %v %v", ok, err)
		}
		if d.Channel == "C-3" {
			t.Fatal("claimed the row meant to stay pending first")
		}
		if err := db.MarkSent(ctx, d.ID, "w", at, "ts"); err != nil {
			t.Fatal(err)
		}
	}
	if p, err := db.Prune(ctx, at); err != nil || p != (storage.Pruned{}) {
		t.Fatalf("prune at the instant of sending = %+v, %v; want nothing removed", p, err)
	}
	p, err := db.Prune(ctx, at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := (storage.Pruned{Outbox: 2, Notices: 1, Deliveries: 1}); p != want {
		t.Errorf("pruned %+v, want %+v", p, want)
	}
	if ds, _ := db.Deliveries(ctx, ""); len(ds) != 1 || ds[0].Channel != "C-3" {
		t.Errorf("outbox after prune = %+v, want the pending C-3 only", ds)
	}
	if ok, _ := db.Decided(ctx, "MAGDA-1", "breach", at.Unix()); !ok {
		t.Error("the breach's key was pruned: it could be announced again (R3.5)")
	}
	if n, _ := db.Enqueue(ctx, note("MAGDA-1", "breach", at.Unix(), at, "C-1")); n != 0 {
		t.Error("the breach was decided again after prune")
	}
	if evs, _ := db.Events(ctx, "MAGDA-1"); len(evs) != 1 {
		t.Errorf("events after prune = %d, want the log kept", len(evs))
	}
	// The delivery id is forgotten: the same id is stored again.
	n, err := db.Append(ctx, "jira", "delivery-1", []sla.Event{ev("MAGDA-1", sla.Responded, at)})
	if err != nil || n != 1 {
		t.Errorf("append with the pruned delivery id stored %d, %v; want 1", n, err)
	}
}

// TestWaiting: events of a ticket whose created has not come are counted as waiting.
func TestWaiting(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	at := dt(2026, 7, 6, 9, 0)
	db.Append(ctx, "api", "", []sla.Event{ev("MAGDA-2", sla.Responded, at)})
	if n, err := db.Waiting(ctx, "MAGDA-2"); n != 1 || err != nil {
		t.Errorf("waiting = %d, %v; want 1", n, err)
	}
	db.Append(ctx, "api", "", []sla.Event{created("MAGDA-2", "agency-x", sla.P2, at)})
	if n, _ := db.Waiting(ctx, "MAGDA-2"); n != 0 {
		t.Errorf("waiting after created = %d, want 0", n)
	}
}

// TestNewerDatabaseRefused (issue 14.1): the size is known, and a file migrated by a newer binary is refused
// with one line naming its migration, and is left as it was.
func TestNewerDatabaseRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "magda.db")
	db := openAt(t, path, derive)
	n, err := db.Size(context.Background())
	if err != nil || n <= 0 {
		t.Fatalf("size = %d, %v", n, err)
	}
	db.Close()
	// A newer binary's migration, recorded as it would record it.
	if err := execFile(t, path, `INSERT INTO migrations (name, applied_at) VALUES ('9999_future.sql', '2027-01-01T00:00:00.000000000Z')`); err != nil {
		t.Fatal(err)
	}
	_, err = storage.Open(storage.StoreFor(t, path), storage.Options{Derive: derive})
	if err == nil {
		t.Fatal("an older binary opened a newer database")
	}
	if want := "9999_future.sql"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name %s", err, want)
	}
}

// execFile runs stmt on the file at path through its own connection.
func execFile(t *testing.T, path, stmt string) error {
	_, err := storage.RawStore(t, storage.StoreFor(t, path)).Exec(stmt)
	return err
}
