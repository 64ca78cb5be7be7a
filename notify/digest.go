package notify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// digestLines bounds the tickets a digest lists per customer; the rest are counted.
const digestLines = 10

// digest gathers, during one pass, the open tickets at risk or breached by customer.
type digest struct {
	slot      time.Time
	customers map[string]*digestCustomer
	total     int
}

type digestCustomer struct {
	name     string
	status   commands.Status
	lines    []digestLine
	atRisk   int
	breached int
}

type digestLine struct {
	status commands.Status
	due    time.Time
	text   string
}

// digestDue starts a digest when today's is due at now and not yet decided: on a
// working day, from DigestAt to the standard window's closing, and not before start.
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
		dc = &digestCustomer{name: n.customer(r.Customer).Name, status: status}
		dg.customers[key] = dc
	}
	if status == commands.StatusBreached {
		dc.breached++
		dc.status = status
	} else {
		dc.atRisk++
	}
	dc.lines = append(dc.lines, digestLine{status, due, l.title(n.subjectOf(r)) + ": " + what})
	// Keep the worst first, soonest due first, and no more than shown.
	slices.SortStableFunc(dc.lines, func(a, b digestLine) int {
		if a.status != b.status {
			return cmp.Compare(rank(b.status), rank(a.status))
		}
		return a.due.Compare(b.due)
	})
	if len(dc.lines) > digestLines {
		dc.lines = dc.lines[:digestLines]
	}
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

// digestNotification is the digest for the SDMs' channels, one item per customer, the
// customers with a breach first.
func (n *Notifier) digestNotification(dg *digest, now time.Time) storage.Notification {
	return storage.Notification{Kind: KindDigest, Slot: dg.slot.Unix(), At: now,
		Messages: func() ([]storage.Message, error) {
			return n.messages(n.digestReply(lang(n.o.Language), dg), n.o.SDM, nil)
		}}
}

func (n *Notifier) digestReply(l lang, dg *digest) commands.Reply {
	r := commands.Reply{Kind: commands.KindTickets, Lang: commands.Lang(l),
		Title: fmt.Sprintf(l.pick("Morning digest %s: %d open %s at risk or breached", "Ochtendoverzicht %s: %d open %s in gevaar of overschreden"),
			l.day(dg.slot), dg.total, plural(dg.total, "ticket", "tickets"))}
	if dg.total == 0 {
		r.Status = commands.StatusOK
		r.Lines = []string{l.pick("No open ticket is at risk or breached.", "Geen enkel open ticket is in gevaar of overschreden.")}
		return r
	}
	cs := make([]*digestCustomer, 0, len(dg.customers))
	for _, c := range dg.customers {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b *digestCustomer) int {
		if a.breached != b.breached {
			return cmp.Compare(b.breached, a.breached)
		}
		return cmp.Compare(a.name, b.name)
	})
	for _, c := range cs {
		it := commands.Item{Status: c.status, Title: fmt.Sprintf(l.pick("%s: %d breached, %d at risk", "%s: %d overschreden, %d in gevaar"), c.name, c.breached, c.atRisk)}
		for _, line := range c.lines {
			it.Lines = append(it.Lines, line.text)
		}
		if more := c.breached + c.atRisk - len(c.lines); more > 0 {
			it.Lines = append(it.Lines, fmt.Sprintf(l.pick("… and %d more", "… en nog %d"), more))
		}
		if c.status == commands.StatusBreached {
			r.Status = commands.StatusBreached
		} else if r.Status == commands.StatusNone {
			r.Status = commands.StatusAtRisk
		}
		r.Items = append(r.Items, it)
	}
	return r
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
