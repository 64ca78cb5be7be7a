package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// TestTicketsStreamsInOrder: `bot tickets` writes the tickets as it reads them, in the
// order of storage's Tickets (the list it printed before it streamed), and --limit
// keeps the first N of those the other flags select; a negative limit is refused
// before anything is read.
func TestTicketsStreamsInOrder(t *testing.T) {
	path, cfg := historyDB(t)
	list := func(args ...string) ([]string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"tickets", "--db", path, "--config", cfg}, args...), env(nil), &out)
		var keys []string
		for line := range strings.Lines(out.String()) {
			var v struct{ Ticket string }
			if err := json.Unmarshal([]byte(line), &v); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			keys = append(keys, v.Ticket)
		}
		return keys, err
	}
	a, err := openApp(settings{db: path, config: cfg}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts, err := a.db.Tickets(context.Background(), storage.Filter{})
	a.db.Close()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tk := range ts {
		want = append(want, tk.Key)
	}
	if len(want) < 3 {
		t.Fatalf("%d tickets stored; the test needs three", len(want))
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{nil, want},
		{[]string{"--limit", "0"}, want},
		{[]string{"--limit", "2"}, want[:2]},
		{[]string{"--limit", "99"}, want},
		// MAGDA-1 was created before November: the limit counts what --from keeps.
		{[]string{"--from", "2026-11-01", "--limit", "1"}, []string{firstOf(want, "MAGDA-2", "MAGDA-3")}},
	} {
		got, err := list(tc.args...)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("tickets %v (-want +got):\n%s", tc.args, diff)
		}
	}
	got, err := list("--limit", "-1")
	var u usageError
	if !errors.As(err, &u) || len(got) != 0 || !strings.Contains(err.Error(), "--limit") {
		t.Errorf("--limit -1: %v, printed %v; want a usage error naming --limit and nothing printed", err, got)
	}
}

// firstOf gives whichever of a and b comes first in keys.
func firstOf(keys []string, a, b string) string {
	for _, k := range keys {
		if k == a || k == b {
			return k
		}
	}
	return ""
}
