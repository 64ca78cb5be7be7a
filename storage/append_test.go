package storage_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
	"github.com/google/go-cmp/cmp"
)

func TestAppendReadBack(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	evs := []sla.Event{
		created("MAGDA-1", "agency-x", sla.P2, dt(2026, 7, 10, 10, 0)),
		{ID: "r1", Ticket: "MAGDA-1", Type: sla.Responded, At: dt(2026, 7, 10, 11, 0), By: "alice"},
	}
	n, err := db.Append(ctx, storage.SourceAPI, "", evs)
	if err != nil || n != 2 {
		t.Fatalf("Append = %d, %v; want 2, nil", n, err)
	}
	got, found, err := db.Ticket(ctx, "MAGDA-1")
	if err != nil || !found {
		t.Fatalf("Ticket = found %v, %v", found, err)
	}
	if diff := cmp.Diff(derive(evs), got, sameInstant); diff != "" {
		t.Errorf("Ticket (-want +got):\n%s", diff)
	}
	gotEvs, err := db.Events(ctx, "MAGDA-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(evs, gotEvs, sameInstant); diff != "" {
		t.Errorf("Events (-want +got):\n%s", diff)
	}
	if _, found, err := db.Ticket(ctx, "MAGDA-404"); found || err != nil {
		t.Errorf("Ticket(unknown) = found %v, %v; want false, nil", found, err)
	}
}

func TestAppendDuplicateEventID(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	c := created("MAGDA-1", "agency-x", sla.P3, dt(2026, 7, 10, 10, 0))
	c.ID = "ev-1"
	steps := []struct {
		name   string
		source string
		evs    []sla.Event
		stored int
	}{
		{"first", storage.SourceAPI, []sla.Event{c}, 1},
		{"same id again", storage.SourceAPI, []sla.Event{c}, 0},
		{"same id twice in one call", storage.SourceAPI, []sla.Event{
			{ID: "ev-2", Ticket: "MAGDA-1", Type: sla.Responded, At: dt(2026, 7, 10, 11, 0)},
			{ID: "ev-2", Ticket: "MAGDA-1", Type: sla.Responded, At: dt(2026, 7, 10, 11, 0)},
		}, 1},
		{"same id from another source", storage.SourceJira, []sla.Event{c}, 1},
		{"no id is never a duplicate", storage.SourceAPI, []sla.Event{
			ev("MAGDA-1", sla.Updated, dt(2026, 7, 10, 12, 0)), ev("MAGDA-1", sla.Updated, dt(2026, 7, 10, 12, 0)),
		}, 2},
	}
	total := 0
	for _, s := range steps {
		n, err := db.Append(ctx, s.source, "", s.evs)
		if err != nil || n != s.stored {
			t.Errorf("%s: Append = %d, %v; want %d, nil", s.name, n, err, s.stored)
		}
		total += s.stored
	}
	evs, err := db.Events(ctx, "MAGDA-1")
	if err != nil || len(evs) != total {
		t.Errorf("Events = %d events, %v; want %d", len(evs), err, total)
	}
	tk, _, err := db.Ticket(ctx, "MAGDA-1")
	if err != nil || tk.Events != total {
		t.Errorf("Ticket.Events = %d, %v; want %d", tk.Events, err, total)
	}
}

func TestAppendDuplicateDelivery(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	first := []sla.Event{created("MAGDA-1", "agency-y", sla.P2, dt(2026, 7, 10, 10, 0))}
	other := []sla.Event{ev("MAGDA-1", sla.Responded, dt(2026, 7, 10, 11, 0))}
	if n, err := db.Append(ctx, storage.SourceJira, "hook-1", first); err != nil || n != 1 {
		t.Fatalf("first delivery = %d, %v", n, err)
	}
	if n, err := db.Append(ctx, storage.SourceJira, "hook-1", other); err != nil || n != 0 {
		t.Errorf("repeated delivery = %d, %v; want 0, nil", n, err)
	}
	if evs, _ := db.Events(ctx, "MAGDA-1"); len(evs) != 1 {
		t.Errorf("after a repeated delivery: %d events, want 1", len(evs))
	}
	if n, err := db.Append(ctx, storage.SourceAPI, "hook-1", other); err != nil || n != 1 {
		t.Errorf("same delivery id from another source = %d, %v; want 1, nil", n, err)
	}
}

