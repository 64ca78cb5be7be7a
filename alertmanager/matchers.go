package alertmanager

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Matcher is one label matcher in Alertmanager's own syntax: name="value",
// name!="value", name=~"regex", name!~"regex" (a regex matches the whole value).
type Matcher struct {
	Name  string
	Op    string
	Value string
	re    *regexp.Regexp
}

// ParseMatcher reads one matcher; the value may be quoted or bare.
func ParseMatcher(s string) (Matcher, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, "=!")
	if i <= 0 {
		return Matcher{}, fmt.Errorf("matcher %q: want name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\"", s)
	}
	m := Matcher{Name: strings.TrimSpace(s[:i])}
	rest := s[i:]
	for _, op := range []string{"=~", "!~", "!=", "="} {
		if strings.HasPrefix(rest, op) {
			m.Op, rest = op, strings.TrimSpace(rest[len(op):])
			break
		}
	}
	if m.Op == "" || !labelName.MatchString(m.Name) {
		return Matcher{}, fmt.Errorf("matcher %q: want name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\"", s)
	}
	m.Value = rest
	if strings.HasPrefix(rest, `"`) {
		v, err := strconv.Unquote(rest)
		if err != nil {
			return Matcher{}, fmt.Errorf("matcher %q: the value is not a quoted string", s)
		}
		m.Value = v
	}
	if m.Op == "=~" || m.Op == "!~" {
		re, err := regexp.Compile("^(?:" + m.Value + ")$")
		if err != nil {
			return Matcher{}, fmt.Errorf("matcher %q: %v", s, err)
		}
		m.re = re
	}
	return m, nil
}

var labelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// Matches applies the matcher to an alert's labels; a missing label is "".
func (m Matcher) Matches(labels map[string]string) bool {
	v := labels[m.Name]
	switch m.Op {
	case "=":
		return v == m.Value
	case "!=":
		return v != m.Value
	case "=~":
		return m.re.MatchString(v)
	default:
		return !m.re.MatchString(v)
	}
}

// Rule maps alerts to a component: an alert matching all of Matchers is down time of
// Component (R6.1).
type Rule struct {
	Component sla.Component
	Matchers  []Matcher
}

// Rules map alerts to components, the first matching rule winning.
type Rules []Rule

// DefaultRules read the alert's `component` label: component="server" and so on.
func DefaultRules() Rules {
	var out Rules
	for _, c := range sla.Components {
		out = append(out, Rule{Component: c, Matchers: []Matcher{{Name: "component", Op: "=", Value: string(c)}}})
	}
	return out
}

// ParseRules reads the configuration's map of component to matchers; a component left
// out keeps its default rule (component="NAME"), one given an empty list is off.
func ParseRules(byComponent map[string][]string) (Rules, error) {
	var out Rules
	for _, r := range DefaultRules() {
		list, set := byComponent[string(r.Component)]
		if !set {
			out = append(out, r)
			continue
		}
		if len(list) == 0 {
			continue
		}
		rule := Rule{Component: r.Component}
		for _, s := range list {
			m, err := ParseMatcher(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", r.Component, err)
			}
			rule.Matchers = append(rule.Matchers, m)
		}
		out = append(out, rule)
	}
	for name := range byComponent {
		if _, err := sla.ParseComponent(name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Component gives the component an alert with labels is about; false for none.
func (rs Rules) Component(labels map[string]string) (sla.Component, bool) {
next:
	for _, r := range rs {
		for _, m := range r.Matchers {
			if !m.Matches(labels) {
				continue next
			}
		}
		return r.Component, true
	}
	return "", false
}
