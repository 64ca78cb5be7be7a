package jira

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// item0 edits the first changelog item of a fixture.
func item0(edit func(it map[string]any)) func(body, fields map[string]any) {
	return func(b, _ map[string]any) { edit(items(b)[0].(map[string]any)) }
}

func labels(from, to any) func(body, fields map[string]any) {
	return item0(func(it map[string]any) { it["fromString"], it["toString"] = from, to })
}

func status(from, to string) func(body, fields map[string]any) {
	return item0(func(it map[string]any) { it["fromString"], it["toString"] = from, to })
}

// TestMapEscalation_R7: a newly added escalation label, or a move into an escalation
// status, gives one `escalated` event to the next step (level 0), by the Jira user, with
// an id from the changelog so that Jira's retries store nothing twice (issue 9.5).
func TestMapEscalation_R7(t *testing.T) {
	const label, moved = "issue_updated_label_escalated.json", "issue_updated_status_escalated.json"
	byLabel := func(l string) []sla.Event {
		return []sla.Event{{ID: "jira:issue_updated:MAGDA-101:20117:0", Ticket: "MAGDA-101", Type: sla.Escalated,
			At: dt(2026, 7, 13, 12, 15, 12, 480), By: sofie, Reason: `escalated in Jira (label "` + l + `")`}}
	}
	at := dt(2026, 7, 13, 12, 30, 0, 250)
	ev := func(n string, typ sla.EventType, reason string) sla.Event {
		return sla.Event{ID: "jira:issue_updated:MAGDA-101:20118:" + n, Ticket: "MAGDA-101", Type: typ, At: at, By: sofie, Reason: reason}
	}
	byStatus := func(s string) sla.Event { return ev("0", sla.Escalated, `escalated in Jira (status "`+s+`")`) }
	tests := []struct {
		name    string
		mapping func(*Mapping)
		file    string
		edit    func(body, fields map[string]any)
		want    []sla.Event
	}{
		{name: "label added", file: label, want: byLabel("escalatie")},
		{name: "label on an issue without labels", file: label, edit: labels(nil, "escalated"), want: byLabel("escalated")},
		{name: "label in another case, with its diaeresis", file: label, edit: labels("a", "a GEËSCALEERD"), want: byLabel("GEËSCALEERD")},
		{name: "label without its diaeresis", file: label, edit: labels("", "geescaleerd"), want: byLabel("geescaleerd")},
		{name: "two escalation labels at once are one escalation", file: label, edit: labels("x", "escalated escalatie x"), want: byLabel("escalated")},
		{name: "label already there", file: label, edit: labels("escalatie klantportaal", "escalatie klantportaal prio")},
		{name: "label removed", file: label, edit: labels("escalatie klantportaal", "klantportaal")},
		{name: "other label added", file: label, edit: labels("klantportaal", "klantportaal escalatie-gevraagd")},
		{name: "labels item without fieldId (old servers)", file: label,
			edit: item0(func(it map[string]any) { delete(it, "fieldId") }), want: byLabel("escalatie")},
		{name: "status entered", file: moved, want: []sla.Event{byStatus("Geëscaleerd")}},
		{name: "status entered, English", file: moved, edit: status("In Progress", "escalated"), want: []sla.Event{byStatus("escalated")}},
		// Entering is neither a pause nor a resolve; what the status left still counts,
		// or a ticket escalated while waiting would stay paused after it (R3.4, R5.1).
		{name: "status entered from waiting for the customer", file: moved, edit: status("Waiting for customer", "Escalated"),
			want: []sla.Event{ev("0", sla.Resumed, ""), ev("1", sla.Escalated, `escalated in Jira (status "Escalated")`)}},
		{name: "status entered from the initial status", file: moved, edit: status("Waiting for support", "Escalated"),
			want: []sla.Event{ev("0", sla.Responded, ""), ev("1", sla.Escalated, `escalated in Jira (status "Escalated")`)}},
		{name: "from one escalation status to another", file: moved, edit: status("Escalated", "Geëscaleerd")},
		{name: "left for work", file: moved, edit: status("Geëscaleerd", "In Progress")},
		{name: "left for the customer", file: moved, edit: status("Geëscaleerd", "Waiting for customer"),
			want: []sla.Event{ev("0", sla.Paused, sla.WaitCustomer)}},
		{name: "left resolved", file: moved, edit: status("Escalated", "Resolved"), want: []sla.Event{ev("0", sla.Resolved, "")}},
		{name: "label and status in one change are one escalation", file: moved,
			edit: func(b, _ map[string]any) {
				b["changelog"].(map[string]any)["items"] = append(items(b), map[string]any{"field": "labels", "fieldId": "labels", "fromString": "", "toString": "escalated"})
			},
			want: []sla.Event{byStatus("Geëscaleerd")}},
		{name: "configured labels replace the default", file: label,
			mapping: func(m *Mapping) { m.Escalation.Labels = []string{"sdm"} }},
		{name: "a configured label", file: label, edit: labels("", "SDM"),
			mapping: func(m *Mapping) { m.Escalation.Labels = []string{"sdm"} }, want: byLabel("SDM")},
		{name: "configured statuses replace the default", file: moved,
			mapping: func(m *Mapping) { m.Escalation.Statuses = []string{"Bij SDM"} }},
		{name: "a configured status", file: moved, edit: status("In Progress", "Bij SDM"),
			mapping: func(m *Mapping) { m.Escalation.Statuses = []string{"Bij SDM"} }, want: []sla.Event{byStatus("Bij SDM")}},
		{name: "no escalation at all", file: moved, mapping: func(m *Mapping) { m.Escalation = Escalation{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMapping()
			if tt.mapping != nil {
				tt.mapping(&m)
			}
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			body := fixture(t, tt.file)
			if tt.edit != nil {
				body = edit(t, tt.file, tt.edit)
			}
			got, err := Map(m, known, body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Map (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEscalationReplay_R7: escalated while waiting for the customer, then back to
// work: the ticket is at the first escalation step and its clocks run again (R3.4).
func TestEscalationReplay_R7(t *testing.T) {
	var evs []sla.Event
	for _, body := range [][]byte{
		fixture(t, "issue_created_portal_incident.json"),
		fixture(t, "issue_updated_waiting_customer.json"),
		edit(t, "issue_updated_status_escalated.json", status("Waiting for customer", "Geëscaleerd")),
		edit(t, "issue_updated_in_progress.json", status("Geëscaleerd", "In Progress")),
	} {
		got, err := Map(testMapping(), known, body)
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, got...)
	}
	tk := sla.Replay(evs, func(string) (sla.Tier, bool) { return sla.Dedicated, true }, calendars())
	if tk.State != sla.Open || tk.Escalation != 1 || tk.EscalatedBy != sofie {
		t.Errorf("state %s, escalation %d by %q; want open, 1 by %s", tk.State, tk.Escalation, tk.EscalatedBy, sofie)
	}
}

// TestHandlerEscalationRetry_R7: Jira's retry of an escalation, under its delivery id or
// under a new one, stores nothing twice and raises the ticket one step only.
func TestHandlerEscalationRetry_R7(t *testing.T) {
	r := newStoredRig(t)
	if code, reply := r.post(t, fixture(t, "issue_created_portal_incident.json"), "d-created"); code != http.StatusOK {
		t.Fatalf("created: %d %q", code, reply)
	}
	body := fixture(t, "issue_updated_label_escalated.json")
	var replies []string
	for _, delivery := range []string{"d-escalated", "d-escalated", "d-escalated-again"} {
		code, reply := r.post(t, body, delivery)
		if code != http.StatusOK {
			t.Fatalf("%s: %d %q", delivery, code, reply)
		}
		replies = append(replies, reply)
	}
	want := []string{"stored: 1 of 1 events new\n", "duplicate: 0 of 1 events new\n", "duplicate: 0 of 1 events new\n"}
	if diff := cmp.Diff(want, replies); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	tk, _, err := r.db.Ticket(context.Background(), "MAGDA-101")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Escalation != 1 || len(tk.Escalations) != 1 || tk.EscalatedBy != sofie {
		t.Errorf("escalation %d, steps %+v, by %q; want one step to 1 by %s", tk.Escalation, tk.Escalations, tk.EscalatedBy, sofie)
	}
}
