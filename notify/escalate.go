package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// announce decides the announcements of the escalation steps stored and not announced
// yet (R7): for each (ticket, level) once, a post to the SDMs' channels and a mail to
// MAGDA Service Delivery with ESCALATIE and the ticket key in the subject and the
// ticket's SLA card in the body (R7, R7.3). Level 1 is the 2nd line plus MAGDA Service
// Delivery (hierarchical), level 2 the 3rd line. The steps come from the stored
// `escalated` events, so the path that stored one (Slack, Teams, bot ask, the events
// API, Jira) does not matter, nor whether its process lived on. A person asked for it:
// it goes out at once, day or night. A step from before the outbox's first pass is
// history, as in decide.
func (n *Notifier) announce(ctx context.Context, now, start time.Time) (int, error) {
	return n.o.Store.AnnounceEscalations(ctx, func(t sla.Ticket, e storage.Escalation) []storage.Notification {
		if e.At.Before(start.Truncate(time.Second)) { // the engine counts whole seconds
			return nil
		}
		return []storage.Notification{{Ticket: t.Key, Kind: KindEscalation, Slot: int64(e.Level), At: now,
			Messages: func() ([]storage.Message, error) {
				post, m := n.escalation(lang(n.o.Language), t, e.Level, e.By, e.Reason, now)
				return n.messages(post, n.o.SDM, &m)
			}}}
	})
}

// escalation gives the SDMs' post and Service Delivery's mail of an escalation.
func (n *Notifier) escalation(l lang, t sla.Ticket, level int, by, reason string, now time.Time) (commands.Reply, mail.Message) {
	card := n.card(l, t, now)
	sub := subject{key: t.Key, customer: n.customer(t.Customer).Name, kind: t.Kind, priority: t.Priority, escalation: level}
	head := fmt.Sprintf(l.pick("%s escalated to %s by %s", "%s geëscaleerd naar %s door %s"), t.Key, l.level(level), by)
	post := commands.Reply{Kind: commands.KindRecorded, Lang: commands.Lang(l), Title: head, Status: commands.StatusBreached,
		Facts:   append([]commands.Fact{{Label: l.pick("Ticket", "Ticket"), Value: l.title(sub)}}, card.Facts...),
		Buttons: []commands.Button{{Action: commands.ActTicket, Label: "Details", Value: t.Key}}}
	if reason != "" {
		post.Lines = []string{l.pick("Reason: ", "Reden: ") + reason}
	}
	body := head + "\n"
	if reason != "" {
		body += post.Lines[0] + "\n"
	}
	body += "\n" + card.PlainText()
	m := mail.Message{
		Subject: fmt.Sprintf("ESCALATIE %s: %s (%s)", t.Key, l.title(sub), l.pick(fmt.Sprintf("level %d", level), fmt.Sprintf("niveau %d", level))),
		Text:    body,
	}
	return post, m
}

// card is the ticket's SLA card: Options.Card when set, else the clocks in short.
func (n *Notifier) card(l lang, t sla.Ticket, now time.Time) commands.Reply {
	if n.o.Card != nil {
		return n.o.Card(t, commands.Lang(l), now)
	}
	cal := n.o.Calendars.For(t.Tier)
	sub := subject{key: t.Key, customer: n.customer(t.Customer).Name, kind: t.Kind, priority: t.Priority, escalation: t.Escalation}
	r := commands.Reply{Kind: commands.KindTicket, Lang: commands.Lang(l), Title: l.title(sub)}
	state := string(t.State)
	switch t.State {
	case sla.PausedState:
		state = l.pick("paused", "gepauzeerd")
	case sla.ResolvedState:
		state = l.pick("resolved", "opgelost")
	}
	r.Facts = append(r.Facts, commands.Fact{Label: l.pick("State", "Status"), Value: state})
	for _, c := range []struct {
		label string
		c     *sla.Clock
	}{{l.pick("Response", "Antwoord"), t.Response}, {l.pick("Resolution", "Oplossing"), t.Resolution}} {
		text, s := l.clock(c.c.At(cal, now), n.o.AtRisk)
		r.Facts = append(r.Facts, commands.Fact{Label: c.label, Value: text})
		if rank(s) > rank(r.Status) {
			r.Status = s
		}
	}
	if u := t.Updates.At(cal, now); u != nil {
		text := fmt.Sprintf(l.pick("%d missed", "%d gemist"), u.Missed)
		if u.NextDue != nil {
			text = l.pick("next due ", "volgende tegen ") + l.when(*u.NextDue) + " · " + text
		}
		r.Facts = append(r.Facts, commands.Fact{Label: "Updates", Value: text})
	}
	r.Facts = append(r.Facts, commands.Fact{Label: l.pick("Escalation", "Escalatie"), Value: l.level(t.Escalation)})
	return r
}

// Updated is commands.Options.OnUpdated: it posts a progress update (R5.3) in the
// customer's channels. The `updated` event itself is stored by commands.
func (n *Notifier) Updated(ctx context.Context, t sla.Ticket, text, by string) {
	now := n.o.Clock.Now()
	l := lang(n.o.Language)
	sub := subject{key: t.Key, customer: n.customer(t.Customer).Name, kind: t.Kind, priority: t.Priority, escalation: t.Escalation}
	nt := storage.Notification{Ticket: t.Key, Kind: KindUpdated, Slot: now.UnixNano(), At: now,
		Messages: func() ([]storage.Message, error) {
			r := commands.Reply{Kind: commands.KindRecorded, Lang: commands.Lang(l),
				Title: l.pick("Progress update on ", "Stand van zaken voor ") + l.title(sub), Lines: []string{text},
				Facts: []commands.Fact{{Label: l.pick("By", "Door"), Value: by}}}
			return n.messages(r, n.customer(t.Customer).Channels, nil)
		}}
	added, err := n.o.Store.Enqueue(context.WithoutCancel(ctx), nt)
	if err != nil {
		n.log.Error("notify: progress update not queued", "ticket", t.Key, "err", err)
		return
	}
	if added > 0 {
		n.poke()
	}
}
