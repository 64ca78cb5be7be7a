package commands

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// Store is what the handler needs from the ticket store.
type Store interface {
	// Ticket gives a ticket's state; false when no event of it is stored. A ticket
	// whose events wait for its created event is found with Known false.
	Ticket(ctx context.Context, key string) (sla.Ticket, bool, error)
	// List gives the open tickets of customer, in the lists' order (sla.CompareNextDue:
	// soonest running due first, those without a running clock last, then by key), at
	// most limit, and how many there are.
	List(ctx context.Context, customer string, limit int) ([]sla.Ticket, int, error)
	// Urgent gives the open tickets of every customer that are at risk (R3.1) or
	// breached (R3.5, R5.3) at now, as their cards show them, in the lists' order, at
	// most limit, and how many there are.
	Urgent(ctx context.Context, now time.Time, limit int) ([]sla.Ticket, int, error)
	// Queue gives the open tickets of customer ("" for all) and priority (none for
	// all) with a running clock due by dueBy, a breached one included, or at risk by
	// riskBy (zero: not asked); soonest due first, at most limit, and how many there are.
	Queue(ctx context.Context, customer string, priority sla.Priority, dueBy, riskBy time.Time, limit int) ([]sla.Ticket, int, error)
	// Append stores events from source, ignoring events whose id is already stored, and
	// gives how many were new. deliveryID names the request they came with.
	Append(ctx context.Context, source, deliveryID string, evs []sla.Event) (int, error)
}

// Access says who may do what. Ids are the chat platform's user or group ids.
type Access struct {
	Agents []string // service desk agents: may read everything and record events
	SDMs   []string // service delivery managers: as agents
	// ChannelCustomer maps a channel id to the customer it belongs to: there the bot
	// only ever shows that customer's tickets, to anyone.
	ChannelCustomer map[string]string
	// CustomersMayEscalate lets anyone in a customer's channel escalate its tickets.
	CustomersMayEscalate bool
}

// Maintenance holds the operator's changes to the reserved weekends (R8.2).
type Maintenance struct {
	Extra     []sla.MaintenanceWindow
	Cancelled []sla.Date // Saturdays of reserved weekends that will not be used
	// Scheduled gives the status page's scheduled maintenances as last read (R8.2);
	// nil: none.
	Scheduled func() []sla.MaintenanceWindow
}

// Windows gives every extra window in force: the configured ones and the status page's.
func (m Maintenance) Windows() []sla.MaintenanceWindow {
	if m.Scheduled == nil {
		return m.Extra
	}
	return append(append([]sla.MaintenanceWindow(nil), m.Extra...), m.Scheduled()...)
}

// Options configures a Handler; only Store is required.
type Options struct {
	Store       Store
	Customers   []Customer
	Access      Access
	Calendars   *sla.Calendars // nil: without closure days
	Maintenance Maintenance
	Now         func() time.Time // nil: time.Now
	Source      string           // event source for a caller without a platform; "" = "bot"
	Language    Lang             // answers when the asker's words don't tell; "" = English
	AtRisk      float64          // share of a target from which a clock is at risk; 0 = 0.75
	Logger      *slog.Logger     // internal errors; nil = slog.Default()

	// OnUpdated runs after a progress update is stored (the post in the customer's
	// channel), before the answer is given: hand slow work off. Nil: nothing. An
	// escalation needs no hook: notify announces it from the stored event (R7).
	OnUpdated func(ctx context.Context, t sla.Ticket, text, by string)

	// Availability counts R6.1 months; StatusPage gives the status page as last read
	// (R6.2). Nil: those commands say they are off.
	Availability Availability
	StatusPage   func() StatusPage
	// Reviews counts service reviews (VerbReview); nil: the command is an internal error.
	Reviews Reviews
	// Unavailable tells a store that cannot answer now (closed, locked, unreachable)
	// from any other internal error: the asker is told that nothing was stored and to
	// try again in a minute, instead of "internal error" (issue 16). Nil: none is.
	Unavailable func(error) bool
}

