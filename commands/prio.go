package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/digitaal-vlaanderen/magda-sla-bot/sla"
)

// dimIDs are the form field ids of the R4.3 dimensions, in table order.
var dimIDs = [3]string{"scope", "users", "security"}

// priority answers `prio`: without dimensions it opens the wizard (R4.3); with them it
// suggests the priority, capped on TNI without a motivation (R4.2).
func priority(cmd Command, l Lang) Reply {
	if cmd.Assess == nil {
		return wizard(l)
	}
	p, decisive, capped := sla.Suggest(*cmd.Assess, cmd.Env, cmd.Motivation)
	r := Reply{Kind: KindPriority, Ephemeral: true,
		Title: l.pick("Suggested priority: ", "Voorgestelde prioriteit: ") + p.String()}
	uncapped := p
	for _, d := range decisive {
		lvl := cmd.Assess[d]
		uncapped = lvl
		r.Lines = append(r.Lines, fmt.Sprintf("%s %s (%s): %s.", l.pick("Decided by", "Bepaald door"),
			d.Name(l == Dutch), lvl, sla.Criterion(d, lvl, l == Dutch)))
	}
	if len(decisive) == 0 {
		r.Lines = append(r.Lines, l.pick("No dimension is affected: P4, the least severe level (R4.3).",
			"Geen enkele dimensie is geïmpacteerd: P4, het minst ernstige niveau (R4.3)."))
	}
	if capped {
		r.Lines = append(r.Lines, l.pick(
			fmt.Sprintf("On TNI without a motivation, %s becomes %s (R4.2). Give the reason for the urgency to keep %s.", uncapped, p, uncapped),
			fmt.Sprintf("Op TNI zonder motivatie wordt %s %s (R4.2). Geef de reden voor de urgentie om %s te behouden.", uncapped, p, uncapped)))
	}
	for _, d := range sla.Dimensions {
		v := cmd.Assess[d].String()
		if v == "" {
			v = l.pick("not affected", "niet geïmpacteerd")
		}
		r.Facts = append(r.Facts, Fact{d.Name(l == Dutch), v})
	}
	env := l.pick("production", "productie")
	if cmd.Env == sla.TNI {
		env = "TNI"
	}
	r.Facts = append(r.Facts, Fact{l.pick("Environment", "Omgeving"), env})
	if cmd.Motivation != "" {
		r.Facts = append(r.Facts, Fact{l.pick("Motivation", "Motivatie"), cmd.Motivation})
	}
	return r
}

// wizard is the R4.3 priority form: one choice per dimension, each option described by
// the matrix's criterion, then the environment and the motivation (R4.2).
func wizard(l Lang) Reply {
	f := &Form{ID: FormPriority, Title: l.pick("Priority (R4.3)", "Prioriteit (R4.3)"),
		Intro: l.pick("The priority is the most severe level any dimension reaches (R4.3).",
			"De prioriteit is het ernstigste niveau dat een dimensie haalt (R4.3)."),
		Submit: l.pick("Suggest", "Stel voor"), Cancel: l.pick("Cancel", "Annuleer")}
	for _, d := range sla.Dimensions {
		fl := Field{ID: dimIDs[d], Label: d.Name(l == Dutch), Kind: FieldChoice, Default: "none"}
		for p := sla.P1; p <= sla.P4; p++ {
			fl.Options = append(fl.Options, Option{Value: p.String(), Label: p.String(), Description: sla.Criterion(d, p, l == Dutch)})
		}
		fl.Options = append(fl.Options, Option{Value: "none", Label: l.pick("Not affected", "Niet geïmpacteerd")})
		f.Fields = append(f.Fields, fl)
	}
	f.Fields = append(f.Fields,
		Field{ID: "env", Label: l.pick("Environment", "Omgeving"), Kind: FieldChoice, Default: "prod",
			Options: []Option{{Value: "prod", Label: l.pick("Production", "Productie")},
				{Value: "tni", Label: "TNI", Description: l.pick("Test: at most P3 without a motivation (R4.2)", "Test: hoogstens P3 zonder motivatie (R4.2)")}}},
		Field{ID: "motivation", Label: l.pick("Motivation (TNI urgency)", "Motivatie (urgentie op TNI)"), Kind: FieldTextArea, Optional: true,
			Placeholder: l.pick("Why is this TNI incident urgent?", "Waarom is dit TNI-incident dringend?")})
	return Reply{Kind: KindForm, Ephemeral: true, Form: f, Title: f.Title,
		Lines: []string{f.Intro, l.pick("Or type: `prio scope=P2 users=P3 security=none [env=tni] [motivation=…]`",
			"Of typ: `prioriteit omvang=P2 gebruikers=P3 veiligheid=geen [omgeving=tni] [motivatie=…]`")}}
}

