package commands

// Verb is what a command asks for.
type Verb string

// Verbs.
const (
	VerbTicket      Verb = "ticket"      // sla MAGDA-123
	VerbWhatIf      Verb = "whatif"      // sla P2 for agency-x
	VerbCustomer    Verb = "customer"    // sla agency-x
	VerbExplain     Verb = "explain"     // explain MAGDA-123
	VerbPriority    Verb = "priority"    // prio [scope=P2 users=P3 security=P4 …]
	VerbEscalate    Verb = "escalate"    // escalate MAGDA-123 [reason]
	VerbUpdate      Verb = "update"      // update MAGDA-123 TEXT
	VerbPause       Verb = "pause"       // pause MAGDA-123 customer|third-party
	VerbResume      Verb = "resume"      // resume MAGDA-123
	VerbMaintenance Verb = "maintenance" // maintenance
	VerbHolidays    Verb = "holidays"    // holidays [YEAR]
	VerbQueue       Verb = "queue"       // today | this week | at risk | breached [P1] [for CUSTOMER]
	// VerbContacts asks for a customer's SPOC and SDM (R1.2): "who is the SDM for
	// agency-x", "wie is de spoc van agentschap X", "contacts agency-x".
	VerbContacts     Verb = "contacts"
	VerbAvailability Verb = "availability" // availability [YYYY-MM] (R6.1)
	VerbStatus       Verb = "status"       // status: the MAGDA status page (R6.2)
	VerbHelp         Verb = "help"         // help
)

// Spec describes one command for help texts and for the Slack and Teams manifests.
type Spec struct {
	Verb          Verb
	Name          string   // the English command word
	Dutch         string   // the Dutch command word
	Words         []string // every first word Parse routes to this command
	Usage         string   // usage hint, English
	UsageNL       string   // usage hint, Dutch
	Description   string   // what it does, English
	DescriptionNL string   // what it does, Dutch
	Examples      []string // texts that Parse turns into Verb
}

