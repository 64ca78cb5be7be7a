package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// redactDSN is db as the bot may print it: a PostgreSQL URL without its password.
func redactDSN(db string) string {
	if !storage.IsPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://…"
	}
	if q := u.Query(); q.Has("password") { // libpq's other place for it
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// pidPath is where serve notes its process id: MAGDA_PID_FILE when set, else beside a
// SQLite database, which is the one place both serve and `bot reload` know (and the one
// a systemd unit or container may write to). A bot on PostgreSQL has no file beside its
// store, and several replicas share it: it notes none unless MAGDA_PID_FILE names one
// (issue 16), and "" says so.
func pidPath(db string, getenv func(string) string) string {
	if p := getenv("MAGDA_PID_FILE"); p != "" {
		return p
	}
	if storage.IsPostgres(db) {
		return ""
	}
	return db + ".pid"
}

// writePID notes this process as the one serving db; the returned func removes the
// note if it is still this process's.
func writePID(db string, getenv func(string) string) (func(), error) {
	p, me := pidPath(db, getenv), strconv.Itoa(os.Getpid())
	if p == "" {
		return func() {}, nil
	}
	if err := os.WriteFile(p, []byte(me+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("pid file: %w", err)
	}
	return func() {
		if b, err := os.ReadFile(p); err == nil && strings.TrimSpace(string(b)) == me {
			os.Remove(p)
		}
	}, nil
}

// reloadCmd is `bot reload`: checks the configuration file first, as serve will read
// it (a bad one: the same one line, exit 2, and the bot is not disturbed), then sends
// SIGHUP to the bot serving the database (issue 14.4).
func reloadCmd(_ context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	s, err := settingsOnly("reload", args, getenv)
	if err != nil {
		return err
	}
	cfg, err := config.Load(s.config)
	if err != nil {
		return usageError{err.Error()}
	}
	path := pidPath(s.db, getenv)
	if path == "" {
		return usagef("reload: a bot on PostgreSQL notes its process id only in MAGDA_PID_FILE; set it for serve and reload, or send the process SIGHUP (systemctl reload)")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return usagef("reload: no bot serves %s (no %s)", redactDSN(s.db), path)
	} else if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return fmt.Errorf("reload: %s does not hold a process id", path)
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		return fmt.Errorf("reload: process %d (from %s): %w", pid, path, err)
	}
	fmt.Fprintf(stdout, "asked the bot (process %d) to reload %s; its log says whether it did\n", pid, cfg.Source())
	return nil
}
