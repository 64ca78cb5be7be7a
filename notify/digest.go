package notify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// A digest lists, per customer, the worst digestLines tickets and counts the rest with
// the command that lists them all. It is split between customers into messages that
// fit every platform, at most digestPartItems customers and digestPartText characters
// of text each: Teams is the tighter (28 KB counted in UTF-16, with some 90 bytes of
// card markup per line), and there a full part weighs about 20 KB; in Slack it is less
// than half the block-text ceiling. The renderers' fit would still cut a part that does
// not fit; TestNoticesAtScale shows that none has to be. After digestParts messages the
// customers left are counted in the last, so that a bad morning does not flood the
// SDMs' channels.
const (
	digestLines     = 5
	digestPartText  = 5000
	digestPartItems = 15
	digestParts     = 5
)

// digest gathers, during one pass, the open tickets at risk or breached by customer.
type digest struct {
	slot      time.Time
	customers map[string]*digestCustomer
	total     int
}

type digestCustomer struct {
	id, name string
	status   commands.Status
	lines    []digestLine
	atRisk   int
	breached int
}

type digestLine struct {
	status commands.Status
	due    time.Time
	key    string // the ticket's: the last tie-break, so that the order read in does not matter
	text   string
}

// digestDue starts a digest when today's is due at now and not yet decided: on a
// working day, from DigestAt to the standard window's closing, and not before start.
// Its tickets are read once, by collect, not on every pass.
func (n *Notifier) digestDue(ctx context.Context, now, start time.Time) (*digest, error) {
	today := sla.DateOf(now)
	slot := n.at(today)
	_, closing := sla.Window(sla.Standard)
	if !n.workingDay(today) || slot.After(now) || slot.Before(start) || !now.Before(today.At(closing/60, closing%60)) {
		return nil, nil
	}
	done, err := n.o.Store.Decided(ctx, "", KindDigest, slot.Unix())
	if err != nil || done {
		return nil, err
	}
	return &digest{slot: slot, customers: map[string]*digestCustomer{}}, nil
}

// longAgo is the digest instant of a ticket that counts whenever the digest is made.
var longAgo = time.Unix(0, 0)

// digestFrom is the instant from which add counts r, for as long as r stays as it is
// (add's conditions only come true as time goes on, never false again): the soonest of
// its running clocks' at-risk points and due times (R5.1, R5.2), at once for one
// breached, and the due time of its progress update (R5.3). Zero: never. The pass
// stores it, so that the digest reads only the tickets that count
// (storage.DB.DigestTickets).
func (n *Notifier) digestFrom(r storage.Running) time.Time {
	cal := n.o.Calendars.For(r.Tier)
	var from time.Time
	sooner := func(t time.Time) {
		if !t.IsZero() && (from.IsZero() || t.Before(from)) {
			from = t
		}
	}
	for _, c := range []*sla.Clock{r.Response, r.Resolution} {
		if !c.Running() {
			continue
		}
		if c.Breached {
			sooner(longAgo)
		}
		sooner(c.Due)
		sooner(c.RiskAt(cal, n.o.AtRisk))
	}
	if u := r.Updates; u.Running() {
		sooner(u.Due)
	}
	return from
}

