package commands

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// record answers escalate, update, pause and resume: it checks who asks and the ticket's
// state, stores one event and tells what changed. A repeated request (same RequestID)
// gets its first answer again.
func (h *Handler) record(ctx context.Context, c Caller, cmd Command, l Lang) (Reply, error) {
	now := h.o.Now()
	src := c.Platform
	if src == "" {
		src = h.o.Source
	}
	reqKey := src + "\x00" + c.UserID + "\x00" + c.RequestID
	if c.RequestID != "" {
		if r, ok := h.recent.get(reqKey, now); ok {
			return r, nil
		}
	}
	if err := h.allowed(c, cmd.Verb, l); err != nil {
		return Reply{}, err
	}
	t, err := h.ticket(ctx, c, cmd.Ticket, l)
	if err != nil {
		return Reply{}, err
	}
	if t.State == sla.ResolvedState {
		return Reply{}, errorf(CodeConflict, "%s", l.pick(t.Key+" is resolved; reopen it in the service desk first.",
			t.Key+" is opgelost; heropen het eerst in de servicedesk."))
	}
	by := c.Name
	if c.NameOf != nil {
		if name := c.NameOf(ctx); name != "" {
			by = name
		}
	}
	if by == "" {
		by = c.UserID
	}
	ev := sla.Event{Ticket: t.Key, At: now, By: by}
	switch cmd.Verb {
	case VerbEscalate:
		level := t.Escalation + 1
		if cmd.Level > 0 {
			level = cmd.Level
		}
		if level <= t.Escalation { // a card that showed an older level: someone was first
			return Reply{Kind: KindRecorded, Title: l.pick(t.Key+" is already escalated to ", t.Key+" is al geëscaleerd naar ") + EscalationName(t.Escalation, l),
				Lines: []string{l.pick("By "+t.EscalatedBy+": nothing changed.", "Door "+t.EscalatedBy+": er verandert niets.")}}, nil
		}
		if level > sla.MaxEscalation {
			return Reply{}, errorf(CodeConflict, "%s", l.pick(
				t.Key+" is already at the last escalation step, "+EscalationName(t.Escalation, l)+".",
				t.Key+" staat al op de laatste escalatiestap, "+EscalationName(t.Escalation, l)+"."))
		}
		// The level asked for, with one id per level: two clicks that both saw level 0
		// store one escalation, and one from Slack and one from Teams are one step (R7).
		// The SDM post and the mail are decided from the stored step (notify).
		ev.Type, ev.Reason, ev.Level = sla.Escalated, cmd.Text, level
		ev.ID = "bot:escalated:" + t.Key + ":" + strconv.Itoa(level)
	case VerbUpdate:
		if cmd.Text == "" {
			return updateForm(t.Key, l), nil
		}
		ev.Type, ev.Reason = sla.Updated, cmd.Text
	case VerbPause:
		if t.State == sla.PausedState {
			return Reply{}, errorf(CodeConflict, "%s", l.pick(t.Key+" is already paused ("+waitingFor(t.PauseReason, l)+").",
				t.Key+" is al gepauzeerd ("+waitingFor(t.PauseReason, l)+")."))
		}
		ev.Type, ev.Reason = sla.Paused, cmd.Reason
	case VerbResume:
		if t.State != sla.PausedState {
			return Reply{}, errorf(CodeConflict, "%s", l.pick(t.Key+" is not paused.", t.Key+" is niet gepauzeerd."))
		}
		ev.Type = sla.Resumed
	}
	if ev.ID == "" {
		ev.ID = eventID(src, c, ev, now.UnixNano())
	}
	delivery := ev.ID
	if c.RequestID != "" {
		delivery = src + ":" + c.RequestID
	}
	n, err := h.o.Store.Append(ctx, src, delivery, []sla.Event{ev})
	if err != nil {
		return Reply{}, internal(fmt.Errorf("%s %s: %w", ev.Type, t.Key, err))
	}
	if n == 0 {
		return Reply{Kind: KindRecorded, Lines: []string{l.pick("Already recorded: nothing changed.", "Al geregistreerd: er verandert niets.")}}, nil
	}
	fresh, ok, err := h.o.Store.Ticket(ctx, t.Key)
	if err != nil || !ok {
		h.o.Logger.Warn("re-reading a ticket after recording failed", "ticket", t.Key, "err", err)
		fresh = t
		if ev.Type == sla.Escalated {
			fresh.Escalation++
		}
	}
	if ev.Type == sla.Updated && h.o.OnUpdated != nil {
		h.o.OnUpdated(ctx, fresh, cmd.Text, by)
	}
	r := h.recorded(fresh, ev, ev.Level, l)
	if c.RequestID != "" {
		h.recent.put(reqKey, r, now)
	}
	return r, nil
}

