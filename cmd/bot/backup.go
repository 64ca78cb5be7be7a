package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
)

// backup is `bot backup FILE`: a consistent copy of the database while the bot runs
// (SQLite's online backup, storage.DB.Backup), checked with integrity_check. FILE must
// not exist yet. Restore: stop the bot, put the copy in place of the database (without
// the old -wal and -shm files), start the bot (see the README).
func backup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	a, args, err := openCLI(flag.NewFlagSet("backup", flag.ContinueOnError), args, getenv, func(args []string) error {
		if len(args) != 1 {
			return usagef("backup: want one FILE to write the copy to")
		}
		if _, err := os.Lstat(args[0]); err == nil {
			return usagef("backup: %s exists; a backup never overwrites, name a new file", args[0])
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer a.db.Close()
	if err := a.db.Backup(ctx, args[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up to %s (integrity_check ok)\n", args[0])
	return nil
}
