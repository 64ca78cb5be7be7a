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
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/sqlitehold"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// TestWebhookUnavailable503_Issue16: a notification that arrives while another
// connection holds the writer past the busy timeout, or after the store is closed, gets
// 503 with Retry-After (Alertmanager retries a 5xx) and stores no outage; a malformed
// one is still 400; the same notification once the writer is free is 200 and stored
// once (R6.1).
func TestWebhookUnavailable503_Issue16(t *testing.T) {
	path := filepath.Join(t.TempDir(), "magda.db")
	db, err := storage.Open(path, storage.Options{BusyTimeout: 100 * time.Millisecond,
		Derive: func([]sla.Event) sla.Ticket { return sla.Ticket{} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := httptest.NewServer(alertmanager.Handler(alertmanager.Options{Token: "s3cret", Store: store{db}, Unavailable: storage.Unavailable}))
	defer srv.Close()
	send := func(body string) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		bearer("s3cret")(req)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Retry-After"), string(b)
	}
	outages := func() int {
		t.Helper()
		got, err := db.Outages(context.Background(), sla.FirstInstant, sla.LastInstant)
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	firing := notification("firing", "a1b2", `{"alertname":"PostgresDown","component":"database"}`, "2026-11-10T10:00:00+01:00", "0001-01-01T00:00:00Z")

	release := sqlitehold.Writer(t, path)
	if code, ra, msg := send(firing); code != http.StatusServiceUnavailable || ra != "5" || strings.Count(msg, "\n") != 1 {
		t.Fatalf("writer held: %d Retry-After %q %q; want 503, 5 and one line", code, ra, msg)
	}
	if code, _, _ := send("{"); code != http.StatusBadRequest {
		t.Errorf("malformed, writer held: %d, want 400", code)
	}
	if n := outages(); n != 0 {
		t.Fatalf("stored %d outages while refusing them", n)
	}
	release()
	for i, want := range []string{"stored", "duplicate"} {
		if code, _, msg := send(firing); code != http.StatusOK || !strings.HasPrefix(msg, want) {
			t.Fatalf("send %d once the writer is free: %d %q, want 200 %s", i+1, code, msg, want)
		}
	}
	if n := outages(); n != 1 {
		t.Fatalf("stored %d outages, want 1", n)
	}
	db.Close()
	other := strings.Replace(firing, "a1b2", "c3d4", 1)
	if code, ra, _ := send(other); code != http.StatusServiceUnavailable || ra != "5" {
		t.Errorf("store closed: %d Retry-After %q, want 503 and 5", code, ra)
	}
}