func TestAppendAllOrNothing(t *testing.T) {
	good := created("MAGDA-1", "agency-x", sla.P1, dt(2026, 7, 10, 10, 0))
	tests := []struct {
		name   string
		source string
		bad    sla.Event
	}{
		{"no ticket", storage.SourceAPI, sla.Event{Type: sla.Responded, At: dt(2026, 7, 10, 11, 0)}},
		{"no type", storage.SourceAPI, sla.Event{Ticket: "MAGDA-1", At: dt(2026, 7, 10, 11, 0)}},
		{"no time", storage.SourceAPI, sla.Event{Ticket: "MAGDA-1", Type: sla.Responded}},
		{"unknown source", "fax", ev("MAGDA-1", sla.Responded, dt(2026, 7, 10, 11, 0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t)
			n, err := db.Append(ctx, tt.source, "hook-1", []sla.Event{good, tt.bad})
			if !errors.Is(err, storage.ErrInvalid) || n != 0 {
				t.Fatalf("Append = %d, %v; want 0, ErrInvalid", n, err)
			}
			if evs, err := db.Events(ctx, "MAGDA-1"); err != nil || len(evs) != 0 {
				t.Errorf("Events = %v, %v; want none", evs, err)
			}
			if _, found, _ := db.Ticket(ctx, "MAGDA-1"); found {
				t.Error("the rejected call created the ticket")
			}
			// The delivery id was not spent either: a corrected retry goes through.
			if n, err := db.Append(ctx, storage.SourceAPI, "hook-1", []sla.Event{good}); err != nil || n != 1 {
				t.Errorf("retry = %d, %v; want 1, nil", n, err)
			}
		})
	}
}

// story is a dedicated P2 incident with a pause, a priority change and a resolution.
func story(key string) []sla.Event {
	return []sla.Event{
		created(key, "agency-x", sla.P3, dt(2026, 7, 10, 9, 0)),
		ev(key, sla.Responded, dt(2026, 7, 10, 9, 30)),
		{Ticket: key, Type: sla.PriorityChanged, At: dt(2026, 7, 10, 10, 0), Priority: sla.P2, By: "bob"},
		{Ticket: key, Type: sla.Paused, At: dt(2026, 7, 10, 12, 0), Reason: sla.WaitCustomer},
		ev(key, sla.Resumed, dt(2026, 7, 13, 9, 0)),
		ev(key, sla.Updated, dt(2026, 7, 13, 14, 0)),
		ev(key, sla.Resolved, dt(2026, 7, 14, 10, 0)),
	}
}

func TestOutOfOrderArrival(t *testing.T) {
	ctx := context.Background()
	inOrder, reversed := openDB(t), openDB(t)
	evs := story("MAGDA-7")
	if _, err := inOrder.Append(ctx, storage.SourceAPI, "", evs); err != nil {
		t.Fatal(err)
	}
	for i := len(evs) - 1; i >= 0; i-- { // one call per event, newest first
		if _, err := reversed.Append(ctx, storage.SourceAPI, "", evs[i:i+1]); err != nil {
			t.Fatal(err)
		}
	}
	want, _, err := inOrder.Ticket(ctx, "MAGDA-7")
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := reversed.Ticket(ctx, "MAGDA-7")
	if err != nil || !found {
		t.Fatalf("Ticket = found %v, %v", found, err)
	}
	if want.State != sla.ResolvedState {
		t.Fatalf("in-order state = %q, want resolved", want.State)
	}
	if diff := cmp.Diff(want, got, sameInstant); diff != "" {
		t.Errorf("reversed arrival (-in order +reversed):\n%s", diff)
	}
}