// updateForm asks for the text of a progress update (R5.3).
func updateForm(key string, l Lang) Reply {
	f := &Form{ID: FormUpdate, Value: key, Title: l.pick("Progress update", "Stand van zaken"),
		Intro:  l.pick("What the customer should know about "+key+" (R5.3).", "Wat de klant moet weten over "+key+" (R5.3)."),
		Submit: l.pick("Record", "Registreer"), Cancel: l.pick("Cancel", "Annuleer"),
		Fields: []Field{{ID: "text", Label: l.pick("Update", "Update"), Kind: FieldTextArea}}}
	return Reply{Kind: KindForm, Ephemeral: true, Form: f, Title: f.Title + " · " + key,
		Lines: []string{f.Intro, l.pick("Or type: `update "+key+" TEXT`", "Of typ: `update "+key+" TEKST`")}}
}

// EscalateValue is the value of an Escalate button on a card that shows the ticket at
// level: the ticket and the level the click raises it to (R7).
func EscalateValue(key string, level int) string { return key + "@" + strconv.Itoa(level+1) }

// ActionCommand turns a button click (Button.Action and Value, and the Lang of the reply
// that carried it) back into the command it stands for.
func ActionCommand(action, value string, l Lang) (Command, error) {
	key, level, _ := strings.Cut(value, "@")
	c := Command{Lang: l, Ticket: strings.ToUpper(strings.TrimSpace(key))}
	if action == ActEscalate && level != "" {
		n, err := strconv.Atoi(level)
		if err != nil || n < 1 || n > sla.MaxEscalation {
			return c, &Error{Code: CodeInvalid, Message: c.Lang.pick("That button names no escalation level.", "Die knop noemt geen escalatieniveau.")}
		}
		c.Level = n
	}
	if l != Dutch && l != English {
		c.Lang, c.Guessed = English, true
	}
	if !sla.IsKey(c.Ticket) {
		return c, &Error{Code: CodeInvalid, Message: c.Lang.pick("That button names no ticket.", "Die knop noemt geen ticket.")}
	}
	switch action {
	case ActEscalate:
		c.Verb = VerbEscalate
	case ActUpdate:
		c.Verb = VerbUpdate
	case ActExplain:
		c.Verb = VerbExplain
	case ActTicket:
		c.Verb = VerbTicket
	default:
		return c, &Error{Code: CodeInvalid, Message: c.Lang.pick("Unknown action "+action+".", "Onbekende actie "+action+".")}
	}
	return c, nil
}

// FormCommand turns a submitted form (Form.ID and Value, the reply's Lang and the values
// by Field.ID) back into a command.
func FormCommand(id, value string, fields map[string]string, l Lang) (Command, error) {
	c := Command{Lang: l}
	if l != Dutch && l != English {
		c.Lang, c.Guessed = English, true
	}
	switch id {
	case FormPriority:
		var a sla.Assessment
		for d, fid := range dimIDs {
			p, ok := dimValue(strings.TrimSpace(fields[fid]))
			if !ok && strings.TrimSpace(fields[fid]) != "" {
				return c, &Error{Code: CodeInvalid, Message: c.Lang.pick("Unknown level for "+fid+".", "Onbekend niveau voor "+fid+".")}
			}
			a[d] = p
		}
		env, ok := envWords[strings.ToLower(strings.TrimSpace(fields["env"]))]
		if !ok {
			env = sla.Prod
		}
		c.Verb, c.Assess, c.Env, c.Motivation = VerbPriority, &a, env, strings.TrimSpace(fields["motivation"])
		return c, nil
	case FormUpdate:
		c.Verb, c.Ticket, c.Text = VerbUpdate, strings.ToUpper(strings.TrimSpace(value)), strings.TrimSpace(fields["text"])
		if !sla.IsKey(c.Ticket) {
			return c, &Error{Code: CodeInvalid, Message: c.Lang.pick("That form names no ticket.", "Dat formulier noemt geen ticket.")}
		}
		if c.Text == "" {
			return c, &Error{Code: CodeInvalid, Message: c.Lang.pick("Write the update first.", "Schrijf eerst de update.")}
		}
		return c, nil
	}
	return c, &Error{Code: CodeInvalid, Message: c.Lang.pick("Unknown form "+id+".", "Onbekend formulier "+id+".")}
}
