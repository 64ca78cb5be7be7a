package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/digitaal-vlaanderen/magda-sla-bot/jira"
)

// Example is the example configuration built into the binary: a few demo customers.
//
//go:embed example.yml
var Example []byte

// DefaultServiceDelivery is R7.3's default escalation address.
const DefaultServiceDelivery = "magda.servicedelivery@vlaanderen.be"

// Config is the whole configuration file.
type Config struct {
	// Language of notifications and of answers when the asker's language is unclear.
	Language    string      `yaml:"language"`
	Customers   []Customer  `yaml:"customers"`
	Closures    []Closure   `yaml:"closures"`
	Maintenance Maintenance `yaml:"maintenance"`
	Access      Access      `yaml:"access"`
	Escalation  Escalation  `yaml:"escalation"`
	Notify      Notify      `yaml:"notify"`
	Slack       Slack       `yaml:"slack"`
	Teams       Teams       `yaml:"teams"`
	// Jira maps Jira Service Management to the contract's events; keys left out keep
	// the jira package's documented defaults.
	Jira      jira.Mapping `yaml:"jira"`
	Retention Retention    `yaml:"retention"`
	// Alertmanager and Statuspage feed availability (R6) and maintenance (R8.2).
	Alertmanager Alertmanager `yaml:"alertmanager"`
	Statuspage   Statuspage   `yaml:"statuspage"`

	source string
}

// Customer is an agency that consumes MAGDA services (R1).
type Customer struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Aliases       []string `yaml:"aliases"` // other names people use in commands ("AIV")
	Tier          Tier     `yaml:"tier"`
	SlackChannels []string `yaml:"slack_channels"`
	TeamsChannels []string `yaml:"teams_channels"`
	Contacts      Contacts `yaml:"contacts"`
}

// Contacts are a customer's people (R1.2, R7.3).
type Contacts struct {
	SPOC string `yaml:"spoc"`
	SDM  string `yaml:"sdm"`
}

// Closure is an operator's closure day (R3.3).
type Closure struct {
	Date Date   `yaml:"date"`
	Name string `yaml:"name"`
}

// Maintenance holds the operator's changes to the reserved weekends (R8.2).
type Maintenance struct {
	Extra     []Window `yaml:"extra"`
	Cancelled []Date   `yaml:"cancelled"`
}

// Window is an extra maintenance window (R8.2).
type Window struct {
	Start Instant `yaml:"start"`
	End   Instant `yaml:"end"`
	Note  string  `yaml:"note"`
}

// Access says who may do what: user or user-group ids of the chat platforms.
type Access struct {
	Agents               []string `yaml:"agents"`
	SDMs                 []string `yaml:"sdms"`
	CustomersMayEscalate bool     `yaml:"customers_may_escalate"`
}

// Escalation holds the R7 contacts.
type Escalation struct {
	ServiceDelivery string   `yaml:"service_delivery"` // R7.3 mail address
	SDMs            []string `yaml:"sdm_names"`
	// SDMMail are the SDMs' own addresses: they get the escalation mails and P1
	// notices (R7.1) besides the service delivery address.
	SDMMail []string `yaml:"sdm_mail"`
	From    string   `yaml:"mail_from"`
}

// Notify tunes reminders and warnings (R5.3).
type Notify struct {
	UpdateLead  Duration `yaml:"update_reminder_before"`
	AtRiskShare float64  `yaml:"at_risk_share"`
	DigestAt    Clock    `yaml:"digest_at"`
	// ReviewToCustomers also posts the monthly service review (R1.2) in each dedicated
	// customer's own channels, not only the SDMs'.
	ReviewToCustomers bool `yaml:"review_to_customers"`
}

// Slack names the Slack channels the bot posts to besides customers' own.
type Slack struct {
	SDMChannel           string `yaml:"sdm_channel"`
	AnnouncementsChannel string `yaml:"announcements_channel"`
}

// Teams names the Teams channels the bot posts to besides customers' own, and the
// Azure AD tenants it serves.
type Teams struct {
	SDMChannel           string `yaml:"sdm_channel"`
	AnnouncementsChannel string `yaml:"announcements_channel"`
	// Tenants are the Azure AD tenant ids whose Teams activities are served; empty: any
	// tenant's, as the bot's Azure registration itself allows.
	Tenants []string `yaml:"tenants"`
}

// tenantID is an Azure AD tenant id: a GUID.
var tenantID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Load reads the file at path, or the example configuration when path is empty.
func Load(path string) (*Config, error) {
	if path == "" {
		return Parse("example.yml", Example)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, b)
}

var lineErr = regexp.MustCompile(`^line (\d+): (?:field (\S+) not found in type \S+|(.*))$`)

// Parse reads a configuration; name is used in error messages ("magda.yml:12: ...").
func Parse(name string, data []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	c := Config{Jira: jira.DefaultMapping()}
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			var root yaml.Node
			_ = yaml.Unmarshal(data, &root)
			return nil, fmt.Errorf("%s:%s", name, oneLine(named(&root, te.Errors[0]), len(te.Errors)-1))
		}
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	c.source = name
	c.defaults()
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	c.retentionDefaults()
	err := c.validate(&root)
	if err == nil {
		err = c.validateRetention(&root)
	}
	if err != nil {
		return nil, fmt.Errorf("%s:%w", name, err)
	}
	return &c, nil
}

func oneLine(msg string, more int) string {
	m := lineErr.FindStringSubmatch(msg)
	s := " " + msg
	switch {
	case m != nil && m[2] != "":
		s = m[1] + ": unknown key " + m[2]
	case m != nil:
		s = m[1] + ": " + m[3]
	}
	if more > 0 {
		s += fmt.Sprintf(" (and %d more)", more)
	}
	return s
}

