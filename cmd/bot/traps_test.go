package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// logTail is serve's output as it comes, safe to read while serve writes.
type logTail struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logTail) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// waitFor waits until a line containing every one of parts is logged, or fails.
func (l *logTail) waitFor(t testing.TB, parts ...string) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
	lines:
		for _, line := range strings.Split(l.String(), "\n") {
			for _, p := range parts {
				if !strings.Contains(line, p) {
					continue lines
				}
			}
			return line
		}
	}
	t.Fatalf("no log line with %q in:\n%s", parts, l.String())
	return ""
}

// serveLogged runs `bot serve` on a free loopback port and keeps all it writes; stop
// ends it (the test's end does too).
func serveLogged(t testing.TB, vars map[string]string, args ...string) (base string, logs *logTail, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), env(vars), pw)
		pw.Close()
	}()
	logs = &logTail{}
	url := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			logs.mu.Lock()
			logs.b.WriteString(sc.Text() + "\n")
			logs.mu.Unlock()
			if strings.Contains(sc.Text(), " msg=listening ") {
				url <- logValue(sc.Text(), "url")
			}
		}
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	select {
	case b := <-url:
		logs.waitFor(t, `msg=integration name=reminders`) // the last start-up line
		return b, logs, stop
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not say where it listens")
	}
	return "", nil, nil
}

// TestTrapMissingDatabase (issue 14.6): the commands that read the store refuse a
// database file that does not exist, in one line with exit status 2, and create none.
func TestTrapMissingDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "doesnotexist.db")
	for _, args := range [][]string{{"tickets"}, {"ticket", "MAGDA-1"}, {"outbox"}, {"outbox", "requeue"}} {
		var out bytes.Buffer
		err := run(context.Background(), append(args, "--db", db), env(nil), &out)
		var u usageError
		if !errors.As(err, &u) || out.Len() > 0 || strings.Contains(err.Error(), "\n") ||
			!strings.Contains(err.Error(), db) {
			t.Errorf("%v: %v, stdout %q; want one usage line naming %s", args, err, out.String(), db)
		}
		if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%v created the database", args)
		}
	}
	// MAGDA_DB is checked as --db is.
	err := run(context.Background(), []string{"tickets"}, env(map[string]string{"MAGDA_DB": db}), io.Discard)
	if !errors.As(err, new(usageError)) {
		t.Errorf("MAGDA_DB to a missing file: %v; want a usage error", err)
	}
}

// TestTrapOffEndpoints (issue 14.6): an endpoint that is off answers 404 with one line
// naming the setting that turns it on, logged as a refusal; an endpoint that is on is
// unchanged.
func TestTrapOffEndpoints(t *testing.T) {
	base, logs, _ := serveLogged(t, map[string]string{"MAGDA_API_TOKEN": "s3cret"},
		"--db", filepath.Join(t.TempDir(), "magda.db"))
	for path, setting := range map[string]string{
		"/webhooks/jira":       "JIRA_WEBHOOK_SECRET",
		"/api/messages":        "MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD",
		"/slack/commands":      "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET",
		"/slack/interactivity": "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET",
		"/slack/events":        "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET",
	} {
		code, body := do(t, "POST", base+path, "", "{}")
		if code != 404 || !strings.Contains(body, "set "+setting+" to turn it on") || strings.Contains(body, "\n") {
			t.Errorf("POST %s = %d %q; want 404 naming %s", path, code, body, setting)
		}
		logs.waitFor(t, `msg="request refused"`, "route="+path, "status=404")
	}
	if code, body := do(t, "POST", base+"/api/v1/events", "Bearer s3cret", "[]"); code == 404 {
		t.Errorf("the events API, on, answered %d %q", code, body)
	}
	if code, _ := do(t, "GET", base+"/nowhere", "", ""); code != 404 {
		t.Errorf("an unknown path = %d, want 404", code)
	}
}

