package jira

import (
	"bytes"
	"github.com/digitaal-vlaanderen/magda-sla-bot/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// decode reads a `jira:` section as cmd/bot does: strictly, over the defaults.
func decode(t *testing.T, src string) (Mapping, error) {
	t.Helper()
	var doc struct {
		Jira Mapping `yaml:"jira"`
	}
	doc.Jira = DefaultMapping()
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	err := dec.Decode(&doc)
	return doc.Jira, err
}

// TestDefaultsYAML keeps testdata/defaults.yaml, the documented defaults, equal to
// DefaultMapping, and proves it reads back strictly.
func TestDefaultsYAML(t *testing.T) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(map[string]Mapping{"jira": DefaultMapping()}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "defaults.yaml", buf.Bytes())
	var doc struct {
		Jira Mapping `yaml:"jira"`
	}
	want, err := os.ReadFile(filepath.Join("testdata", "defaults.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(want))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(DefaultMapping(), doc.Jira); diff != "" {
		t.Errorf("defaults.yaml read back (-want +got):\n%s", diff)
	}
	if err := DefaultMapping().Validate(); err != nil {
		t.Errorf("DefaultMapping().Validate() = %v", err)
	}
}

func TestDecodeOverDefaults(t *testing.T) {
	got, err := decode(t, `
jira:
  statuses:
    done: [Klaar]
  customer:
    organizations:
      Agentschap X: agency-x
  env:
    field: customfield_10120
  escalation:
    labels: [naar-sdm]
`)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultMapping()
	want.Statuses.Done = []string{"Klaar"} // a list replaces its default
	want.Customer.Organizations = map[string]string{"Agentschap X": "agency-x"}
	want.Env.Field = "customfield_10120"
	want.Escalation.Labels = []string{"naar-sdm"} // and so does an escalation list (R7)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	if _, err := decode(t, "jira:\n  statusses:\n    done: [Klaar]\n"); err == nil || !strings.Contains(err.Error(), "statusses") {
		t.Errorf("misspelt key: error = %v, want one naming statusses", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Mapping)
		err  string
	}{
		{"defaults", func(*Mapping) {}, ""},
		{"status in two categories", func(m *Mapping) { m.Statuses.Done = append(m.Statuses.Done, "pending ") },
			`jira.statuses.done[10]: "pending " is also listed under jira.statuses.waiting_third_party`},
		{"priority twice", func(m *Mapping) { m.Priorities.P4 = append(m.Priorities.P4, "HIGH") },
			`jira.priorities.P4[7]: "HIGH" is also listed under jira.priorities.P2`},
		{"same name in another group is fine", func(m *Mapping) { m.Source.Mail = append(m.Source.Mail, "Incident") }, ""},
		{"empty name", func(m *Mapping) { m.Kinds.Question = []string{" "} }, `jira.kinds.question[0]: empty name`},
		{"bad field id", func(m *Mapping) { m.Env.Field = "Omgeving" }, `jira.env.field: "Omgeving" is not a Jira field id (like customfield_10010)`},
		{"no way to a customer", func(m *Mapping) { m.Customer.OrganizationField = "" },
			`jira.customer: set id_field or organization_field, or no issue has a customer`},
		{"organization without id", func(m *Mapping) { m.Customer.Organizations = map[string]string{"Agentschap X": ""} },
			`jira.customer.organizations: organization "Agentschap X" maps to no customer id`},
		{"organizations differing in case", func(m *Mapping) {
			m.Customer.Organizations = map[string]string{"Stad Gent": "city-ghent", "stad gent": "ghent"}
		}, `jira.customer.organizations: "Stad Gent" and "stad gent" differ only in case`},
		{"env field without tni names", func(m *Mapping) { m.Env.Field, m.Env.TNI = "customfield_10120", nil },
			`jira.env.tni: empty, but jira.env.field is set`},
		{"bad default source", func(m *Mapping) { m.Source.WithoutRequestType = "email" },
			`jira.source.without_request_type: "email" is not portal, mail, phone or chat`},
		{"escalation status that also resolves (R7)", func(m *Mapping) { m.Escalation.Statuses = append(m.Escalation.Statuses, "Done") },
			`jira.escalation.statuses[2]: "Done" is also listed under jira.statuses.done`},
		{"escalation label with a space", func(m *Mapping) { m.Escalation.Labels = []string{"naar sdm"} },
			`jira.escalation.labels[0]: "naar sdm" holds a space, which no Jira label can`},
		{"escalation label twice", func(m *Mapping) { m.Escalation.Labels = append(m.Escalation.Labels, "Escalated") },
			`jira.escalation.labels[4]: "Escalated" is also listed under jira.escalation.labels`},
		{"empty escalation label", func(m *Mapping) { m.Escalation.Labels = []string{""} }, `jira.escalation.labels[0]: empty name`},
		{"no escalation signal is fine", func(m *Mapping) { m.Escalation = Escalation{} }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := DefaultMapping()
			tt.edit(&m)
			err := m.Validate()
			if got := errText(err); got != tt.err {
				t.Errorf("Validate() = %q, want %q", got, tt.err)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
