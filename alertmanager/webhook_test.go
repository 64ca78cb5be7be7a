package alertmanager_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/alertmanager"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// store adapts the real SQLite store, as cmd/bot does.
type store struct{ db *storage.DB }

func (s store) MarkAlerts(ctx context.Context, ms []alertmanager.Mark) (int, error) {
	out := make([]storage.AlertMark, len(ms))
	for i, m := range ms {
		out[i] = storage.AlertMark(m)
	}
	return s.db.MarkAlerts(ctx, out)
}

func open(t *testing.T) *storage.DB {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "magda.db"), storage.Options{Derive: func([]sla.Event) sla.Ticket { return sla.Ticket{} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// notification is a version 4 body as Alertmanager's webhook notifier writes it.
func notification(status, fp string, labels, starts, ends string) string {
	return `{"receiver":"magda","status":"` + status + `","alerts":[{"status":"` + status + `","labels":` + labels +
		`,"annotations":{"summary":"primary lost"},"startsAt":"` + starts + `","endsAt":"` + ends +
		`","generatorURL":"http://prometheus/graph","fingerprint":"` + fp + `"}],"groupLabels":{},"commonLabels":{},` +
		`"commonAnnotations":{},"externalURL":"http://alertmanager:9093","version":"4","groupKey":"{}:{}","truncatedAlerts":0}`
}

func post(t *testing.T, url, body string, auth func(*http.Request)) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != nil {
		auth(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func bearer(tok string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

func TestWebhookR6_1FiringResolvedIdempotent(t *testing.T) {
	db := open(t)
	srv := httptest.NewServer(alertmanager.Handler(alertmanager.Options{Token: "s3cret", Store: store{db}}))
	defer srv.Close()
	labels := `{"alertname":"PostgresDown","component":"database"}`
	firing := notification("firing", "a1b2", labels, "2026-11-10T10:00:00.123+01:00", "0001-01-01T00:00:00Z")
	resolved := notification("resolved", "a1b2", labels, "2026-11-10T10:00:00.123+01:00", "2026-11-10T10:30:00+01:00")
	for i, step := range []struct{ body, want string }{
		{firing, "stored"}, {firing, "duplicate"}, {resolved, "stored"}, {resolved, "duplicate"},
	} {
		code, msg := post(t, srv.URL, step.body, bearer("s3cret"))
		if code != 200 || !strings.HasPrefix(msg, step.want) {
			t.Fatalf("step %d: %d %q, want 200 %s", i, code, msg, step.want)
		}
	}
	got, err := db.Outages(context.Background(), time.Date(2026, 11, 1, 0, 0, 0, 0, sla.Brussels), time.Date(2026, 12, 1, 0, 0, 0, 0, sla.Brussels))
	if err != nil || len(got) != 1 {
		t.Fatalf("outages %v, %v", got, err)
	}
	if o := got[0]; o.Component != sla.Database || o.End.Sub(o.Start) != 30*time.Minute || o.Note != "PostgresDown: primary lost" {
		t.Fatalf("outage %+v", o)
	}
}

func TestWebhookR6_1AuthAndRefusals(t *testing.T) {
	db := open(t)
	rules, err := alertmanager.ParseRules(map[string][]string{"network": {`alertname=~"Link.*"`, `severity!="info"`}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(alertmanager.Handler(alertmanager.Options{Token: "s3cret", Store: store{db}, Rules: rules}))
	defer srv.Close()
	body := notification("firing", "n1", `{"alertname":"LinkDown","severity":"critical"}`, "2026-11-10T10:00:00Z", "0001-01-01T00:00:00Z")
	for name, tc := range map[string]struct {
		body string
		auth func(*http.Request)
		code int
		msg  string
	}{
		"no token":                  {body, nil, 401, "missing or wrong token"},
		"wrong bearer":              {body, bearer("nope"), 401, "missing or wrong token"},
		"wrong basic password":      {body, func(r *http.Request) { r.SetBasicAuth("am", "nope") }, 401, "missing or wrong token"},
		"version 3":                 {strings.Replace(body, `"version":"4"`, `"version":"3"`, 1), bearer("s3cret"), 400, `payload version "3"`},
		"not JSON":                  {"{", bearer("s3cret"), 400, "not an Alertmanager notification"},
		"unmapped alert is ignored": {notification("firing", "x", `{"alertname":"DiskFull"}`, "2026-11-10T10:00:00Z", "0001-01-01T00:00:00Z"), bearer("s3cret"), 200, "ignored"},
		"info severity is no match": {notification("firing", "y", `{"alertname":"LinkFlap","severity":"info"}`, "2026-11-10T10:00:00Z", "0001-01-01T00:00:00Z"), bearer("s3cret"), 200, "ignored"},
	} {
		code, msg := post(t, srv.URL, tc.body, tc.auth)
		if code != tc.code || !strings.HasPrefix(msg, tc.msg) {
			t.Errorf("%s: %d %q, want %d %q", name, code, msg, tc.code, tc.msg)
		}
	}
	if got, _ := db.Outages(context.Background(), sla.FirstInstant, sla.LastInstant); len(got) != 0 {
		t.Fatalf("refused requests stored %v", got)
	}
	// Basic auth with the token as the password, and a custom rule.
	if code, msg := post(t, srv.URL, body, func(r *http.Request) { r.SetBasicAuth("alertmanager", "s3cret") }); code != 200 || !strings.HasPrefix(msg, "stored") {
		t.Fatalf("basic auth: %d %q", code, msg)
	}
	if got, _ := db.Outages(context.Background(), sla.FirstInstant, sla.LastInstant); len(got) != 1 || got[0].Component != sla.Network {
		t.Fatalf("outages %+v", got)
	}
}

func TestParseMatcher(t *testing.T) {
	for s, ok := range map[string]bool{`a="b"`: true, `a!="b"`: true, `a=~"b.*"`: true, `a!~b`: true,
		`="b"`: false, `a~"b"`: false, `a=~"("`: false, `1a="b"`: false, `a="b`: false} {
		if _, err := alertmanager.ParseMatcher(s); (err == nil) != ok {
			t.Errorf("ParseMatcher(%s): %v", s, err)
		}
	}
	if _, err := alertmanager.ParseRules(map[string][]string{"disk": {`a="b"`}}); err == nil {
		t.Error("an unknown component is accepted")
	}
}
