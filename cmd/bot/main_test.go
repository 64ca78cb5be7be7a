package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// Bad input: one line naming the flag, exit status 2 (a usageError), nothing on stdout.
func TestSlaDueBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--tier", "gold", "--kind", "incident", "--priority", "P1"}, "--tier"},
		{[]string{"--tier", "standard", "--kind", "bug", "--priority", "P1"}, "--kind"},
		{[]string{"--tier", "standard", "--kind", "incident", "--priority", "P7"}, "--priority"},
		{[]string{"--tier", "standard", "--kind", "incident"}, "--priority"},
		{[]string{"--tier", "standard", "--kind", "incident", "--priority", "P1", "--env", "acc"}, "--env"},
		{[]string{"--tier", "standard", "--kind", "incident", "--priority", "P1", "--source", "fax"}, "--source"},
		{[]string{"--tier", "standard", "--kind", "incident", "--priority", "P1", "--at", "yesterday"}, "--at"},
		{[]string{"--tier", "standard", "--kind", "incident", "--priority", "P1", "--at", "2026-07-10T16:30:00"}, "--at"},
		{[]string{"--customer", "nobody", "--kind", "incident", "--priority", "P1"}, "--customer"},
		{[]string{"--customer", "agency-x", "--tier", "standard", "--kind", "incident", "--priority", "P1"}, "--tier"},
		{[]string{"--kind", "incident", "--priority", "P1"}, "--tier"},
		{[]string{"--tier", "standard", "--kind", "incident", "--priority", "P1", "--colour", "red"}, "-colour"},
		{[]string{"--tier"}, "-tier"},
		{[]string{"--tier", "standard", "--kind", "incident", "--priority", "P1", "--config", "/nonexistent.yml"}, "nonexistent.yml"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"sla", "due"}, tc.args...), env(nil), &out)
			var u usageError
			if !errors.As(err, &u) {
				t.Fatalf("err = %v; want a usage error (exit 2)", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q; want one line naming %s", msg, tc.want)
			}
			if out.Len() > 0 {
				t.Errorf("stdout %q; want nothing", out.String())
			}
		})
	}
}

func TestSlaDueContractExample(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"sla", "due", "--tier", "dedicated", "--kind", "incident",
		"--priority", "P2", "--at", "2026-07-10T16:30:00+02:00"}, env(nil), &out)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	want := map[string]any{
		"tier": "dedicated", "kind": "incident", "priority": "P2", "effective_priority": "P2",
		"reported":     "2026-07-10T16:30:00+02:00",
		"response_due": "2026-07-13T09:30:00+02:00", "resolution_due": "2026-07-14T14:30:00+02:00",
		"updates_per_day": 1.0, "update_interval_s": 32400.0, "notes": []any{},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("sla due (-want +got):\n%s", d)
	}
}

func TestSlaDueCustomerFromConfig_R1(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"sla", "due", "--customer", "AGENCY-Y", "--kind", "incident",
		"--priority", "P1", "--at", "2026-07-10T16:30:00+02:00"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Tier        string `json:"tier"`
		ResponseDue string `json:"response_due"`
	}
	json.Unmarshal(out.Bytes(), &got)
	// Standard P1: 2h response, 30 min on Friday, 1h30 on Monday from 09:00.
	if got.Tier != "standard" || got.ResponseDue != "2026-07-13T10:30:00+02:00" {
		t.Errorf("response due %s; want Mon 10:30 in the standard window: %s", got.ResponseDue, out.String())
	}
}

func TestSlaReplay(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"sla", "replay", "--at", "2026-07-13T13:00:00+02:00", "testdata/contract.jsonl"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 { // MAGDA-3 has no created event: not shown
		t.Fatalf("%d tickets:\n%s\nwant MAGDA-1 and MAGDA-2", len(lines), out.String())
	}
	var first map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	want := map[string]any{
		"ticket": "MAGDA-1", "customer": "agency-x", "tier": "dedicated", "kind": "incident", "priority": "P2",
		"state": "paused",
		"response": map[string]any{"due": "2026-07-13T09:30:00+02:00", "done_at": "2026-07-13T09:00:00+02:00",
			"met": true, "remaining_s": 1800.0, "target_s": 7200.0},
		// 30 min Friday + 4h Monday counted before the pause at 12:00: frozen at 11h30 left.
		"resolution":       map[string]any{"due": nil, "done_at": nil, "met": nil, "remaining_s": 41400.0, "target_s": 57600.0},
		"updates":          map[string]any{"interval_s": 32400.0, "per_day": 1.0, "last_at": nil, "next_due": nil, "missed": 0.0},
		"escalation_level": 0.0, "notes": []any{},
	}
	if d := cmp.Diff(want, first); d != "" {
		t.Errorf("MAGDA-1 (-want +got):\n%s", d)
	}
}

func TestSlaReplayBadLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(path, []byte(`{"ticket":"MAGDA-1","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"incident","priority":"P2"}`+"\n"+`{"ticket":"MAGDA-1","type":"exploded","at":"2026-07-10T16:30:00+02:00"}`+"\n"), 0o600)
	var out bytes.Buffer
	err := run(context.Background(), []string{"sla", "replay", path}, env(nil), &out)
	var u usageError
	if !errors.As(err, &u) || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "exploded") || out.Len() > 0 {
		t.Errorf("err %v, stdout %q; want a usage error naming line 2 and nothing printed", err, out.String())
	}
}

// startServe runs `bot serve` in this process on a free loopback port and returns its
// base URL; the server stops when the test ends.
func startServe(t testing.TB, vars map[string]string, args ...string) string {
	return startServing(t, vars, args...).base
}

