package jira

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzMap: no body makes Map panic, an error is one line and comes without events, and
// every event it gives belongs to one ticket and has an id and a time.
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
			if e.ID == "" || e.At.IsZero() || e.Ticket != evs[0].Ticket || !issueKey.MatchString(e.Ticket) {
				t.Errorf("bad event %+v", e)
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
