package commands

import (
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Span is the period of the queue: what falls due, or is at risk, within it.
type Span string

// Spans of the queue.
const (
	SpanToday    Span = "today"    // by the end of today (Brussels)
	SpanWeek     Span = "week"     // by the end of Sunday
	SpanAtRisk   Span = "at_risk"  // at risk or breached now
	SpanBreached Span = "breached" // breached now
)

// spanWording is each span's words (which Parse reads back) and queue title, in English
// and Dutch.
var spanWording = map[Span][4]string{
	SpanToday:    {"today", "vandaag", "Due or at risk today", "Te doen of in gevaar vandaag"},
	SpanWeek:     {"this week", "deze week", "Due or at risk this week", "Te doen of in gevaar deze week"},
	SpanAtRisk:   {"at risk", "in gevaar", "At risk or breached now", "Nu in gevaar of overschreden"},
	SpanBreached: {"breached", "overschreden", "Breached now", "Nu overschreden"},
}

// spanText gives the words of s in l that Parse reads back.
func spanText(s Span, l Lang) string { w := spanWording[s]; return l.pick(w[0], w[1]) }

// spanTitle gives the title of the queue of s in l.
func spanTitle(s Span, l Lang) string { w := spanWording[s]; return l.pick(w[2], w[3]) }

// phrases are the slot words of more than one word, longest first.
var phrases = []struct {
	words []string
	span  Span
	day   string
}{
	{words: []string{"day", "after", "tomorrow"}, day: "overmorrow"},
	{words: []string{"this", "week"}, span: SpanWeek}, {words: []string{"deze", "week"}, span: SpanWeek},
	{words: []string{"at", "risk"}, span: SpanAtRisk}, {words: []string{"in", "gevaar"}, span: SpanAtRisk},
	{words: []string{"over", "tijd"}, span: SpanBreached}, {words: []string{"te", "laat"}, span: SpanBreached},
}

var spanWords = map[string]Span{
	"week": SpanWeek, "risk": SpanAtRisk, "risky": SpanAtRisk, "gevaar": SpanAtRisk, "risico": SpanAtRisk,
	"breached": SpanBreached, "breach": SpanBreached, "breaches": SpanBreached, "breaching": SpanBreached,
	"overdue": SpanBreached, "overschreden": SpanBreached, "overschrijden": SpanBreached,
	"overschrijding": SpanBreached, "overschrijdingen": SpanBreached, "verlopen": SpanBreached,
}

// queueWords ask for a list of tickets rather than one ticket or a what-if.
var queueWords = map[string]bool{
	"queue": true, "wachtrij": true, "tickets": true, "what": true, "what's": true, "whats": true,
	"which": true, "wat": true, "welke": true, "list": true, "lijst": true, "show": true, "toon": true,
}

// reportWords make "today" the day of a what-if report rather than the queue's span.
var reportWords = map[string]bool{"if": true, "als": true, "meld": true, "melden": true, "report": true,
	"reported": true, "gemeld": true, "indien": true, "stel": true}

// polite words may open any command: "please escalate MAGDA-1", "graag uitleg MAGDA-1".
var polite = map[string]bool{"please": true, "pls": true, "graag": true, "aub": true, "hey": true,
	"hi": true, "hoi": true, "hallo": true, "dag": true, "can": true, "kan": true, "could": true, "kun": true, "je": true,
	"you": true, "u": true, "wil": true, "would": true}

// fillers carry no slot in a question ("when must a P1 for X be resolved"); they may
// stand anywhere and are dropped, except inside a customer's name.
var fillers = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`is a an the een de het ticket tickets sla when wanneer now nu on op if als
		reported gemeld due moet moeten must should be been zijn wordt worden opgelost resolved solved fixed
		klaar af please pls graag aub at om tegen by tot welke which what what's whats wat are zijn er there
		for voor van of voor do does doet will zal zou would ik i we me mij mijn my our ons onze meld melden
		report melding create maak of with met tickets? ? ! hoe how long lang time tijd deadline deadlines
		status stand zit staat dan then indien stel nog still open list lijst show toon queue wachtrij
		s'morgens namiddag afternoon morning voormiddag uur hour o'clock can kan could kun je you u wil
		need nodig answer antwoord response resolution oplossing give geef tell vertel me
		vervallen vervalt verloopt aflopen afloopt expire expires expiring fall falls come comes up
		coming going gaan gaat will worden get got krijgen hebben have has heeft any alle all alles
		everything mine elke every in within binnen nearly bijna almost about near beantwoord
		answered geantwoord afgehandeld handled closed gesloten done gedaan af`) {
		fillers[w] = true
	}
}

