package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAskAsAUserAppliesAccess: `bot ask --as U --channel C` answers exactly as chat
// would for that user in that channel: a customer may not escalate when
// customers_may_escalate is false, a stranger may not post an update; without --as the
// terminal is the operator's (R7, access).
func TestAskAsAUserAppliesAccess(t *testing.T) {
	dir := t.TempDir()
	cfg, db := filepath.Join(dir, "magda.yml"), filepath.Join(dir, "magda.db")
	os.WriteFile(cfg, []byte(`customers:
  - {id: agency-x, name: Agentschap X, tier: dedicated, slack_channels: [C0AGENCYX]}
access:
  agents: [U0AGENT1]
  customers_may_escalate: false
`), 0o600)
	base := startServe(t, map[string]string{"MAGDA_API_TOKEN": "tok"}, "--db", db, "--config", cfg)
	postEvents(t, base, "tok", createdNow("MAGDA-50"))
	ask := func(args ...string) string {
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"ask", "--db", db, "--config", cfg}, args...), env(nil), &out); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	level := func() string {
		var out strings.Builder
		run(context.Background(), []string{"ticket", "MAGDA-50", "--db", db, "--config", cfg}, env(nil), &out)
		return out.String()
	}
	if got := ask("--as", "U0CUSTOMER", "--channel", "C0AGENCYX", "escalate MAGDA-50 please"); !strings.Contains(got, "Only the MAGDA team can escalate here") {
		t.Errorf("a customer escalating: %q; want chat's refusal", got)
	}
	if got := ask("--as", "U0STRANGER", "update MAGDA-50 all fine"); !strings.Contains(got, "Only MAGDA agents and SDMs can do that") {
		t.Errorf("a stranger posting an update: %q; want chat's refusal", got)
	}
	// No escalation, and no update (which would also have been the first response).
	if got := level(); !strings.Contains(got, `"escalation_level":0`) || strings.Count(got, `"done_at":null`) != 2 {
		t.Errorf("after the refusals: %s; want nothing recorded", got)
	}
	if got := ask("--as", "U0AGENT1", "--channel", "C0AGENCYX", "sla MAGDA-50"); !strings.Contains(got, "MAGDA-50") || strings.Contains(got, "not found") {
		t.Errorf("an agent asking: %q", got)
	}
	if got := ask("escalate MAGDA-50 from the terminal"); !strings.Contains(got, "MAGDA-50 escalated to level 1") {
		t.Errorf("the operator escalating: %q", got)
	}
}

// TestSlaReplayRefusesInstantsItCannotCount: a year the calendar does not count is a
// usage error naming the line, and nothing is printed (R3.3, issue 9.8).
func TestSlaReplayRefusesInstantsItCannotCount(t *testing.T) {
	for _, at := range []string{"0001-01-01T00:00:00Z", "1900-03-01T09:00:00+01:00", "2200-03-01T09:00:00+01:00", "9999-12-31T23:59:59Z"} {
		path := filepath.Join(t.TempDir(), "old.jsonl")
		os.WriteFile(path, []byte(`{"ticket":"MAGDA-1","type":"created","at":"`+at+`","customer":"agency-x","kind":"incident","priority":"P2"}`+"\n"), 0o600)
		var out bytes.Buffer
		err := run(context.Background(), []string{"sla", "replay", path}, env(nil), &out)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), "outside the years 2000-2100") || out.Len() > 0 {
			t.Errorf("%s: err %v, stdout %q; want a usage error naming line 1", at, err, out.String())
		}
	}
}