// add counts r when one of its running clocks is breached or past its at-risk point,
// or its progress update is overdue (R5.3).
func (dg *digest) add(n *Notifier, r storage.Running, now time.Time) {
	cal := n.o.Calendars.For(r.Tier)
	l := lang(n.o.Language)
	status, what, due := commands.StatusNone, "", time.Time{}
	consider := func(s commands.Status, text string, at time.Time) {
		if s == commands.StatusBreached && status != commands.StatusBreached || s == commands.StatusAtRisk && status == commands.StatusNone {
			status, what, due = s, text, at
		}
	}
	for _, c := range []struct {
		c    *sla.Clock
		name string
	}{{r.Response, l.pick("response", "antwoord")}, {r.Resolution, l.pick("resolution", "oplossing")}} {
		if !c.c.Running() {
			continue
		}
		if c.c.Breached || !now.Before(c.c.Due) {
			consider(commands.StatusBreached, c.name+l.pick(" breached, was due ", " overschreden, deadline was ")+l.when(c.c.Due), c.c.Due)
		} else if risk := c.c.RiskAt(cal, n.o.AtRisk); !risk.IsZero() && !now.Before(risk) {
			consider(commands.StatusAtRisk, c.name+l.pick(" at risk, due ", " in gevaar, deadline ")+l.when(c.c.Due), c.c.Due)
		}
	}
	if u := r.Updates; u.Running() && !now.Before(u.Due) {
		consider(commands.StatusBreached, l.pick("progress update overdue since ", "stand van zaken te laat sinds ")+l.when(u.Due), u.Due)
	}
	if status == commands.StatusNone {
		return
	}
	dg.total++
	key := strings.ToLower(r.Customer)
	dc := dg.customers[key]
	if dc == nil {
		cu := n.customer(r.Customer)
		dc = &digestCustomer{id: cu.ID, name: cu.Name, status: status}
		dg.customers[key] = dc
	}
	if status == commands.StatusBreached {
		dc.breached++
		dc.status = status
	} else {
		dc.atRisk++
	}
	dc.lines = append(dc.lines, digestLine{status, due, r.Key, l.ticket(n.subjectOf(r)) + ": " + what})
	// Keep the worst first, soonest due first, then by key, and no more than shown.
	slices.SortFunc(dc.lines, func(a, b digestLine) int {
		return cmp.Or(cmp.Compare(rank(b.status), rank(a.status)), a.due.Compare(b.due), cmp.Compare(a.key, b.key))
	})
	if len(dc.lines) > digestLines {
		dc.lines = dc.lines[:digestLines]
	}
}

// collect adds the open tickets that may count at now (those whose digest instant,
// digestFrom, has come) to dg.
func (n *Notifier) collect(ctx context.Context, dg *digest, now time.Time) error {
	return n.o.Store.DigestTickets(ctx, now, func(r storage.Running) { dg.add(n, r, now) })
}

// item is the customer's part of the digest, and its characters of text.
func (c *digestCustomer) item(l lang) (commands.Item, int) {
	it := commands.Item{Status: c.status, Title: fmt.Sprintf(l.pick("%s: %d breached, %d at risk", "%s: %d overschreden, %d in gevaar"),
		c.name, c.breached, c.atRisk)}
	for _, line := range c.lines {
		it.Lines = append(it.Lines, line.text)
	}
	if left := c.breached + c.atRisk - len(c.lines); left > 0 {
		it.Lines = append(it.Lines, fmt.Sprintf(l.pick("… and %d more: `sla %s`", "… en nog %d: `sla %s`"), left, c.id))
	}
	size := utf8.RuneCountInString(it.Title)
	for _, s := range it.Lines {
		size += utf8.RuneCountInString(s)
	}
	return it, size
}

func rank(s commands.Status) int {
	switch s {
	case commands.StatusBreached:
		return 2
	case commands.StatusAtRisk:
		return 1
	}
	return 0
}

// digestNotifications are the digest for the SDMs' channels, one notification per
// message, so that each is delivered once on its own. Part i has the slot and may go
// out i seconds after the first, which keeps the parts in order.
func (n *Notifier) digestNotifications(dg *digest, now time.Time) []storage.Notification {
	var out []storage.Notification
	for i, r := range n.digestReplies(lang(n.o.Language), dg) {
		out = append(out, storage.Notification{Kind: KindDigest, Slot: dg.slot.Unix() + int64(i), At: now.Add(time.Duration(i) * time.Second),
			Messages: func() ([]storage.Message, error) { return n.messages(r, n.o.SDM, nil) }})
	}
	return out
}