// TestTrapRefusalsLogged (issue 14.6): refused events-API requests (401, 400) are
// logged in one structured line with the route, status, reason and remote address,
// never the token.
func TestTrapRefusalsLogged(t *testing.T) {
	base, logs, _ := serveLogged(t, map[string]string{"MAGDA_API_TOKEN": "s3cret"},
		"--db", filepath.Join(t.TempDir(), "magda.db"))
	if code, _ := do(t, "POST", base+"/api/v1/events", "Bearer wrong-token", "{}"); code != 401 {
		t.Fatalf("wrong token = %d", code)
	}
	logs.waitFor(t, `msg="request refused"`, "route=/api/v1/events", "status=401", "remote=127.0.0.1:")
	if code, _ := do(t, "POST", base+"/api/v1/events", "Bearer s3cret", `{"ticket":"MAGDA-1"}`); code != 400 {
		t.Fatalf("bad event = %d", code)
	}
	logs.waitFor(t, `msg="request refused"`, "route=/api/v1/events", "status=400", "reason=", "remote=127.0.0.1:")
	if s := logs.String(); strings.Contains(s, "s3cret") || strings.Contains(s, "wrong-token") {
		t.Errorf("the log holds a token:\n%s", s)
	}
}

// structured is one line of log/slog's text form.
var structured = regexp.MustCompile(`^time=\S+ level=(DEBUG|INFO|WARN|ERROR) msg=`)

// TestTrapStructuredLogs (issue 14.6): every line serve writes is structured, the
// start-up lines included, with times in Brussels.
func TestTrapStructuredLogs(t *testing.T) {
	_, logs, _ := serveLogged(t, nil, "--db", filepath.Join(t.TempDir(), "magda.db"))
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) < 5 {
		t.Fatalf("only %d start-up lines:\n%s", len(lines), logs.String())
	}
	for _, l := range lines {
		if !structured.MatchString(l) {
			t.Errorf("not a structured line: %q", l)
			continue
		}
		ts, _ := time.Parse(time.RFC3339Nano, logValue(" "+l, "time"))
		if _, off := ts.Zone(); off != 3600 && off != 7200 {
			t.Errorf("time of %q is not in Brussels", l)
		}
	}
}

// TestTrapOutbox (issues 14.6, 14.7): `bot outbox` says when it is empty, and prints
// its times in Brussels.
func TestTrapOutbox(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	st, err := storage.Open(db, storage.Options{Derive: func([]sla.Event) sla.Ticket { return sla.Ticket{} }})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"outbox", "--db", db}, env(nil), &out); err != nil || out.String() != "no notification messages\n" {
		t.Errorf("empty outbox: %q, %v", out.String(), err)
	}
	at := time.Date(2026, 7, 6, 7, 0, 0, 0, time.UTC)
	_, err = st.Enqueue(context.Background(), storage.Notification{Kind: "digest", Slot: at.Unix(), At: at,
		Messages: func() ([]storage.Message, error) {
			return []storage.Message{{Platform: "slack", Channel: "C1", Body: []byte("{}")}}, nil
		}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"outbox", "--db", db}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"not_before":"2026-07-06T09:00:00+02:00"`) {
		t.Errorf("outbox row not in Brussels time: %s", out.String())
	}
	out.Reset()
	run(context.Background(), []string{"outbox", "--state", "parked", "--db", db}, env(nil), &out)
	if out.String() != "no notification messages parked\n" {
		t.Errorf("no parked rows: %q", out.String())
	}
}

// TestTrapWaitingForCreated (issue 14.7): a ticket whose events came before its
// created is not "unknown": the terminal and chat say its events wait for it.
func TestTrapWaitingForCreated(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	st, err := storage.Open(db, storage.Options{Derive: func(evs []sla.Event) sla.Ticket {
		return sla.Replay(evs, func(string) (sla.Tier, bool) { return sla.Dedicated, true }, sla.NewCalendars(nil))
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Append(context.Background(), "api", "", []sla.Event{{Ticket: "MAGDA-9", Type: sla.Responded,
		At: time.Date(2026, 7, 6, 9, 0, 0, 0, sla.Brussels)}})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"ticket", "MAGDA-9", "--db", db}, env(nil), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "1 event(s) stored that wait for its created event") {
		t.Errorf("bot ticket: %v", err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"ask", "--db", db, "sla MAGDA-9"}, env(nil), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "wait for its `created` event") {
		t.Errorf("ask: %q; want the events said to wait for created", out.String())
	}
}
