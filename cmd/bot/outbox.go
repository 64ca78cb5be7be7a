package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// outbox is `bot outbox [--state pending|parked|sent]` (one JSON line per notification
// message) and `bot outbox requeue [ID ...]` (parked ones back to be sent, all of them
// without ids): the operator's view of the notifications of issue 5.
func outbox(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "requeue" {
		return requeue(ctx, args[1:], getenv, stdout)
	}
	fs := flag.NewFlagSet("outbox", flag.ContinueOnError)
	state := fs.String("state", "", "only rows in this state: pending, parked or sent")
	a, _, err := openCLI(fs, args, getenv, func(rest []string) error {
		switch {
		case len(rest) > 0:
			return usagef("outbox: unexpected argument %q (want requeue, or flags)", rest[0])
		case *state != "" && *state != storage.StatePending && *state != storage.StateParked && *state != storage.StateSent:
			return usagef("outbox: --state: %q is not pending, parked or sent", *state)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer a.db.Close()
	ds, err := a.db.Deliveries(ctx, *state)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		// Said, not left blank: an empty answer looks like a command that did nothing.
		fmt.Fprintln(stdout, strings.TrimSpace("no notification messages "+*state))
		return nil
	}
	for _, d := range ds {
		row := struct {
			ID        int64      `json:"id"`
			Ticket    string     `json:"ticket,omitempty"`
			Kind      string     `json:"kind"`
			Platform  string     `json:"platform"`
			Channel   string     `json:"channel"`
			State     string     `json:"state"`
			Attempts  int        `json:"attempts"`
			NotBefore *time.Time `json:"not_before,omitempty"`
			LastError string     `json:"last_error,omitempty"`
			SentAt    *time.Time `json:"sent_at,omitempty"`
		}{ID: d.ID, Ticket: d.Ticket, Kind: d.Kind, Platform: d.Platform, Channel: d.Channel, State: d.State,
			Attempts: d.Attempts, LastError: d.LastError, NotBefore: instant(d.NotBefore), SentAt: instant(d.SentAt)}
		if err := writeJSON(stdout, row); err != nil {
			return err
		}
	}
	return nil
}

func requeue(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var ids []int64
	a, _, err := openCLI(flag.NewFlagSet("outbox requeue", flag.ContinueOnError), args, getenv, func(rest []string) error {
		for _, s := range rest {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				return usagef("outbox requeue: %q is not an outbox id", s)
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer a.db.Close()
	n, err := a.db.Requeue(ctx, time.Now(), ids...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "requeued %d parked notification message(s)\n", n)
	return nil
}

// instant is t in Brussels time, as every time the bot prints (CONTRACT.md), nil for none.
func instant(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(sla.Brussels)
	return &t
}