func (c *Config) defaults() {
	if c.Language == "" {
		c.Language = "en"
	}
	if c.Escalation.ServiceDelivery == "" {
		c.Escalation.ServiceDelivery = DefaultServiceDelivery
	}
	if c.Escalation.From == "" {
		c.Escalation.From = "magda-sla-bot@vlaanderen.be"
	}
	if c.Notify.UpdateLead.D == 0 {
		c.Notify.UpdateLead.D = 30 * time.Minute
	}
	if c.Notify.AtRiskShare == 0 {
		c.Notify.AtRiskShare = 0.75
	}
	// A JSM organization named like a customer is that customer, unless mapped otherwise.
	for _, cu := range c.Customers {
		if cu.Name == "" {
			continue
		}
		if c.Jira.Customer.Organizations == nil {
			c.Jira.Customer.Organizations = map[string]string{}
		}
		if _, mapped := c.Jira.Customer.Organizations[cu.Name]; !mapped {
			c.Jira.Customer.Organizations[cu.Name] = cu.ID
		}
	}
	if !c.Notify.DigestAt.Set {
		c.Notify.DigestAt = Clock{Hour: 8, Minute: 30, Set: true}
	}
	c.availabilityDefaults()
}

// validate checks what the types alone cannot; errors name the line of the key.
func (c *Config) validate(root *yaml.Node) error {
	at := func(path ...any) int { return lineOf(root, path...) }
	if c.Language != "en" && c.Language != "nl" {
		return fmt.Errorf("%d: language: %q is not en or nl", at("language"), c.Language)
	}
	if len(c.Customers) == 0 {
		return fmt.Errorf("%d: customers: at least one customer is needed", at("customers"))
	}
	ids := map[string]bool{}
	channels := map[string]string{}
	for i, cu := range c.Customers {
		switch {
		case strings.TrimSpace(cu.ID) == "":
			return fmt.Errorf("%d: customers[%d].id: missing", at("customers", i), i)
		case strings.ContainsAny(cu.ID, " \t"):
			return fmt.Errorf("%d: customers[%d].id: %q has spaces", at("customers", i, "id"), i, cu.ID)
		case ids[strings.ToLower(cu.ID)]:
			return fmt.Errorf("%d: customers[%d].id: %q appears twice", at("customers", i, "id"), i, cu.ID)
		case cu.Tier.T == "":
			return fmt.Errorf("%d: customers[%d].tier: missing (standard or dedicated)", at("customers", i), i)
		}
		ids[strings.ToLower(cu.ID)] = true
		if cu.Name == "" {
			c.Customers[i].Name = cu.ID
		}
		for key, list := range map[string][]string{"slack_channels": cu.SlackChannels, "teams_channels": cu.TeamsChannels} {
			for j, ch := range list {
				if other, dup := channels[ch]; dup {
					return fmt.Errorf("%d: customers[%d].%s: channel %q already belongs to %s", at("customers", i, key, j), i, key, ch, other)
				}
				channels[ch] = cu.ID
			}
		}
	}
	if err := c.validateAliases(at); err != nil {
		return err
	}
	for i, w := range c.Maintenance.Extra {
		if !w.End.T.After(w.Start.T) {
			return fmt.Errorf("%d: maintenance.extra[%d]: end must be after start", at("maintenance", "extra", i), i)
		}
	}
	if s := c.Notify.AtRiskShare; s <= 0 || s >= 1 {
		return fmt.Errorf("%d: notify.at_risk_share: %v is not between 0 and 1", at("notify", "at_risk_share"), s)
	}
	for i, t := range c.Teams.Tenants {
		if !tenantID.MatchString(t) {
			return fmt.Errorf("%d: teams.tenants[%d]: %q is not an Azure AD tenant id (a GUID)", at("teams", "tenants", i), i, t)
		}
	}
	if err := c.validateAvailability(at); err != nil {
		return err
	}
	if err := c.Jira.Validate(); err != nil {
		return fmt.Errorf("%d: %v", at("jira"), err)
	}
	if !strings.Contains(c.Escalation.ServiceDelivery, "@") {
		return fmt.Errorf("%d: escalation.service_delivery: %q is not a mail address", at("escalation", "service_delivery"), c.Escalation.ServiceDelivery)
	}
	for i, a := range c.Escalation.SDMMail {
		if !strings.Contains(a, "@") {
			return fmt.Errorf("%d: escalation.sdm_mail[%d]: %q is not a mail address", at("escalation", "sdm_mail", i), i, a)
		}
	}
	return nil
}

// validateAliases refuses an empty alias and one that names two customers (as an id,
// a name or an alias, in any case), so a command's customer is never ambiguous.
func (c *Config) validateAliases(at func(...any) int) error {
	owner := map[string]string{}
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	for _, cu := range c.Customers {
		owner[norm(cu.ID)], owner[norm(cu.Name)] = cu.ID, cu.ID
	}
	for i, cu := range c.Customers {
		for j, a := range cu.Aliases {
			o, taken := owner[norm(a)]
			switch {
			case norm(a) == "":
				return fmt.Errorf("%d: customers[%d].aliases[%d]: empty", at("customers", i, "aliases", j), i, j)
			case taken && o != cu.ID:
				return fmt.Errorf("%d: customers[%d].aliases[%d]: %q already names %s", at("customers", i, "aliases", j), i, j, a, o)
			}
			owner[norm(a)] = cu.ID
		}
	}
	return nil
}

// lineOf finds the line of a key path (map keys as strings, sequence indexes as ints);
// it falls back to the deepest node found.
func lineOf(n *yaml.Node, path ...any) int {
	if n == nil {
		return 1
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, p := range path {
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == k {
						line, next = n.Content[i].Line, n.Content[i+1]
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = n.Content[k]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}
