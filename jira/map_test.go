package jira

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// dt is an instant in Brussels summer time (+02:00), given to the millisecond.
func dt(y int, m time.Month, d, h, min, s, ms int) time.Time {
	return time.Date(y, m, d, h, min, s, ms*int(time.Millisecond), time.FixedZone("CEST", 2*3600)).UTC()
}

// testMapping is the default mapping with the site's custom fields and organizations.
func testMapping() Mapping {
	m := DefaultMapping()
	m.Customer.Organizations = map[string]string{"Agentschap X": "agency-x", "Stad Gent": "city-ghent"}
	m.Env.Field = "customfield_10120"
	m.Env.MotivationField = "customfield_10121"
	return m
}

func known(id string) bool { return id == "agency-x" || id == "agency-y" || id == "city-ghent" }

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	sofie  = "Sofie Janssens"
	wim    = "Wim Claes"
	pieter = "Pieter De Smet"
)

func TestMapFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []sla.Event
	}{
		{"issue_created_portal_incident.json", []sla.Event{{
			ID: "jira:issue_created:MAGDA-101", Ticket: "MAGDA-101", Type: sla.Created, At: dt(2026, 7, 10, 16, 30, 0, 412),
			Customer: "agency-x", Kind: sla.Incident, Priority: sla.P1, Env: sla.Prod, Source: sla.Portal, By: pieter,
		}}},
		{"issue_created_email.json", []sla.Event{{ // R3.1: the mail channel's request type
			ID: "jira:issue_created:MAGDA-102", Ticket: "MAGDA-102", Type: sla.Created, At: dt(2026, 7, 10, 17, 5, 0, 78),
			Customer: "city-ghent", Kind: sla.Question, Priority: sla.P3, Env: sla.Prod, Source: sla.Mail, By: "An Vermeulen",
		}}},
		{"issue_created_tni_motivation.json", []sla.Event{{ // R4.2
			ID: "jira:issue_created:MAGDA-103", Ticket: "MAGDA-103", Type: sla.Created, At: dt(2026, 7, 13, 9, 12, 0, 904),
			Customer: "agency-y", Kind: sla.Incident, Priority: sla.P2, Env: sla.TNI, Source: sla.Portal, By: "Koen Maes",
			Motivation: "Go-live van ons nieuwe loket is donderdag; de ketentest op TNI is de laatste stap en ligt stil.",
		}}},
		{"issue_updated_waiting_customer.json", []sla.Event{ // R5.1, R3.4
			{ID: "jira:issue_updated:MAGDA-101:20110:0", Ticket: "MAGDA-101", Type: sla.Responded, At: dt(2026, 7, 10, 16, 52, 13, 230), By: sofie},
			{ID: "jira:issue_updated:MAGDA-101:20110:1", Ticket: "MAGDA-101", Type: sla.Paused, At: dt(2026, 7, 10, 16, 52, 13, 230), Reason: sla.WaitCustomer, By: sofie},
		}},
		{"issue_updated_in_progress.json", []sla.Event{ // R3.4
			{ID: "jira:issue_updated:MAGDA-101:20115:0", Ticket: "MAGDA-101", Type: sla.Resumed, At: dt(2026, 7, 13, 8, 41, 2, 17), By: sofie},
		}},
		{"issue_updated_waiting_third_party.json", []sla.Event{ // R3.4, Dutch status names
			{ID: "jira:issue_updated:MAGDA-101:20119:0", Ticket: "MAGDA-101", Type: sla.Paused, At: dt(2026, 7, 13, 14, 0, 0, 5), Reason: sla.WaitThirdParty, By: wim},
		}},
		{"issue_updated_resolved.json", []sla.Event{ // R5.2
			{ID: "jira:issue_updated:MAGDA-101:20121:0", Ticket: "MAGDA-101", Type: sla.Resolved, At: dt(2026, 7, 13, 11, 20, 45, 600), By: sofie},
		}},
		{"issue_updated_reopened.json", []sla.Event{ // R5.2
			{ID: "jira:issue_updated:MAGDA-101:20130:0", Ticket: "MAGDA-101", Type: sla.Reopened, At: dt(2026, 7, 14, 10, 3, 9, 310), By: wim},
		}},
		{"issue_updated_priority_localized.json", []sla.Event{ // R4.1: field "Prioriteit", fieldId "priority"
			{ID: "jira:issue_updated:MAGDA-102:20140:0", Ticket: "MAGDA-102", Type: sla.PriorityChanged, At: dt(2026, 7, 10, 17, 20, 31, 800),
				Priority: sla.P1, Reason: PriorityReason, By: sofie},
		}},
		{"comment_created_public_agent.json", []sla.Event{ // R5.1, R5.3
			{ID: "jira:comment_created:MAGDA-101:30001", Ticket: "MAGDA-101", Type: sla.Updated, At: dt(2026, 7, 10, 16, 47, 55, 120), By: sofie},
		}},
		{"comment_created_internal.json", nil},
		{"comment_created_customer.json", []sla.Event{ // R3.4: the customer answered
			{ID: "jira:comment_created:MAGDA-101:30003", Ticket: "MAGDA-101", Type: sla.Resumed, At: dt(2026, 7, 13, 8, 15, 40, 0), By: pieter},
		}},
		{"issue_deleted.json", nil},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".json"), func(t *testing.T) {
			got, err := Map(testMapping(), known, fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Map (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMapReplay feeds the mapped webhooks of MAGDA-101 to sla.Replay: the mapping
// yields events the engine applies as the service model means (R3.4, R5.1, R5.2).
func TestMapReplay(t *testing.T) {
	var evs []sla.Event
	for _, f := range []string{
		"issue_updated_reopened.json", "comment_created_customer.json", // out of order on purpose
		"issue_created_portal_incident.json", "comment_created_public_agent.json", "comment_created_internal.json",
		"issue_updated_waiting_customer.json", "issue_updated_in_progress.json", "issue_updated_resolved.json",
	} {
		got, err := Map(testMapping(), known, fixture(t, f))
		if err != nil {
			t.Fatal(f, err)
		}
		evs = append(evs, got...)
	}
	tier := func(string) (sla.Tier, bool) { return sla.Dedicated, true }
	tk := sla.Replay(evs, tier, sla.NewCalendars(nil))
	got := struct {
		State               sla.State
		Priority            sla.Priority
		Responded, Resolved time.Time
		ResolutionDone      bool
	}{tk.State, tk.Priority, tk.RespondedAt, tk.ResolvedAt, tk.Resolution.Done()}
	want := got
	want.State, want.Priority = sla.Open, sla.P1
	// The first public agent comment; the engine counts whole seconds (R3.5).
	want.Responded = dt(2026, 7, 10, 16, 47, 55, 120).Truncate(time.Second)
	want.Resolved, want.ResolutionDone = time.Time{}, false
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replayed ticket (-want +got):\n%s", diff)
	}
}

// edit changes a fixture: fn gets the decoded body and may change it in place.
func edit(t *testing.T, file string, fn func(body, fields map[string]any)) []byte {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(fixture(t, file), &body); err != nil {
		t.Fatal(err)
	}
	fn(body, body["issue"].(map[string]any)["fields"].(map[string]any))
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func items(body map[string]any) []any { return body["changelog"].(map[string]any)["items"].([]any) }

func TestMapVariants(t *testing.T) {
	const created, updated, comment = "issue_created_portal_incident.json", "issue_updated_waiting_customer.json", "comment_created_public_agent.json"
	channel := func(m *Mapping) { m.Source.Field = "customfield_10130" }
	tests := []struct {
		name    string
		mapping func(*Mapping)
		file    string
		edit    func(body, fields map[string]any)
		want    func(e *sla.Event) // applied to a copy of the fixture's first event
		none    bool
		err     string
	}{
		{name: "source field says phone (R3.1)", mapping: channel, file: created,
			edit: func(_, f map[string]any) { f["customfield_10130"] = map[string]any{"value": "Telefoon", "id": "10400"} },
			want: func(e *sla.Event) { e.Source = sla.Phone }},
		{name: "empty source field falls back to the request type", mapping: channel, file: created,
			edit: func(_, f map[string]any) { f["customfield_10130"] = nil }},
		{name: "unknown channel", mapping: channel, file: created,
			edit: func(_, f map[string]any) { f["customfield_10130"] = "Fax" },
			err:  `MAGDA-101: channel "Fax" (field customfield_10130) is listed in no source of jira.source`},
		{name: "no request type: made in Jira, phone by default", file: created,
			edit: func(_, f map[string]any) { f["customfield_10010"] = nil },
			want: func(e *sla.Event) { e.Source = sla.Phone }},
		{name: "issue type as kind fallback", file: created,
			edit: func(_, f map[string]any) {
				f["customfield_10010"] = nil
				f["issuetype"] = map[string]any{"name": "Vraag"}
			},
			want: func(e *sla.Event) { e.Source, e.Kind = sla.Phone, sla.Question }},
		{name: "connection request has no priority (R2.3)", file: created,
			edit: func(_, f map[string]any) {
				f["customfield_10010"] = map[string]any{"requestType": map[string]any{"name": "Aansluitingsaanvraag"}}
				f["priority"] = nil
			},
			want: func(e *sla.Event) { e.Kind, e.Priority = sla.Connection, sla.NoPriority }},
		{name: "connection request ignores a priority (R2.3)", file: created,
			edit: func(_, f map[string]any) {
				f["customfield_10010"] = map[string]any{"requestType": map[string]any{"name": "Connection request"}}
			},
			want: func(e *sla.Event) { e.Kind, e.Priority = sla.Connection, sla.NoPriority }},
		{name: "unknown kind", file: created,
			edit: func(_, f map[string]any) {
				f["customfield_10010"] = map[string]any{"requestType": map[string]any{"name": "Laptop bestellen"}}
				f["issuetype"] = map[string]any{"name": "Task"}
			},
			err: `MAGDA-101: neither request type "Laptop bestellen" nor issue type "Task" is listed in jira.kinds`},
		{name: "unmapped priority on creation", file: created,
			edit: func(_, f map[string]any) { f["priority"] = map[string]any{"name": "Urgent"} },
			err:  `MAGDA-101: priority "Urgent" is not listed in jira.priorities`},
		{name: "no priority on creation", file: created,
			edit: func(_, f map[string]any) { delete(f, "priority") },
			err:  `MAGDA-101: the incident has no priority`},
		{name: "unknown organization", file: created,
			edit: func(_, f map[string]any) {
				f["customfield_10002"] = []any{map[string]any{"id": "9", "name": "Agentschap Z"}}
			},
			err: `MAGDA-101: no customer: organization "Agentschap Z" maps to no configured customer (jira.customer.organizations)`},
		{name: "organization mapped to an unconfigured customer",
			mapping: func(m *Mapping) { m.Customer.Organizations["Agentschap X"] = "agency-gone" }, file: created,
			err: `MAGDA-101: no customer: organization "Agentschap X" maps to "agency-gone", which is not configured`},
		{name: "no organization", file: created,
			edit: func(_, f map[string]any) { f["customfield_10002"] = []any{} },
			err:  `MAGDA-101: no customer: the issue has no organization and no customer id`},
		{name: "second organization maps", file: created,
			edit: func(_, f map[string]any) {
				f["customfield_10002"] = []any{map[string]any{"name": "MAGDA-testers"}, map[string]any{"name": "stad gent"}}
			},
			want: func(e *sla.Event) { e.Customer = "city-ghent" }},
		{name: "customer id field wins", mapping: func(m *Mapping) { m.Customer.IDField = "customfield_10140" }, file: created,
			edit: func(_, f map[string]any) { f["customfield_10140"] = "agency-y" },
			want: func(e *sla.Event) { e.Customer = "agency-y" }},
		{name: "customer id field unknown", mapping: func(m *Mapping) { m.Customer.IDField = "customfield_10140" }, file: created,
			edit: func(_, f map[string]any) { f["customfield_10140"] = map[string]any{"value": "agency-q"} },
			err:  `MAGDA-101: customer "agency-q" (field customfield_10140) is not configured`},
		{name: "unknown environment", file: created,
			edit: func(_, f map[string]any) { f["customfield_10120"] = map[string]any{"value": "Acceptatie"} },
			err:  `MAGDA-101: environment "Acceptatie" (field customfield_10120) is listed in neither jira.env.prod nor jira.env.tni`},
		{name: "empty environment is prod", file: created,
			edit: func(_, f map[string]any) { f["customfield_10120"] = nil }},
		{name: "created without fields.created takes the timestamp", file: created,
			edit: func(_, f map[string]any) { delete(f, "created") },
			want: func(e *sla.Event) { e.At = dt(2026, 7, 10, 16, 30, 0, 599) }},
		{name: "created without any time", file: created,
			edit: func(b, f map[string]any) { delete(f, "created"); delete(b, "timestamp") },
			err:  `MAGDA-101: neither fields.created nor timestamp is a time`},
		{name: "missing issue key", file: created,
			edit: func(b, _ map[string]any) { delete(b["issue"].(map[string]any), "key") },
			err:  `jira:issue_created: the issue has no key`},
		{name: "not an issue key", file: updated,
			edit: func(b, _ map[string]any) { b["issue"].(map[string]any)["key"] = "MAGDA 101\n" },
			err:  `jira:issue_updated: ticket key "MAGDA 101" is not PROJECT-NUMBER (letters, digits or _ starting with a letter, a hyphen, digits)`},
		{name: "no issue", file: comment,
			edit: func(b, _ map[string]any) { delete(b, "issue") },
			err:  `comment_created without an issue`},
		{name: "no webhookEvent", file: updated,
			edit: func(b, _ map[string]any) { delete(b, "webhookEvent") },
			err:  `no webhookEvent: not a Jira webhook`},
		{name: "status item without fieldId matches on the name", file: updated,
			edit: func(b, _ map[string]any) { delete(items(b)[0].(map[string]any), "fieldId") },
			want: func(e *sla.Event) {}},
		{name: "changelog without id: the timestamp names the events", file: updated,
			edit: func(b, _ map[string]any) { delete(b["changelog"].(map[string]any), "id") },
			want: func(e *sla.Event) { e.ID = "jira:issue_updated:MAGDA-101:t1783695133230:0" }},
		{name: "updated without timestamp takes fields.updated", file: updated,
			edit: func(b, f map[string]any) { delete(b, "timestamp"); f["updated"] = "2026-07-10T16:52:14.000+0200" },
			want: func(e *sla.Event) { e.At = dt(2026, 7, 10, 16, 52, 14, 0) }},
		{name: "unmapped new priority", file: "issue_updated_priority_localized.json",
			edit: func(b, _ map[string]any) { items(b)[0].(map[string]any)["toString"] = "Spoed" },
			err:  `MAGDA-102: priority "Spoed" is not listed in jira.priorities`},
		{name: "priority renamed within P1", file: "issue_updated_priority_localized.json",
			edit: func(b, _ map[string]any) { items(b)[0].(map[string]any)["fromString"] = "Critical" },
			none: true},
		{name: "localized name without fieldId is not recognised", file: "issue_updated_priority_localized.json",
			edit: func(b, _ map[string]any) { delete(items(b)[0].(map[string]any), "fieldId") },
			none: true},
		{name: "issue_updated without changelog (a comment)", file: updated,
			edit: func(b, _ map[string]any) { delete(b, "changelog"); b["issue_event_type_name"] = "issue_commented" },
			none: true},
		{name: "comment without jsdPublic (not a service project)", file: comment,
			edit: func(b, _ map[string]any) { delete(b["comment"].(map[string]any), "jsdPublic") },
			none: true},
		{name: "agent comment by the reporter is the customer's", file: comment,
			edit: func(b, f map[string]any) { f["reporter"] = b["comment"].(map[string]any)["author"] },
			none: true},
		{name: "customer comment while not waiting for the customer", file: "comment_created_customer.json",
			edit: func(_, f map[string]any) { f["status"] = map[string]any{"name": "In Progress"} },
			none: true},
		{name: "comment without id", file: comment,
			edit: func(b, _ map[string]any) { delete(b["comment"].(map[string]any), "id") },
			err:  `MAGDA-101: the comment has no id`},
		{name: "numeric comment id", file: comment,
			edit: func(b, _ map[string]any) { b["comment"].(map[string]any)["id"] = 30001 }},
		{name: "comment without a time of its own takes the timestamp", file: comment,
			edit: func(b, _ map[string]any) { delete(b["comment"].(map[string]any), "created") },
			want: func(e *sla.Event) { e.At = dt(2026, 7, 10, 16, 47, 55, 215) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMapping()
			if tt.mapping != nil {
				tt.mapping(&m)
			}
			base, err := Map(testMapping(), known, fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			body := fixture(t, tt.file)
			if tt.edit != nil {
				body = edit(t, tt.file, tt.edit)
			}
			got, err := Map(m, known, body)
			if tt.err != "" {
				if err == nil || !errors.Is(err, ErrInvalid) || err.Error() != ErrInvalid.Error()+": "+tt.err {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				if got != nil {
					t.Errorf("events %v alongside the error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []sla.Event
			if !tt.none {
				want = base[:1]
				if tt.want != nil {
					want[0] = base[0]
					tt.want(&want[0])
				}
			}
			if len(got) > 1 {
				got = got[:1]
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Map (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMapMalformed(t *testing.T) {
	tests := []struct{ name, body, err string }{
		{"not JSON", `{"webhookEvent": "jira:issue_created", `, "malformed JSON: the body ends early"},
		{"syntax", `{"webhookEvent" "x"}`, "malformed JSON at byte 17: invalid character '\"' after object key"},
		{"array", `[]`, "malformed webhook: the body is a JSON array, not an object"},
		{"wrong type", `{"webhookEvent": "jira:issue_created", "issue": {"key": 101}}`, `malformed webhook: "issue.key" cannot be a JSON number`},
		{"empty", ``, "malformed JSON: the body ends early"},
		{"null", `null`, "no webhookEvent: not a Jira webhook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Map(testMapping(), known, []byte(tt.body))
			if err == nil || err.Error() != ErrInvalid.Error()+": "+tt.err {
				t.Fatalf("error = %v, want %q", err, tt.err)
			}
			if got != nil {
				t.Errorf("events %v alongside the error", got)
			}
		})
	}
}

func TestTransition(t *testing.T) {
	type ev struct {
		Type   sla.EventType
		Reason string
	}
	tests := []struct {
		from, to string
		want     []ev
	}{
		{"Waiting for support", "In Progress", []ev{{sla.Responded, ""}}},                                          // R5.1
		{"Waiting for support", "Waiting for customer", []ev{{sla.Responded, ""}, {sla.Paused, sla.WaitCustomer}}}, // R5.1, R3.4
		{"waiting for SUPPORT", "Resolved", []ev{{sla.Responded, ""}, {sla.Resolved, ""}}},
		{"Open", "Waiting for support", nil},
		{"In Progress", "Pending", []ev{{sla.Paused, sla.WaitThirdParty}}},
		{"Waiting for customer", "Waiting for support", []ev{{sla.Resumed, ""}}},
		{"Waiting for customer", "Work in progress", []ev{{sla.Resumed, ""}}},
		{"Waiting for customer", "Wachten op derde partij", []ev{{sla.Paused, sla.WaitThirdParty}}},
		{"Waiting for third party", "Done", []ev{{sla.Resumed, ""}, {sla.Resolved, ""}}},
		{"Resolved", "Closed", nil},
		{"Resolved", "Waiting for support", []ev{{sla.Reopened, ""}}},                                  // R5.2
		{"Gesloten", "Waiting for customer", []ev{{sla.Reopened, ""}, {sla.Paused, sla.WaitCustomer}}}, // R5.2, R3.4
		{"In Progress", "In behandeling", nil},
		{"", "Resolved", []ev{{sla.Resolved, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.from+" to "+tt.to, func(t *testing.T) {
			var got []ev
			for _, e := range DefaultMapping().Statuses.transition(tt.from, tt.to) {
				got = append(got, ev{e.Type, e.Reason})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("transition (-want +got):\n%s", diff)
			}
		})
	}
}
