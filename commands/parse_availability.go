package commands

import (
	"slices"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// availabilityWords name availability wherever they stand in a question ("what is the
// availability this month"); monthWords may stand with them and name this month.
var (
	availabilityWords = map[string]bool{"availability": true, "beschikbaarheid": true, "uptime": true}
	monthWords        = map[string]bool{"this": true, "deze": true, "month": true, "maand": true, "was": true, "in": true}
)

// availability reads "availability [YYYY-MM]" (R6.1), the words in any order among
// fillers: "uptime 2026-11", "wat is de beschikbaarheid deze maand".
func (p *parser) availability() (Command, error) {
	p.trimQuestion()
	c := Command{Verb: VerbAvailability}
	for _, w := range p.words {
		lo := clean(w.lo)
		p.mark(lo)
		if availabilityWords[lo] || monthWords[lo] || fillers[lo] || polite[lo] || queueWords[lo] {
			continue
		}
		m, err := sla.ParseMonth(lo)
		if err != nil || c.Month != (sla.Month{}) && c.Month != m {
			return c, bad("Give a month as YYYY-MM, e.g. `availability 2026-11`.", "Geef een maand als JJJJ-MM, bv. `beschikbaarheid 2026-11`.")
		}
		c.Month = m
	}
	return c, nil
}

// asksAvailability reports whether a question names availability, so that parser.ask
// gives it to availability wherever the word stands.
func asksAvailability(ws []word) bool {
	return slices.ContainsFunc(ws, func(w word) bool { return availabilityWords[clean(w.lo)] })
}

// statusPageWords may follow "status" when the page itself is asked for: "status page",
// "status van magda".
var statusPageWords = map[string]bool{"page": true, "pagina": true, "statuspagina": true, "magda": true,
	"platform": true, "of": true, "van": true, "the": true, "de": true, "het": true}

// status reads "status": the status page (R6.2) when nothing but words of the page
// follow; otherwise a question in which "status" is a filler ("status MAGDA-10" is the
// ticket's card, "status of agency-x" the customer's tickets).
func (p *parser) status() (Command, error) {
	p.trimQuestion()
	for _, w := range p.words[1:] {
		p.mark(clean(w.lo))
		if !statusPageWords[clean(w.lo)] {
			return p.ask(false, false)
		}
	}
	return Command{Verb: VerbStatus}, nil
}

// asksStatus reports whether a question asks for the status page: it says "status" and
// names no customer, only words of the page ("wat is de status van magda").
func asksStatus(ws []word, s slots) bool {
	name, _ := s.customer()
	for _, n := range strings.Fields(strings.ToLower(name)) {
		if !statusPageWords[n] {
			return false
		}
	}
	return slices.ContainsFunc(ws, func(w word) bool {
		lo := clean(w.lo)
		return lo == "status" || lo == "statuspagina"
	})
}

// availabilityText is String for the availability verbs.
func (c Command) availabilityText() string {
	if c.Verb == VerbStatus {
		if c.Guessed {
			return "status"
		}
		return c.Lang.pick("status page", "statuspagina")
	}
	s := c.Lang.pick("availability", "beschikbaarheid")
	if c.Guessed { // "uptime" is a word of both languages
		s = "uptime"
	}
	if c.Month != (sla.Month{}) {
		s += " " + c.Month.String()
	}
	return s
}
