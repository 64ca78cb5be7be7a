package storage_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/sqlitehold"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// openBusy opens a store whose connections give up on another's lock after 100 ms.
func openBusy(t *testing.T) (*storage.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "magda.db")
	db, err := storage.Open(path, storage.Options{Derive: derive, BusyTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// TestUnavailableClosed_Issue16: every write on a closed store is Unavailable (the
// handlers' 503), whether it goes through the writer (Append) or the pool (MarkAlerts).
func TestUnavailableClosed_Issue16(t *testing.T) {
	ctx := context.Background()
	db, _ := openBusy(t)
	db.Close()
	_, err := db.Append(ctx, storage.SourceAPI, "", []sla.Event{created("MAGDA-1", "agency-x", sla.P2, dt(2026, 7, 10, 10, 0))})
	if !storage.Unavailable(err) {
		t.Errorf("Append after Close: %v, want Unavailable", err)
	}
	_, err = db.MarkAlerts(ctx, []storage.AlertMark{{Ref: "f1", Component: sla.Database, Start: dt(2026, 7, 10, 10, 0)}})
	if !storage.Unavailable(err) {
		t.Errorf("MarkAlerts after Close: %v, want Unavailable", err)
	}
	if err := db.Ping(ctx); !storage.Unavailable(err) {
		t.Errorf("Ping after Close: %v, want Unavailable", err)
	}
}

// TestUnavailableWriterHeld_Issue16: while another connection holds the writer past
// the busy timeout, Append fails as Unavailable and stores nothing; once it lets go,
// the same call stores the event once.
func TestUnavailableWriterHeld_Issue16(t *testing.T) {
	ctx := context.Background()
	db, path := openBusy(t)
	evs := []sla.Event{created("MAGDA-1", "agency-x", sla.P2, dt(2026, 7, 10, 10, 0))}
	release := sqlitehold.Writer(t, path)
	if _, err := db.Append(ctx, storage.SourceAPI, "d1", evs); !storage.Unavailable(err) {
		t.Fatalf("Append with the writer held: %v, want Unavailable", err)
	}
	release()
	if got, err := db.Events(ctx, "MAGDA-1"); len(got) != 0 || (err != nil && !errors.Is(err, storage.ErrNotFound)) {
		t.Fatalf("after the refused Append: %d events, %v; want none stored", len(got), err)
	}
	n, err := db.Append(ctx, storage.SourceAPI, "d1", evs)
	if err != nil || n != 1 {
		t.Fatalf("Append once the writer is free: %d, %v; want 1 stored", n, err)
	}
	if got, _ := db.Events(ctx, "MAGDA-1"); len(got) != 1 {
		t.Fatalf("%d events stored, want 1", len(got))
	}
}

// TestUnavailableNotInput_Issue16: the sender's mistakes, a caller that gives up and
// errors of no store are not Unavailable, so they keep their 400 or 500.
func TestUnavailableNotInput_Issue16(t *testing.T) {
	ctx := context.Background()
	db, _ := openBusy(t)
	_, err := db.Append(ctx, storage.SourceAPI, "", []sla.Event{{Ticket: "MAGDA-1", Type: sla.Created}})
	if err == nil || storage.Unavailable(err) {
		t.Errorf("an invalid event: %v, want an error that is not Unavailable", err)
	}
	for _, err := range []error{nil, context.Canceled, errors.New("boom"),
		fmt.Errorf("append: %w: wrapped", storage.ErrInvalid)} {
		if storage.Unavailable(err) {
			t.Errorf("Unavailable(%v) = true", err)
		}
	}
	for _, err := range []error{context.DeadlineExceeded, fmt.Errorf("x: %w", storage.ErrUnavailable), storage.ErrClosed} {
		if !storage.Unavailable(err) {
			t.Errorf("Unavailable(%v) = false", err)
		}
	}
}

// TestUnavailableBatch_Issue16: calls committed together while the writer is held all
// fail as Unavailable and none is stored, though a batch that fails is otherwise tried
// call by call.
func TestUnavailableBatch_Issue16(t *testing.T) {
	ctx := context.Background()
	db, path := openBusy(t)
	release := sqlitehold.Writer(t, path)
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := db.Append(ctx, storage.SourceAPI, "", []sla.Event{created(fmt.Sprintf("MAGDA-%d", i), "agency-x", sla.P2, dt(2026, 7, 10, 10, 0))})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; !storage.Unavailable(err) {
			t.Errorf("Append with the writer held: %v, want Unavailable", err)
		}
	}
	release()
	for i := range n {
		if got, _ := db.Events(ctx, fmt.Sprintf("MAGDA-%d", i)); len(got) != 0 {
			t.Errorf("MAGDA-%d: %d events stored while refused", i, len(got))
		}
	}
}
