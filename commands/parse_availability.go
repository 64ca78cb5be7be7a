package commands

import (
	"slices"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Verbs of availability (R6.1) and the status page (R6.2).
const (
	VerbAvailability Verb = "availability" // availability [YYYY-MM]
	VerbStatus       Verb = "status"       // status
)

// The availability commands join the command list here, in their own file, before
// help: the list is shared with the parser, which changes in parallel.
func init() {
	i := slices.IndexFunc(specs, func(s Spec) bool { return s.Verb == VerbHelp })
	specs = slices.Insert(specs, i,
		Spec{VerbAvailability, "availability", "beschikbaarheid", []string{"availability", "beschikbaarheid", "uptime"},
			"availability [YYYY-MM]", "beschikbaarheid [JJJJ-MM]",
			"the month's infrastructure availability against 99.5 % (R6.1), the error budget left and the outages",
			"de beschikbaarheid van de infrastructuur deze maand tegenover 99,5 % (R6.1), het foutbudget en de storingen",
			[]string{"availability", "availability 2026-11", "beschikbaarheid 2026-10"}},
		Spec{VerbStatus, "status", "status", []string{"status"},
			"status", "status",
			"the MAGDA status page: services not operational and open incidents (R6.2)",
			"de MAGDA-statuspagina: services die niet operationeel zijn en open incidenten (R6.2)",
			[]string{"status"}},
	)
	langOf["availability"], langOf["beschikbaarheid"] = English, Dutch
}

// availability reads "availability [YYYY-MM]".
func (p *parser) availability() (Command, error) {
	p.trimQuestion()
	c := Command{Verb: VerbAvailability}
	switch len(p.words) {
	case 1:
		return c, nil
	case 2:
		if m, err := sla.ParseMonth(p.words[1].s); err == nil {
			c.Month = m
			return c, nil
		}
	}
	return c, bad("Give a month as YYYY-MM, e.g. `availability 2026-11`.", "Geef een maand als JJJJ-MM, bv. `beschikbaarheid 2026-11`.")
}

// availabilityText is String for the availability verbs.
func (c Command) availabilityText() string {
	if c.Verb == VerbStatus {
		return "status"
	}
	s := c.Lang.pick("availability", "beschikbaarheid")
	if c.Month != (sla.Month{}) {
		s += " " + c.Month.String()
	}
	return s
}
