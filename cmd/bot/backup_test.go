package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupAndRestore (issue 14.2) follows the README: `bot backup` while the bot runs
// and takes events, then the restore procedure (stop, move the database and its -wal and
// -shm away, copy the backup in, start): the restored bot has every event acknowledged
// before the backup, and none after.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "magda.db")
	vars := map[string]string{"MAGDA_API_TOKEN": "s3cret"}
	base, _, stop := serveLogged(t, vars, "--db", db)
	post := func(key string) {
		t.Helper()
		body := `{"ticket":"` + key + `","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"incident","priority":"P2"}`
		if code, answer := do(t, "POST", base+"/api/v1/events", "Bearer s3cret", body); code != 200 {
			t.Fatalf("post %s: %d %s", key, code, answer)
		}
	}
	post("MAGDA-1")
	copyFile := filepath.Join(dir, "backup.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"backup", "--db", db, copyFile}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "integrity_check ok") {
		t.Errorf("backup said %q", out.String())
	}
	err := run(context.Background(), []string{"backup", "--db", db, copyFile}, env(nil), io.Discard)
	if !errors.As(err, new(usageError)) {
		t.Errorf("a backup over an existing file: %v; want a usage error", err)
	}
	post("MAGDA-2")
	if code, m := do(t, "GET", base+"/metrics", "", ""); code != 200 || !strings.Contains(m, "\nmagda_db_size_bytes ") {
		t.Errorf("/metrics lacks magda_db_size_bytes")
	}
	stop()

	// The README's restore, step by step.
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if err := os.Rename(f, f+".broken"); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(copyFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	serveLogged(t, vars, "--db", db) // starts on the copy: its migrations are all there
	if err := run(context.Background(), []string{"ticket", "MAGDA-1", "--db", db}, env(nil), io.Discard); err != nil {
		t.Errorf("MAGDA-1, posted before the backup, is not restored: %v", err)
	}
	if err := run(context.Background(), []string{"ticket", "MAGDA-2", "--db", db}, env(nil), io.Discard); err == nil {
		t.Error("MAGDA-2, posted after the backup, is in it")
	}
}
