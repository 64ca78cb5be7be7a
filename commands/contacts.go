package commands

import (
	"slices"
	"strings"
)

// KindContacts answers VerbContacts.
const KindContacts Kind = "contacts"

// The roles a contacts question may ask for; "" asks for both.
const (
	roleSDM  = "sdm"
	roleSPOC = "spoc"
)

// contactWords tell the language of a contacts question; roleWords name the role asked
// for; the other words of the question around the customer are fillers.
var (
	contactWords = map[string]Lang{"who": English, "of": English, "for": English, "contacts": English, "are": English, "the": English,
		"wie": Dutch, "van": Dutch, "voor": Dutch, "bij": Dutch, "contacten": Dutch, "zijn": Dutch, "de": Dutch, "het": Dutch,
		"contactpersonen": Dutch, "who's": English, "whos": English}
	roleWords      = map[string]string{"sdm": roleSDM, "spoc": roleSPOC, "contacts": "", "contacten": "", "contactpersonen": ""}
	contactFillers = map[string]bool{"is": true, "are": true, "zijn": true, "the": true, "de": true, "het": true, "our": true, "onze": true}
)

// contacts reads a contacts question (R1.2) in any phrasing that names a role or asks
// who: the role word, and the customer after the first "for", "of", "van", "voor" or
// "bij" (or, in "contacts agency-x", the words that are no filler). Words before that
// link that ask nothing ("can you tell me who …") are passed over.
func (p *parser) contacts() (Command, error) {
	p.trimQuestion()
	c := Command{Verb: VerbContacts}
	var before, after []word
	linked := false
	for _, w := range p.words {
		lo := clean(w.lo)
		p.mark(lo)
		if l, ok := contactWords[lo]; ok && (l == Dutch || p.lang == "") {
			p.lang = l
		}
		switch role, isRole := roleWords[lo]; {
		case isRole && !linked:
			if role != "" {
				c.Text = role
			}
		case linked:
			after = append(after, w)
		case contactLinks[lo]:
			linked = true
		case askWho[lo] || contactFillers[lo] || fillers[lo] || polite[lo]:
		default:
			before = append(before, w)
		}
	}
	if askWho[clean(p.words[0].lo)] && c.Text == "" && !slices.ContainsFunc(p.words, isRoleWord) {
		return c, bad("Who do you mean? Try `who is the SDM for agency-x` or `contacts agency-x`.",
			"Wie bedoel je? Probeer `wie is de SDM van agentschap-x` of `contacten agentschap-x`.")
	}
	if linked {
		before = after // "who the SDM of agency-x is": the fillers around the name go
	}
	c.Customer = nameOf(before)
	return c, nil
}

var (
	contactLinks = map[string]bool{"for": true, "of": true, "van": true, "voor": true, "bij": true}
	askWho       = map[string]bool{"who": true, "wie": true, "who's": true, "whos": true}
)

func isRoleWord(w word) bool { _, ok := roleWords[clean(w.lo)]; return ok }

// asksContacts reports whether a question names a role ("what is the SDM of agency-x"),
// so that parser.ask gives it to contacts wherever the word stands.
func asksContacts(ws []word) bool { return slices.ContainsFunc(ws, isRoleWord) }

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
		s = l.pick("contacts", "contacten")
		if c.Customer != "" {
			s += l.pick(" for ", " van ") + c.Customer
		}
	}
	if c.Guessed { // no word told the language ("sdm agency-x"): none is added
		s = join(strings.ToUpper(c.Text), c.Customer)
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