// clean drops the punctuation around a word ("vandaag?", "X,").
func clean(lo string) string {
	return strings.Trim(lo, `?!.,;:"'()[]`)
}

// vocabulary reports whether lo is a word the question reader knows, so that it is not
// taken for a typo of a command word.
func vocabulary(lo string) bool {
	_, span := spanWords[lo]
	_, day := dayWords[lo]
	_, kind := kindWords[lo]
	_, env := envWords[lo]
	_, p := isPriority(lo)
	return fillers[lo] || queueWords[lo] || span || day || kind || env || p || sla.IsKey(lo) || lo == "for" || lo == "voor"
}

// slots are what a question names, in any order.
type slots struct {
	ticket   string
	priority sla.Priority
	kind     sla.Kind
	env      sla.Env
	moment   Moment
	today    bool // "today"/"vandaag": the queue's span, or a what-if's day
	span     Span
	queue    bool // a word asks for a list
	report   bool // a word tells of a report ("if I report", "als ik meld")
	cue      bool // a word tells this is a question at all
	forAt    int  // index in rest of the words after the last "for"/"voor"; -1 without
	rest     []word
}

// kindPlurals are the kind words' plurals and Flemish variants.
var kindPlurals = map[string]sla.Kind{
	"incidents": sla.Incident, "incidenten": sla.Incident, "storing": sla.Incident, "storingen": sla.Incident,
	"melding": sla.Incident, "questions": sla.Question, "vragen": sla.Question,
	"connections": sla.Connection, "aansluitingen": sla.Connection, "aanvraag": sla.Connection,
}

// read picks the slots out of words. It fails on two different priorities, kinds,
// days, clock times or tickets.
func (p *parser) read(ws []word) (slots, error) {
	s := slots{forAt: -1}
	for i := 0; i < len(ws); i++ {
		lo := clean(ws[i].lo)
		p.mark(lo)
		// After "for" a word shaped like a key is a customer's id ("for agency-4"), unless
		// it is a MAGDA ticket.
		if n, key := keyAt(ws[i:]); n > 0 && (s.forAt < 0 || strings.HasPrefix(key, "MAGDA-")) {
			if s.ticket != "" && s.ticket != key {
				return s, bad("Ask about one ticket, not %s and %s.", "Vraag naar één ticket, niet %s en %s.", s.ticket, key)
			}
			s.ticket, i = key, i+n-1
			continue
		}
		if n, span, day := phraseAt(ws[i:]); n > 0 {
			for _, w := range ws[i : i+n] {
				p.mark(clean(w.lo))
			}
			if span != "" {
				s.span = span
			} else if err := s.setDay(day); err != nil {
				return s, err
			}
			s.cue, i = true, i+n-1
			continue
		}
		pr, isP := isPriority(lo)
		if !isP && (lo == "prio" || lo == "priority" || lo == "prioriteit") && i+1 < len(ws) {
			if pr, isP = isPriority("p" + clean(ws[i+1].lo)); isP {
				i++
			}
		}
		if isP {
			if s.priority != sla.NoPriority && s.priority != pr {
				return s, bad("Give one priority, not %s and %s.", "Geef één prioriteit, niet %s en %s.", s.priority, pr)
			}
			s.priority = pr
			continue
		}
		k, isK := kindWords[lo]
		if !isK {
			k, isK = kindPlurals[lo]
		}
		if isK {
			if s.kind != "" && s.kind != k {
				return s, bad("Give one kind, not %s and %s.", "Geef één soort, niet %s en %s.", s.kind, k)
			}
			s.kind = k
			continue
		}
		if e, ok := envWords[lo]; ok {
			s.env = e
			continue
		}
		if sp, ok := spanWords[lo]; ok {
			s.span, s.cue = sp, true
			continue
		}
		if d, ok := dayWords[lo]; ok {
			if d == "today" {
				s.today = true
			}
			if err := s.setDay(d); err != nil {
				return s, err
			}
			s.cue = true
			continue
		}
		if d, ok := readDate(lo); ok {
			if err := s.setDay(d); err != nil {
				return s, err
			}
			continue
		}
		clock, ok := readClock(lo)
		if !ok && (lo == "om" || lo == "at" || lo == "tegen") && i+1 < len(ws) && isDigits(clean(ws[i+1].lo)) {
			if clock, ok = clockOf(clean(ws[i+1].lo), "00", false); ok {
				i++
			}
		}
		if !ok && clockLike(lo) {
			return s, bad("I can't read “%s” as a time of day. Try `16:45` or `9u30`.",
				"Ik kan “%s” niet als tijdstip lezen. Probeer `16:45` of `9u30`.", lo)
		}
		if ok {
			if s.moment.Clock != "" && s.moment.Clock != clock {
				return s, bad("Give one time, not %s and %s.", "Geef één tijdstip, niet %s en %s.", s.moment.Clock, clock)
			}
			s.moment.Clock = clock
			continue
		}
		switch {
		case lo == "for" || lo == "voor":
			s.forAt, s.cue = len(s.rest), true
			continue
		case queueWords[lo]:
			s.queue, s.cue = true, true
		case reportWords[lo]:
			s.report = true
		}
		if routes[lo] != nil && lo != "status" {
			s.cue = true
		}
		s.rest = append(s.rest, ws[i])
	}
	return s, nil
}

