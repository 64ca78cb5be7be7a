package commands

import (
	"fmt"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

var kindWords = map[string]sla.Kind{
	"incident": sla.Incident, "incidentmelding": sla.Incident,
	"question": sla.Question, "vraag": sla.Question, "ondersteuningsvraag": sla.Question,
	"connection": sla.Connection, "aansluiting": sla.Connection, "aansluitingsaanvraag": sla.Connection,
}

var envWords = map[string]sla.Env{"tni": sla.TNI, "prod": sla.Prod, "production": sla.Prod, "productie": sla.Prod}

func (p *parser) askSLA() (Command, error) { return p.ask(false, false) }

// askQueue reads a question that starts with a queue word: "queue"/"wachtrij" always ask
// for the queue, a span word only when no what-if follows ("vandaag om 16u een P2 voor X").
func (p *parser) askQueue() (Command, error) {
	w := clean(p.words[0].lo)
	return p.ask(w == "queue" || w == "wachtrij", false)
}

// ask reads a question in any word order, Dutch or English: the slots first (a ticket,
// a priority, a kind, an environment, a moment, a span), then what they ask for:
//
//   - a role (SDM, SPOC) or availability named anywhere: contacts or availability;
//   - "status" with no ticket, customer or what-if: the status page;
//   - a ticket: its card ("is MAGDA-17 breached", "wanneer moet magda 17 opgelost zijn");
//   - a span (this week, at risk, breached), or "today" without a what-if: the queue;
//   - a priority, kind or environment: a what-if at a moment (R4.2, R2.3);
//   - otherwise a customer's tickets.
//
// queue is set when the command word asked for the queue; fallback when no command
// word came first, so that text with no cue at all is unknown.
func (p *parser) ask(queue, fallback bool) (Command, error) {
	s, err := p.read(p.words) // the command word is a filler or a slot itself ("today")
	c := Command{Verb: VerbCustomer}
	if err != nil {
		return c, err
	}
	if s.ticket == "" && asksContacts(p.words) {
		return p.contacts() // "what is the SDM of agency-x" (R1.2)
	}
	if s.ticket == "" && asksAvailability(p.words) {
		return p.availability() // "what's the availability this month" (R6.1)
	}
	whatIf := s.priority != sla.NoPriority || s.kind != "" || s.env != ""
	if s.ticket == "" && !whatIf && s.span == "" && !s.today && s.moment.IsZero() && asksStatus(p.words, s) {
		return Command{Verb: VerbStatus}, nil // "what's the status": the status page (R6.2)
	}
	if fallback && !s.cue && !whatIf && s.ticket == "" {
		return p.unknown()
	}
	name, stray := s.customer()
	if len(stray) > 0 {
		return c, bad("I don't understand “%s” before “for”. Try `sla P2 for agency-x`.",
			"Ik begrijp “%s” voor “voor” niet. Probeer `sla P2 voor agentschap-x`.", strings.Join(stray, " "))
	}
	if name != "" && !plainName(name) {
		return c, bad("Which customer is “%s”? Name it alone after “for”: `sla P2 for agency-x`.",
			"Welke klant is “%s”? Noem ze apart na “voor”: `sla P2 voor agentschap-x`.", name)
	}
	if s.forAt >= 0 && name == "" {
		return c, bad("For which customer? Try `sla P2 for agency-x`.", "Voor welke klant? Probeer `sla P2 voor agentschap-x`.")
	}
	if s.ticket != "" {
		if s.priority != sla.NoPriority || s.kind != "" || s.env != "" || name != "" || !s.moment.IsZero() {
			return c, bad("Ask about a ticket (`sla MAGDA-123`) or a priority (`sla P2 for agency-x`), not both.",
				"Vraag naar een ticket (`sla MAGDA-123`) of een prioriteit (`sla P2 voor agentschap-x`), niet beide.")
		}
		c.Verb, c.Ticket = VerbTicket, s.ticket
		return c, nil
	}
	// "today" first or alone, or with a priority and nothing else, is the queue's span
	// ("today P1 for agency-x"); after a what-if's words, or with a time or a report
	// word, it is the day of a what-if ("sla P1 for agency-x today").
	lead := dayWords[clean(p.words[0].lo)] == "today"
	todayQueue := s.today && s.moment.Clock == "" && !s.report && (!whatIf || s.queue || lead || name == "" && s.kind == "" && s.env == "")
	if queue || s.span != "" || todayQueue {
		return s.queueCommand(name)
	}
	if whatIf {
		c.Verb, c.Customer, c.Kind, c.Priority, c.Env, c.At = VerbWhatIf, name, s.kind, s.priority, s.env, s.moment
		if c.Kind == "" {
			c.Kind = sla.Incident
		}
		if c.Env == "" {
			c.Env = sla.Prod
		}
		if c.Kind == sla.Connection {
			c.Priority = sla.NoPriority // R2.3: connection requests have no priority
		} else if c.Priority == sla.NoPriority {
			return c, &usage{fmt.Sprintf("Which priority? Try `sla P2 %s for agency-x`.", kindWord(c.Kind, English)),
				fmt.Sprintf("Welke prioriteit? Probeer `sla P2 %s voor agentschap-x`.", kindWord(c.Kind, Dutch))}
		}
		return c, nil
	}
	if !s.moment.IsZero() {
		return c, bad("A moment is for a what-if: try `sla P2 for agency-x friday 16:45`.",
			"Een moment is voor een wat-als: probeer `sla P2 voor agentschap-x vrijdag 16:45`.")
	}
	c.Customer = name
	return c, nil
}

// queueCommand is the queue (R5) asked by s: its span (today unless one was named), one
// customer and one priority at most.
func (s slots) queueCommand(name string) (Command, error) {
	c := Command{Verb: VerbQueue, Span: s.span, Customer: name, Priority: s.priority}
	if c.Span == "" {
		c.Span = SpanToday
	}
	if s.moment.Clock != "" || s.moment.Day != "" && s.moment.Day != "today" || s.kind != "" || s.env != "" {
		return c, bad("The queue takes a span, a customer and a priority: try `today P1 for agency-x`.",
			"De wachtrij neemt een periode, een klant en een prioriteit: probeer `vandaag P1 voor agentschap-x`.")
	}
	return c, nil
}

// plainName reports whether name, read alone, is a name and nothing else: no words of it
// together make a slot ("at 9", "magda 5"), so the command's text reads back the same.
func plainName(name string) bool {
	q := &parser{src: "for " + name, words: split("for " + name)}
	s, err := q.read(q.words)
	again, _ := s.customer()
	return err == nil && again == name && s.ticket == "" && s.priority == sla.NoPriority && s.kind == "" &&
		s.env == "" && s.moment.IsZero() && s.span == ""
}

func joinWords(ws []word) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.s
	}
	return strings.Join(s, " ")
}
