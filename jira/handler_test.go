package jira

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// fakeStore records appends; AppendFunc nil means every event is new.
type fakeStore struct {
	AppendFunc func(ctx context.Context, source, deliveryID string, evs []sla.Event) (int, error)
	calls      []appendCall
}

type appendCall struct {
	Source, Delivery string
	Events           []sla.Event
}

func (s *fakeStore) Append(ctx context.Context, source, deliveryID string, evs []sla.Event) (int, error) {
	s.calls = append(s.calls, appendCall{source, deliveryID, evs})
	if s.AppendFunc == nil {
		return len(evs), nil
	}
	return s.AppendFunc(ctx, source, deliveryID, evs)
}

var secret = []byte("jira-webhook-secret-for-tests")

type rig struct {
	store   *fakeStore
	results []string
	logs    bytes.Buffer
	h       http.Handler
}

func newRig() *rig {
	r := &rig{store: &fakeStore{}}
	r.h = Handler(HandlerOptions{
		Secret: secret, Mapping: testMapping(), Known: known, Store: r.store,
		Logger:   slog.New(slog.NewTextHandler(&r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OnResult: func(s string) { r.results = append(r.results, s) },
	})
	return r
}

func (r *rig) post(body []byte, signature, delivery string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/jira", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set(SignatureHeader, signature)
	}
	if delivery != "" {
		req.Header.Set(DeliveryHeader, delivery)
	}
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	return w
}

func TestHandler(t *testing.T) {
	created := fixture(t, "issue_created_portal_incident.json")
	wantCreated, err := Map(testMapping(), known, created)
	if err != nil {
		t.Fatal(err)
	}
	big := append(bytes.Repeat([]byte(" "), MaxBody), created...)
	year1 := edit(t, "issue_created_portal_incident.json", func(_, f map[string]any) { f["created"] = "0001-01-01T00:00:00.000+0000" })
	badKey := edit(t, "issue_created_portal_incident.json", func(b, _ map[string]any) { b["issue"].(map[string]any)["key"] = "1MAGDA-101" })
	tests := []struct {
		name      string
		body      []byte
		signature string
		store     func(context.Context, string, string, []sla.Event) (int, error)
		status    int
		reply     string
		result    string
		stored    []appendCall
	}{
		{name: "valid", body: created, signature: sign(secret, created), status: 200,
			reply: "stored: 1 of 1 events new", result: ResultStored,
			stored: []appendCall{{"jira", "d-1", wantCreated}}},
		{name: "already stored", body: created, signature: sign(secret, created),
			store:  func(context.Context, string, string, []sla.Event) (int, error) { return 0, nil },
			status: 200, reply: "duplicate: 0 of 1 events new", result: ResultDuplicate,
			stored: []appendCall{{"jira", "d-1", wantCreated}}},
		{name: "wrong signature", body: created, signature: sign([]byte("guess"), created), status: 401,
			reply: "missing or wrong X-Hub-Signature", result: ResultUnauthorized},
		{name: "missing signature", body: created, status: 401,
			reply: "missing or wrong X-Hub-Signature", result: ResultUnauthorized},
		{name: "malformed", body: []byte(`{"webhookEvent":`), signature: sign(secret, []byte(`{"webhookEvent":`)), status: 400,
			reply: "malformed JSON: the body ends early", result: ResultRejected},
		{name: "unmappable", body: []byte(`{"webhookEvent":"jira:issue_created","issue":{}}`),
			signature: sign(secret, []byte(`{"webhookEvent":"jira:issue_created","issue":{}}`)), status: 400,
			reply: "jira:issue_created: the issue has no key", result: ResultRejected},
		{name: "instant the calendar does not count (issue 9.8)", body: year1, signature: sign(secret, year1), status: 400,
			reply: "MAGDA-101: fields.created 0001-01-01T00:00:00Z is outside the years 2000-2100 the service calendar counts", result: ResultRejected},
		{name: "key that is not PROJECT-NUMBER (issue 10.6)", body: badKey, signature: sign(secret, badKey), status: 400,
			reply: `jira:issue_created: ticket key "1MAGDA-101" is not PROJECT-NUMBER (letters, digits or _ starting with a letter, a hyphen, digits)`, result: ResultRejected},
		{name: "over 1 MiB", body: big, signature: sign(secret, big), status: 413,
			reply: "body over 1 MiB", result: ResultRejected},
		{name: "ignored event", body: fixture(t, "issue_deleted.json"), signature: sign(secret, fixture(t, "issue_deleted.json")),
			status: 200, reply: "ignored", result: ResultIgnored},
		{name: "store fails: Jira retries", body: created, signature: sign(secret, created),
			store: func(context.Context, string, string, []sla.Event) (int, error) {
				return 0, errors.New("disk I/O error")
			},
			status: 500, reply: "internal error", result: ResultError,
			stored: []appendCall{{"jira", "d-1", wantCreated}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig()
			r.store.AppendFunc = tt.store
			w := r.post(tt.body, tt.signature, "d-1")
			got := struct {
				Status      int
				Reply, Type string
				Results     []string
				Stored      []appendCall
			}{w.Code, w.Body.String(), w.Header().Get("Content-Type"), r.results, r.store.calls}
			want := got
			want.Status, want.Reply, want.Type = tt.status, tt.reply+"\n", "text/plain; charset=utf-8"
			want.Results, want.Stored = []string{tt.result}, tt.stored
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
			for _, s := range []string{string(secret), tt.signature} {
				if s != "" && strings.Contains(r.logs.String(), s) {
					t.Errorf("logs hold the secret or the signature:\n%s", r.logs.String())
				}
			}
		})
	}
}

// TestHandlerRedelivery: Jira's retry carries the same delivery id, which reaches the
// store with the same deterministic event ids, so the store can tell it was seen.
func TestHandlerRedelivery(t *testing.T) {
	r := newRig()
	seen := map[string]bool{}
	r.store.AppendFunc = func(_ context.Context, _, delivery string, evs []sla.Event) (int, error) {
		if seen[delivery] {
			return 0, nil
		}
		seen[delivery] = true
		return len(evs), nil
	}
	body := fixture(t, "issue_updated_waiting_customer.json")
	for range 2 {
		if w := r.post(body, sign(secret, body), "6e4e3f7a-1c2d-4b5a-9e8f-0a1b2c3d4e5f"); w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	if diff := cmp.Diff([]string{ResultStored, ResultDuplicate}, r.results); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if len(r.store.calls) != 2 {
		t.Fatalf("%d appends, want 2", len(r.store.calls))
	}
	first, second := r.store.calls[0], r.store.calls[1]
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("the redelivery reached the store differently (-first +second):\n%s", diff)
	}
	if first.Delivery != "6e4e3f7a-1c2d-4b5a-9e8f-0a1b2c3d4e5f" {
		t.Errorf("delivery id %q", first.Delivery)
	}
}

func TestHandlerMethod(t *testing.T) {
	r := newRig()
	req := httptest.NewRequest(http.MethodGet, "/webhooks/jira", nil)
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	body, _ := io.ReadAll(w.Body)
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "POST" || len(r.store.calls) != 0 {
		t.Errorf("GET: status %d, Allow %q, body %q, %d appends", w.Code, w.Header().Get("Allow"), body, len(r.store.calls))
	}
}
