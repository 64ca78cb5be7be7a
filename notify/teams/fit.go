package teams

import (
	"encoding/json"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/infracloudio/msbotbuilder-go/schema"

	"github.com/digitaal-vlaanderen/magda-sla-bot/commands"
)

// Teams limits. fit keeps them on every message: Send, the answers to commands and to
// clicks all post Card's result.
const (
	// maxPayload bounds a message activity as posted, its JSON counted in UTF-16, which
	// Teams documents its message size limit in (and in UTF-8 where that is more): Teams
	// refuses bigger messages with 413 MessageSizeTooBig, and cards over 28 KB fail in
	// its connectors and workflows.
	maxPayload = 28 << 10
	// envelopeRoom is what a complete activity adds to the one fit measures: replyToId,
	// from, recipient, conversation, serviceUrl, channelId and locale, in UTF-16 with
	// their keys (about 600 characters in the Teams samples).
	envelopeRoom = 2048
	// maxActions is the Teams host config's actions.maxActions: Teams shows no more
	// actions in one set.
	maxActions = 6
	// maxText bounds one text: Adaptive Cards have no limit of their own, but a
	// progress update pasted whole must not push the rest of the card out.
	maxText = 3000
)

// fit gives r, or r shortened (commands.Shorten) to as much as one message holds.
func fit(r commands.Reply) commands.Reply {
	return r.Shorten(func(r commands.Reply) bool {
		b, err := json.Marshal(envelope(r, "", card(r)))
		return err == nil && size(b)+envelopeRoom <= maxPayload
	})
}

// envelope is the message activity that carries c, less the fields of its sender and
// conversation (envelopeRoom).
func envelope(r commands.Reply, replyTo string, c AdaptiveCard) outgoing {
	return outgoing{Type: string(schema.Message), ReplyToID: replyTo, Summary: truncate(summaryOf(r), maxText),
		Attachments: []schema.Attachment{{ContentType: CardContentType, Content: c}}}
}

// summaryOf is what Teams shows of a reply in notifications: its title, or for a
// one-line answer without one (a refusal) that line.
func summaryOf(r commands.Reply) string {
	if r.Title == "" && len(r.Lines) > 0 {
		return r.Lines[0]
	}
	return r.Title
}

// size is what Teams counts of a payload: its bytes in UTF-16, or in UTF-8 where that
// is more.
func size(b []byte) int {
	units := 0
	for _, c := range string(b) {
		units += utf16.RuneLen(c)
	}
	return max(len(b), 2*units)
}

// truncate cuts s to at most n characters, ending in "…" when it cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimRight(string([]rune(s)[:n-1]), " ") + "…"
}