// Caller is who asks, where.
type Caller struct {
	UserID    string
	Groups    []string
	ChannelID string
	Platform  string // "slack", "teams" or "cli"
	Name      string // display name, recorded as the event's "by"
	// NameOf gives the person's name from the platform when it gives one only on asking
	// (Slack's users.info); asked only when an event is recorded, "" meaning use Name.
	NameOf func(context.Context) string
	// RequestID identifies the user's action, the same on a retry or a double click
	// (e.g. Slack: message ts and action id). A repeated id gets the first answer again
	// and records nothing.
	RequestID string
	// Operator is the person running the bot, on its own terminal (bot ask without
	// --as): staff everywhere. Anyone else, on any platform, gets what Access gives.
	Operator bool
}

// Handler answers commands. It is safe for concurrent use.
type Handler struct {
	o      Options
	staff  map[string]bool
	byID   map[string]Customer
	recent recent
}

// New builds a Handler.
func New(o Options) *Handler {
	if o.Calendars == nil {
		o.Calendars = sla.NewCalendars(nil)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Source == "" {
		o.Source = "bot"
	}
	if o.Language != Dutch {
		o.Language = English
	}
	if o.AtRisk <= 0 || o.AtRisk > 1 {
		o.AtRisk = 0.75
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	o.Customers = append([]Customer(nil), o.Customers...)
	for i := range o.Customers {
		if o.Customers[i].Tier != sla.Dedicated {
			o.Customers[i].Tier = sla.Standard // R1.1: only dedicated is special
		}
	}
	h := &Handler{o: o, staff: make(map[string]bool), byID: make(map[string]Customer)}
	for _, id := range append(append([]string(nil), o.Access.Agents...), o.Access.SDMs...) {
		h.staff[id] = true
	}
	for _, c := range o.Customers {
		h.byID[strings.ToLower(c.ID)] = c
	}
	return h
}

// Handle parses text and answers it. Text that names a customer and nothing else lists
// that customer's tickets; other unknown input gets one line naming the nearest
// commands, never the whole help (`help` gives that).
func (h *Handler) Handle(ctx context.Context, c Caller, text string) Reply {
	cmd, err := Parse(text)
	if err == nil {
		return h.Run(ctx, c, cmd)
	}
	l := h.lang(cmd)
	if cmd.Verb == VerbHelp && cmd.Input != "" {
		_, ok, near := match(cmd.Input, h.o.Customers)
		if ok {
			cmd.Verb, cmd.Customer = VerbCustomer, cmd.Input
			return h.Run(ctx, c, cmd)
		}
		if _, scoped := h.scope(c); len(near) > 0 && !scoped { // a customer's channel hears of no other customer
			return ErrorReply(errorf(CodeInvalid, "%s", l.pick("I don't know “"+cmd.Input+"”. Did you mean `sla "+near[0].ID+"`?",
				"Ik ken “"+cmd.Input+"” niet. Bedoel je `sla "+near[0].ID+"`?")), l)
		}
	}
	return h.fail(l, cmd, err)
}

// Run answers a command: parsed text, a button click (ActionCommand) or a submitted form
// (FormCommand).
func (h *Handler) Run(ctx context.Context, c Caller, cmd Command) Reply {
	l := h.lang(cmd)
	var (
		r   Reply
		err error
	)
	switch cmd.Verb {
	case VerbTicket:
		r, err = h.card(ctx, c, cmd.Ticket, l)
	case VerbCustomer:
		r, err = h.list(ctx, c, cmd.Customer, l)
	case VerbWhatIf:
		r, err = h.whatIf(c, cmd, l)
	case VerbExplain:
		if cmd.Ticket == "" {
			r, err = h.explainWhatIf(c, cmd, l)
		} else {
			r, err = h.explain(ctx, c, cmd.Ticket, l)
		}
	case VerbPriority:
		r = priority(cmd, l)
	case VerbEscalate, VerbUpdate, VerbPause, VerbResume:
		r, err = h.record(ctx, c, cmd, l)
	case VerbContacts:
		r, err = h.contactsAnswer(c, cmd, l)
	case VerbMaintenance:
		r = h.maintenance(l)
	case VerbHolidays:
		r = h.holidays(cmd.Year, l)
	case VerbQueue:
		r, err = h.queue(ctx, c, cmd, l)
	case VerbAvailability:
		r, err = h.availability(ctx, cmd, l)
	case VerbStatus:
		r = h.status(l)
	case VerbReview:
		r, err = h.review(ctx, c, cmd, l)
	default:
		r = help(l)
	}
	if err != nil {
		return h.fail(l, cmd, err)
	}
	r.Lang = l
	return r
}

func (h *Handler) lang(cmd Command) Lang {
	if cmd.Guessed || cmd.Lang == "" {
		return h.o.Language
	}
	return cmd.Lang
}

// message gives err's text for the asker in l.
func message(err error, l Lang) string {
	var u *usage
	if errors.As(err, &u) {
		return l.pick(u.en, u.nl)
	}
	var e *Error
	if errors.As(err, &e) && e.Code != CodeInternal {
		return e.Message
	}
	return l.pick("Internal error: please try again later.", "Interne fout: probeer het later opnieuw.")
}

// fail turns an error into an ephemeral one-liner; an internal error is logged with its
// detail and shown without it.
func (h *Handler) fail(l Lang, cmd Command, err error) Reply {
	code := ErrorCode(err)
	if code == CodeInternal && h.o.Unavailable != nil && h.o.Unavailable(err) {
		h.o.Logger.Warn("command failed: store unavailable", "verb", string(cmd.Verb), "ticket", cmd.Ticket, "err", err)
		return unavailableReply(l)
	}
	if code == CodeInternal {
		h.o.Logger.Error("command failed", "verb", string(cmd.Verb), "ticket", cmd.Ticket, "err", err)
	}
	return ErrorReply(err, l)
}

// ErrorReply is the ephemeral one-liner for err in l: the message of an invalid, not
// found, conflict or forbidden error, "internal error" for anything else. Adapters use
// it for a click or form that ActionCommand or FormCommand refuses.
func ErrorReply(err error, l Lang) Reply {
	if l != Dutch {
		l = English
	}
	return Reply{Kind: KindError, Lang: l, Ephemeral: true, Error: ErrorCode(err), Lines: []string{message(err, l)}}
}

// unavailableReply is the ephemeral one-liner for a store that cannot answer now: the
// chat platforms need their acknowledgement, so the answer is a polite line rather
// than an HTTP 503, and it says what a 503's Retry-After says to a machine.
func unavailableReply(l Lang) Reply {
	if l != Dutch {
		l = English
	}
	return Reply{Kind: KindError, Lang: l, Ephemeral: true, Error: CodeInternal, Lines: []string{l.pick(
		"The bot cannot store this right now: nothing was recorded, try again in a minute.",
		"De bot kan dit nu niet opslaan: er is niets geregistreerd, probeer het over een minuut opnieuw.")}}
}

// isStaff reports whether the caller is an agent or SDM; `bot ask` runs as the operator,
// who holds the database anyway.
func (h *Handler) isStaff(c Caller) bool {
	if c.Operator || h.staff[c.UserID] {
		return true
	}
	for _, g := range c.Groups {
		if h.staff[g] {
			return true
		}
	}
	return false
}

// scope gives the customer the caller's channel belongs to, if any.
func (h *Handler) scope(c Caller) (string, bool) {
	if c.ChannelID == "" {
		return "", false
	}
	id, ok := h.o.Access.ChannelCustomer[c.ChannelID]
	return id, ok && id != ""
}

func (h *Handler) customerByID(id string) (Customer, bool) {
	cu, ok := h.byID[strings.ToLower(id)]
	if !ok {
		return Customer{ID: id, Name: id, Tier: sla.Standard}, false
	}
	return cu, true
}

// ticket reads a ticket the caller may see. In a customer's channel a ticket of anyone
// else is "not found", word for word as a missing one, so nothing leaks; elsewhere only
// staff see tickets.
func (h *Handler) ticket(ctx context.Context, c Caller, key string, l Lang) (sla.Ticket, error) {
	scope, scoped := h.scope(c)
	if !scoped && !h.isStaff(c) {
		return sla.Ticket{}, errorf(CodeForbidden, "%s", l.pick(
			"Ticket details are for the MAGDA team, or in the customer's own channel.",
			"Ticketdetails zijn voor het MAGDA-team, of in het eigen kanaal van de klant."))
	}
	if h.o.Store == nil {
		return sla.Ticket{}, internal(errors.New("no store configured"))
	}
	t, ok, err := h.o.Store.Ticket(ctx, key)
	if err != nil {
		return sla.Ticket{}, internal(err)
	}
	if ok && !t.Known && !scoped {
		// Events may come before their ticket's created (CONTRACT.md): they are kept.
		return sla.Ticket{}, errorf(CodeNotFound, "%s", l.pick(
			"Ticket "+key+" has events stored that wait for its `created` event; it shows once that comes.",
			"Ticket "+key+" heeft events die wachten op zijn `created`-event; het verschijnt zodra dat binnenkomt."))
	}
	if !ok || !t.Known || scoped && !strings.EqualFold(t.Customer, scope) {
		return sla.Ticket{}, errorf(CodeNotFound, "%s", l.pick("I don't know ticket "+key+".", "Ik ken ticket "+key+" niet."))
	}
	return t, nil
}

// customer resolves the customer a command names: the channel's own when none is named.
// In a customer's channel any other name is refused with the same words, whether that
// customer exists or not.
func (h *Handler) customer(c Caller, text string, l Lang) (Customer, error) {
	scope, scoped := h.scope(c)
	if scoped {
		own, _ := h.customerByID(scope)
		if text == "" {
			return own, nil
		}
		if cu, ok, _ := match(text, []Customer{own}); ok {
			return cu, nil
		}
		return Customer{}, errorf(CodeForbidden, "%s", l.pick("In this channel I only answer about "+own.label()+".",
			"In dit kanaal antwoord ik enkel over "+own.label()+"."))
	}
	if text == "" {
		return Customer{}, errorf(CodeInvalid, "%s", l.pick("Which customer? Try `sla agency-x` or `sla P2 for agency-x`.",
			"Welke klant? Probeer `sla agentschap-x` of `sla P2 voor agentschap-x`."))
	}
	cu, ok, near := match(text, h.o.Customers)
	if ok {
		return cu, nil
	}
	msg := l.pick("No customer matches '"+text+"'.", "Geen klant past bij '"+text+"'.")
	if len(near) > 0 {
		names := make([]string, len(near))
		for i, n := range near {
			names[i] = n.label()
		}
		msg += l.pick(" Did you mean "+strings.Join(names, " or ")+"?", " Bedoel je "+strings.Join(names, " of ")+"?")
	}
	return Customer{}, errorf(CodeNotFound, "%s", msg)
}

// recent remembers the answers to recorded requests for a while, so that a retried or
// double-clicked request gets its first answer and records nothing twice.
type recent struct {
	mu      sync.Mutex
	answers map[string]recentAnswer
}

type recentAnswer struct {
	r  Reply
	at time.Time
}

const (
	recentFor = 15 * time.Minute
	recentMax = 1024
)

func (rc *recent) get(key string, now time.Time) (Reply, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	a, ok := rc.answers[key]
	if !ok || now.Sub(a.at) > recentFor {
		return Reply{}, false
	}
	return a.r, true
}

func (rc *recent) put(key string, r Reply, now time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.answers == nil {
		rc.answers = make(map[string]recentAnswer)
	}
	if len(rc.answers) >= recentMax {
		for k, a := range rc.answers {
			if now.Sub(a.at) > recentFor || len(rc.answers) >= recentMax {
				delete(rc.answers, k)
			}
		}
	}
	rc.answers[key] = recentAnswer{r, now}
}
