package commands

// Lang is the language of a command and of its answer.
type Lang string

// The two languages of the bot.
const (
	English Lang = "en"
	Dutch   Lang = "nl"
)

// pick gives the text in l: Dutch for Dutch, English otherwise.
func (l Lang) pick(en, nl string) string {
	if l == Dutch {
		return nl
	}
	return en
}

// Kind says what a Reply answers. Renderers need not switch on it (a Reply carries all it
// shows) but may, e.g. to colour errors or to count answers in metrics.
type Kind string

// Reply kinds.
const (
	KindTicket       Kind = "ticket"       // one ticket's card
	KindTickets      Kind = "tickets"      // a customer's open tickets, one Item each
	KindWhatIf       Kind = "whatif"       // due times for a report made now
	KindExplain      Kind = "explain"      // why a due time is what it is, one Item per clock
	KindPriority     Kind = "priority"     // a suggested priority (R4.3)
	KindForm         Kind = "form"         // Reply.Form is set: open it
	KindRecorded     Kind = "recorded"     // an escalation, update, pause or resume was stored
	KindMaintenance  Kind = "maintenance"  // the next maintenance windows (R8)
	KindHolidays     Kind = "holidays"     // the days without SL time of a year (R3.3)
	KindAvailability Kind = "availability" // a month's infrastructure availability (R6.1)
	KindStatus       Kind = "status"       // the status page (R6.2)
	KindHelp         Kind = "help"         // the command list
	KindError        Kind = "error"        // Reply.Error says which
)

// Status marks a reply or an item that needs attention, for renderers that colour.
type Status string

// Statuses; the zero value means nothing to flag.
const (
	StatusNone     Status = ""
	StatusOK       Status = "ok"       // every clock met or on track
	StatusAtRisk   Status = "at_risk"  // a running clock used at least the at-risk share
	StatusBreached Status = "breached" // a clock breached or an update was missed
)

// Reply is a platform-neutral answer. Renderers show, in this order: Title, Lines,
// Facts, Items, Notes, Buttons; and when Form is set, they open it (a Slack modal, a
// Teams card with inputs) besides showing the rest. PlainText renders it all as text.
type Reply struct {
	Kind Kind
	Lang Lang
	// Ephemeral: only the asker sees it (errors, help, forms); otherwise the channel does.
	Ephemeral bool
	Title     string
	Status    Status
	Lines     []string // paragraphs of text, in order
	Facts     []Fact   // label/value pairs
	Items     []Item   // sub-cards, e.g. one per ticket of a list
	Notes     []string // small print after the rest (context blocks)
	// More says where to see what one message cannot hold ("`sla agency-x` lists a
	// customer's tickets."): renderers show it when they shorten the reply (Shorten).
	More    string
	Buttons []Button
	Form    *Form
	Error   Code // the error code when Kind is KindError
}

// Fact is one label/value pair.
type Fact struct {
	Label string
	Value string
}

// Item is a sub-card of a reply, e.g. one ticket of a list, with its own facts and buttons.
type Item struct {
	Title   string
	Status  Status
	Lines   []string
	Facts   []Fact
	Buttons []Button
}

// Style is a button's look.
type Style string

// Button styles; the zero value is the platform's default look.
const (
	StyleDefault Style = ""
	StylePrimary Style = "primary"
	StyleDanger  Style = "danger"
)

// Button is an action the asker can take. When clicked, the renderer passes Action,
// Value and the reply's Lang to ActionCommand and runs the command it gives. A Confirm
// asks "are you sure?" first.
type Button struct {
	Action  string // one of the Act* constants
	Label   string
	Value   string // the ticket key
	Style   Style
	Confirm *Confirm
}

// Confirm is a confirmation dialog shown before a button's action runs.
type Confirm struct {
	Title string
	Text  string
	Yes   string
	No    string
}

// Button actions, as sent back by a click.
const (
	ActEscalate = "magda_escalate"
	ActUpdate   = "magda_update" // opens FormUpdate to ask for the text
	ActExplain  = "magda_explain"
	ActTicket   = "magda_ticket"
)

// Form is a dialog to fill in. On submit the renderer passes ID, Value, the reply's
// Lang and the field values (by Field.ID) to FormCommand and runs the command it gives.
type Form struct {
	ID     string // FormPriority or FormUpdate
	Value  string // carried back unchanged, e.g. the ticket key
	Title  string
	Intro  string
	Submit string // label of the submit button
	Cancel string // label of the cancel button
	Fields []Field
}

// Form ids.
const (
	FormPriority = "magda_priority" // the R4.3 priority wizard
	FormUpdate   = "magda_update"   // the text of a progress update (R5.3)
)

// FieldKind is the input a field needs.
type FieldKind string

// Field kinds.
const (
	FieldChoice   FieldKind = "choice"   // one of Options (radio buttons or a select)
	FieldText     FieldKind = "text"     // one line
	FieldTextArea FieldKind = "textarea" // several lines
)

// Field is one input of a form.
type Field struct {
	ID          string
	Label       string
	Kind        FieldKind
	Options     []Option // for FieldChoice
	Default     string   // an Option.Value or the initial text
	Optional    bool
	Placeholder string
}

// Option is one choice of a FieldChoice; Description explains it (R4.3's criterion).
type Option struct {
	Value       string
	Label       string
	Description string
}