func TestEventBeforeCreated(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	early := ev("MAGDA-9", sla.Responded, dt(2026, 7, 10, 10, 30))
	if n, err := db.Append(ctx, storage.SourceJira, "", []sla.Event{early}); err != nil || n != 1 {
		t.Fatalf("Append = %d, %v", n, err)
	}
	if _, found, err := db.Ticket(ctx, "MAGDA-9"); found || err != nil {
		t.Errorf("before created: Ticket found = %v, %v; want false", found, err)
	}
	if ts, err := db.Tickets(ctx, storage.Filter{}); err != nil || len(ts) != 0 {
		t.Errorf("before created: Tickets = %d, %v; want none", len(ts), err)
	}
	if evs, err := db.Events(ctx, "MAGDA-9"); err != nil || len(evs) != 1 {
		t.Errorf("before created: Events = %d, %v; want the early event kept", len(evs), err)
	}
	c := created("MAGDA-9", "agency-x", sla.P2, dt(2026, 7, 10, 10, 0))
	if _, err := db.Append(ctx, storage.SourceJira, "", []sla.Event{c}); err != nil {
		t.Fatal(err)
	}
	got, found, err := db.Ticket(ctx, "MAGDA-9")
	if err != nil || !found {
		t.Fatalf("after created: Ticket found = %v, %v", found, err)
	}
	if !got.RespondedAt.Equal(early.At) || !got.Response.Done() {
		t.Errorf("after created: responded at %v (done %v), want the early response applied at %v",
			got.RespondedAt, got.Response.Done(), early.At)
	}
}

func TestConcurrentAppends(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	const workers, calls = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*calls)
	for w := range workers {
		wg.Go(func() {
			for i := range calls {
				key := fmt.Sprintf("MAGDA%d-%d", w, i)
				evs := []sla.Event{
					created(key, "agency-y", sla.P3, dt(2026, 7, 10, 10, 0)),
					ev(key, sla.Responded, dt(2026, 7, 10, 11, i)),
				}
				if n, err := db.Append(ctx, storage.SourceAPI, fmt.Sprintf("d-%d-%d", w, i), evs); err != nil || n != 2 {
					errs <- fmt.Errorf("%s: Append = %d, %v", key, n, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ts, err := db.Tickets(ctx, storage.Filter{})
	if err != nil || len(ts) != workers*calls {
		t.Fatalf("Tickets = %d, %v; want %d", len(ts), err, workers*calls)
	}
	for _, tk := range ts {
		if tk.Events != 2 || tk.RespondedAt.IsZero() {
			t.Errorf("%s: %d events, responded %v; want both events applied", tk.Key, tk.Events, tk.RespondedAt)
		}
	}
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "magda.db")
	db, err := storage.Open(storage.StoreFor(t, path), storage.Options{Derive: derive})
	if err != nil {
		t.Fatal(err)
	}
	esc := storage.Escalation{Ticket: "MAGDA-3", Level: 1, By: "bot", Reason: "resolution due passed", At: dt(2026, 7, 13, 9, 5)}
	evs := append(story("MAGDA-3"), sla.Event{Ticket: esc.Ticket, Type: sla.Escalated, At: esc.At, By: esc.By, Reason: esc.Reason})
	if _, err := db.Append(ctx, storage.SourceCLI, "", evs); err != nil {
		t.Fatal(err)
	}
	want, _, _ := db.Ticket(ctx, "MAGDA-3")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Append(ctx, storage.SourceCLI, "", evs); !errors.Is(err, storage.ErrClosed) {
		t.Errorf("Append after Close = %v, want ErrClosed", err)
	}

	db = openAt(t, path, derive)
	got, found, err := db.Ticket(ctx, "MAGDA-3")
	if err != nil || !found {
		t.Fatalf("after reopen: Ticket found = %v, %v", found, err)
	}
	if diff := cmp.Diff(want, got, sameInstant); diff != "" {
		t.Errorf("after reopen (-before +after):\n%s", diff)
	}
	gotEvs, _ := db.Events(ctx, "MAGDA-3")
	sla.SortEvents(evs)
	if diff := cmp.Diff(evs, gotEvs, sameInstant); diff != "" {
		t.Errorf("events after reopen (-want +got):\n%s", diff)
	}
	es, _ := db.Escalations(ctx, "MAGDA-3")
	if diff := cmp.Diff([]storage.Escalation{esc}, es, sameInstant); diff != "" {
		t.Errorf("escalations after reopen (-want +got):\n%s", diff)
	}
}
