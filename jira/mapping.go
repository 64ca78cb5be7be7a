package jira

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Mapping says how a Jira Service Management site's names and fields become contract
// events. It sits under the top-level key `jira:` of the configuration file. Decode it
// into DefaultMapping(): every list given in the file replaces its default list, and
// entries of jira.customer.organizations are added to the (empty) default map.
// Names are matched without regard to case or surrounding spaces.
type Mapping struct {
	Statuses   Statuses   `yaml:"statuses"`
	Priorities Priorities `yaml:"priorities"`
	Kinds      Kinds      `yaml:"kinds"`
	// RequestTypeField is JSM's "Customer Request Type" field (customfield_10010 on
	// Jira Cloud); its requestType.name feeds Kinds and Sources.
	RequestTypeField string       `yaml:"request_type_field"`
	Customer         Customers    `yaml:"customer"`
	Env              Environments `yaml:"env"`
	Source           Sources      `yaml:"source"`
	Escalation       Escalation   `yaml:"escalation"`
}

// Statuses sorts workflow status names into the categories that move the clocks. A
// status in no list is ordinary work ("In Progress"). The events of a transition are
// described in the package documentation.
type Statuses struct {
	Initial           []string `yaml:"initial"`
	WaitingCustomer   []string `yaml:"waiting_customer"`
	WaitingThirdParty []string `yaml:"waiting_third_party"`
	Done              []string `yaml:"done"`
}

// Priorities lists the Jira priority names of each contract priority. The defaults
// cover the default schemes of Jira Cloud and Jira Service Management (Highest..Lowest),
// JSM's ITSM names (Critical, High, Medium, Low) and Jira Server / Data Center
// (Blocker..Trivial) so that each of them reaches every one of P1..P4; where a scheme
// has five levels two of them share a priority (R4.3). The table is in the README.
type Priorities struct {
	P1 []string `yaml:"P1"`
	P2 []string `yaml:"P2"`
	P3 []string `yaml:"P3"`
	P4 []string `yaml:"P4"`
}

// Kinds lists, per ticket kind (R2), the request type names and issue type names that
// mean it; the request type is tried first, the issue type as a fallback.
type Kinds struct {
	Incident   []string `yaml:"incident"`
	Question   []string `yaml:"question"`
	Connection []string `yaml:"connection"`
}

// Customers says where an issue's customer (R1) is found. IDField, when set and filled
// in on the issue, holds the customer id itself; otherwise the first of the issue's
// organizations that maps to a configured customer is taken: through Organizations, or
// an organization whose name is a customer id. An issue whose customer is not found is
// refused.
type Customers struct {
	IDField           string            `yaml:"id_field"`
	OrganizationField string            `yaml:"organization_field"`
	Organizations     map[string]string `yaml:"organizations"`
}

// Environments says where an incident's environment and TNI motivation are (R4.2).
// Without Field every ticket is on prod.
type Environments struct {
	Field           string   `yaml:"field"`
	Prod            []string `yaml:"prod"`
	TNI             []string `yaml:"tni"`
	MotivationField string   `yaml:"motivation_field"`
}

// Sources says through which channel a ticket came (R3.1). The value of Field, when set
// and filled in, is looked up in the lists; otherwise the request type's name is; an
// issue with a request type that matches no list came through the portal, and one
// without any request type (made in Jira itself by an agent) gets WithoutRequestType.
type Sources struct {
	Field              string   `yaml:"field"`
	Portal             []string `yaml:"portal"`
	Mail               []string `yaml:"mail"`
	Phone              []string `yaml:"phone"`
	Chat               []string `yaml:"chat"`
	WithoutRequestType string   `yaml:"without_request_type"`
}

// Escalation says which changes in Jira escalate a ticket one step (R7): adding one of
// Labels to the issue, or moving it into one of Statuses from a status not listed there.
// A status listed here is ordinary work for the clocks: entering it neither pauses nor
// resolves, and leaving it gives only what the next status means.
type Escalation struct {
	Labels   []string `yaml:"labels"`
	Statuses []string `yaml:"statuses"`
}

