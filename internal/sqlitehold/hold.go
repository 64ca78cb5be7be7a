// Package sqlitehold holds the writer lock of a SQLite file from a connection of its
// own, as another process sharing the file would, so that tests can show what the bot
// answers while its store cannot write (issue 16: 503, never a 2xx for something not
// committed). It is for tests only.
package sqlitehold

import (
	"context"
	"database/sql"
	"testing"

	// The store registers go-sqlite3 as the "sqlite3" driver; only storage imports it.
	_ "github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// Writer begins an IMMEDIATE transaction on the file at path and keeps it open: every
// other connection's write waits for its busy timeout, then fails with SQLITE_BUSY.
// It waits up to 5 s for a transaction of the bot's own to end before it takes the
// lock. The returned release rolls it back (also at the end of the test); it changes
// nothing.
func Writer(t testing.TB, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(context.Background())
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		conn.Close()
		db.Close()
		t.Fatalf("hold the writer of %s: %v", path, err)
	}
	done := false
	release = func() {
		if done {
			return
		}
		done = true
		conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		db.Close()
	}
	t.Cleanup(release)
	return release
}