var specs = []Spec{
	{VerbTicket, "sla", "sla", []string{"sla", "when", "wanneer", "due"},
		"sla MAGDA-123", "sla MAGDA-123",
		"a ticket's clocks: due times, business time left, escalation",
		"de klokken van een ticket: deadlines, resterende werktijd, escalatie",
		[]string{"sla MAGDA-123", "when is MAGDA-123 due", "wanneer is MAGDA-123 due"}},
	{VerbWhatIf, "sla", "sla", []string{"sla", "when", "wanneer", "due"},
		"sla P2 [incident|question|connection] [tni] for CUSTOMER",
		"sla P2 [incident|vraag|aansluiting] [tni] voor KLANT",
		"when a ticket reported now would be due",
		"wanneer een ticket dat nu gemeld wordt, af moet zijn",
		[]string{"sla P2 for agency-x", "when is P2 due for agency-x", "wanneer is P2 due voor agentschap x",
			"sla P1 tni incident for agency-x", "sla aansluiting voor agency-x"}},
	{VerbCustomer, "sla", "sla", []string{"sla", "when", "wanneer", "due"},
		"sla CUSTOMER", "sla KLANT",
		"a customer's open tickets, soonest due first",
		"de open tickets van een klant, de dringendste eerst",
		[]string{"sla agency-x", "sla voor Agentschap X"}},
	{VerbExplain, "explain", "uitleg", []string{"explain", "why", "waarom", "uitleg"},
		"explain MAGDA-123 | P2 for CUSTOMER [at friday 16:45]", "uitleg MAGDA-123 | P2 voor KLANT [op vrijdag om 16:45]",
		"why a due time is what it is: windows, weekends, holidays, pauses, priority changes; or a what-if's",
		"waarom een deadline valt waar ze valt: vensters, weekends, feestdagen, pauzes, prioriteitswijzigingen; of die van een what-if",
		[]string{"explain MAGDA-123", "waarom MAGDA-123", "uitleg MAGDA-123", "explain P2 for agency-x at friday 16:45",
			"uitleg P1 tni voor agentschap x op 2026-12-24 om 16:00"}},
	{VerbPriority, "prio", "prioriteit", []string{"prio", "priority", "prioriteit"},
		"prio [scope=P1..P4 users=P1..P4 security=P1..P4 env=tni motivation=TEXT]",
		"prioriteit [omvang=P1..P4 gebruikers=P1..P4 veiligheid=P1..P4 omgeving=tni motivatie=TEKST]",
		"the priority wizard (R4.3); with the dimensions, the suggested priority",
		"de prioriteitswizard (R4.3); met de dimensies, de voorgestelde prioriteit",
		[]string{"prio", "prio scope=P2 users=P3 security=P4", "prioriteit omvang=P1 omgeving=tni motivatie=ketting ligt plat"}},
	{VerbEscalate, "escalate", "escaleer", []string{"escalate", "escaleer", "escaleren"},
		"escalate MAGDA-123 [reason]", "escaleer MAGDA-123 [reden]",
		"escalate one step (R7): 1 = 2nd line and MAGDA Service Delivery, 2 = 3rd line",
		"één stap escaleren (R7): 1 = 2de lijn en MAGDA Service Delivery, 2 = 3de lijn",
		[]string{"escalate MAGDA-123", "escaleer MAGDA-123 klant zit stil"}},
	{VerbUpdate, "update", "update", []string{"update"},
		"update MAGDA-123 TEXT", "update MAGDA-123 TEKST",
		"record a progress update to the customer (R5.3)",
		"een stand van zaken aan de klant registreren (R5.3)",
		[]string{"update MAGDA-123 fix deployed on TNI"}},
	{VerbPause, "pause", "pauzeer", []string{"pause", "pauzeer", "pauzeren"},
		"pause MAGDA-123 customer|third-party", "pauzeer MAGDA-123 klant|derde",
		"stop the clocks while waiting for the customer or a third party (R3.4)",
		"de klokken stilzetten in afwachting van de klant of een derde (R3.4)",
		[]string{"pause MAGDA-123 customer", "pauzeer MAGDA-123 derde"}},
	{VerbResume, "resume", "hervat", []string{"resume", "hervat", "hervatten"},
		"resume MAGDA-123", "hervat MAGDA-123",
		"start the clocks again (R3.4)", "de klokken opnieuw laten lopen (R3.4)",
		[]string{"resume MAGDA-123", "hervat MAGDA-123"}},
	{VerbMaintenance, "maintenance", "onderhoud", []string{"maintenance", "onderhoud"},
		"maintenance", "onderhoud",
		"the next maintenance windows (R8)", "de volgende onderhoudsvensters (R8)",
		[]string{"maintenance", "onderhoud"}},
	{VerbHolidays, "holidays", "feestdagen", []string{"holidays", "feestdagen"},
		"holidays [YEAR]", "feestdagen [JAAR]",
		"the days without SL time (R3.3)", "de dagen zonder SL-tijd (R3.3)",
		[]string{"holidays", "holidays 2026", "feestdagen 2027"}},
	{VerbQueue, "sla", "sla", []string{"queue", "wachtrij", "today", "vandaag", "breached", "overschreden", "overdue"},
		"today|this week|at risk|breached [P1] [for CUSTOMER]", "vandaag|deze week|in gevaar|overschreden [P1] [voor KLANT]",
		"the open tickets due or at risk in that span, soonest first, by customer",
		"de open tickets die in die periode vervallen of in gevaar zijn, dringendste eerst, per klant",
		[]string{"today", "what's due today", "vandaag voor agentschap x", "which tickets breach this week", "at risk P1", "overschreden"}},
	{VerbContacts, "contacts", "contacten", []string{"contacts", "contacten", "who", "wie"},
		"contacts CUSTOMER · who is the SDM|SPOC for CUSTOMER", "contacten KLANT · wie is de SDM|SPOC van KLANT",
		"a customer's business SPOC and MAGDA SDM (R1.2)", "de business-SPOC en de MAGDA-SDM van een klant (R1.2)",
		[]string{"who is the SDM for agency-x", "wie is de spoc van agentschap X", "contacts agency-x"}},
	{VerbAvailability, "availability", "beschikbaarheid", []string{"availability", "beschikbaarheid", "uptime"},
		"availability [YYYY-MM]", "beschikbaarheid [JJJJ-MM]",
		"the month's infrastructure availability against 99.5 % (R6.1), the error budget left and the outages",
		"de beschikbaarheid van de infrastructuur deze maand tegenover 99,5 % (R6.1), het foutbudget en de storingen",
		[]string{"availability", "availability 2026-11", "beschikbaarheid 2026-10"}},
	{VerbStatus, "status", "status", []string{"status"},
		"status", "status",
		"the MAGDA status page: services not operational and open incidents (R6.2)",
		"de MAGDA-statuspagina: services die niet operationeel zijn en open incidenten (R6.2)",
		[]string{"status"}},
	{VerbReview, "review", "rapport", []string{"review", "rapport"},
		"review CUSTOMER [november|2026-11|2026-Q4|last month|last quarter]",
		"rapport KLANT [november|2026-11|2026-Q4|vorige maand|vorig kwartaal]",
		"a customer's service review (R1.2): met %, breaches, escalations, the trend chart and the export",
		"het servicerapport van een klant (R1.2): gehaald %, overschrijdingen, escalaties, de trendgrafiek en de export",
		[]string{"review agency-x", "review agency-x 2026-11", "rapport agentschap x vorige maand"}},
	{VerbHelp, "help", "hulp", []string{"help", "hulp", "?"},
		"help", "hulp", "this list", "deze lijst",
		[]string{"help", "hulp"}},
}

