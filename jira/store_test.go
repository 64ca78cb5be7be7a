package jira

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// calendars are built once per test binary: they take tens of milliseconds.
var calendars = sync.OnceValue(func() *sla.Calendars { return sla.NewCalendars(nil) })

// storedRig is the handler over a real SQLite file, as cmd/bot wires them.
type storedRig struct {
	db      *storage.DB
	h       http.Handler
	results []string
}

func newStoredRig(t *testing.T) *storedRig {
	t.Helper()
	tier := func(c string) (sla.Tier, bool) { return sla.Dedicated, known(c) }
	db, err := storage.Open(filepath.Join(t.TempDir(), "magda.db"), storage.Options{
		Derive: func(evs []sla.Event) sla.Ticket { return sla.Replay(evs, tier, calendars()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &storedRig{db: db}
	r.h = Handler(HandlerOptions{Secret: secret, Mapping: testMapping(), Known: known, Store: db,
		OnResult: func(s string) { r.results = append(r.results, s) }})
	return r
}

// post sends body signed with the shared secret, as Jira does.
func (r *storedRig) post(t *testing.T, body []byte, delivery string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/webhooks/jira", bytes.NewReader(body))
	req.Header.Set(SignatureHeader, sign(secret, body))
	req.Header.Set(DeliveryHeader, delivery)
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

func (r *storedRig) events(t *testing.T, key string) []sla.Event {
	t.Helper()
	evs, err := r.db.Events(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestHandlerServerSample_R4: the Jira Server shape with its default priority Major is
// stored as a P2 incident (issue 9.7), where it used to be refused.
func TestHandlerServerSample_R4(t *testing.T) {
	r := newStoredRig(t)
	body := fixture(t, "issue_created_server_major.json")
	if code, reply := r.post(t, body, "d-server"); code != http.StatusOK || reply != "stored: 1 of 1 events new\n" {
		t.Fatalf("%d %q", code, reply)
	}
	tk, found, err := r.db.Ticket(context.Background(), "MAGDA-210")
	if err != nil || !found {
		t.Fatalf("ticket: found %v, %v", found, err)
	}
	type summary struct {
		Customer string
		Kind     sla.Kind
		Priority sla.Priority
		Created  time.Time
		Events   int
	}
	got := summary{tk.Customer, tk.Kind, tk.Priority, tk.Created, tk.Events}
	want := summary{"agency-x", sla.Incident, sla.P2, dt(2026, 7, 15, 11, 59, 37, 0), 1} // the engine counts whole seconds (R3.5)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored ticket (-want +got):\n%s", diff)
	}
}

// TestHandlerRefusesWhatCheckRefuses: a webhook whose events sla.Event.Check would
// refuse gets 400 with a one-line reason that names the field, and nothing is stored
// (issue 9.8, 10.6).
func TestHandlerRefusesWhatCheckRefuses(t *testing.T) {
	const created, updated, comment = "issue_created_portal_incident.json", "issue_updated_waiting_customer.json", "comment_created_public_agent.json"
	const outside = " is outside the years 2000-2100 the service calendar counts"
	tests := []struct {
		name, file string
		edit       func(body, fields map[string]any)
		reply      string
	}{
		{"created in year 1", created, func(_, f map[string]any) { f["created"] = "0001-01-01T00:00:00.000+0000" },
			"MAGDA-101: fields.created 0001-01-01T00:00:00Z" + outside},
		{"created in 1900", created, func(_, f map[string]any) { f["created"] = "1900-03-01T10:00:00.000+0100" },
			"MAGDA-101: fields.created 1900-03-01T09:00:00Z" + outside},
		{"created in 2200", created, func(_, f map[string]any) { f["created"] = "2200-07-10T16:30:00.412+0200" },
			"MAGDA-101: fields.created 2200-07-10T14:30:00Z" + outside},
		{"created in 9999", created, func(_, f map[string]any) { f["created"] = "9999-12-31T23:59:59.999+0000" },
			"MAGDA-101: fields.created 9999-12-31T23:59:59Z" + outside},
		{"created without fields.created, timestamp in 1970", created, func(b, f map[string]any) { delete(f, "created"); b["timestamp"] = 1 },
			"MAGDA-101: timestamp 1970-01-01T00:00:00Z" + outside},
		{"update stamped in 9999", updated, func(b, _ map[string]any) { b["timestamp"] = int64(253402300799999) },
			"MAGDA-101: timestamp 9999-12-31T23:59:59Z" + outside},
		{"update without timestamp, fields.updated in 2200", updated, func(b, f map[string]any) { delete(b, "timestamp"); f["updated"] = "2200-01-01T00:00:00.000+0000" },
			"MAGDA-101: fields.updated 2200-01-01T00:00:00Z" + outside},
		{"comment written in 1900", comment, func(b, _ map[string]any) { b["comment"].(map[string]any)["created"] = "1900-01-01T12:00:00.000+0000" },
			"MAGDA-101: comment.created 1900-01-01T12:00:00Z" + outside},
		{"update without any time", updated, func(b, f map[string]any) { delete(b, "timestamp"); delete(f, "updated") },
			"MAGDA-101: neither timestamp nor fields.updated is a time"},
		{"project key over 32 characters", created, func(b, _ map[string]any) { b["issue"].(map[string]any)["key"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG-1" },
			`jira:issue_created: ticket key "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG-1" is not PROJECT-NUMBER (letters, digits or _ starting with a letter, a hyphen, digits)`},
		{"display name with a control character", updated, func(b, _ map[string]any) { b["user"].(map[string]any)["displayName"] = "Sofie\x07Janssens" },
			`MAGDA-101 responded: field "by" holds the control character U+0007`},
		{"display name with a bidirectional override", created, func(_, f map[string]any) {
			f["reporter"].(map[string]any)["displayName"] = "Pieter \u202etemS eD"
		}, `MAGDA-101 created: field "by" holds the control character U+202E`},
		{"unlisted priority, cut short", created, func(_, f map[string]any) {
			f["priority"] = map[string]any{"name": string(bytes.Repeat([]byte("x"), 500))}
		},
			`MAGDA-101: priority "` + string(bytes.Repeat([]byte("x"), 80)) + `"… is not listed in jira.priorities`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newStoredRig(t)
			code, reply := r.post(t, edit(t, tt.file, tt.edit), "d-refused")
			if code != http.StatusBadRequest || reply != tt.reply+"\n" {
				t.Errorf("got %d %q\nwant 400 %q", code, reply, tt.reply)
			}
			if evs := r.events(t, "MAGDA-101"); len(evs) != 0 {
				t.Errorf("stored %v", evs)
			}
			// The delivery id was not spent: Jira's fixed redelivery is taken.
			if code, reply := r.post(t, fixture(t, tt.file), "d-refused"); code != http.StatusOK || reply == "duplicate: 0 of 1 events new\n" {
				t.Errorf("the valid webhook under the same delivery: %d %q", code, reply)
			}
		})
	}
}

// TestHandlerKeyAndConnection: the key is stored in upper case (sla.ParseKey) and a
// connection request's priority, which Jira always sends, is dropped (R2.3).
func TestHandlerKeyAndConnection(t *testing.T) {
	r := newStoredRig(t)
	body := edit(t, "issue_created_portal_incident.json", func(b, f map[string]any) {
		b["issue"].(map[string]any)["key"] = "magda-101"
		f["customfield_10010"] = map[string]any{"requestType": map[string]any{"name": "Aansluitingsaanvraag"}}
		f["priority"] = map[string]any{"name": "Highest"}
	})
	if code, reply := r.post(t, body, "d-conn"); code != http.StatusOK {
		t.Fatalf("%d %q", code, reply)
	}
	evs := r.events(t, "MAGDA-101")
	if len(evs) != 1 || evs[0].ID != "jira:issue_created:MAGDA-101" || evs[0].Kind != sla.Connection || evs[0].Priority != sla.NoPriority {
		t.Errorf("stored %+v", evs)
	}
}
