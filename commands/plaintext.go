package commands

import (
	"strings"
	"unicode/utf8"
)

// PlainText renders the whole reply as terminal text, with the words the chat answer
// carries: `bot ask` prints it and notifications use it as their fallback text. Buttons
// are shown with the command that does the same; a form with its fields and choices.
func (r Reply) PlainText() string {
	var b strings.Builder
	line := func(indent, s string) {
		for _, part := range strings.Split(s, "\n") {
			b.WriteString(strings.TrimRight(indent+part, " "))
			b.WriteByte('\n')
		}
	}
	if r.Title != "" {
		line("", r.Title)
	}
	for _, s := range r.Lines {
		line("", s)
	}
	facts(&b, "", r.Facts)
	for _, it := range r.Items {
		line("", "")
		line("• ", it.Title)
		for _, s := range it.Lines {
			line("  ", s)
		}
		facts(&b, "  ", it.Facts)
		if s := buttons(it.Buttons, r.Lang); s != "" {
			line("  ", s)
		}
	}
	if r.Form != nil {
		form(&b, r.Form, r.Lang)
	}
	for _, l := range r.Links {
		line("", l.Label+": "+l.URL)
	}
	if len(r.Notes) > 0 && (len(r.Items) > 0 || r.Form != nil) {
		line("", "")
	}
	for _, n := range r.Notes {
		line("", n)
	}
	if s := buttons(r.Buttons, r.Lang); s != "" {
		line("", s)
	}
	return b.String()
}

// facts writes label/value pairs with the values aligned.
func facts(b *strings.Builder, indent string, fs []Fact) {
	width := 0
	for _, f := range fs {
		width = max(width, utf8.RuneCountInString(f.Label))
	}
	for _, f := range fs {
		pad := strings.Repeat(" ", width-utf8.RuneCountInString(f.Label))
		b.WriteString(strings.TrimRight(indent+f.Label+": "+pad+f.Value, " "))
		b.WriteByte('\n')
	}
}

// buttons gives "Escalate (escalate MAGDA-1) · Explain (explain MAGDA-1)".
func buttons(bs []Button, l Lang) string {
	parts := make([]string, 0, len(bs))
	for _, bt := range bs {
		parts = append(parts, bt.Label+" ("+actionText(bt, l)+")")
	}
	return strings.Join(parts, " · ")
}

// actionText gives the command a button stands for, in l.
func actionText(bt Button, l Lang) string {
	c, err := ActionCommand(bt.Action, bt.Value, l)
	if err != nil {
		return bt.Action + " " + bt.Value
	}
	if c.Verb == VerbUpdate {
		return "update " + c.Ticket + l.pick(" TEXT", " TEKST")
	}
	c.Guessed = c.Verb == VerbTicket // "sla MAGDA-1", not the question form
	return c.String()
}

func form(b *strings.Builder, f *Form, l Lang) {
	b.WriteString("\n")
	for _, fl := range f.Fields {
		label := fl.Label
		if fl.Optional {
			label += l.pick(" (optional)", " (optioneel)")
		}
		b.WriteString(label + ":\n")
		for _, o := range fl.Options {
			s := "  " + o.Value + " — " + o.Label
			if o.Label == o.Value {
				s = "  " + o.Value
			}
			if o.Description != "" {
				s += ": " + o.Description
			}
			b.WriteString(s + "\n")
		}
		if fl.Placeholder != "" {
			b.WriteString("  " + fl.Placeholder + "\n")
		}
	}
}