// readers says how Parse reads each command after its word. A new command is one Spec
// above (its words, usage, description and examples) and one reader here; a command
// whose words may stand anywhere in a question reads its slots with parser.read.
var readers = map[Verb]func(*parser) (Command, error){
	VerbTicket:   (*parser).askSLA,
	VerbExplain:  (*parser).explain,
	VerbPriority: (*parser).prio,
	VerbEscalate: func(p *parser) (Command, error) {
		return p.keyed(VerbEscalate, "escalate MAGDA-123 [reason]", "escaleer MAGDA-123 [reden]")
	},
	VerbUpdate: func(p *parser) (Command, error) {
		return p.keyed(VerbUpdate, "update MAGDA-123 TEXT", "update MAGDA-123 TEKST")
	},
	VerbPause: (*parser).pause,
	VerbResume: func(p *parser) (Command, error) {
		c, err := p.keyed(VerbResume, "resume MAGDA-123", "hervat MAGDA-123")
		c.Text = ""
		return c, err
	},
	VerbMaintenance:  func(*parser) (Command, error) { return Command{Verb: VerbMaintenance}, nil },
	VerbHolidays:     (*parser).holidays,
	VerbQueue:        (*parser).askQueue,
	VerbContacts:     (*parser).contacts,
	VerbAvailability: (*parser).availability,
	VerbStatus:       (*parser).status,
	VerbReview: func(p *parser) (Command, error) {
		c, err := parseReview(p.los())
		if c.Lang == Dutch {
			p.lang = Dutch // "rapport": the answer is Dutch
		}
		return c, err
	},
	VerbHelp: func(*parser) (Command, error) { return Command{Verb: VerbHelp}, nil },
}

// routes maps each command word to its reader; the first Spec naming a word has it.
var routes = map[string]func(*parser) (Command, error){}

func init() {
	for _, s := range specs {
		for _, w := range s.Words {
			if r := readers[s.Verb]; r != nil && routes[w] == nil {
				routes[w] = r
			}
		}
	}
}

// Commands lists every command with its words, usage and description, in help order.
func Commands() []Spec {
	out := make([]Spec, len(specs))
	for i, s := range specs {
		s.Words = append([]string(nil), s.Words...)
		s.Examples = append([]string(nil), s.Examples...)
		out[i] = s
	}
	return out
}

// nameWords are Dutch words of customers' names: they tell the language only when no
// other word does ("P1 agentschap x" is Dutch, "sla P2 question for Agentschap Y" English).
var nameWords = map[string]bool{"agentschap": true, "departement": true, "dienst": true, "gemeente": true,
	"stad": true, "vlaamse": true, "vlaams": true, "agentschappen": true}

