package notify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
	"github.com/digitaal-vlaanderen/magda-sla-bot/notify/mail"
	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
	"github.com/digitaal-vlaanderen/magda-sla-bot/storage"
)

// ticketMessages renders the notice of a ticket stage for its destinations: the
// customer's channels, or for a P1 the SDMs' channels and Service Delivery's mail
// (R7.1). It runs only when the notification is new.
func (n *Notifier) ticketMessages(r storage.Running, s stage, now time.Time) func() ([]storage.Message, error) {
	return func() ([]storage.Message, error) {
		l := lang(n.o.Language)
		reply := n.stageReply(l, r, s, now)
		if s.kind == KindP1Reported {
			text := reply
			text.Buttons = nil // a mail has nothing to click
			return n.messages(reply, n.o.SDM, &mail.Message{Subject: reply.Title, Text: text.PlainText()})
		}
		return n.messages(reply, n.customer(r.Customer).Channels, nil)
	}
}

// messages encodes r for each channel whose platform has a sender, and m for Service
// Delivery when there is a mailer.
func (n *Notifier) messages(r commands.Reply, chs []Channel, m *mail.Message) ([]storage.Message, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var out []storage.Message
	for _, ch := range chs {
		if _, ok := n.o.Platforms[ch.Platform]; !ok {
			n.skip(ch.Platform)
			continue
		}
		out = append(out, storage.Message{Platform: ch.Platform, Channel: ch.ID, Body: body})
	}
	if m != nil && n.o.Mailer != nil && len(n.o.ServiceDelivery) > 0 {
		m.To = n.o.ServiceDelivery
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		out = append(out, storage.Message{Platform: PlatformMail, Channel: strings.Join(m.To, ", "), Body: b})
	}
	return out, nil
}

// skip logs once per platform that its channels get nothing.
func (n *Notifier) skip(platform string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.skipped[platform] {
		n.skipped[platform] = true
		n.log.Warn("notify: no sender for this platform: its channels are skipped", "platform", platform)
	}
}

func (n *Notifier) subjectOf(r storage.Running) subject {
	return subject{key: r.Key, customer: n.customer(r.Customer).Name, kind: r.Kind, priority: r.Priority, escalation: r.Escalation}
}

// stageReply is the chat message of a ticket stage, with the buttons that act on it.
func (n *Notifier) stageReply(l lang, r storage.Running, s stage, now time.Time) commands.Reply {
	sub := n.subjectOf(r)
	cal := n.o.Calendars.For(r.Tier)
	reply := commands.Reply{Kind: commands.KindTicket, Lang: commands.Lang(l),
		Facts: []commands.Fact{{Label: l.pick("Ticket", "Ticket"), Value: l.title(sub)}}}
	clockFact := func(label string, c *sla.Clock) {
		if c != nil {
			text, _ := l.clock(c.At(cal, now), n.o.AtRisk)
			reply.Facts = append(reply.Facts, commands.Fact{Label: label, Value: text})
		}
	}
	respLabel, resLabel := l.pick("Response", "Antwoord"), l.pick("Resolution", "Oplossing")
	switch s.kind {
	case KindP1Reported:
		reply.Title = l.pick("P1 reported: ", "P1 gemeld: ") + r.Key + " · " + sub.customer
		reply.Status = commands.StatusAtRisk
		reply.Lines = []string{l.pick("R7.1: the SDM hears of every P1 at once.", "R7.1: de SDM hoort meteen van elke P1.")}
		reply.Facts = append(reply.Facts, commands.Fact{Label: l.pick("Reported", "Gemeld"), Value: l.when(r.Created)})
		clockFact(respLabel, r.Response)
		clockFact(resLabel, r.Resolution)
		reply.Buttons = n.buttons(l, sub, false)
	case KindUpdateDue, KindUpdateOverdue:
		u := r.Updates
		if s.kind == KindUpdateDue {
			reply.Title = fmt.Sprintf(l.pick("%s: progress update due %s (R5.3)", "%s: stand van zaken verwacht tegen %s (R5.3)"), r.Key, l.when(s.slot))
			reply.Status = commands.StatusAtRisk
		} else {
			reply.Title = fmt.Sprintf(l.pick("%s: progress update overdue since %s (R5.3)", "%s: stand van zaken te laat sinds %s (R5.3)"), r.Key, l.when(s.slot))
			reply.Status = commands.StatusBreached
		}
		reply.Lines = []string{fmt.Sprintf(l.pick("%s expects at least %d progress updates a day, every %s of service time.",
			"%s verwacht minstens %d keer per dag een stand van zaken, om de %s diensttijd."), sub.customer, u.PerDay, hm(u.Interval))}
		if !u.LastAt.IsZero() {
			reply.Facts = append(reply.Facts, commands.Fact{Label: l.pick("Last update", "Laatste update"), Value: l.when(u.LastAt)})
		}
		reply.Buttons = n.buttons(l, sub, true)
	case KindResponseAtRisk, KindResolutionAtRisk, KindResponseBreached, KindResolutionBreached:
		c, name, target, rule := r.Resolution, l.pick("resolution", "oplossing"), l.pick("resolution", "oplossingstermijn"), "R5.2"
		if s.kind == KindResponseAtRisk || s.kind == KindResponseBreached {
			c, name, target, rule = r.Response, l.pick("response", "antwoord"), l.pick("response", "antwoordtermijn"), "R5.1"
		}
		if s.kind == KindResponseAtRisk || s.kind == KindResolutionAtRisk {
			reply.Title = fmt.Sprintf(l.pick("%s: %s at risk, due %s (%s)", "%s: %s in gevaar, deadline %s (%s)"), r.Key, name, l.when(c.Due), rule)
			reply.Status = commands.StatusAtRisk
		} else {
			reply.Title = fmt.Sprintf(l.pick("%s: %s target breached, was due %s (%s)", "%s: %s overschreden, deadline was %s (%s)"), r.Key, target, l.when(c.Due), rule)
			reply.Status = commands.StatusBreached
		}
		clockFact(respLabel, r.Response)
		clockFact(resLabel, r.Resolution)
		reply.Buttons = n.buttons(l, sub, false)
	}
	return reply
}

// buttons are Post update (for an update reminder), Escalate while a step is left
// (R7), and Details. The commands handler checks who clicks.
func (n *Notifier) buttons(l lang, s subject, update bool) []commands.Button {
	var bs []commands.Button
	if update {
		bs = append(bs, commands.Button{Action: commands.ActUpdate, Label: l.pick("Post update", "Update posten"), Value: s.key, Style: commands.StylePrimary})
	}
	if s.escalation < sla.MaxEscalation {
		bs = append(bs, commands.Button{Action: commands.ActEscalate, Label: l.pick("Escalate", "Escaleer"), Value: commands.EscalateValue(s.key, s.escalation), Style: commands.StyleDanger,
			Confirm: &commands.Confirm{
				Title: l.pick("Escalate "+s.key+"?", s.key+" escaleren?"),
				Text:  l.pick("This escalates "+s.key+" to ", "Dit escaleert "+s.key+" naar ") + l.level(s.escalation+1) + ".",
				Yes:   l.pick("Escalate", "Escaleer"), No: l.pick("Cancel", "Annuleer"),
			}})
	}
	return append(bs, commands.Button{Action: commands.ActTicket, Label: "Details", Value: s.key})
}