func (s *slots) setDay(d string) error {
	if s.moment.Day != "" && s.moment.Day != d {
		return bad("Give one day, not %s and %s.", "Geef één dag, niet %s en %s.", s.moment.Day, d)
	}
	s.moment.Day = d
	return nil
}

// customer is the name the rest of the words give: those after the last "for"/"voor"
// when there is one, with fillers trimmed from both ends (kept inside a name:
// "Zorg en Gezondheid"). stray are the words before "for" that are no filler.
func (s slots) customer() (name string, stray []string) {
	ws := s.rest
	if s.forAt >= 0 {
		for _, w := range ws[:s.forAt] {
			if !fillers[clean(w.lo)] && !polite[clean(w.lo)] {
				stray = append(stray, w.s)
			}
		}
		ws = ws[s.forAt:]
	}
	return nameOf(ws), stray
}

// nameOf gives the name ws spell, fillers trimmed from both ends (kept inside a name:
// "Zorg en Gezondheid") and the punctuation around each word.
func nameOf(ws []word) string {
	for len(ws) > 0 && (fillers[clean(ws[0].lo)] || polite[clean(ws[0].lo)]) {
		ws = ws[1:]
	}
	for len(ws) > 0 && (fillers[clean(ws[len(ws)-1].lo)] || polite[clean(ws[len(ws)-1].lo)]) {
		ws = ws[:len(ws)-1]
	}
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = strings.Trim(w.s, `?!,;:"()`)
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// keyAt reads a ticket key at the start of ws: MAGDA-17 in any case, or MAGDA with its
// number apart or glued ("magda 17", "magda17", "MAGDA - 17"). It gives how many words
// it took, 0 for none.
func keyAt(ws []word) (int, string) {
	first := clean(ws[0].s)
	if sla.IsKey(first) {
		return 1, strings.ToUpper(first)
	}
	lo := strings.ToLower(first)
	if num, ok := strings.CutPrefix(lo, "magda"); ok {
		num = strings.TrimLeft(num, "-_#")
		if isDigits(num) && len(num) < 10 {
			return 1, "MAGDA-" + num
		}
		if num == "" && len(ws) > 1 {
			next := strings.TrimLeft(clean(ws[1].lo), "-#")
			if isDigits(next) && len(next) < 10 {
				return 2, "MAGDA-" + next
			}
			if clean(ws[1].lo) == "-" && len(ws) > 2 && isDigits(clean(ws[2].lo)) && len(clean(ws[2].lo)) < 10 {
				return 3, "MAGDA-" + clean(ws[2].lo)
			}
		}
	}
	return 0, ""
}

func phraseAt(ws []word) (int, Span, string) {
	for _, ph := range phrases {
		if len(ws) < len(ph.words) {
			continue
		}
		ok := true
		for i, w := range ph.words {
			if clean(ws[i].lo) != w {
				ok = false
				break
			}
		}
		if ok {
			return len(ph.words), ph.span, ph.day
		}
	}
	return 0, "", ""
}
