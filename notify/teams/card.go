package teams

import (
	"slices"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// Adaptive Card constants: the version Teams renders on desktop, web and mobile.
const (
	CardContentType = "application/vnd.microsoft.card.adaptive"
	CardVersion     = "1.5"
	cardSchema      = "http://adaptivecards.io/schemas/adaptive-card.json"
)

// The keys of an Action.Submit's data. Teams merges the card's input values into the
// same object, so inputs get FieldPrefix before their Field.ID and never collide.
const (
	DataAction  = "action" // a Button's Action
	DataForm    = "form"   // a Form's ID
	DataValue   = "value"  // the Button's or the Form's Value
	DataLang    = "lang"   // the Reply's Lang
	FieldPrefix = "field."
)

// AdaptiveCard is the JSON of an Adaptive Card; a ShowCard's card uses the same type
// without schema and version.
type AdaptiveCard struct {
	Schema  string    `json:"$schema,omitempty"`
	Type    string    `json:"type"`
	Version string    `json:"version,omitempty"`
	Lang    string    `json:"lang,omitempty"`
	Body    []Element `json:"body"`
	Actions []Action  `json:"actions,omitempty"`
	MSTeams *MSTeams  `json:"msteams,omitempty"`
}

// MSTeams holds the Teams-only card properties.
type MSTeams struct {
	Width string `json:"width,omitempty"`
}

// Element is one body element: TextBlock, FactSet, Container, ActionSet, Input.Text or
// Input.ChoiceSet. Only the fields of its Type are set.
type Element struct {
	Type      string `json:"type"`
	ID        string `json:"id,omitempty"`
	Text      string `json:"text,omitempty"`
	Size      string `json:"size,omitempty"`
	Weight    string `json:"weight,omitempty"`
	Color     string `json:"color,omitempty"`
	IsSubtle  bool   `json:"isSubtle,omitempty"`
	Wrap      bool   `json:"wrap,omitempty"`
	Spacing   string `json:"spacing,omitempty"`
	Separator bool   `json:"separator,omitempty"`
	// Style is a Container's style or a ChoiceSet's ("expanded": radio buttons).
	Style   string     `json:"style,omitempty"`
	Items   []Element  `json:"items,omitempty"`
	Facts   []CardFact `json:"facts,omitempty"`
	Actions []Action   `json:"actions,omitempty"`

	Label        string   `json:"label,omitempty"`
	Value        string   `json:"value,omitempty"`
	Placeholder  string   `json:"placeholder,omitempty"`
	IsMultiline  bool     `json:"isMultiline,omitempty"`
	IsRequired   bool     `json:"isRequired,omitempty"`
	ErrorMessage string   `json:"errorMessage,omitempty"`
	Choices      []Choice `json:"choices,omitempty"`

	URL     string `json:"url,omitempty"`     // Image
	AltText string `json:"altText,omitempty"` // Image
}

// CardFact is one row of a FactSet.
type CardFact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// Choice is one option of an Input.ChoiceSet.
type Choice struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// Action is an Action.Submit (Data set) or an Action.ShowCard (Card set: the
// confirmation of a button that asks first).
type Action struct {
	Type  string            `json:"type"`
	Title string            `json:"title"`
	Style string            `json:"style,omitempty"`
	Data  map[string]string `json:"data,omitempty"`
	Card  *AdaptiveCard     `json:"card,omitempty"`
	URL   string            `json:"url,omitempty"` // Action.OpenUrl
}

// Card renders a Reply as an Adaptive Card, in the Reply's order: title, lines, facts,
// items, the form's inputs, notes; the form's submit and the buttons as actions. Buttons
// send {action, value, lang} back; a form's submit {form, value, lang} and its inputs.
// A reply too big for one message is shortened first (fit).
func Card(r commands.Reply) AdaptiveCard { return card(fit(r)) }

// card renders r as it is, however big; each text within maxText, each set of actions
// within maxActions.
func card(r commands.Reply) AdaptiveCard {
	c := AdaptiveCard{Schema: cardSchema, Type: "AdaptiveCard", Version: CardVersion, Lang: string(r.Lang),
		Body: []Element{}, MSTeams: &MSTeams{Width: "Full"}}
	if r.Title != "" {
		c.Body = append(c.Body, Element{Type: "TextBlock", Text: truncate(r.Title, maxText), Size: "Medium", Weight: "Bolder",
			Color: statusColor(r.Status), Wrap: true})
	}
	lineColor := ""
	if r.Kind == commands.KindError {
		lineColor = "Attention"
	}
	for _, l := range r.Lines {
		c.Body = append(c.Body, Element{Type: "TextBlock", Text: truncate(l, maxText), Color: lineColor, Wrap: true})
	}
	if len(r.Facts) > 0 {
		c.Body = append(c.Body, factSet(r.Facts))
	}
	for _, it := range r.Items {
		c.Body = append(c.Body, item(it, r.Lang))
	}
	c.Body = append(c.Body, images(r.Links)...)
	c.Actions = append(c.Actions, openURLs(r.Links)...)
	if r.Form != nil {
		inputs, submit := form(r.Form, r.Lines, r.Lang)
		c.Body = append(c.Body, inputs...)
		c.Actions = append(c.Actions, submit)
	}
	for _, n := range r.Notes {
		c.Body = append(c.Body, Element{Type: "TextBlock", Text: truncate(n, maxText), Size: "Small", IsSubtle: true, Wrap: true})
	}
	c.Actions = append(c.Actions, actions(r.Buttons, r.Lang)...)
	c.Actions = c.Actions[:min(len(c.Actions), maxActions)]
	return c
}

// statusColor maps a status to a TextBlock colour.
func statusColor(s commands.Status) string {
	switch s {
	case commands.StatusOK:
		return "Good"
	case commands.StatusAtRisk:
		return "Warning"
	case commands.StatusBreached:
		return "Attention"
	}
	return ""
}

func factSet(fs []commands.Fact) Element {
	e := Element{Type: "FactSet", Facts: make([]CardFact, len(fs))}
	for i, f := range fs {
		e.Facts[i] = CardFact{Title: truncate(f.Label, maxText), Value: truncate(f.Value, maxText)}
	}
	return e
}

// item is a sub-card: a separated container with its own title, facts and buttons.
func item(it commands.Item, l commands.Lang) Element {
	e := Element{Type: "Container", Separator: true, Spacing: "Medium"}
	if it.Title != "" {
		e.Items = append(e.Items, Element{Type: "TextBlock", Text: truncate(it.Title, maxText), Weight: "Bolder", Color: statusColor(it.Status), Wrap: true})
	}
	for _, s := range it.Lines {
		e.Items = append(e.Items, Element{Type: "TextBlock", Text: truncate(s, maxText), Wrap: true})
	}
	if len(it.Facts) > 0 {
		e.Items = append(e.Items, factSet(it.Facts))
	}
	if len(it.Buttons) > 0 {
		as := actions(it.Buttons, l)
		e.Items = append(e.Items, Element{Type: "ActionSet", Actions: as[:min(len(as), maxActions)]})
	}
	return e
}

// actions renders buttons; one with a Confirm opens a small card that asks first, as
// Action.Submit has no confirmation of its own.
func actions(bs []commands.Button, l commands.Lang) []Action {
	out := make([]Action, 0, len(bs))
	for _, b := range bs {
		submit := Action{Type: "Action.Submit", Title: b.Label, Style: style(b.Style),
			Data: map[string]string{DataAction: b.Action, DataValue: b.Value, DataLang: string(l)}}
		if b.Confirm == nil {
			out = append(out, submit)
			continue
		}
		submit.Title = b.Confirm.Yes
		ask := &AdaptiveCard{Type: "AdaptiveCard", Body: []Element{}, Actions: []Action{submit}}
		if b.Confirm.Title != "" {
			ask.Body = append(ask.Body, Element{Type: "TextBlock", Text: b.Confirm.Title, Weight: "Bolder", Wrap: true})
		}
		if b.Confirm.Text != "" {
			ask.Body = append(ask.Body, Element{Type: "TextBlock", Text: b.Confirm.Text, Wrap: true})
		}
		out = append(out, Action{Type: "Action.ShowCard", Title: b.Label, Style: style(b.Style), Card: ask})
	}
	return out
}

func style(s commands.Style) string {
	switch s {
	case commands.StylePrimary:
		return "positive"
	case commands.StyleDanger:
		return "destructive"
	}
	return ""
}

// form renders a form's fields as inputs and its submit button. The intro is shown only
// when the reply's lines don't carry it already; a card can't be dismissed, so there is
// no cancel button.
func form(f *commands.Form, lines []string, l commands.Lang) ([]Element, Action) {
	var out []Element
	if f.Intro != "" && !slices.Contains(lines, f.Intro) {
		out = append(out, Element{Type: "TextBlock", Text: f.Intro, Wrap: true})
	}
	for _, fl := range f.Fields {
		in := Element{ID: FieldPrefix + fl.ID, Label: fl.Label, Value: fl.Default, Placeholder: fl.Placeholder,
			IsRequired: !fl.Optional}
		if in.IsRequired {
			in.ErrorMessage = pick(l, "Required", "Verplicht")
		}
		switch fl.Kind {
		case commands.FieldChoice:
			in.Type, in.Style = "Input.ChoiceSet", "expanded"
			for _, o := range fl.Options {
				title := o.Label
				if o.Description != "" {
					title += ": " + o.Description
				}
				in.Choices = append(in.Choices, Choice{Title: title, Value: o.Value})
			}
		case commands.FieldTextArea:
			in.Type, in.IsMultiline = "Input.Text", true
		default:
			in.Type = "Input.Text"
		}
		out = append(out, in)
	}
	submit := Action{Type: "Action.Submit", Title: f.Submit, Style: "positive",
		Data: map[string]string{DataForm: f.ID, DataValue: f.Value, DataLang: string(l)}}
	return out, submit
}

// pick gives the Dutch text for Dutch, the English one otherwise.
func pick(l commands.Lang, en, nl string) string {
	if l == commands.Dutch {
		return nl
	}
	return en
}