// digestReplies are the digest's messages: one item per customer, those with the most
// breaches first, split between customers (digestPartText, digestPartItems).
func (n *Notifier) digestReplies(l lang, dg *digest) []commands.Reply {
	title := func(part, parts int) string {
		day := l.day(dg.slot)
		if parts > 1 {
			day += fmt.Sprintf(" (%d/%d)", part, parts)
		}
		return fmt.Sprintf(l.pick("Morning digest %s: %d open %s at risk or breached", "Ochtendoverzicht %s: %d open %s in gevaar of overschreden"),
			day, dg.total, plural(dg.total, "ticket", "tickets"))
	}
	if dg.total == 0 {
		return []commands.Reply{{Kind: commands.KindTickets, Lang: commands.Lang(l), Title: title(1, 1), Status: commands.StatusOK,
			Lines: []string{l.pick("No open ticket is at risk or breached.", "Geen enkel open ticket is in gevaar of overschreden.")}}}
	}
	cs := make([]*digestCustomer, 0, len(dg.customers))
	for _, c := range dg.customers {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b *digestCustomer) int {
		return cmp.Or(cmp.Compare(b.breached, a.breached), cmp.Compare(b.atRisk, a.atRisk), cmp.Compare(a.name, b.name))
	})
	more := l.pick("`sla CUSTOMER` lists a customer's open tickets.", "`sla KLANT` toont de open tickets van een klant.")
	var (
		parts []commands.Reply
		text  int // of the last part
	)
	for i, c := range cs {
		it, size := c.item(l)
		if len(parts) == 0 || text+size > digestPartText || len(parts[len(parts)-1].Items) == digestPartItems {
			if len(parts) == digestParts {
				tickets := 0
				for _, c := range cs[i:] {
					tickets += c.breached + c.atRisk
				}
				last := &parts[len(parts)-1]
				last.Notes = append(last.Notes, fmt.Sprintf(l.pick("%d more %s with %d %s at risk or breached are not listed here. ",
					"Nog %d %s met %d %s in gevaar of overschreden staan hier niet. "),
					len(cs)-i, l.pick(plural(len(cs)-i, "customer", "customers"), plural(len(cs)-i, "klant", "klanten")),
					tickets, plural(tickets, "ticket", "tickets"))+more)
				break
			}
			parts = append(parts, commands.Reply{Kind: commands.KindTickets, Lang: commands.Lang(l), More: more})
			text = 0
		}
		p := &parts[len(parts)-1]
		p.Items = append(p.Items, it)
		text += size
		if c.status == commands.StatusBreached {
			p.Status = commands.StatusBreached
		} else if p.Status == commands.StatusNone {
			p.Status = commands.StatusAtRisk
		}
	}
	for i := range parts {
		parts[i].Title = title(i+1, len(parts))
	}
	return parts
}

// maintenanceReply announces a maintenance window (R8).
func (n *Notifier) maintenanceReply(l lang, w sla.MaintenanceWindow) commands.Reply {
	end := w.End.Add(-time.Second) // End is exclusive: Monday 00:00 ends on Sunday
	r := commands.Reply{Kind: commands.KindMaintenance, Lang: commands.Lang(l), Status: commands.StatusAtRisk,
		Title: fmt.Sprintf(l.pick("Planned maintenance %s – %s (R8)", "Gepland onderhoud %s – %s (R8)"), l.day(w.Start), l.day(end))}
	if w.Note == "" {
		r.Lines = []string{l.pick("The third weekend of the month is reserved for maintenance (R8.1): MAGDA services may be unavailable from ",
			"Het derde weekend van de maand is voorbehouden voor onderhoud (R8.1): MAGDA-diensten kunnen onbeschikbaar zijn van ") +
			l.when(w.Start) + l.pick(" to ", " tot ") + l.when(w.End) + "."}
	} else {
		r.Lines = []string{w.Note, l.pick("MAGDA services may be unavailable from ", "MAGDA-diensten kunnen onbeschikbaar zijn van ") +
			l.when(w.Start) + l.pick(" to ", " tot ") + l.when(w.End) + "."}
	}
	r.Notes = []string{l.pick("Follow the MAGDA status page for the actual impact.", "Volg de MAGDA-statuspagina voor de werkelijke impact.")}
	return r
}

func plural(n int, one, more string) string {
	if n == 1 {
		return one
	}
	return more
}