// DefaultMapping is the mapping of a Jira Cloud service project with the standard JSM
// workflows, in English and Dutch.
func DefaultMapping() Mapping {
	return Mapping{
		Statuses: Statuses{
			Initial:           []string{"Waiting for support", "Open", "New", "To Do", "Wachten op ondersteuning", "Nieuw", "Te doen"},
			WaitingCustomer:   []string{"Waiting for customer", "Wachten op klant", "Wachten op afnemer"},
			WaitingThirdParty: []string{"Waiting for third party", "Pending", "Wachten op derde partij", "Wachten op derden"},
			Done:              []string{"Resolved", "Done", "Closed", "Canceled", "Cancelled", "Declined", "Opgelost", "Gesloten", "Afgehandeld", "Geannuleerd"},
		},
		Priorities: Priorities{
			P1: []string{"Highest", "Critical", "Blocker", "P1", "Hoogste", "Kritiek", "Blokkerend"},
			P2: []string{"High", "Major", "P2", "Hoog", "Groot", "Belangrijk"},
			P3: []string{"Medium", "Minor", "P3", "Gemiddeld", "Normaal", "Klein"},
			P4: []string{"Low", "Lowest", "Trivial", "P4", "Laag", "Laagste", "Triviaal"},
		},
		Kinds: Kinds{
			Incident:   []string{"Report an incident", "Report a system problem", "Incident", "[System] Incident", "Incidentmelding", "Incident melden", "Storing melden"},
			Question:   []string{"Ask a question", "Get IT help", "Question", "Vraag", "Ondersteuningsvraag", "Een vraag stellen"},
			Connection: []string{"Connection request", "New service request", "Service request", "[System] Service request", "Aansluitingsaanvraag", "Aansluiting aanvragen"},
		},
		RequestTypeField: "customfield_10010",
		Customer: Customers{
			OrganizationField: "customfield_10002",
			Organizations:     map[string]string{},
		},
		Env: Environments{
			Prod: []string{"Prod", "Production", "Productie"},
			TNI:  []string{"TNI", "Test", "Test en integratie", "Test & integratie"},
		},
		Source: Sources{
			Portal:             []string{"Portal", "Portaal", "Customer portal", "Klantenportaal"},
			Mail:               []string{"Email", "E-mail", "Mail", "Emailed request", "Email request", "E-mailaanvraag"},
			Phone:              []string{"Phone", "Telefoon", "Phone call"},
			Chat:               []string{"Chat", "Slack", "Teams"},
			WithoutRequestType: string(sla.Phone),
		},
		Escalation: Escalation{
			Labels:   []string{"escalated", "escalatie", "geescaleerd", "geëscaleerd"},
			Statuses: []string{"Escalated", "Geëscaleerd"},
		},
	}
}

// fieldID is what a Jira field id looks like: a system field (priority) or a custom
// field (customfield_10010).
var fieldID = regexp.MustCompile(`^(customfield_[0-9]+|[a-z][a-zA-Z0-9]*)$`)

