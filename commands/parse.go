package commands

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Parse reads a /magda command text: Dutch or English words, any case, extra spaces and
// a leading "magda", "/magda" or "@magda" allowed. It is pure. Empty text is help.
//
// The first word routes to a command (routes, built from the specs table); a typo of a
// command word is that word; any other text is read as a question in any word order
// (parser.ask). A bad command gives an *Error (CodeInvalid) whose message, in the
// asker's language, says what is wrong in one line. Text that asks nothing gives the
// help command with Input set and such an error: "I don't know “hello there”. Try …".
func Parse(text string) (Command, error) {
	p := &parser{src: text, words: split(text)}
	if len(p.words) > 0 {
		switch strings.TrimRight(p.words[0].lo, ",:") {
		case "magda", "/magda", "@magda":
			if len(p.words) == 1 || !isDigits(clean(p.words[1].lo)) { // "magda 17" is a ticket
				p.words = p.words[1:]
			}
		}
	}
	for len(p.words) > 1 && polite[clean(p.words[0].lo)] {
		p.mark(clean(p.words[0].lo))
		p.words = p.words[1:]
	}
	if len(p.words) == 0 {
		return Command{Verb: VerbHelp, Lang: English, Guessed: true}, nil
	}
	first := p.words[0].lo
	read, ok := routes[first]
	if !ok {
		read, ok = routes[clean(first)]
		first = clean(first)
	}
	if !ok && !vocabulary(first) {
		// A typo of a command word ("slaa", "esclate") is that command word.
		if w, _ := nearestWord(first); w != "" {
			first, read, ok = w, routes[w], true
			p.words[0].s, p.words[0].lo = w, w
		}
	}
	if ok {
		p.mark(first)
	} else {
		read = func(p *parser) (Command, error) { return p.ask(false, true) }
	}
	c, err := read(p)
	c.Lang, c.Guessed = p.language()
	if err != nil {
		return c, p.fail(err)
	}
	return c, nil
}

// word is one whitespace-separated word of the text, with where it starts, so that free
// text (an update, a reason) is taken from the original as typed.
type word struct {
	s, lo string
	start int
}

func split(text string) []word {
	var out []word
	start := -1
	for i, r := range text {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, word{s: text[start:i], lo: strings.ToLower(text[start:i]), start: start})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, word{s: text[start:], lo: strings.ToLower(text[start:]), start: start})
	}
	return out
}

type parser struct {
	src   string
	words []word
	lang  Lang // "" until a word tells
	named bool // a Dutch word of a customer's name was seen (nameWords)
}

// usage is a parse failure in both languages; Parse picks one when the language is known.
type usage struct{ en, nl string }

func (u *usage) Error() string { return u.en }

func bad(en, nl string, a ...any) error {
	return &usage{fmt.Sprintf(en, a...), fmt.Sprintf(nl, a...)}
}

func (p *parser) fail(err error) error {
	u, ok := err.(*usage)
	if !ok {
		return err // unknown input: already an *Error in the asker's language
	}
	l, _ := p.language()
	return &Error{Code: CodeInvalid, Message: l.pick(u.en, u.nl), Err: u}
}

// mark notes the language a keyword tells; Dutch wins when both were used.
func (p *parser) mark(lo string) {
	p.named = p.named || nameWords[lo]
	if l, ok := langOf[lo]; ok && (l == Dutch || p.lang == "") {
		p.lang = l
	}
}

func (p *parser) language() (Lang, bool) {
	if p.lang == "" && p.named {
		return Dutch, false
	}
	if p.lang == "" {
		return English, true
	}
	return p.lang, false
}

// rest is the original text after the first n words, trimmed.
func (p *parser) rest(n int) string {
	if n >= len(p.words) {
		return ""
	}
	return strings.TrimSpace(p.src[p.words[n].start:])
}

// trimQuestion drops a question mark ending the text, where no free text follows.
func (p *parser) trimQuestion() {
	for n := len(p.words); n > 1; n = len(p.words) {
		w := &p.words[n-1]
		w.s, w.lo = strings.TrimRight(w.s, "?"), strings.TrimRight(w.lo, "?")
		if w.s != "" {
			return
		}
		p.words = p.words[:n-1]
	}
}

func isPriority(lo string) (sla.Priority, bool) {
	if len(lo) != 2 || lo[0] != 'p' {
		return sla.NoPriority, false
	}
	p, err := sla.ParsePriority(lo)
	return p, err == nil
}

