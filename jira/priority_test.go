package jira

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// TestDefaultPrioritiesEveryScheme_R4 maps every priority of Jira's default schemes, in
// English and Dutch, through a real jira:issue_created body: each name gives the
// priority of the README's table, and each scheme reaches every one of P1..P4, so that
// no site is left without a way to say P2 or P3 (issue 9.7).
func TestDefaultPrioritiesEveryScheme_R4(t *testing.T) {
	schemes := []struct {
		name  string
		names []string
		want  []sla.Priority
	}{
		{"Jira Cloud and JSM", []string{"Highest", "High", "Medium", "Low", "Lowest"}, []sla.Priority{sla.P1, sla.P2, sla.P3, sla.P4, sla.P4}},
		{"Jira Cloud and JSM, Dutch", []string{"Hoogste", "Hoog", "Gemiddeld", "Laag", "Laagste"}, []sla.Priority{sla.P1, sla.P2, sla.P3, sla.P4, sla.P4}},
		{"JSM ITSM", []string{"Critical", "High", "Medium", "Low"}, []sla.Priority{sla.P1, sla.P2, sla.P3, sla.P4}},
		{"JSM ITSM, Dutch", []string{"Kritiek", "Hoog", "Gemiddeld", "Laag"}, []sla.Priority{sla.P1, sla.P2, sla.P3, sla.P4}},
		{"Jira Server and Data Center", []string{"Blocker", "Critical", "Major", "Minor", "Trivial"}, []sla.Priority{sla.P1, sla.P1, sla.P2, sla.P3, sla.P4}},
		{"Jira Server and Data Center, Dutch", []string{"Blokkerend", "Kritiek", "Belangrijk", "Klein", "Triviaal"}, []sla.Priority{sla.P1, sla.P1, sla.P2, sla.P3, sla.P4}},
		{"Dutch alternatives", []string{"Groot", "Normaal"}, []sla.Priority{sla.P2, sla.P3}},
		{"the contract's own names", []string{"P1", "p2", " P3 ", "P4"}, []sla.Priority{sla.P1, sla.P2, sla.P3, sla.P4}},
	}
	for _, sc := range schemes {
		t.Run(sc.name, func(t *testing.T) {
			var got []sla.Priority
			reached := map[sla.Priority]bool{}
			for _, name := range sc.names {
				body := edit(t, "issue_created_portal_incident.json", func(_, f map[string]any) {
					f["priority"] = map[string]any{"name": name, "id": "3"}
				})
				evs, err := Map(testMapping(), known, body)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				got = append(got, evs[0].Priority)
				reached[evs[0].Priority] = true
			}
			if diff := cmp.Diff(sc.want, got); diff != "" {
				t.Errorf("priorities of %v (-want +got):\n%s", sc.names, diff)
			}
			if len(sc.names) >= 4 && len(reached) != 4 {
				t.Errorf("%v reach only %v of P1..P4", sc.names, reached)
			}
		})
	}
}

// TestServerFixtures: the shapes of Jira Server / Data Center (users by name and key
// without accountId, the classic priorities, changelog items without fieldId) map as
// Cloud's do.
func TestServerFixtures(t *testing.T) {
	by := "Koen Maes"
	tests := []struct {
		file string
		want []sla.Event
	}{
		{"issue_created_server_major.json", []sla.Event{{ // no request type: made in Jira, phone (R3.1)
			ID: "jira:issue_created:MAGDA-210", Ticket: "MAGDA-210", Type: sla.Created, At: dt(2026, 7, 15, 11, 59, 37, 135),
			Customer: "agency-x", Kind: sla.Incident, Priority: sla.P2, Env: sla.Prod, Source: sla.Phone, By: by,
		}}},
		{"issue_updated_priority_server.json", []sla.Event{{ // R4.1: Major → Critical
			ID: "jira:issue_updated:MAGDA-210:10102:0", Ticket: "MAGDA-210", Type: sla.PriorityChanged, At: dt(2026, 7, 15, 12, 20, 3, 411),
			Priority: sla.P1, Reason: PriorityReason, By: wim,
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
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
