package slack

import (
	"strconv"
	"strings"
	"unicode/utf8"

	slackgo "github.com/slack-go/slack"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// Block Kit limits (docs.slack.dev: reference/block-kit/blocks, block elements and
// composition objects; messaging). Texts are counted in characters; a longer text is cut
// and ends in "…". fit keeps the limits on a whole message or view.
const (
	maxMessageBlocks = 50  // blocks in a message
	maxViewBlocks    = 100 // blocks in a modal or the App Home
	// maxBlockText bounds all the text of a message's blocks together: Slack refuses a
	// message with more than about 12,000 characters of block text (msg_blocks_too_long),
	// whatever each block holds; slackapi/bolt-js#2509 measured the refusals from
	// 13,172 characters on. We keep views to it too: Slack documents no such ceiling for
	// them, nor that there is none.
	maxBlockText     = 12000
	maxHeader        = 150  // header block text
	maxText          = 3000 // section text
	maxFieldText     = 2000 // one field of a section
	maxFields        = 10   // fields in one section
	maxContext       = 10   // elements in a context block
	maxActions       = 25   // elements in an actions block
	maxButtonText    = 75
	maxConfirmTitle  = 100
	maxConfirmText   = 300
	maxConfirmButton = 30
	// maxFallback bounds the message's text: Slack truncates it at 40,000 characters and
	// advises at most 4,000.
	maxFallback = 4000
)

// room is what one message or view may hold.
type room struct{ blocks, text int }

var (
	messageRoom = room{maxMessageBlocks, maxBlockText}
	viewRoom    = room{maxViewBlocks, maxBlockText}
)

// Block ids of the rendered reply; an item's actions block is itemActions + its index.
const (
	replyActions = "magda_actions"
	itemActions  = "magda_item_"
)

// Blocks renders a reply as Block Kit for a message, in the order the Reply documents:
// Title (a header), Lines, Facts (two-column fields), Items (a section and its buttons
// each), Notes (a context block), Buttons. A reply too big for one message is shortened
// first (fit).
func Blocks(r commands.Reply) []slackgo.Block { return blocks(fit(r, messageRoom)) }

// fit is where Slack's limits on a whole message or view are kept, and every message and
// view the bot sends is rendered from what it gives: r, or r shortened (commands.Shorten)
// to as much as keeps within the room's blocks and block text.
func fit(r commands.Reply, in room) commands.Reply {
	return r.Shorten(func(r commands.Reply) bool {
		bs := blocks(r)
		return len(bs) <= in.blocks && blockText(bs) <= in.text
	})
}

// blocks renders r as it is, however big.
func blocks(r commands.Reply) []slackgo.Block {
	var out []slackgo.Block
	if r.Title != "" {
		out = append(out, slackgo.NewHeaderBlock(plain(marker(r.Status)+r.Title, maxHeader)))
	}
	lines := r.Lines
	if r.Kind == commands.KindError && len(lines) > 0 {
		lines = append([]string{":warning: " + lines[0]}, lines[1:]...)
	}
	out = append(out, sections(lines)...)
	out = append(out, factSections(r.Facts, nil)...)
	for i, it := range r.Items {
		out = append(out, item(it, i, r.Lang)...)
	}
	if len(r.Links) > 0 {
		out = append(out, linksBlock(r.Links))
	}
	if len(r.Notes) > 0 {
		out = append(out, notesBlock(r.Notes))
	}
	if len(r.Buttons) > 0 {
		out = append(out, actions(replyActions, r.Buttons, r.Lang))
	}
	return out
}

// blockText counts the characters of every text in bs, as Slack's ceiling on a
// message's block text counts them.
func blockText(bs []slackgo.Block) int {
	n := 0
	add := func(os ...*slackgo.TextBlockObject) {
		for _, o := range os {
			if o != nil {
				n += utf8.RuneCountInString(o.Text)
			}
		}
	}
	for _, b := range bs {
		switch b := b.(type) {
		case *slackgo.HeaderBlock:
			add(b.Text)
		case *slackgo.SectionBlock:
			add(b.Text)
			add(b.Fields...)
		case *slackgo.ContextBlock:
			for _, el := range b.ContextElements.Elements {
				if o, ok := el.(*slackgo.TextBlockObject); ok {
					add(o)
				}
			}
		case *slackgo.ActionBlock:
			for _, el := range b.Elements.ElementSet {
				if btn, ok := el.(*slackgo.ButtonBlockElement); ok {
					add(btn.Text)
					if c := btn.Confirm; c != nil {
						add(c.Title, c.Text, c.Confirm, c.Deny)
					}
				}
			}
		}
	}
	return n
}

// homeView gives the App Home's blocks: top, when set, and the command list under a
// divider, in one view. The command list is fitted first; top gets the room left.
func homeView(top *commands.Reply, help commands.Reply) []slackgo.Block {
	hb := blocks(fit(help, viewRoom))
	if top == nil {
		return hb
	}
	left := room{viewRoom.blocks - len(hb) - 1, viewRoom.text - blockText(hb)}
	out := append(blocks(fit(*top, left)), slackgo.NewDividerBlock())
	return append(out, hb...)
}

// item renders one sub-card: its title and lines in a section with its facts as fields,
// then its buttons.
func item(it commands.Item, i int, l commands.Lang) []slackgo.Block {
	text := ""
	if it.Title != "" {
		text = marker(it.Status) + "*" + escape(it.Title) + "*"
	}
	for _, s := range it.Lines {
		text = joinLine(text, escape(s))
	}
	var first *slackgo.TextBlockObject
	if text != "" {
		first = mrkdwn(text, maxText)
	}
	out := factSections(it.Facts, first)
	if len(out) == 0 && first != nil {
		out = append(out, slackgo.NewSectionBlock(first, nil, nil))
	}
	if len(it.Buttons) > 0 {
		out = append(out, actions(itemActions+strconv.Itoa(i), it.Buttons, l))
	}
	return out
}

// sections packs lines into as few mrkdwn sections as their 3,000 characters allow.
func sections(lines []string) []slackgo.Block {
	var out []slackgo.Block
	cur := ""
	flush := func() {
		if cur != "" {
			out = append(out, slackgo.NewSectionBlock(mrkdwn(cur, maxText), nil, nil))
			cur = ""
		}
	}
	for _, s := range lines {
		s = escape(s)
		if cur != "" && utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(s) > maxText {
			flush()
		}
		cur = joinLine(cur, s)
	}
	flush()
	return out
}

// factSections renders facts as "*Label*\nValue" fields, ten to a section; text, when
// set, heads the first section.
func factSections(facts []commands.Fact, text *slackgo.TextBlockObject) []slackgo.Block {
	var out []slackgo.Block
	for start := 0; start < len(facts); start += maxFields {
		var fields []*slackgo.TextBlockObject
		for _, f := range facts[start:min(start+maxFields, len(facts))] {
			fields = append(fields, mrkdwn("*"+escape(f.Label)+"*\n"+escape(f.Value), maxFieldText))
		}
		out = append(out, slackgo.NewSectionBlock(text, fields, nil))
		text = nil
	}
	return out
}

func notesBlock(notes []string) *slackgo.ContextBlock {
	var els []slackgo.MixedElement
	for i, n := range notes {
		if i == maxContext-1 && len(notes) > maxContext {
			// The last element takes the rest, so that no note is lost.
			rest := make([]string, 0, len(notes)-i)
			for _, m := range notes[i:] {
				rest = append(rest, escape(m))
			}
			els = append(els, mrkdwn(strings.Join(rest, "\n"), maxText))
			break
		}
		els = append(els, mrkdwn(escape(n), maxText))
	}
	return slackgo.NewContextBlock("", els...)
}

// actions renders buttons. Each button's value carries the reply's language as
// "lang|value", so that the click is answered in the language of the message.
func actions(blockID string, bs []commands.Button, l commands.Lang) *slackgo.ActionBlock {
	var els []slackgo.BlockElement
	for _, b := range bs[:min(len(bs), maxActions)] {
		btn := slackgo.NewButtonBlockElement(b.Action, buttonValue(l, b.Value), plain(b.Label, maxButtonText))
		switch b.Style {
		case commands.StylePrimary:
			btn = btn.WithStyle(slackgo.StylePrimary)
		case commands.StyleDanger:
			btn = btn.WithStyle(slackgo.StyleDanger)
		}
		if c := b.Confirm; c != nil {
			conf := slackgo.NewConfirmationBlockObject(plain(c.Title, maxConfirmTitle), plain(c.Text, maxConfirmText),
				plain(c.Yes, maxConfirmButton), plain(c.No, maxConfirmButton))
			if b.Style == commands.StyleDanger {
				conf = conf.WithStyle(slackgo.StyleDanger)
			}
			btn = btn.WithConfirm(conf)
		}
		els = append(els, btn)
	}
	return slackgo.NewActionBlock(blockID, els...)
}

// buttonValue and parseButtonValue carry a reply's language through a button click.
func buttonValue(l commands.Lang, value string) string { return string(l) + "|" + value }

func parseButtonValue(v string) (commands.Lang, string) {
	l, value, ok := strings.Cut(v, "|")
	if !ok {
		return "", v
	}
	return commands.Lang(l), value
}

// marker is the status's emoji, for renderers that colour.
func marker(s commands.Status) string {
	switch s {
	case commands.StatusBreached:
		return ":red_circle: "
	case commands.StatusAtRisk:
		return ":large_orange_circle: "
	case commands.StatusOK:
		return ":large_green_circle: "
	}
	return ""
}

// fallback is a message's plain text: notifications and clients without blocks show it.
// r is the fitted reply, so that the text says what the blocks show.
func fallback(r commands.Reply) string {
	return truncate(escape(strings.TrimRight(r.PlainText(), "\n")), maxFallback)
}

// escape makes text safe in mrkdwn: "<!channel>" or "<@U1>" typed by a user stays text.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escape(s string) string { return escaper.Replace(s) }

// mrkdwn texts are verbatim: we escape ourselves, and Slack should not turn a typed
// "@here" or channel name into a mention.
func mrkdwn(s string, limit int) *slackgo.TextBlockObject {
	return slackgo.NewTextBlockObject(slackgo.MarkdownType, truncate(s, limit), false, true)
}

func plain(s string, limit int) *slackgo.TextBlockObject {
	return slackgo.NewTextBlockObject(slackgo.PlainTextType, truncate(s, limit), true, false)
}

// truncate cuts s to at most n characters, ending in "…" when it cut, and never in the
// middle of an escaped "&amp;".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n-1])
	if i := strings.LastIndexByte(cut, '&'); i >= 0 && i >= len(cut)-len("&amp") && !strings.Contains(cut[i:], ";") {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ") + "…"
}

func joinLine(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

func pick(l commands.Lang, en, nl string) string {
	if l == commands.Dutch {
		return nl
	}
	return en
}
