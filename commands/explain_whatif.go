package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// explainWhatIf reads "explain P2 [kind] [tni] for CUSTOMER [at DAY HH:MM]": the what-if
// of `sla P2 for …`, explained, reported now or at the moment given. The words after the
// command word are read as a question (parser.ask), in any order, so that an explained
// what-if takes every phrasing and moment a plain one takes.
func (p *parser) explainWhatIf() (Command, error) {
	p.words = p.words[1:]
	c, err := p.ask(false, false)
	if err != nil {
		c.Verb = VerbExplain
		return c, err
	}
	if c.Verb != VerbWhatIf {
		return Command{Verb: VerbExplain}, bad("Which ticket or priority? Try `explain MAGDA-123` or `explain P2 for agency-x`.",
			"Welk ticket of welke prioriteit? Probeer `uitleg MAGDA-123` of `uitleg P2 voor agentschap-x`.")
	}
	c.Verb = VerbExplain
	return c, nil
}

// whatIfExplainText is the canonical text of an explained what-if, which Parse reads
// back to the same command.
func (c Command) whatIfExplainText() string {
	parts := []string{c.Lang.pick("explain", "uitleg")}
	if c.Priority != sla.NoPriority {
		parts = append(parts, c.Priority.String())
	}
	parts = append(parts, kindWord(c.Kind, c.Lang))
	if c.Env == sla.TNI {
		parts = append(parts, "tni")
	}
	if c.Customer != "" {
		parts = append(parts, c.Lang.pick("for", "voor"), c.Customer)
	}
	return join(strings.Join(parts, " "), c.At.text(c.Lang))
}

// explainWhatIf answers `explain P2 for agency-x [at friday 16:45]`: for each clock of
// a ticket reported then, the windows, weekends, holidays and closures that put its due
// where it is (R3.2, R3.3, R3.5), with the priority R4.2 gives it.
func (h *Handler) explainWhatIf(c Caller, cmd Command, l Lang) (Reply, error) {
	cu, err := h.customer(c, cmd.Customer, l)
	if err != nil {
		return Reply{}, err
	}
	now := h.o.Now()
	at := cmd.At.Resolve(now).Truncate(time.Second)
	if y := at.Year(); y < 2000 || y > 2100 {
		return Reply{}, errorf(CodeInvalid, "%s", l.pick("Give a moment in the years 2000-2100.", "Geef een moment in de jaren 2000-2100."))
	}
	a := sla.WhatIf(h.o.Calendars, sla.WhatIfQuestion{
		Customer: cu.ID, Tier: cu.Tier, Kind: cmd.Kind, Priority: cmd.Priority,
		Env: cmd.Env, Motivation: cmd.Motivation, Source: sla.Portal, At: at,
	})
	eff := sla.NoPriority
	what := KindName(cmd.Kind, l)
	if a.Effective != nil {
		eff, _ = sla.ParsePriority(*a.Effective)
		what = eff.String() + " " + what
	}
	if cmd.Env == sla.TNI {
		what += " (TNI)"
	}
	tg := sla.TargetsFor(cu.Tier, cmd.Kind, eff, sla.Portal)
	r := Reply{Kind: KindExplain, Title: capital(l.pick(
		fmt.Sprintf("How a %s for %s reported %s is counted", what, displayName(cu), l.When(at, now)),
		fmt.Sprintf("Hoe een %s voor %s, gemeld %s, geteld wordt", what, displayName(cu), l.When(at, now)))),
		Lines: []string{countsText(cu.Tier, l)},
	}
	cal := h.o.Calendars.For(cu.Tier)
	for _, k := range []struct {
		name   string
		target time.Duration
	}{{l.pick("Response", "Antwoord"), tg.Response}, {l.pick("Resolution", "Oplossing"), tg.Resolution}} {
		if k.target <= 0 {
			continue
		}
		x := sla.ExplainDue(cal, at, k.target)
		r.Items = append(r.Items, Item{
			Title: fmt.Sprintf("%s (%s): %s", k.name, Hours(k.target), l.pick("due ", "deadline ")+l.When(x.Due, now)),
			Lines: explainLines(x, clockStory{tier: cu.Tier, until: x.Due}, l, now),
		})
	}
	if a.UpdatesPerDay > 0 {
		r.Lines = append(r.Lines, l.pick("Updates: ", "Updates: ")+cadence(a.UpdatesPerDay, time.Duration(a.UpdateInterval)*time.Second, l)+" (R5.3)")
	}
	for _, n := range a.Notes {
		r.Notes = append(r.Notes, note(n, l))
	}
	if len(r.Items) == 0 {
		r.Notes = append(r.Notes, l.pick(
			fmt.Sprintf("No SL for a %s of a %s customer (R5).", KindName(cmd.Kind, l), tierName(cu.Tier, l)),
			fmt.Sprintf("Geen SL voor een %s van een %s klant (R5).", KindName(cmd.Kind, l), tierName(cu.Tier, l))))
	}
	return r, nil
}
