package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/digitaal-vlaanderen/magda-sla-bot/jira"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

func TestExampleLoads(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if tier, ok := c.TierOf("AGENCY-X"); !ok || tier != sla.Dedicated {
		t.Errorf("TierOf(AGENCY-X) = %v, %v; want dedicated, true", tier, ok)
	}
	if c.Escalation.ServiceDelivery != DefaultServiceDelivery {
		t.Errorf("service delivery = %q", c.Escalation.ServiceDelivery)
	}
	if id := c.Jira.Customer.Organizations["Agentschap X"]; id != "agency-x" {
		t.Errorf("the JSM organization named like agency-x maps to %q", id)
	}
	if got := c.ClosureDays(); len(got) != 1 || got[0].Date != (sla.Date{Year: 2026, Month: 5, Day: 15}) {
		t.Errorf("closures = %v", got)
	}
}

// Every bad file gives one line that names the line number and the key.
func TestParseErrorsNameKeyAndLine(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown key", "customers:\n  - id: a\n    tierr: standard\n", `x.yml:3: unknown key tierr`},
		{"bad tier", "customers:\n  - id: a\n    tier: gold\n", `x.yml:3: tier: unknown tier "gold"`},
		{"missing tier", "customers:\n  - id: a\n", `x.yml:2: customers[0].tier: missing`},
		{"no customers", "language: en\n", `x.yml:1: customers: at least one customer`},
		{"duplicate id", "customers:\n  - {id: a, tier: standard}\n  - {id: A, tier: standard}\n", `x.yml:3: customers[1].id: "A" appears twice`},
		{"alias of another customer", "customers:\n  - {id: a, name: Agentschap A, tier: standard}\n  - id: b\n    tier: standard\n    aliases: [x, agentschap  a]\n",
			`x.yml:5: customers[1].aliases[1]: "agentschap  a" already names a`},
		{"alias twice", "customers:\n  - {id: a, tier: standard, aliases: [AIV]}\n  - {id: b, tier: standard, aliases: [aiv]}\n",
			`x.yml:3: customers[1].aliases[0]: "aiv" already names a`},
		{"empty alias", "customers:\n  - {id: a, tier: standard, aliases: [\" \"]}\n", `x.yml:2: customers[0].aliases[0]: empty`},
		{"bad date", "customers:\n  - {id: a, tier: standard}\nclosures:\n  - date: 2026-13-01\n", `x.yml:4: date "2026-13-01" is not YYYY-MM-DD`},
		{"bad share", "customers:\n  - {id: a, tier: standard}\nnotify:\n  at_risk_share: 1.5\n", `x.yml:4: notify.at_risk_share`},
		{"bad duration", "customers:\n  - {id: a, tier: standard}\nnotify:\n  update_reminder_before: soon\n", `x.yml:4: duration "soon"`},
		{"bad language", "language: fr\ncustomers:\n  - {id: a, tier: standard}\n", `x.yml:1: language: "fr"`},
		{"shared channel", "customers:\n  - {id: a, tier: standard, slack_channels: [C1]}\n  - {id: b, tier: standard, slack_channels: [C1]}\n", `x.yml:3: customers[1].slack_channels: channel "C1" already belongs to a`},
		{"misspelt jira key", "customers:\n  - {id: a, tier: standard}\njira:\n  statusses: {}\n", `x.yml:4: unknown key statusses`},
		{"jira escalation label with a space", "customers:\n  - {id: a, tier: standard}\njira:\n  escalation:\n    labels: [naar sdm]\n", `x.yml:3: jira.escalation.labels[0]: "naar sdm" holds a space`},
		{"bad sdm mail", "customers:\n  - {id: a, tier: standard}\nescalation:\n  sdm_mail:\n    - henk.smets\n", `x.yml:5: escalation.sdm_mail[0]: "henk.smets" is not a mail address`},
		{"bad tenant", "customers:\n  - {id: a, tier: standard}\nteams:\n  tenants:\n    - 50612dbb-0237-4969-b378-8d42590f9c00\n    - contoso.onmicrosoft.com\n", `x.yml:6: teams.tenants[1]: "contoso.onmicrosoft.com" is not an Azure AD tenant id`},
		{"share as a percentage (issue 14.7)", "customers:\n  - {id: a, tier: standard}\nnotify:\n  at_risk_share: 75%\n", "x.yml:4: notify.at_risk_share: cannot unmarshal !!str `75%` into float64"},
		{"a list where a word goes", "customers:\n  - {id: a, tier: standard}\nlanguage: [en]\n", "x.yml:3: language: cannot unmarshal"},
		{"retention too short (issue 14.3)", "customers:\n  - {id: a, tier: standard}\nretention:\n  sent: 1h\n", `x.yml:4: retention.sent: 1h0m0s is less than 24h`},
		{"not yaml", "customers: [\n", `x.yml: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.yml", []byte(tc.yaml))
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %q; want one line starting with %q", err, tc.want)
			}
		})
	}
}

func TestTeamsTenants(t *testing.T) {
	c, err := Parse("x.yml", []byte("customers:\n  - {id: a, tier: standard}\nteams:\n  tenants: [50612dbb-0237-4969-b378-8d42590f9c00]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Teams.Tenants; len(got) != 1 || got[0] != "50612dbb-0237-4969-b378-8d42590f9c00" {
		t.Errorf("teams.tenants = %v", got)
	}
	if c, _ := Load(""); len(c.Teams.Tenants) != 0 {
		t.Errorf("the example limits Teams to tenants %v; want any", c.Teams.Tenants)
	}
}

// TestJiraEscalationKeys: each list of jira.escalation replaces its default, `[]` turns
// that signal off, and a list left out keeps its default (R7).
func TestJiraEscalationKeys(t *testing.T) {
	def := jira.DefaultMapping().Escalation
	for _, tc := range []struct {
		yaml string
		want jira.Escalation
	}{
		{"{statuses: [Bij SDM]}", jira.Escalation{Labels: def.Labels, Statuses: []string{"Bij SDM"}}},
		{"{labels: []}", jira.Escalation{Labels: []string{}, Statuses: def.Statuses}},
		{"{}", def},
	} {
		c, err := Parse("x.yml", []byte("customers:\n  - {id: a, tier: standard}\njira:\n  escalation: "+tc.yaml+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, c.Jira.Escalation); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.yaml, diff)
		}
	}
}
