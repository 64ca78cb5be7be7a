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
	VerbHelp        Verb = "help"        // help
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
	{VerbHelp, "help", "hulp", []string{"help", "hulp", "?"},
		"help", "hulp", "this list", "deze lijst",
		[]string{"help", "hulp"}},
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

// langOf marks the words that tell the asker's language; any other word is neutral
// ("sla", "prio", "update", "incident", "tni") or free text (customers, reasons).
var langOf = map[string]Lang{
	"when": English, "for": English, "why": English, "explain": English, "priority": English,
	"escalate": English, "pause": English, "resume": English, "maintenance": English,
	"holidays": English, "help": English, "question": English, "connection": English,
	"customer": English, "third-party": English, "third_party": English, "thirdparty": English,
	"third": English, "scope": English, "users": English, "security": English,
	"environment": English, "motivation": English, "production": English, "the": English,
	"a": English, "an": English, "reason": English, "privacy": English,

	"wanneer": Dutch, "voor": Dutch, "waarom": Dutch, "uitleg": Dutch, "prioriteit": Dutch,
	"escaleer": Dutch, "escaleren": Dutch, "pauzeer": Dutch, "pauzeren": Dutch,
	"hervat": Dutch, "hervatten": Dutch, "onderhoud": Dutch, "feestdagen": Dutch,
	"hulp": Dutch, "vraag": Dutch, "ondersteuningsvraag": Dutch, "aansluiting": Dutch,
	"aansluitingsaanvraag": Dutch, "incidentmelding": Dutch, "klant": Dutch, "derde": Dutch,
	"derden": Dutch, "derde-partij": Dutch, "derdepartij": Dutch, "omvang": Dutch,
	"gebruikers": Dutch, "veiligheid": Dutch, "omgeving": Dutch, "motivatie": Dutch,
	"productie": Dutch, "de": Dutch, "het": Dutch, "een": Dutch, "reden": Dutch,
}
