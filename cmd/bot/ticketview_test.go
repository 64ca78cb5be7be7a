package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// historyDB stores three tickets of agency-x in a SQLite file: MAGDA-1 created in
// October, MAGDA-2 on 1 November with a priority change and two escalations, MAGDA-3
// on 30 November 23:30 Brussels time (still November, though 22:30 UTC).
func historyDB(t *testing.T) (db, cfg string) {
	t.Helper()
	dir := t.TempDir()
	db, cfg = filepath.Join(dir, "magda.db"), filepath.Join(dir, "magda.yml")
	if err := os.WriteFile(cfg, []byte(`customers:
  - {id: agency-x, name: Agentschap X, tier: dedicated, contacts: {spoc: Jan Peeters, sdm: Henk Smets}}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := openApp(settings{db: db, config: cfg}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	bxl := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, sla.Brussels)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	mk := func(key, at string, p sla.Priority) sla.Event {
		return sla.Event{ID: key + "-c", Ticket: key, Type: sla.Created, At: bxl(at), Customer: "agency-x", Kind: sla.Incident, Priority: p, Source: sla.Mail, Env: sla.TNI, Motivation: "chain down"}
	}
	evs := []sla.Event{
		mk("MAGDA-1", "2026-10-30 10:00", sla.P3),
		mk("MAGDA-2", "2026-11-02 09:00", sla.P3),
		{ID: "p", Ticket: "MAGDA-2", Type: sla.PriorityChanged, At: bxl("2026-11-02 09:30"), Priority: sla.P1, By: "Henk Smets", Reason: "whole chain down"},
		{ID: "e1", Ticket: "MAGDA-2", Type: sla.Escalated, At: bxl("2026-11-02 10:00"), By: "Ann Agent", Reason: "no answer", Level: 1},
		{ID: "e2", Ticket: "MAGDA-2", Type: sla.Escalated, At: bxl("2026-11-02 11:00"), By: "Henk Smets"},
		mk("MAGDA-3", "2026-11-30 23:30", sla.P2),
	}
	if _, err := a.db.Append(context.Background(), "api", "d1", evs); err != nil {
		t.Fatal(err)
	}
	return db, cfg
}

// TestTicketJSONHistory_R4_1_R7_R1_2: `bot ticket` carries created, env, source, the
// customer's estimate, every priority change, the escalation trail and the contacts,
// besides the contract's fields.
func TestTicketJSONHistory_R4_1_R7_R1_2(t *testing.T) {
	db, cfg := historyDB(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"ticket", "MAGDA-2", "--db", db, "--config", cfg}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Ticket, Created, Env, Source, Estimate, Priority string
		CustomerPriority                                 string                                      `json:"customer_priority"`
		PriorityChanges                                  []struct{ At, From, To, By, Reason string } `json:"priority_changes"`
		Escalations                                      []struct {
			Level          int
			At, By, Reason string
		}
		Contacts struct{ SPOC, SDM string }
		Response *struct{ Due string }
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if got.Created != "2026-11-02T09:00:00+01:00" || got.Env != "tni" || got.Source != "mail" || got.Estimate != "P3" ||
		got.Priority != "P1" || got.CustomerPriority != "P3" {
		t.Errorf("ticket %+v; want created in Brussels time, tni, mail, estimate P3, priority P1", got)
	}
	if len(got.PriorityChanges) != 1 || got.PriorityChanges[0] != (struct{ At, From, To, By, Reason string }{
		"2026-11-02T09:30:00+01:00", "P3", "P1", "Henk Smets", "whole chain down"}) {
		t.Errorf("priority changes %+v", got.PriorityChanges)
	}
	if len(got.Escalations) != 2 || got.Escalations[0].Level != 1 || got.Escalations[0].By != "Ann Agent" || got.Escalations[0].Reason != "no answer" ||
		got.Escalations[1].Level != 2 || got.Escalations[1].At != "2026-11-02T11:00:00+01:00" {
		t.Errorf("escalations %+v", got.Escalations)
	}
	if got.Contacts.SPOC != "Jan Peeters" || got.Contacts.SDM != "Henk Smets" {
		t.Errorf("contacts %+v; want the configured SPOC and SDM (R1.2)", got.Contacts)
	}
	if got.Response != nil {
		t.Errorf("response %+v; want null: a mail ticket has no SL (R3.1)", got.Response)
	}
}

// TestTicketsFromTo: `bot tickets --from/--to` keeps the tickets created in the range,
// dates being whole days in Brussels; a bad bound is exit 2 with nothing printed.
func TestTicketsFromTo(t *testing.T) {
	db, cfg := historyDB(t)
	list := func(args ...string) ([]string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"tickets", "--db", db, "--config", cfg}, args...), env(nil), &out)
		var keys []string
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var v struct {
				Ticket          string
				PriorityChanges []any `json:"priority_changes"`
			}
			if line == "" {
				continue
			}
			if json.Unmarshal([]byte(line), &v) != nil || v.PriorityChanges == nil {
				t.Fatalf("line %q: want JSON with a priority_changes list", line)
			}
			keys = append(keys, v.Ticket)
		}
		return keys, err
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "MAGDA-1 MAGDA-2 MAGDA-3"},
		{[]string{"--from", "2026-11-01", "--to", "2026-11-30"}, "MAGDA-2 MAGDA-3"},
		{[]string{"--from", "2026-11-01"}, "MAGDA-2 MAGDA-3"},
		{[]string{"--to", "2026-10-31"}, "MAGDA-1"},
		{[]string{"--from", "2026-11-02T09:00:00+01:00", "--to", "2026-11-02T09:00:01+01:00"}, "MAGDA-2"},
		{[]string{"--from", "2026-12-01"}, ""},
	} {
		keys, err := list(tc.args...)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if got := strings.Join(slices.Sorted(slices.Values(keys)), " "); got != tc.want {
			t.Errorf("tickets %v = %q; want %q", tc.args, got, tc.want)
		}
	}
	for _, args := range [][]string{{"--from", "November"}, {"--to", "2026-13-01"}, {"--from", "2026-11-02", "--to", "2026-11-01"}} {
		keys, err := list(args...)
		var u usageError
		if !errors.As(err, &u) || len(keys) != 0 || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("tickets %v: %v, printed %v; want a usage error naming %s and nothing printed", args, err, keys, args[0])
		}
	}
}
