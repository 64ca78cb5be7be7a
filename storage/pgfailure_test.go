package storage_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/pgtest"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// PostgreSQL stopped under an open store (issue 16, failure behaviour): Ping and every
// write fail as Unavailable, never as a success or an ErrInvalid; once the server is
// back the same DB answers again, without being opened again, and holds everything
// that was acknowledged and nothing that was not.
func TestPostgresGoneAndBack_Issue16(t *testing.T) {
	storage.SQLiteOnly(t, "it starts and stops a PostgreSQL of its own, in the SQLite run")
	srv := pgtest.Start(t, pgtest.Owned())
	db, err := storage.Open(srv.Database(t), storage.Options{Derive: derive, BusyTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	at := dt(2026, 7, 6, 9, 0)
	mustAppend(t, db, created("MAGDA-1", "agency-x", sla.P2, at))

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(ctx); !storage.Unavailable(err) {
		t.Errorf("Ping with the server stopped: %v, want Unavailable", err)
	}
	_, err = db.Append(ctx, storage.SourceAPI, "", []sla.Event{ev("MAGDA-1", sla.Responded, at.Add(time.Minute))})
	if !storage.Unavailable(err) {
		t.Errorf("Append with the server stopped: %v, want Unavailable", err)
	}
	if _, err := db.Enqueue(ctx, note("MAGDA-1", "reminder", 1, at, "C1")); !storage.Unavailable(err) {
		t.Errorf("Enqueue with the server stopped: %v, want Unavailable", err)
	}
	if _, _, err := db.Claim(ctx, "w", at, time.Minute, storage.Claimable{Platforms: []string{"slack"}}); !storage.Unavailable(err) {
		t.Errorf("Claim with the server stopped: %v, want Unavailable", err)
	}

	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for db.Ping(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the store did not answer again after the server came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	mustAppend(t, db, ev("MAGDA-1", sla.Paused, at.Add(2*time.Minute)))
	evs, err := db.Events(ctx, "MAGDA-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Type != sla.Created || evs[1].Type != sla.Paused {
		t.Fatalf("after the restart the log holds %v, want the created and paused events (the refused response is not stored)", evs)
	}
	tk, _, err := db.Ticket(ctx, "MAGDA-1")
	if err != nil || tk.State != sla.PausedState {
		t.Fatalf("ticket after the restart: %v, %v; want paused", tk.State, err)
	}
}

// A PostgreSQL that cannot be reached at Open is Unavailable, in one line without the
// URL's password.
func TestOpenUnreachablePostgres_Issue16(t *testing.T) {
	storage.SQLiteOnly(t, "it needs no server, in the SQLite run")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	_, err = storage.Open("postgres://magda:s3cret-pw@"+addr+"/magda?connect_timeout=2", storage.Options{Derive: derive})
	switch {
	case err == nil:
		t.Fatal("opened a server that is not there")
	case !storage.Unavailable(err):
		t.Errorf("%v: want Unavailable", err)
	case strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "s3cret-pw"):
		t.Errorf("%q: want one line without the password", err)
	}
}