// served is a running `bot serve`: its base URL, the URL of its /metrics, and the two
// start-up lines after the one that says where it listens (metrics, connections).
type served struct {
	base, metrics string
	startup       []string
}

// startServing is startServe that also reads where the metrics are.
func startServing(t testing.TB, vars map[string]string, args ...string) served {
	t.Helper()
	base, logs, _ := serveLogged(t, vars, args...)
	s := served{base: base}
	lines := strings.Split(logs.String(), "\n")
	for i, l := range lines {
		if strings.Contains(l, " msg=listening ") && i+2 < len(lines) {
			s.startup = lines[i+1 : i+3]
		}
	}
	if len(s.startup) < 2 {
		t.Fatalf("serve's start-up lines end early:\n%s", logs.String())
	}
	s.metrics = logValue(s.startup[0], "url")
	return s
}

// listenURL reads serve's output up to the line that says where it listens.
func listenURL(r *bufio.Reader) (string, error) {
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		if strings.Contains(line, " msg=listening ") {
			return logValue(line, "url"), nil
		}
	}
}

// logValue is the unquoted value of key in a structured log line, "" without it.
func logValue(line, key string) string {
	_, rest, ok := strings.Cut(line, " "+key+"=")
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, " ")
	return strings.TrimSpace(v)
}

func TestServeEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	base := startServe(t, map[string]string{"MAGDA_API_TOKEN": "s3cret"}, "--db", db)
	post := func(token, body string) (int, string) {
		req, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	ok := `[{"id":"a1","ticket":"MAGDA-7","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"incident","priority":"P1"},
	        {"id":"a2","ticket":"MAGDA-7","type":"responded","at":"2026-07-10T16:45:00+02:00"}]`
	for _, tc := range []struct {
		name, token, body string
		code              int
		reply             string
	}{
		{"wrong token", "nope", ok, 401, "missing or wrong bearer token"},
		{"malformed", "s3cret", `{"ticket":`, 400, ""},
		{"unknown type", "s3cret", `{"ticket":"MAGDA-7","type":"exploded","at":"2026-07-10T16:30:00+02:00"}`, 400, `invalid event: unknown event type "exploded"`},
		{"missing field", "s3cret", `{"ticket":"MAGDA-7","type":"responded"}`, 400, `invalid event: missing required field "at"`},
		{"unknown customer", "s3cret", `{"ticket":"MAGDA-8","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"nobody","kind":"incident","priority":"P1"}`, 400, `unknown customer "nobody"`},
		{"too big", "s3cret", `[` + strings.Repeat(" ", 1<<20) + `]`, 413, ""},
		{"accepted", "s3cret", ok, 200, `{"received":2,"stored":2}`},
		{"resent", "s3cret", ok, 200, `{"received":2,"stored":0}`},
	} {
		code, reply := post(tc.token, tc.body)
		if code != tc.code || (tc.reply != "" && reply != tc.reply) || strings.Contains(reply, "\n") {
			t.Errorf("%s: %d %q; want %d %q", tc.name, code, reply, tc.code, tc.reply)
		}
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if resp, err := http.Get(base + path); err != nil || resp.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", path, resp, err)
		}
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		`magda_open_tickets{customer="agency-x",priority="P1"} 1`,
		`magda_events_received_total{result="stored",source="api"} 1`,
		`magda_events_received_total{result="unauthorized",source="api"} 1`,
		`magda_http_request_duration_seconds_count{code="200",route="events"} 2`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// Nothing but the accepted events was stored.
	var out bytes.Buffer
	if err := run(context.Background(), []string{"tickets", "--db", db}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 1 || !strings.Contains(out.String(), `"ticket":"MAGDA-7"`) {
		t.Errorf("stored tickets:\n%s\nwant only MAGDA-7", out.String())
	}
	if err := run(context.Background(), []string{"ticket", "MAGDA-8", "--db", db}, env(nil), &out); err == nil {
		t.Error("MAGDA-8 (rejected) is stored")
	}
}

func TestEventsEndpointOffWithoutToken(t *testing.T) {
	base := startServe(t, nil, "--db", filepath.Join(t.TempDir(), "magda.db"))
	resp, err := http.Post(base+"/api/v1/events", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d; want 404 while MAGDA_API_TOKEN is unset", resp.StatusCode)
	}
}

func TestAskOnTheTerminal(t *testing.T) {
	var out bytes.Buffer
	db := filepath.Join(t.TempDir(), "magda.db")
	if err := run(context.Background(), []string{"ask", "--db", db, "wanneer is P2 due voor agentschap x"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Agentschap X") || !strings.Contains(out.String(), "om de 9h00") {
		t.Errorf("answer:\n%s\nwant the Dutch what-if for Agentschap X", out.String())
	}
}

func TestOutboxCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	var out bytes.Buffer
	for _, args := range [][]string{
		{"outbox", "--state", "lost"},
		{"outbox", "requeue", "seven"},
		{"outbox", "extra"},
	} {
		err := run(context.Background(), append(args, "--db", db), env(nil), &out)
		var u usageError
		if !errors.As(err, &u) || out.Len() > 0 {
			t.Errorf("%v: %v, stdout %q; want a usage error and nothing printed", args, err, out.String())
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("bad arguments created the database (%v)", err)
	}
	if err := run(context.Background(), []string{"ask", "--db", db, "help"}, env(nil), io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"outbox", "requeue", "--db", db}, env(nil), &out); err != nil || out.String() != "requeued 0 parked notification message(s)\n" {
		t.Errorf("requeue on an empty outbox: %q, %v", out.String(), err)
	}
}