// allowed applies Access: agents and SDMs may record anything; in a customer's channel
// anyone may escalate when CustomersMayEscalate (R7); the ticket is scoped after.
func (h *Handler) allowed(c Caller, v Verb, l Lang) error {
	if h.isStaff(c) {
		return nil
	}
	if _, scoped := h.scope(c); v == VerbEscalate && scoped && h.o.Access.CustomersMayEscalate {
		return nil
	}
	if v == VerbEscalate {
		return errorf(CodeForbidden, "%s", l.pick("Only the MAGDA team can escalate here; ask your SPOC or the service desk.",
			"Enkel het MAGDA-team kan hier escaleren; vraag het aan je SPOC of de servicedesk."))
	}
	return errorf(CodeForbidden, "%s", l.pick("Only MAGDA agents and SDMs can do that.", "Enkel MAGDA-agents en SDM's kunnen dat."))
}

// eventID derives an event's id from the request, so that a retried request stores
// nothing twice; without a request id each call counts as new.
func eventID(src string, c Caller, ev sla.Event, nonce int64) string {
	sum := sha256.New()
	fmt.Fprintf(sum, "%s\x00%s\x00%s\x00%s\x00%s\x00%s", src, c.UserID, ev.Type, ev.Ticket, ev.Reason, c.RequestID)
	if c.RequestID == "" {
		fmt.Fprintf(sum, "\x00%d", nonce)
	}
	return "bot:" + string(ev.Type) + ":" + ev.Ticket + ":" + hex.EncodeToString(sum.Sum(nil))[:16]
}

// recorded tells what an event changed, with the ticket's clocks after it.
func (h *Handler) recorded(t sla.Ticket, ev sla.Event, level int, l Lang) Reply {
	now := h.o.Now()
	r := Reply{Kind: KindRecorded}
	switch ev.Type {
	case sla.Escalated:
		r.Title = l.pick(t.Key+" escalated to ", t.Key+" geëscaleerd naar ") + EscalationName(level, l)
		if ev.Reason != "" {
			r.Lines = append(r.Lines, l.pick("Reason: ", "Reden: ")+ev.Reason)
		}
	case sla.Updated:
		r.Title = l.pick("Progress update recorded for "+t.Key+" (R5.3)", "Stand van zaken geregistreerd voor "+t.Key+" (R5.3)")
		r.Lines = append(r.Lines, ev.Reason)
	case sla.Paused:
		r.Title = l.pick(t.Key+" paused: ", t.Key+" gepauzeerd: ") + waitingFor(ev.Reason, l) + " (R3.4)"
	case sla.Resumed:
		r.Title = l.pick(t.Key+" resumed (R3.4)", t.Key+" hervat (R3.4)")
	}
	r.Facts = append(r.Facts, Fact{l.pick("By", "Door"), ev.By})
	facts, status := h.clockFacts(t, t.At(h.o.Calendars, now), l, now)
	r.Facts, r.Status = append(r.Facts, facts...), status
	return r
}