// Validate checks that no name is claimed twice, that field ids look like field ids and
// that a customer can be found at all; errors name the key under jira.
func (m Mapping) Validate() error {
	lists := []struct {
		key   string
		names []string
	}{
		{"statuses.initial", m.Statuses.Initial}, {"statuses.waiting_customer", m.Statuses.WaitingCustomer},
		{"statuses.waiting_third_party", m.Statuses.WaitingThirdParty}, {"statuses.done", m.Statuses.Done},
		{"escalation.statuses", m.Escalation.Statuses},
	}
	groups := [][]struct {
		key   string
		names []string
	}{
		lists,
		{{"priorities.P1", m.Priorities.P1}, {"priorities.P2", m.Priorities.P2}, {"priorities.P3", m.Priorities.P3}, {"priorities.P4", m.Priorities.P4}},
		{{"kinds.incident", m.Kinds.Incident}, {"kinds.question", m.Kinds.Question}, {"kinds.connection", m.Kinds.Connection}},
		{{"env.prod", m.Env.Prod}, {"env.tni", m.Env.TNI}},
		{{"source.portal", m.Source.Portal}, {"source.mail", m.Source.Mail}, {"source.phone", m.Source.Phone}, {"source.chat", m.Source.Chat}},
		{{"escalation.labels", m.Escalation.Labels}},
	}
	for _, g := range groups {
		seen := map[string]string{}
		for _, l := range g {
			for i, n := range l.names {
				k := norm(n)
				if k == "" {
					return fmt.Errorf("jira.%s[%d]: empty name", l.key, i)
				}
				if other, dup := seen[k]; dup {
					return fmt.Errorf("jira.%s[%d]: %q is also listed under jira.%s", l.key, i, n, other)
				}
				seen[k] = l.key
			}
		}
	}
	for i, l := range m.Escalation.Labels {
		if strings.ContainsAny(strings.TrimSpace(l), " \t") {
			return fmt.Errorf("jira.escalation.labels[%d]: %q holds a space, which no Jira label can", i, l)
		}
	}
	fields := []struct{ key, id string }{
		{"request_type_field", m.RequestTypeField}, {"customer.id_field", m.Customer.IDField},
		{"customer.organization_field", m.Customer.OrganizationField}, {"env.field", m.Env.Field},
		{"env.motivation_field", m.Env.MotivationField}, {"source.field", m.Source.Field},
	}
	for _, f := range fields {
		if f.id != "" && !fieldID.MatchString(f.id) {
			return fmt.Errorf("jira.%s: %q is not a Jira field id (like customfield_10010)", f.key, f.id)
		}
	}
	if m.Customer.IDField == "" && m.Customer.OrganizationField == "" {
		return fmt.Errorf("jira.customer: set id_field or organization_field, or no issue has a customer")
	}
	orgs := map[string]string{}
	for _, org := range slices.Sorted(maps.Keys(m.Customer.Organizations)) {
		switch k := norm(org); {
		case strings.TrimSpace(m.Customer.Organizations[org]) == "":
			return fmt.Errorf("jira.customer.organizations: organization %q maps to no customer id", org)
		case orgs[k] != "":
			return fmt.Errorf("jira.customer.organizations: %q and %q differ only in case", orgs[k], org)
		default:
			orgs[k] = org
		}
	}
	if m.Env.Field != "" && len(m.Env.TNI) == 0 {
		return fmt.Errorf("jira.env.tni: empty, but jira.env.field is set")
	}
	if _, err := sourceNamed(m.Source.WithoutRequestType); err != nil {
		return fmt.Errorf("jira.source.without_request_type: %v", err)
	}
	return nil
}

// sourceNamed accepts exactly the contract's source names, no aliases.
func sourceNamed(s string) (sla.Source, error) {
	switch src := sla.Source(s); src {
	case sla.Portal, sla.Mail, sla.Phone, sla.Chat:
		return src, nil
	}
	return "", fmt.Errorf("%q is not portal, mail, phone or chat", s)
}

func norm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func listed(names []string, s string) bool {
	k := norm(s)
	if k == "" {
		return false
	}
	for _, n := range names {
		if norm(n) == k {
			return true
		}
	}
	return false
}

func (s Statuses) initial(name string) bool { return listed(s.Initial, name) }
func (s Statuses) done(name string) bool    { return listed(s.Done, name) }

// waiting gives the pause reason of a waiting status (R3.4), or "" for any other.
func (s Statuses) waiting(name string) string {
	switch {
	case listed(s.WaitingCustomer, name):
		return sla.WaitCustomer
	case listed(s.WaitingThirdParty, name):
		return sla.WaitThirdParty
	}
	return ""
}

func (p Priorities) of(name string) sla.Priority {
	for i, l := range [][]string{p.P1, p.P2, p.P3, p.P4} {
		if listed(l, name) {
			return sla.P1 + sla.Priority(i)
		}
	}
	return sla.NoPriority
}

func (k Kinds) of(name string) sla.Kind {
	switch {
	case listed(k.Incident, name):
		return sla.Incident
	case listed(k.Question, name):
		return sla.Question
	case listed(k.Connection, name):
		return sla.Connection
	}
	return ""
}

func (e Environments) of(name string) sla.Env {
	switch {
	case listed(e.Prod, name):
		return sla.Prod
	case listed(e.TNI, name):
		return sla.TNI
	}
	return ""
}

func (s Sources) of(name string) sla.Source {
	for _, c := range []struct {
		names []string
		src   sla.Source
	}{{s.Portal, sla.Portal}, {s.Mail, sla.Mail}, {s.Phone, sla.Phone}, {s.Chat, sla.Chat}} {
		if listed(c.names, name) {
			return c.src
		}
	}
	return ""
}
