package commands

import (
	"strconv"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Command is a parsed command text: what is asked, in which language, and its arguments.
type Command struct {
	Verb Verb
	Lang Lang
	// Guessed is set when no word told the language ("sla MAGDA-1"): Lang is then
	// English, and the handler answers in its configured default language instead.
	Guessed bool

	Ticket     string       // ticket key, upper case
	Customer   string       // customer as typed (id or name, matched by the handler); "" = the channel's
	Kind       sla.Kind     // what-if: incident unless a kind word was given
	Priority   sla.Priority // what-if: the customer's estimate (none for connection requests)
	Env        sla.Env      // what-if and prio: prod or tni
	Motivation string       // prio: why a TNI incident is urgent (R4.2)
	Assess     *sla.Assessment
	Text       string // escalate: the reason; update: the update text
	// Level is the R7 level an Escalate button raises the ticket to (EscalateValue): the
	// level its card showed plus one, so that two clicks on cards that showed the same
	// level, in Slack and in Teams, are one step. 0 (typed): the next level.
	Level  int
	Reason string    // pause: sla.WaitCustomer or sla.WaitThirdParty
	Year   int       // holidays; 0 = this year
	Month  sla.Month // availability; zero = this month
	Span   Span      // queue: the period
	// At is when a what-if (plain or explained: "explain P2 for agency-x at friday 16:45")
	// would be reported; zero = now.
	At     Moment
	Period string // review: a month name, YYYY-MM, YYYY-Qn, last-month, last-quarter, …; "" = last month

	// Input is set on the help command Parse gives for unknown input (the handler then
	// looks for a customer of that name). Suggestion is left empty by Parse: a typo of a
	// command word is that command, so there is nothing to suggest.
	Input      string
	Suggestion string
}

// String gives the command's canonical text in its language; Parse reads it back to the
// same Command.
func (c Command) String() string {
	nl := c.Lang == Dutch
	w := func(en, du string) string {
		if nl {
			return du
		}
		return en
	}
	switch c.Verb {
	case VerbTicket:
		return c.slaText(c.Ticket, "")
	case VerbWhatIf:
		parts := []string{}
		if c.Priority != sla.NoPriority {
			parts = append(parts, c.Priority.String())
		}
		parts = append(parts, kindWord(c.Kind, c.Lang))
		if c.Env == sla.TNI {
			parts = append(parts, "tni")
		}
		return join(c.slaText(strings.Join(parts, " "), c.Customer), c.At.text(c.Lang))
	case VerbCustomer:
		if !c.Guessed && c.Customer != "" {
			return "sla " + w("for ", "voor ") + c.Customer
		}
		return c.slaText("", c.Customer)
	case VerbExplain:
		if c.Ticket == "" {
			return c.whatIfExplainText()
		}
		return w("explain ", "uitleg ") + c.Ticket
	case VerbPriority:
		if c.Assess == nil {
			if c.Guessed {
				return "prio"
			}
			return w("priority", "prioriteit")
		}
		s := w("prio", "prioriteit")
		keys := [3]string{w("scope", "omvang"), w("users", "gebruikers"), w("security", "veiligheid")}
		for d, p := range c.Assess {
			v := p.String()
			if v == "" {
				v = w("none", "geen")
			}
			s += " " + keys[d] + "=" + v
		}
		if c.Env == sla.TNI {
			s += " " + w("env", "omgeving") + "=tni"
		}
		if c.Motivation != "" {
			s += " " + w("motivation", "motivatie") + "=" + c.Motivation
		}
		return s
	case VerbEscalate:
		return join(w("escalate ", "escaleer ")+c.Ticket, c.Text)
	case VerbUpdate:
		return join("update "+c.Ticket, c.Text)
	case VerbPause:
		reason := w("customer", "klant")
		if c.Reason == sla.WaitThirdParty {
			reason = w("third-party", "derde")
		}
		return w("pause ", "pauzeer ") + c.Ticket + " " + reason
	case VerbResume:
		return w("resume ", "hervat ") + c.Ticket
	case VerbContacts:
		return c.contactsText()
	case VerbMaintenance:
		return w("maintenance", "onderhoud")
	case VerbQueue:
		if c.Guessed && c.Span == SpanWeek { // "week": the one span word of no language
			return join(join("week", c.Priority.String()), c.Customer)
		}
		s := w("queue ", "wachtrij ") + spanText(c.Span, c.Lang)
		if c.Priority != sla.NoPriority {
			s += " " + c.Priority.String()
		}
		if c.Customer != "" {
			s += w(" for ", " voor ") + c.Customer
		}
		return s
	case VerbAvailability, VerbStatus:
		return c.availabilityText()
	case VerbReview:
		return join(join(w("review", "rapport"), c.Customer), periodWords(c.Period, c.Lang))
	case VerbHolidays:
		s := w("holidays", "feestdagen")
		if c.Year != 0 {
			s += " " + strconv.Itoa(c.Year)
		}
		return s
	}
	if c.Guessed {
		return "?"
	}
	return w("help", "hulp")
}

// slaText writes the sla family: "sla …" when the language was guessed, else the
// question form that carries the language ("when is … due for …").
func (c Command) slaText(what, customer string) string {
	if c.Guessed {
		return join("sla "+what, customer)
	}
	s := c.Lang.pick("when is ", "wanneer is ") + join(what, "due")
	if customer != "" {
		s += c.Lang.pick(" for ", " voor ") + customer
	}
	return s
}

func kindWord(k sla.Kind, l Lang) string {
	switch k {
	case sla.Question:
		return l.pick("question", "vraag")
	case sla.Connection:
		return l.pick("connection", "aansluiting")
	}
	return "incident"
}

func join(a, b string) string {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}
