package storage_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

const killChildEnv = "STORAGE_KILL_CHILD_DB"

// TestAppendSurvivesKill runs a child process that appends and reports each ticket once
// Append returned nil, kills it with SIGKILL mid-stream, and checks that every reported
// ticket is in the file: a nil from Append means committed.
func TestAppendSurvivesKill(t *testing.T) {
	storage.SQLiteOnly(t, "the file after SIGKILL of its writer (PostgreSQL: the replicas test in cmd/bot)")
	if path := os.Getenv(killChildEnv); path != "" {
		appendForever(path)
		return
	}
	path := filepath.Join(t.TempDir(), "magda.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestAppendSurvivesKill$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	var reported []string
	for len(reported) < 100 && lines.Scan() {
		reported = append(reported, lines.Text())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() { // reported before the kill, still in the pipe
		reported = append(reported, lines.Text())
	}
	cmd.Wait()
	if len(reported) < 100 {
		t.Fatalf("the child reported %d appends before dying, want 100", len(reported))
	}

	db := openAt(t, path, derive)
	for _, key := range reported {
		if _, found, err := db.Ticket(context.Background(), key); !found || err != nil {
			t.Errorf("%s: reported committed, found %v after SIGKILL (%v)", key, found, err)
		}
	}
}

func appendForever(path string) {
	db, err := storage.Open(path, storage.Options{Derive: derive})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := 0; ; i++ {
		key := fmt.Sprintf("KILL-%d", i)
		evs := []sla.Event{created(key, "agency-x", sla.P2, dt(2026, 7, 10, 10, 0))}
		if _, err := db.Append(context.Background(), storage.SourceAPI, "", evs); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(key)
	}
}
