package commands

import (
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

var kindWords = map[string]sla.Kind{
	"incident": sla.Incident, "incidentmelding": sla.Incident,
	"question": sla.Question, "vraag": sla.Question, "ondersteuningsvraag": sla.Question,
	"connection": sla.Connection, "aansluiting": sla.Connection, "aansluitingsaanvraag": sla.Connection,
}

var envWords = map[string]sla.Env{"tni": sla.TNI, "prod": sla.Prod, "production": sla.Prod, "productie": sla.Prod}

// fillers may surround the arguments of a question ("when is P2 due for …").
var fillers = map[string]bool{
	"is": true, "due": true, "a": true, "an": true, "the": true, "een": true, "de": true,
	"het": true, "ticket": true, "sla": true, "when": true, "wanneer": true, "now": true,
	"nu": true, "on": true, "op": true, "if": true, "als": true, "reported": true, "gemeld": true,
}

// sla reads the sla family: a ticket card, a what-if or a customer's tickets. After
// "for"/"voor" everything is the customer; before it, or without it, the priority, kind
// and environment words are picked out and the other words name the customer.
func (p *parser) sla() (Command, error) {
	p.trimQuestion()
	toks := p.words[1:]
	head, customer, hasFor := toks, "", false
	for i, w := range toks {
		if w.lo == "for" || w.lo == "voor" {
			p.mark(w.lo)
			head, customer, hasFor = toks[:i], joinWords(toks[i+1:]), true
			break
		}
	}
	question := hasFor || p.words[0].lo != "sla"
	var (
		c      = Command{Verb: VerbCustomer}
		envSet bool
		rest   []string
	)
	for _, w := range head {
		if pr, ok := isPriority(w.lo); ok {
			if c.Priority != sla.NoPriority {
				return c, bad("Give one priority, not %s and %s.", "Geef één prioriteit, niet %s en %s.", c.Priority, pr)
			}
			c.Priority = pr
			continue
		}
		if k, ok := kindWords[w.lo]; ok {
			if c.Kind != "" && c.Kind != k {
				return c, bad("Give one kind, not %s and %s.", "Geef één soort, niet %s en %s.", c.Kind, k)
			}
			c.Kind = k
		} else if e, ok := envWords[w.lo]; ok {
			c.Env, envSet = e, true
		} else if isKey(w.s) && c.Ticket == "" {
			c.Ticket = strings.ToUpper(w.s)
			continue
		} else if !question || !fillers[w.lo] {
			rest = append(rest, w.s)
			continue
		}
		p.mark(w.lo)
	}
	if hasFor && len(rest) > 0 {
		return c, bad("I don't understand “%s” before “for”. Try `sla P2 for agency-x`.",
			"Ik begrijp “%s” voor “voor” niet. Probeer `sla P2 voor agentschap-x`.", strings.Join(rest, " "))
	}
	if !hasFor {
		customer = strings.Join(rest, " ")
	} else if customer == "" {
		return c, bad("For which customer? Try `sla P2 for agency-x`.", "Voor welke klant? Probeer `sla P2 voor agentschap-x`.")
	}
	switch {
	case c.Ticket != "":
		if c.Priority != sla.NoPriority || c.Kind != "" || envSet || customer != "" {
			return c, bad("Ask about a ticket (`sla MAGDA-123`) or a priority (`sla P2 for agency-x`), not both.",
				"Vraag naar een ticket (`sla MAGDA-123`) of een prioriteit (`sla P2 voor agentschap-x`), niet beide.")
		}
		c.Verb = VerbTicket
	case c.Priority != sla.NoPriority || c.Kind != "" || envSet:
		c.Verb, c.Customer = VerbWhatIf, customer
		if c.Kind == "" {
			c.Kind = sla.Incident
		}
		if c.Env == "" {
			c.Env = sla.Prod
		}
		if c.Kind == sla.Connection {
			c.Priority = sla.NoPriority // R2.3: connection requests have no priority
		} else if c.Priority == sla.NoPriority {
			return c, bad("Which priority? Try `sla P2 %s for agency-x`.", "Welke prioriteit? Probeer `sla P2 %s voor agentschap-x`.", c.Kind)
		}
	default:
		c.Customer = customer
	}
	return c, nil
}

func joinWords(ws []word) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.s
	}
	return strings.Join(s, " ")
}
