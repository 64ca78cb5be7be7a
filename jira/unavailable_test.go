package jira

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/sqlitehold"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// TestWebhookUnavailable503_Issue16: over a real SQLite file and real HTTP, a delivery
// that arrives while another connection holds the writer past the busy timeout, or
// after the store is closed, gets 503 with Retry-After (Jira retries a 5xx) and stores
// nothing; a badly signed one is still 401 and a malformed one 400; the same delivery
// once the writer is free is 200 and stored once, and Jira's retry of it a duplicate.
func TestWebhookUnavailable503_Issue16(t *testing.T) {
	tier := func(c string) (sla.Tier, bool) { return sla.Dedicated, known(c) }
	path := filepath.Join(t.TempDir(), "magda.db")
	db, err := storage.Open(path, storage.Options{BusyTimeout: 100 * time.Millisecond,
		Derive: func(evs []sla.Event) sla.Ticket { return sla.Replay(evs, tier, calendars()) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var results []string
	srv := httptest.NewServer(Handler(HandlerOptions{Secret: secret, Mapping: testMapping(), Known: known, Store: db,
		Unavailable: storage.Unavailable, OnResult: func(s string) { results = append(results, s) }}))
	defer srv.Close()
	post := func(body []byte, signature string) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/jira", bytes.NewReader(body))
		req.Header.Set(SignatureHeader, signature)
		req.Header.Set(DeliveryHeader, "d-unavailable")
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Retry-After"), string(b)
	}
	body := fixture(t, "issue_created_portal_incident.json")
	stored := func() int {
		t.Helper()
		evs, err := db.Events(t.Context(), "MAGDA-101")
		if err != nil {
			t.Fatal(err)
		}
		return len(evs)
	}

	release := sqlitehold.Writer(t, path)
	if code, ra, reply := post(body, sign(secret, body)); code != http.StatusServiceUnavailable || ra != "5" || strings.Count(reply, "\n") != 1 {
		t.Fatalf("writer held: %d Retry-After %q %q; want 503, 5 and one line", code, ra, reply)
	}
	if code, _, _ := post(body, "sha256=00"); code != http.StatusUnauthorized {
		t.Errorf("badly signed, writer held: %d, want 401", code)
	}
	bad := []byte(`{"webhookEvent":`)
	if code, _, _ := post(bad, sign(secret, bad)); code != http.StatusBadRequest {
		t.Errorf("malformed, writer held: %d, want 400", code)
	}
	if n := stored(); n != 0 {
		t.Fatalf("stored %d events while refusing the delivery", n)
	}
	release()
	for i, want := range []string{"stored: 1 of 1 events new\n", "duplicate: 0 of 1 events new\n"} {
		if code, _, reply := post(body, sign(secret, body)); code != http.StatusOK || reply != want {
			t.Fatalf("delivery %d once the writer is free: %d %q, want 200 %q", i+1, code, reply, want)
		}
	}
	if n := stored(); n != 1 {
		t.Fatalf("stored %d events, want 1", n)
	}

	db.Close()
	other := bytes.ReplaceAll(body, []byte("MAGDA-101"), []byte("MAGDA-102"))
	if code, ra, _ := post(other, sign(secret, other)); code != http.StatusServiceUnavailable || ra != "5" {
		t.Errorf("store closed: %d Retry-After %q, want 503 and 5", code, ra)
	}
	if got := strings.Join(results, " "); !strings.HasPrefix(got, ResultUnavailable+" ") || !strings.HasSuffix(got, " "+ResultUnavailable) {
		t.Errorf("results %q: want an unavailable first and last", got)
	}
}
