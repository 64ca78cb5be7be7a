package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/digitaal-vlaanderen/magda-sla-bot/config"
)

// pidPath is where serve notes its process id: beside its database, which is the one
// place both serve and `bot reload` know (and the one a systemd unit or container may
// write to).
func pidPath(db string) string { return db + ".pid" }

// writePID notes this process as the one serving db; the returned func removes the
// note if it is still this process's.
func writePID(db string) (func(), error) {
	p, me := pidPath(db), strconv.Itoa(os.Getpid())
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
	b, err := os.ReadFile(pidPath(s.db))
	if errors.Is(err, os.ErrNotExist) {
		return usagef("reload: no bot serves %s (no %s)", s.db, pidPath(s.db))
	} else if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return fmt.Errorf("reload: %s does not hold a process id", pidPath(s.db))
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		return fmt.Errorf("reload: process %d (from %s): %w", pid, pidPath(s.db), err)
	}
	fmt.Fprintf(stdout, "asked the bot (process %d) to reload %s; its log says whether it did\n", pid, cfg.Source())
	return nil
}