// langOf marks the words that tell the asker's language; any other word is neutral
// ("sla", "prio", "update", "incident", "tni") or free text (customers, reasons).
var langOf = map[string]Lang{
	"when": English, "for": English, "why": English, "explain": English, "priority": English,
	"escalate": English, "pause": English, "resume": English, "maintenance": English,
	"holidays": English, "help": English, "question": English, "connection": English,
	"customer": English, "third-party": English, "third_party": English, "thirdparty": English,
	"third": English, "scope": English, "users": English, "security": English,
	"environment": English, "env": English, "motivation": English, "production": English, "the": English,
	"a": English, "an": English, "reason": English, "privacy": English,

	"wanneer": Dutch, "voor": Dutch, "waarom": Dutch, "uitleg": Dutch, "prioriteit": Dutch,
	"escaleer": Dutch, "escaleren": Dutch, "pauzeer": Dutch, "pauzeren": Dutch,
	"hervat": Dutch, "hervatten": Dutch, "onderhoud": Dutch, "feestdagen": Dutch,
	"hulp": Dutch, "vraag": Dutch, "ondersteuningsvraag": Dutch, "aansluiting": Dutch,
	"aansluitingsaanvraag": Dutch, "incidentmelding": Dutch, "klant": Dutch, "derde": Dutch,
	"derden": Dutch, "derde-partij": Dutch, "derdepartij": Dutch, "omvang": Dutch,
	"gebruikers": Dutch, "veiligheid": Dutch, "omgeving": Dutch, "motivatie": Dutch,
	"productie": Dutch, "de": Dutch, "het": Dutch, "een": Dutch, "reden": Dutch,
	"wachtrij": Dutch, "vandaag": Dutch, "morgen": Dutch, "overmorgen": Dutch, "deze": Dutch,
	"gevaar": Dutch, "overschreden": Dutch, "overschrijden": Dutch, "overschrijding": Dutch,
	"overschrijdingen": Dutch, "verlopen": Dutch, "moet": Dutch, "moeten": Dutch, "opgelost": Dutch,
	"zijn": Dutch, "wordt": Dutch, "worden": Dutch, "graag": Dutch, "aub": Dutch, "welke": Dutch,
	"wat": Dutch, "ik": Dutch, "meld": Dutch, "melden": Dutch, "gemeld": Dutch, "als": Dutch,
	"tegen": Dutch, "om": Dutch, "maandag": Dutch, "dinsdag": Dutch, "woensdag": Dutch,
	"donderdag": Dutch, "vrijdag": Dutch, "zaterdag": Dutch, "zondag": Dutch, "vragen": Dutch,
	"aansluitingen": Dutch, "incidenten": Dutch, "storing": Dutch, "storingen": Dutch,
	"lijst": Dutch, "toon": Dutch, "geef": Dutch, "hoi": Dutch, "hallo": Dutch, "kan": Dutch,
	"er": Dutch, "nog": Dutch, "staat": Dutch, "zit": Dutch, "klaar": Dutch, "tot": Dutch,
	"indien": Dutch, "uur": Dutch, "risico": Dutch, "tijd": Dutch, "laat": Dutch, "hoe": Dutch,

	"today": English, "tomorrow": English, "risk": English, "breached": English,
	"breach": English, "breaches": English, "overdue": English, "queue": English, "which": English,
	"what": English, "what's": English, "whats": English, "please": English, "must": English,
	"should": English, "resolved": English, "solved": English, "fixed": English, "monday": English,
	"tuesday": English, "wednesday": English, "thursday": English, "friday": English,
	"saturday": English, "sunday": English, "mon": English, "tue": English, "wed": English,
	"thu": English, "fri": English, "sat": English, "sun": English, "if": English, "report": English, "reported": English,
	"availability": English, "beschikbaarheid": Dutch, "page": English, "pagina": Dutch, "statuspagina": Dutch,
	"agency": English, "show": English, "list": English, "this": English, "questions": English,
	"incidents": English, "connections": English, "are": English, "by": English, "after": English,
}
