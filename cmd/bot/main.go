// Command bot is the MAGDA SLA bot: `bot` serves Slack, Teams and the ticket event
// endpoints; `bot sla due|replay`, `bot ask`, `bot tickets` and `bot ticket` answer on
// the terminal. See the README for the whole command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Brussels without relying on the host's zone files
)

// version is set by deploy/build.sh (-X main.version=...): the start-up line shows it.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bot:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
