package jira

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzMap: no body makes Map panic, an error is one line and comes without events, and
// every event it gives belongs to one ticket, has an id and passes sla.Event.Check (the
// key in upper case, an instant the calendar counts, no priority on a connection).
func FuzzMap(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"webhookEvent":"jira:issue_updated","issue":{"key":"A-1"},"changelog":{"id":7,"items":[{"fieldId":"status","fromString":"Resolved","toString":"Pending"}]},"timestamp":"1"}`))
	f.Add([]byte(`{"webhookEvent":"comment_created","issue":{"key":"A-1","fields":{"reporter":[]}},"comment":{"id":1,"jsdPublic":true,"author":{}}}`))
	// Bodies that sla.Event.Check refuses (issue 9.8, 10.6) or whose key is folded.
	f.Add([]byte(`{"webhookEvent":"jira:issue_created","timestamp":1,"issue":{"key":"a-1","fields":{"created":"0001-01-01T00:00:00.000+0000","issuetype":{"name":"Incident"},"priority":{"name":"Major"},"customfield_10140":"agency-x"}}}`))
	f.Add([]byte(`{"webhookEvent":"jira:issue_created","issue":{"key":"magda-7","fields":{"created":"2200-01-01T00:00:00Z","customfield_10010":{"requestType":{"name":"Connection request"}},"priority":{"name":"Highest"},"customfield_10140":"agency-x"}}}`))
	f.Add([]byte(`{"webhookEvent":"jira:issue_updated","timestamp":253402300799999,"issue":{"key":"A-1"},"changelog":{"id":"9","items":[{"fieldId":"status","fromString":"Open","toString":"Done"}]}}`))
	f.Add([]byte(`{"webhookEvent":"jira:issue_updated","timestamp":1783696831800,"user":{"displayName":"Sofie\u0007"},"issue":{"key":"A-1"},"changelog":{"id":"9","items":[{"fieldId":"priority","fromString":"Minor","toString":"Blocker"}]}}`))
	f.Add([]byte(`{"webhookEvent":"comment_created","timestamp":1783696831800,"issue":{"key":"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG-1"},"comment":{"id":1,"jsdPublic":true,"created":"1900-01-01T00:00:00Z","author":{"displayName":"x"}}}`))
	// Escalation signals (R7): labels lists and escalation statuses.
	f.Add([]byte(`{"webhookEvent":"jira:issue_updated","timestamp":1783696831800,"issue":{"key":"A-1"},"changelog":{"id":"9","items":[{"fieldId":"labels","fromString":null,"toString":"x escalatie"},{"fieldId":"status","fromString":"Waiting for customer","toString":"Geëscaleerd"}]}}`))
	f.Add([]byte(`{"webhookEvent":"jira:issue_updated","timestamp":1783696831800,"issue":{"key":"A-1"},"changelog":{"id":"9","items":[{"field":"labels","fromString":"escalated","toString":"escalated  ESCALATED"}]}}`))
	m := testMapping()
	m.Customer.IDField, m.Source.Field = "customfield_10140", "customfield_10130"
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, err := Map(m, known, body)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if evs != nil {
				t.Errorf("events %v alongside error %v", evs, err)
			}
			return
		}
		for _, e := range evs {
			if e.ID == "" || e.Ticket != evs[0].Ticket {
				t.Errorf("bad event %+v", e)
			}
			if err := e.Check(); err != nil {
				t.Errorf("event %+v: %v", e, err)
			}
		}
	})
}

func BenchmarkMap(b *testing.B) {
	body := fixture(b, "issue_created_portal_incident.json")
	m := testMapping()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Map(m, known, body); err != nil {
			b.Fatal(err)
		}
	}
}
