package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// client bounds every request of these tests: a server that stops answering fails the
// test instead of hanging it.
var client = &http.Client{Timeout: 5 * time.Second}

// do sends method to url with the bearer authorization auth ("" for none) and gives the
// status and the answer's first line.
func do(t *testing.T, method, url, auth, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSuffix(string(b), "\n")
}

// With MAGDA_METRICS_ADDR the metrics are served there only, named in the start-up
// lines, with the health checks on both addresses (issue 10.9). They show a connection
// request under priority="none", a customer sent as "AGENCY-X" under its configured id
// agency-x, and the outbox depth of every configured platform at 0.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	s := startServing(t, map[string]string{
		"MAGDA_API_TOKEN": "s3cret-token", "MAGDA_METRICS_ADDR": "127.0.0.1:0", "SMTP_URL": "smtp://127.0.0.1:1",
	}, "--db", db)
	if s.metrics == "" || strings.HasPrefix(s.metrics, s.base) || !strings.HasSuffix(s.metrics, "/metrics") {
		t.Fatalf("start-up line %q names no /metrics apart from %s", s.startup[0], s.base)
	}
	ops := strings.TrimSuffix(s.metrics, "/metrics")

	// "bearer" in lower case is the Bearer scheme (RFC 7235).
	code, reply := do(t, "POST", s.base+"/api/v1/events", "bearer s3cret-token",
		`{"ticket":"MAGDA-5","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"AGENCY-X","kind":"connection"}`)
	if code != 200 {
		t.Fatalf("events: %d %q; want 200", code, reply)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"ticket", "MAGDA-5", "--db", db}, env(nil), &out); err != nil || !strings.Contains(out.String(), `"customer":"agency-x"`) {
		t.Errorf("stored MAGDA-5: %v %s; want customer agency-x", err, out.String())
	}

	for _, tc := range []struct {
		url  string
		code int
	}{
		{s.base + "/metrics", 404}, {s.base + "/healthz", 200}, {s.base + "/readyz", 200},
		{ops + "/healthz", 200}, {ops + "/readyz", 200}, {ops + "/api/v1/events", 404},
	} {
		if code, _ := do(t, "GET", tc.url, "", ""); code != tc.code {
			t.Errorf("GET %s: %d; want %d", tc.url, code, tc.code)
		}
	}
	code, metrics := do(t, "GET", s.metrics, "", "")
	if code != 200 {
		t.Fatalf("GET %s: %d", s.metrics, code)
	}
	for _, want := range []string{
		`magda_open_tickets{customer="agency-x",priority="none"} 1`,
		`magda_outbox_depth{platform="mail",state="pending"} 0`,
		`magda_outbox_depth{platform="mail",state="parked"} 0`,
		`magda_http_request_duration_seconds_count{code="200",route="events"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, never := range []string{`customer="AGENCY-X"`, `priority=""`, "s3cret"} {
		if strings.Contains(metrics, never) {
			t.Errorf("metrics hold %s", never)
		}
	}
}

// MAGDA_MAX_CONNS sets the public listener's connection limit, printed at start-up; a
// value that is not a count stops the bot with one line, before it listens.
func TestServeMaxConns(t *testing.T) {
	s := startServing(t, map[string]string{"MAGDA_MAX_CONNS": "5"}, "--db", filepath.Join(t.TempDir(), "magda.db"))
	if logValue(s.startup[1], "max_conns") != "5" {
		t.Errorf("start-up line %q; want the limit of 5", s.startup[1])
	}
	for _, v := range []string{"many", "0", "-3"} {
		err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "magda.db")},
			env(map[string]string{"MAGDA_MAX_CONNS": v}), io.Discard)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "MAGDA_MAX_CONNS") || strings.Contains(err.Error(), "\n") {
			t.Errorf("MAGDA_MAX_CONNS=%s: %v; want a one-line usage error naming it", v, err)
		}
	}
}

// Input the events API refuses (issue 10.6) gets 400 and one line through the real
// server and store, and nothing of it is stored: instants outside the calendar's years
// are a 400, not a 500, and `bot tickets` and `bot ticket` go on working.
func TestServeRefusesBadEventsAndStoresNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "magda.db")
	base := startServe(t, map[string]string{"MAGDA_API_TOKEN": "tok"}, "--db", db)
	const good = `{"ticket":"MAGDA-7","type":"created","at":"2026-07-10T16:30:00+02:00","customer":"agency-x","kind":"incident","priority":"P2"}`
	if code, reply := do(t, "POST", base+"/api/v1/events", "Bearer tok", good); code != 200 {
		t.Fatalf("good event: %d %q", code, reply)
	}
	key := func(k string) string { return strings.Replace(good, `"MAGDA-7"`, `"`+k+`"`, 1) }
	at := func(a string) string { return strings.Replace(good, "2026-07-10T16:30:00+02:00", a, 1) }
	for name, body := range map[string]string{
		"key with NUL":               key(`MAGDA-8\u0000`),
		"key with a newline":         key(`MAGDA-8\nMAGDA-9`),
		"key with U+202E":            key("MAGDA-\u202e8"),
		"key of 100,000 characters":  key("MAGDA-" + strings.Repeat("8", 100_000)),
		"invalid UTF-8":              strings.Replace(key("MAGDA-8"), "agency-x", "agency-\xff", 1),
		`"Ticket"`:                   strings.Replace(key("MAGDA-8"), `"ticket"`, `"Ticket"`, 1),
		"connection with a priority": strings.Replace(key("MAGDA-8"), "incident", "connection", 1),
		"year 1":                     at("0001-01-01T00:00:00Z"),
		"year 9999":                  at("9999-12-31T23:59:59Z"),
		"year 1900":                  at("1900-01-01T10:00:00+01:00"),
		"year 2200":                  at("2200-01-01T10:00:00+01:00"),
		"year 9999 on another event": `{"ticket":"MAGDA-7","type":"responded","at":"9999-01-01T10:00:00Z"}`,
	} {
		code, reply := do(t, "POST", base+"/api/v1/events", "Bearer tok", body)
		if code != 400 || !strings.HasPrefix(reply, "invalid event: ") || strings.Contains(reply, "\n") {
			t.Errorf("%s: %d %q; want 400 and one line", name, code, reply)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"tickets", "--db", db}, env(nil), &out); err != nil {
		t.Fatalf("bot tickets: %v", err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 1 || !strings.Contains(lines[0], `"ticket":"MAGDA-7"`) {
		t.Errorf("bot tickets:\n%s\nwant MAGDA-7 alone", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"ticket", "MAGDA-7", "--db", db}, env(nil), &out); err != nil ||
		!strings.Contains(out.String(), `"response":{"due":"2026-07-13T09:30:00+02:00"`) {
		t.Errorf("bot ticket MAGDA-7: %v %s; want its clocks as before the refused events", err, out.String())
	}
	if err := run(context.Background(), []string{"ticket", "MAGDA-8", "--db", db}, env(nil), &out); err == nil {
		t.Error("MAGDA-8, only ever refused, is stored")
	}
}
