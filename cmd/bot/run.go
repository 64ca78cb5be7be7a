package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// usageError is bad input on the command line: main exits with status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

const usage = `usage:
  bot [serve] [--addr ADDR] [--db FILE] [--config FILE]
  bot sla due --tier dedicated|standard --kind incident|question|connection [--priority P1..P4]
              [--env prod|tni] [--motivation TEXT] [--source portal|mail|phone|chat]
              [--at RFC3339] [--config FILE] [--customer ID]
  bot sla replay [--at RFC3339] [--config FILE] FILE|-
  bot ask [--as USER] [--channel ID] [--db FILE] [--config FILE] "TEXT"
  bot tickets [--customer ID] [--open] [--from D] [--to D] [--db FILE] [--config FILE]
  bot ticket KEY [--db FILE] [--config FILE]
  bot review --customer ID|--all --month YYYY-MM|--quarter YYYY-Qn|--from D --to D
             [--format text|html|csv|xlsx|json] [--lang en|nl] [-o FILE] [--db FILE] [--config FILE]
  bot outbox [--state pending|parked|sent] [--db FILE]
  bot outbox requeue [ID ...] [--db FILE]
  bot availability [--month YYYY-MM] [--format text|json] [--db FILE] [--config FILE]
  bot outages [--month YYYY-MM] [--db FILE] [--config FILE]
  bot backup FILE [--db FILE]
  bot check [--addr ADDR] [--db FILE] [--config FILE]
  bot reload [--db FILE] [--config FILE]
  bot seed --tickets N [--db FILE] [--config FILE] [--now RFC3339] [--seed N] [--force]
  bot migrate --from FILE --to postgres://USER:PASSWORD@HOST/DB [--config FILE]`

// run is the whole program; main only adds signals, the environment and exit codes.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return serve(ctx, nil, getenv, stdout)
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout)
	case "sla":
		if len(rest) == 0 {
			return usagef("sla: want `sla due` or `sla replay`\n%s", usage)
		}
		switch rest[0] {
		case "due":
			return slaDue(rest[1:], getenv, stdout)
		case "replay":
			return slaReplay(rest[1:], getenv, stdout)
		}
		return usagef("sla %s: unknown command (want due or replay)", rest[0])
	case "ask":
		return ask(ctx, rest, getenv, stdout)
	case "tickets":
		return tickets(ctx, rest, getenv, stdout)
	case "ticket":
		return ticket(ctx, rest, getenv, stdout)
	case "outbox":
		return outbox(ctx, rest, getenv, stdout)
	case "availability":
		return availabilityCmd(ctx, rest, getenv, stdout)
	case "outages":
		return outagesCmd(ctx, rest, getenv, stdout)
	case "backup":
		return backup(ctx, rest, getenv, stdout)
	case "check":
		return check(ctx, rest, getenv, stdout)
	case "reload":
		return reloadCmd(ctx, rest, getenv, stdout)
	case "review":
		return reviewCmd(ctx, rest, getenv, stdout)
	case "seed":
		return seed(ctx, rest, getenv, stdout)
	case "migrate":
		return migrate(ctx, rest, getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	if strings.HasPrefix(args[0], "-") {
		return serve(ctx, args, getenv, stdout)
	}
	return usagef("unknown command %q\n%s", args[0], usage)
}

// parseFlags parses args with fs, flags and arguments in any order (`bot ticket KEY
// --db FILE`), and turns the flag package's errors into one line that names the flag.
// It returns the arguments that are not flags.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := flagError(fs, fs.Parse(args)); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func flagError(fs *flag.FlagSet, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return usagef("%s: see `bot help`", fs.Name())
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return usagef("%s: unknown flag %s", fs.Name(), "-"+strings.TrimLeft(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return usagef("%s: flag %s needs a value", fs.Name(), "-"+strings.TrimLeft(name, "-"))
	}
	return usagef("%s: %s", fs.Name(), msg)
}