// explain takes the first ticket key among the words: "waarom is MAGDA-1 zo laat?"; with
// none, the words are a what-if to explain (explainWhatIf).
func (p *parser) explain() (Command, error) {
	p.trimQuestion()
	c := Command{Verb: VerbExplain}
	for i, w := range p.words[1:] {
		p.mark(w.lo)
		if n, key := keyAt(p.words[1+i:]); c.Ticket == "" && n > 0 {
			c.Ticket = key
		}
	}
	if c.Ticket == "" && len(p.words) > 1 {
		return p.explainWhatIf() // "explain P2 for agency-x at friday 16:45"
	}
	if c.Ticket == "" {
		return c, bad("Which ticket? Try `explain MAGDA-123`.", "Welk ticket? Probeer `uitleg MAGDA-123`.")
	}
	return c, nil
}

// keyed reads "VERB KEY [free text]".
func (p *parser) keyed(v Verb, en, nl string) (Command, error) {
	c := Command{Verb: v}
	n := 0
	if len(p.words) > 1 {
		n, c.Ticket = keyAt(p.words[1:])
	}
	if n == 0 {
		return c, &usage{"Which ticket? Try `" + en + "`.", "Welk ticket? Probeer `" + nl + "`."}
	}
	c.Text = p.rest(1 + n)
	return c, nil
}

var pauseReasons = map[string]string{
	"customer": sla.WaitCustomer, "klant": sla.WaitCustomer,
	"third-party": sla.WaitThirdParty, "third_party": sla.WaitThirdParty, "thirdparty": sla.WaitThirdParty,
	"third party": sla.WaitThirdParty, "derde": sla.WaitThirdParty, "derden": sla.WaitThirdParty,
	"derde partij": sla.WaitThirdParty, "derde-partij": sla.WaitThirdParty, "derdepartij": sla.WaitThirdParty,
}

// pause reads "pause KEY customer|third-party" (R3.4: only those two stop the clock).
func (p *parser) pause() (Command, error) {
	p.trimQuestion()
	c, err := p.keyed(VerbPause, "pause MAGDA-123 customer|third-party", "pauzeer MAGDA-123 klant|derde")
	if err != nil {
		return c, err
	}
	c.Text = ""
	var ws []string
	for _, w := range p.words[2:] {
		ws = append(ws, w.lo)
		p.mark(w.lo)
	}
	reason, ok := pauseReasons[strings.Join(ws, " ")]
	if !ok {
		return c, bad("Waiting for whom? Try `pause %s customer` or `pause %s third-party` (R3.4).",
			"Wachten op wie? Probeer `pauzeer %s klant` of `pauzeer %s derde` (R3.4).", c.Ticket, c.Ticket)
	}
	c.Reason = reason
	return c, nil
}

func (p *parser) holidays() (Command, error) {
	p.trimQuestion()
	c := Command{Verb: VerbHolidays}
	switch len(p.words) {
	case 1:
		return c, nil
	case 2:
		if y, err := strconv.Atoi(p.words[1].s); err == nil && y >= 2000 && y <= 2100 {
			c.Year = y
			return c, nil
		}
	}
	return c, bad("Give a year from 2000 to 2100, e.g. `holidays 2026`.", "Geef een jaar van 2000 tot 2100, bv. `feestdagen 2026`.")
}

// unknown answers input in which no word tells what is asked: one line naming the
// commands closest to every question, never the whole help (`help` gives that).
func (p *parser) unknown() (Command, error) {
	for _, w := range p.words {
		p.mark(clean(w.lo))
	}
	l, guessed := p.language()
	input := p.rest(0)
	if utf8.RuneCountInString(input) > 60 {
		input = string([]rune(input)[:60]) + "…"
	}
	u := &usage{fmt.Sprintf("I don't know “%s”. Try `sla MAGDA-123`, `sla P2 for agency-x`, `today` or `help`.", input),
		fmt.Sprintf("Ik ken “%s” niet. Probeer `sla MAGDA-123`, `sla P2 voor agentschap-x`, `vandaag` of `hulp`.", input)}
	c := Command{Verb: VerbHelp, Lang: l, Guessed: guessed, Input: p.rest(0)}
	return c, &Error{Code: CodeInvalid, Message: l.pick(u.en, u.nl), Err: u}
}

// nearestWord finds the command word closest to w, within a typo or two.
func nearestWord(w string) (string, Verb) {
	best, bestD, verb := "", 3, Verb("")
	for _, s := range specs {
		for _, cw := range s.Words {
			d := distance(w, cw)
			if d < bestD && (d <= 1 && len(cw) >= 3 && len(w) >= 3 || len(cw) > 6) && cw != "?" {
				best, bestD, verb = cw, d, s.Verb
			}
		}
	}
	return best, verb
}
