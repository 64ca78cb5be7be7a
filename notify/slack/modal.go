package slack

import (
	"encoding/json"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// Modal limits (docs.slack.dev: modal views, input block, option object).
const (
	maxModalTitle  = 24 // title, submit and close
	maxLabel       = 2000
	maxHint        = 2000
	maxPlaceholder = 150
	maxOptionText  = 75
	maxOptionDesc  = 75
	maxRadio       = 10 // radio buttons; more choices become a static select
)

// formMeta travels in a modal's private_metadata: what FormCommand needs besides the
// field values, and where the answer goes.
type formMeta struct {
	Value   string        `json:"v,omitempty"`
	Lang    commands.Lang `json:"l,omitempty"`
	Channel string        `json:"c,omitempty"`
	Thread  string        `json:"t,omitempty"`
}

func parseMeta(s string) formMeta {
	var m formMeta
	if json.Unmarshal([]byte(s), &m) != nil {
		return formMeta{}
	}
	return m
}

// Modal renders a form (the R4.3 priority wizard, the R5.3 update text) as a modal:
// callback_id is Form.ID, private_metadata carries Form.Value and the language, and
// each field is an input block whose block_id and action_id are Field.ID. A choice is
// radio buttons (a select beyond ten options); an option description longer than
// Slack's 75 characters is shortened, and the field's hint then gives them in full.
func Modal(f commands.Form, l commands.Lang) slackgo.ModalViewRequest {
	return modal(f, formMeta{Value: f.Value, Lang: l})
}

func modal(f commands.Form, m formMeta) slackgo.ModalViewRequest {
	meta, _ := json.Marshal(m) // strings only: cannot fail
	v := slackgo.ModalViewRequest{
		Type:            slackgo.VTModal,
		Title:           plain(or(f.Title, "MAGDA"), maxModalTitle),
		Submit:          plain(or(f.Submit, pick(m.Lang, "Submit", "Verstuur")), maxModalTitle),
		Close:           plain(or(f.Cancel, pick(m.Lang, "Cancel", "Annuleer")), maxModalTitle),
		CallbackID:      f.ID,
		PrivateMetadata: string(meta),
	}
	var blocks []slackgo.Block
	if f.Intro != "" {
		blocks = append(blocks, slackgo.NewSectionBlock(mrkdwn(escape(f.Intro), maxText), nil, nil))
	}
	for _, fl := range f.Fields {
		blocks = append(blocks, input(fl))
	}
	v.Blocks = slackgo.Blocks{BlockSet: blocks[:min(len(blocks), maxViewBlocks)]}
	return v
}

func input(fl commands.Field) *slackgo.InputBlock {
	var (
		el   slackgo.BlockElement
		hint *slackgo.TextBlockObject
	)
	switch fl.Kind {
	case commands.FieldChoice:
		var (
			opts    []*slackgo.OptionBlockObject
			initial *slackgo.OptionBlockObject
			full    []string
			cut     bool
		)
		for _, o := range fl.Options {
			var desc *slackgo.TextBlockObject
			if o.Description != "" {
				desc = plain(o.Description, maxOptionDesc)
				cut = cut || desc.Text != o.Description
				full = append(full, or(o.Label, o.Value)+": "+o.Description)
			}
			opt := slackgo.NewOptionBlockObject(o.Value, plain(or(o.Label, o.Value), maxOptionText), desc)
			if o.Value == fl.Default {
				initial = opt
			}
			opts = append(opts, opt)
		}
		if cut {
			hint = plain(strings.Join(full, "\n"), maxHint)
		}
		if len(opts) <= maxRadio {
			r := slackgo.NewRadioButtonsBlockElement(fl.ID, opts...)
			r.InitialOption = initial
			el = r
		} else {
			s := slackgo.NewOptionsSelectBlockElement(slackgo.OptTypeStatic, placeholder(fl.Placeholder), fl.ID, opts...)
			s.InitialOption = initial
			el = s
		}
	default: // text and textarea
		t := slackgo.NewPlainTextInputBlockElement(placeholder(fl.Placeholder), fl.ID)
		t.Multiline = fl.Kind == commands.FieldTextArea
		t.InitialValue = fl.Default
		el = t
	}
	return slackgo.NewInputBlock(fl.ID, plain(fl.Label, maxLabel), hint, el).WithOptional(fl.Optional)
}

func placeholder(s string) *slackgo.TextBlockObject {
	if s == "" {
		return nil
	}
	return plain(s, maxPlaceholder)
}

// formValues gives a submitted modal's values by Field.ID (the input's block_id).
func formValues(state *slackgo.ViewState) map[string]string {
	out := map[string]string{}
	if state == nil {
		return out
	}
	for block, acts := range state.Values {
		for _, a := range acts {
			v := a.Value
			if a.SelectedOption.Value != "" {
				v = a.SelectedOption.Value
			}
			out[block] = v
		}
	}
	return out
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
