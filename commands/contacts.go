package commands

import (
	"slices"
	"strings"
)

// VerbContacts asks for a customer's SPOC and SDM (R1.2): "who is the SDM for
// agency-x", "wie is de spoc van agentschap X", "contacts agency-x".
const VerbContacts Verb = "contacts"

// KindContacts answers VerbContacts.
const KindContacts Kind = "contacts"

// The roles a contacts question may ask for; "" asks for both.
const (
	roleSDM  = "sdm"
	roleSPOC = "spoc"
)

var contactsSpec = Spec{VerbContacts, "contacts", "contacten",
	[]string{"contacts", "contacten", "who", "wie"},
	"contacts CUSTOMER · who is the SDM|SPOC for CUSTOMER", "contacten KLANT · wie is de SDM|SPOC van KLANT",
	"a customer's business SPOC and MAGDA SDM (R1.2)", "de business-SPOC en de MAGDA-SDM van een klant (R1.2)",
	[]string{"who is the SDM for agency-x", "wie is de spoc van agentschap X", "contacts agency-x"}}

// The command joins the list before help, which stays last.
func init() { specs = slices.Insert(specs, len(specs)-1, contactsSpec) }

// contactWords tell the language of a contacts question; roleWords name the role asked
// for; the other words of the question around the customer are fillers.
var (
	contactWords = map[string]Lang{"who": English, "of": English, "for": English, "contacts": English, "are": English, "the": English,
		"wie": Dutch, "van": Dutch, "voor": Dutch, "bij": Dutch, "contacten": Dutch, "zijn": Dutch, "de": Dutch, "het": Dutch}
	roleWords      = map[string]string{"sdm": roleSDM, "spoc": roleSPOC, "contacts": "", "contacten": "", "contactpersonen": ""}
	contactFillers = map[string]bool{"is": true, "are": true, "zijn": true, "the": true, "de": true, "het": true, "our": true, "onze": true}
)

// contacts reads a contacts question: the role word, and the customer after "for",
// "of", "van", "voor" or "bij" (or, in "contacts agency-x", every other word).
func (p *parser) contacts() (Command, error) {
	p.trimQuestion()
	c := Command{Verb: VerbContacts}
	var rest []string
	for _, w := range p.words {
		lo := strings.Trim(w.lo, ",:")
		if l, ok := contactWords[lo]; ok && (l == Dutch || p.lang == "") {
			p.lang = l
		}
		switch role, isRole := roleWords[lo]; {
		case isRole:
			if role != "" {
				c.Text = role
			}
		case lo == "who" || lo == "wie" || contactFillers[lo]:
		case (lo == "for" || lo == "of" || lo == "van" || lo == "voor" || lo == "bij") && len(rest) == 0:
		default:
			rest = append(rest, w.s)
		}
	}
	first := p.words[0].lo
	if (first == "who" || first == "wie") && c.Text == "" && !slices.ContainsFunc(p.words, func(w word) bool { _, ok := roleWords[w.lo]; return ok }) {
		return c, bad("Who do you mean? Try `who is the SDM for agency-x` or `contacts agency-x`.",
			"Wie bedoel je? Probeer `wie is de SDM van agentschap-x` of `contacten agentschap-x`.")
	}
	c.Customer = strings.Join(rest, " ")
	return c, nil
}

// contactsText is the canonical text of a contacts question.
func (c Command) contactsText() string {
	l := c.Lang
	var s string
	switch c.Text {
	case roleSDM, roleSPOC:
		s = l.pick("who is the ", "wie is de ") + strings.ToUpper(c.Text)
		if c.Customer != "" {
			s += l.pick(" for ", " van ") + c.Customer
		}
	default:
		s = join(l.pick("contacts", "contacten"), c.Customer)
	}
	return s
}

// contactsAnswer answers a contacts question with the customer's SPOC and SDM from the
// configuration (R1.2). They are people's names: for the MAGDA team, and in a
// customer's own channel for that customer only.
func (h *Handler) contactsAnswer(c Caller, cmd Command, l Lang) (Reply, error) {
	if _, scoped := h.scope(c); !scoped && !h.isStaff(c) {
		return Reply{}, errorf(CodeForbidden, "%s", l.pick(
			"Contacts are for the MAGDA team, or in the customer's own channel.",
			"Contactpersonen zijn voor het MAGDA-team, of in het eigen kanaal van de klant."))
	}
	cu, err := h.customer(c, cmd.Customer, l)
	if err != nil {
		return Reply{}, err
	}
	unset := l.pick("not configured", "niet ingesteld")
	r := Reply{Kind: KindContacts, Title: l.pick("Contacts of ", "Contactpersonen van ") + cu.label(),
		Facts: []Fact{{"SPOC", or(cu.SPOC, unset)}, {"SDM", or(cu.SDM, unset)}}}
	switch name, role := map[string]string{roleSDM: cu.SDM, roleSPOC: cu.SPOC}[cmd.Text], strings.ToUpper(cmd.Text); {
	case cmd.Text == "":
	case name == "":
		r.Lines = []string{l.pick("No "+role+" is configured for "+displayName(cu)+" (R1.2).",
			"Voor "+displayName(cu)+" is geen "+role+" ingesteld (R1.2).")}
	default:
		r.Lines = []string{l.pick("The "+role+" of "+displayName(cu)+" is "+name+" (R1.2).",
			"De "+role+" van "+displayName(cu)+" is "+name+" (R1.2).")}
	}
	return r, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
